package regoeval

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/armlint/armlint/analyzer"
	"github.com/armlint/armlint/analyzer/graph"
	"github.com/armlint/armlint/policies"
)

// TestLoadBackground checks that compiling in the background gives the
// same rules, metadata and findings as compiling in Load.
func TestLoadBackground(t *testing.T) {
	eager, err := Load(policies.FS, Options{Root: "policies"})
	if err != nil {
		t.Fatal(err)
	}
	lazy, err := Load(policies.FS, Options{Root: "policies", Background: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(eager) != len(lazy) {
		t.Fatalf("%d rules in the background, %d eagerly", len(lazy), len(eager))
	}
	if !stateOf(t, lazy[0]).parsedLate || stateOf(t, eager[0]).parsedLate {
		t.Error("the embedded policies are not parsed in the background alone")
	}
	// Each rule's evaluator is its own (the rules are returned sorted by
	// ID before the background compilation prepares them).
	st := stateOf(t, lazy[0])
	st.start()
	<-st.done
	if st.err != nil {
		t.Fatal(st.err)
	}
	for _, r := range lazy {
		i, _ := st.index.Load(r)
		if e := st.evals[i.(int)]; e.rule != r {
			t.Errorf("%s: evaluated as the rule of %s", r.ID, e.rule.ID)
		}
	}
	for i := range eager {
		e, l := *eager[i], *lazy[i]
		e.Check, l.Check = nil, nil
		if !reflect.DeepEqual(e, l) {
			t.Errorf("rule %d: background %+v, eager %+v", i, l, e)
		}
	}
	for _, scope := range []graph.ScopeKind{graph.ScopeResourceGroup, graph.ScopeSubscription} {
		fx := newFixture(t, scope)
		for i := range eager {
			want, werr := fx.run(t, eager[i])
			got, gerr := fx.run(t, lazy[i])
			if (werr == nil) != (gerr == nil) || !reflect.DeepEqual(got, want) {
				t.Errorf("%s: background %v, %v; eager %v, %v", eager[i].ID, got, gerr, want, werr)
			}
		}
	}
}

// TestLoadBackgroundCompileError checks that a compile error found in the
// background is returned by every rule's Check, naming the file.
func TestLoadBackgroundCompileError(t *testing.T) {
	fsys := fstest.MapFS{"rules/x/broken.rego": {Data: []byte(`# METADATA
# title: Broken
# description: |
#   Broken.
#   **Fix:** none.
# custom:
#   id: AL9999
#   severity: note
package armlint.rules.x.broken

findings contains f if { f := undefined_function(1) }
`)}}
	rules, err := Load(fsys, Options{Root: "policies", Background: true})
	if err != nil {
		t.Fatalf("Load: %v (metadata is valid: want the error from Check)", err)
	}
	if len(rules) != 1 || rules[0].ID != "AL9999" {
		t.Fatalf("rules = %v", rules)
	}
	_, err = newFixture(t, graph.ScopeResourceGroup).run(t, rules[0])
	if err == nil || !strings.Contains(err.Error(), "policies/rules/x/broken.rego") {
		t.Errorf("Check error = %v, want a compile error naming the file", err)
	}
	if _, err := Load(fsys, Options{Root: "policies"}); err == nil {
		t.Error("eager Load accepted the broken policy")
	}
}

// TestEvaluateTogether checks that rules evaluated in one query report
// what they report alone, and that an error in one of them is reported
// for that rule alone, as without the batch.
func TestEvaluateTogether(t *testing.T) {
	alone, err := Load(policies.FS, Options{Root: "policies"})
	if err != nil {
		t.Fatal(err)
	}
	together, err := Load(policies.FS, Options{Root: "policies", Background: true})
	if err != nil {
		t.Fatal(err)
	}
	EvaluateTogether(together)
	for _, scope := range []graph.ScopeKind{graph.ScopeResourceGroup, graph.ScopeSubscription} {
		fx := newFixture(t, scope)
		for i := range alone {
			want, werr := fx.run(t, alone[i])
			got, gerr := fx.run(t, together[i])
			if werr != nil || gerr != nil || !reflect.DeepEqual(got, want) {
				t.Errorf("%s: together %v, %v; alone %v, %v", alone[i].ID, got, gerr, want, werr)
			}
		}
	}

	// The batch itself answered (no rule was evaluated alone after an
	// error of the batch).
	fx := newFixture(t, graph.ScopeSubscription)
	st := stateOf(t, together[0])
	if _, err := st.batch.results(st, analyzer.NewPass(together[0], fx.tmpl, fx.graph, nil, func(analyzer.Finding) {})); err != nil {
		t.Errorf("batch: %v", err)
	}

	// A user rule that fails at evaluation, batched with one that does not.
	dir := writePolicies(t, map[string]string{
		"probe.rego": customHeader + "findings contains x if { x := 1 / 0 }\n",
		"ok.rego": strings.NewReplacer("XTEST001", "XTEST002", "test.probe", "test.ok").Replace(customHeader) +
			"findings contains {\"resource\": r.key, \"path\": [], \"message\": \"m\"} if { some r in input.template.resources }\n",
	})
	rules, err := Load(nil, Options{Extra: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	EvaluateTogether(rules)
	fx = newFixture(t, graph.ScopeResourceGroup)
	for _, r := range rules {
		got, err := fx.run(t, r)
		switch r.ID {
		case "XTEST001":
			if err == nil || !strings.Contains(err.Error(), "(XTEST001)") || !strings.Contains(err.Error(), "divide by zero") {
				t.Errorf("XTEST001: error %v, want its division by zero", err)
			}
		case "XTEST002":
			if err != nil || len(got) != 2 {
				t.Errorf("XTEST002: %v, %v; want 2 findings", got, err)
			}
		}
	}
}

// With every policy rule disabled (EvaluateTogether given none of them),
// the policies are not compiled; a rule that runs after all compiles them.
func TestNothingEnabledCompilesNothing(t *testing.T) {
	rules, err := Load(policies.FS, Options{Root: "policies", Background: true})
	if err != nil {
		t.Fatal(err)
	}
	EvaluateTogether(nil)
	st := stateOf(t, rules[0])
	select {
	case <-st.done:
		t.Fatal("the policies were compiled although no policy rule is enabled")
	default:
	}
	// AL1201 starts from role assignments, which the fixture has (a rule
	// that needs a fact the file lacks is skipped without compiling).
	fx := newFixture(t, graph.ScopeSubscription)
	if _, err := fx.run(t, ruleByID(t, rules, "AL1201")); err != nil {
		t.Fatal(err)
	}
	if st.compiler == nil {
		t.Error("not compiled after a rule ran")
	}
}

// TestEvaluateTogetherRuleKinds checks that a batch holds rules whose
// findings is a multi-value rule (never undefined) and rules whose
// findings is a complete rule (undefined when no body succeeds), and
// reports the findings of each as alone.
func TestEvaluateTogetherRuleKinds(t *testing.T) {
	header := func(id string) string {
		return strings.NewReplacer("XTEST001", id, "test.probe", "test."+strings.ToLower(id)).Replace(customHeader)
	}
	const finding = `{"resource": r.key, "path": [], "message": "m"}`
	dir := writePolicies(t, map[string]string{
		"multi.rego":     header("XTEST001") + "findings contains " + finding + " if { some r in input.template.resources }\n",
		"complete.rego":  header("XTEST002") + "findings := {" + finding + " | some r in input.template.resources}\n",
		"undefined.rego": header("XTEST003") + "findings := {" + finding + " | some r in input.template.resources} if { false }\n",
		"none.rego":      header("XTEST004") + "findings contains " + finding + " if { some r in input.template.resources; false }\n",
	})
	want := map[string]int{"XTEST001": 2, "XTEST002": 2, "XTEST003": 0, "XTEST004": 0}
	rules, err := Load(nil, Options{Extra: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	EvaluateTogether(rules)
	fx := newFixture(t, graph.ScopeResourceGroup)
	st := stateOf(t, rules[0])
	pass := analyzer.NewPass(rules[0], fx.tmpl, fx.graph, nil, func(analyzer.Finding) {})
	if _, err := st.batch.results(st, pass); err != nil {
		t.Fatalf("batch: %v", err)
	}
	for _, r := range rules {
		got, err := fx.run(t, r)
		if err != nil || len(got) != want[r.ID] {
			t.Errorf("%s: %d findings, %v; want %d", r.ID, len(got), err, want[r.ID])
		}
	}
}
