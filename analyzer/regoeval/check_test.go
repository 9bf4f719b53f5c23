package regoeval

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/armlint/armlint/analyzer"
	"github.com/armlint/armlint/analyzer/graph"
	"github.com/armlint/armlint/policies"
)

// loadAL1201 loads the embedded policies and returns AL1201.
func loadAL1201(t *testing.T, opts Options) *analyzer.Rule {
	t.Helper()
	opts.Root = "policies"
	rules, err := Load(policies.FS, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rules {
		if r.ID == "AL1201" {
			return r
		}
	}
	t.Fatal("AL1201 not loaded")
	return nil
}

// posOf returns the 1-based line and column of the first occurrence of
// needle in fixtureJSON (ASCII only).
func posOf(t *testing.T, needle string) (line, col int) {
	t.Helper()
	i := strings.Index(fixtureJSON, needle)
	if i < 0 {
		t.Fatalf("%q not in fixture", needle)
	}
	before := fixtureJSON[:i]
	return strings.Count(before, "\n") + 1, i - strings.LastIndex(before, "\n")
}

func TestCheckPrivilegedRoleToIdentity(t *testing.T) {
	rule := loadAL1201(t, Options{})
	roleLine, roleCol := posOf(t, `"[subscriptionResourceId(`)
	idLine, idCol := posOf(t, `{ "type": "SystemAssigned" }`)

	tests := []struct {
		scope    graph.ScopeKind
		words    string
		severity analyzer.Severity
	}{
		{graph.ScopeSubscription, "subscription scope", analyzer.SeverityError},
		{graph.ScopeResourceGroup, "resource group scope", analyzer.SeverityWarning},
	}
	for _, tt := range tests {
		t.Run(tt.scope.String(), func(t *testing.T) {
			fx := newFixture(t, tt.scope)
			got, err := fx.run(t, rule)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 {
				t.Fatalf("got %d findings, want 1: %+v", len(got), got)
			}
			f := got[0]
			want := `role assignment "ra-web" grants Owner to system-assigned identity of "vm-web" at ` +
				tt.words + ` (with parameter 'roleName' at its default)`
			if f.RuleID != "AL1201" || f.Severity != tt.severity || f.Message != want {
				t.Errorf("finding = %s %v %q\nwant       AL1201 %v %q", f.RuleID, f.Severity, f.Message, tt.severity, want)
			}
			loc := f.Location
			if loc.File != "main.json" || loc.Path != "/resources/1/properties/roleDefinitionId" ||
				loc.Start.Line != roleLine || loc.Start.Col != roleCol {
				t.Errorf("location = %s %s %d:%d, want main.json /resources/1/properties/roleDefinitionId %d:%d",
					loc.File, loc.Path, loc.Start.Line, loc.Start.Col, roleLine, roleCol)
			}
			if len(f.Related) != 1 {
				t.Fatalf("related = %+v, want the VM's identity", f.Related)
			}
			rel := f.Related[0]
			if rel.Message != "the identity granted Owner" || rel.Location.Path != "/resources/0/identity" ||
				rel.Location.Start.Line != idLine || rel.Location.Start.Col != idCol {
				t.Errorf("related = %q %s %d:%d, want %q /resources/0/identity %d:%d", rel.Message,
					rel.Location.Path, rel.Location.Start.Line, rel.Location.Start.Col, "the identity granted Owner", idLine, idCol)
			}
		})
	}
}

func TestCheckAllowedRolesFromConfig(t *testing.T) {
	rule := loadAL1201(t, Options{Config: map[string]map[string]any{
		"AL1201": {"allowedRoles": []string{"OWNER"}},
	}})
	got, err := newFixture(t, graph.ScopeSubscription).run(t, rule)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Errorf("got %+v, want no findings: Owner is allowed", got)
	}
}

// TestCheckOptionsFromPass: options the pass carries (the fixture harness
// sets them per directory) replace the loaded ones for that evaluation only.
func TestCheckOptionsFromPass(t *testing.T) {
	rule := loadAL1201(t, Options{})
	fx := newFixture(t, graph.ScopeSubscription)
	run := func(opts map[string]any) int {
		t.Helper()
		var got []analyzer.Finding
		pass := analyzer.NewPass(rule, fx.tmpl, fx.graph, opts, func(f analyzer.Finding) { got = append(got, f) })
		if err := rule.Check(pass); err != nil {
			t.Fatal(err)
		}
		return len(got)
	}
	if n := run(map[string]any{"allowedRoles": []any{"owner"}}); n != 0 {
		t.Errorf("with allowedRoles [owner] from the pass: %d findings, want 0", n)
	}
	if n := run(nil); n != 1 {
		t.Errorf("after that, without options: %d findings, want 1 (the options must not persist)", n)
	}
}

func TestCheckResolvesPaths(t *testing.T) {
	rule, _ := loadCustom(t, `
import data.armlint.lib.result

findings := {
	result.finding("/resources/1", ["properties", "roleDefinitionId"], "exact"),
	result.finding("/resources/1", ["properties", "missing", "deeper"], "deepest existing"),
	result.finding("/resources/1", [], "resource"),
	result.finding("/resources/0", ["properties", "tags", 3], "array index"),
	result.finding("/resources/0", ["properties", "tags", 9], "index out of range"),
	{"resource": "/resources/0", "message": "no path"},
}
`, Options{})
	got, err := newFixture(t, graph.ScopeSubscription).run(t, rule)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]string{}
	for _, f := range got {
		have[f.Message] = f.Location.Path
		if f.Severity != analyzer.SeverityNote {
			t.Errorf("%q: severity %v, want the rule's (note)", f.Message, f.Severity)
		}
	}
	want := map[string]string{
		"exact":              "/resources/1/properties/roleDefinitionId",
		"deepest existing":   "/resources/1/properties",
		"resource":           "/resources/1",
		"array index":        "/resources/0/properties/tags/3",
		"index out of range": "/resources/0/properties/tags",
		"no path":            "/resources/0",
	}
	if !reflect.DeepEqual(have, want) {
		t.Errorf("paths = %v\nwant %v", have, want)
	}
}

func TestCheckSeverityOnlyRaises(t *testing.T) {
	rule, _ := loadCustom(t, `
findings := {
	{"resource": "/resources/1", "path": [], "message": "raised", "severity": "error"},
	{"resource": "/resources/1", "path": [], "message": "not lowered", "severity": "note"},
}
`, Options{})
	rule.Severity = analyzer.SeverityWarning // as if the config overrode it
	var got []analyzer.Finding
	fx := newFixture(t, graph.ScopeSubscription)
	pass := analyzer.NewPass(rule, fx.tmpl, fx.graph, nil, func(f analyzer.Finding) { got = append(got, f) })
	if err := rule.Check(pass); err != nil {
		t.Fatal(err)
	}
	have := map[string]analyzer.Severity{}
	for _, f := range got {
		have[f.Message] = f.Severity
	}
	want := map[string]analyzer.Severity{"raised": analyzer.SeverityError, "not lowered": analyzer.SeverityWarning}
	if !reflect.DeepEqual(have, want) {
		t.Errorf("severities = %v, want %v", have, want)
	}
	if pass.Rule != rule || rule.Severity != analyzer.SeverityWarning {
		t.Errorf("the pass's rule was not restored")
	}
}

func TestCheckMalformedFindings(t *testing.T) {
	tests := map[string]struct{ body, want string }{
		"not a set":        {`findings := 1`, "findings must be a set"},
		"not an object":    {`findings := {"x"}`, "want an object"},
		"no message":       {`findings := {{"resource": "/resources/0", "path": []}}`, `missing "message"`},
		"empty message":    {`findings := {{"resource": "/resources/0", "message": ""}}`, `"message" is empty`},
		"misspelt key":     {`findings := {{"resource": "/resources/0", "msg": "m"}}`, `unknown member "msg"`},
		"unknown resource": {`findings := {{"resource": "vm-web", "message": "m"}}`, `resource "vm-web"`},
		"path not array":   {`findings := {{"resource": "/resources/0", "path": "properties", "message": "m"}}`, `"path" must be an array`},
		"negative index":   {`findings := {{"resource": "/resources/0", "path": [-1], "message": "m"}}`, "non-negative integer"},
		"bad severity":     {`findings := {{"resource": "/resources/0", "message": "m", "severity": "fatal"}}`, `invalid severity "fatal"`},
		"bad related":      {`findings := {{"resource": "/resources/0", "message": "m", "related": [{"resource": "/resources/9", "message": "r"}]}}`, `resource "/resources/9"`},
		"builtin error":    {`findings := {x | x := to_number("abc")}`, "to_number"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			rule, origin := loadCustom(t, tt.body+"\n", Options{})
			_, err := newFixture(t, graph.ScopeSubscription).run(t, rule)
			wantErr(t, err, "policy "+origin, tt.want)
		})
	}
}

func TestCheckBudget(t *testing.T) {
	// 10^12 iterations that never yield a finding.
	rule, origin := loadCustom(t, `
findings contains x if {
	some i in numbers.range(1, 1000000)
	some j in numbers.range(1, 1000000)
	i == j + 1000000
	x := {"resource": "/resources/0", "message": "never"}
}
`, Options{Timeout: 200 * time.Millisecond})
	start := time.Now()
	_, err := newFixture(t, graph.ScopeSubscription).run(t, rule)
	wantErr(t, err, "policy "+origin, "XTEST001", "exceeded its budget of 200ms")
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("evaluation stopped after %s, want about 200ms", d)
	}
}

func TestCheckConcurrent(t *testing.T) {
	rule := loadAL1201(t, Options{})
	shared := newFixture(t, graph.ScopeSubscription)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 16 {
		fx := shared
		if i%2 == 1 {
			fx = newFixture(t, graph.ScopeResourceGroup)
		}
		wg.Go(func() {
			var n int
			pass := analyzer.NewPass(rule, fx.tmpl, fx.graph, nil, func(analyzer.Finding) { n++ })
			if err := rule.Check(pass); err != nil {
				errs <- err
				return
			}
			if n != 1 {
				errs <- fmt.Errorf("got %d findings, want 1", n)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestCheckWithBuiltGraph runs AL1201 on the graph analyzer/graph builds
// from the fixture, so that the input contract is checked against the real
// builder as well as against the hand-built graph.
func TestCheckWithBuiltGraph(t *testing.T) {
	fx := newFixture(t, graph.ScopeSubscription)
	g, notes := graph.Build(fx.tmpl, graph.Options{})
	if len(notes) > 0 {
		t.Fatalf("graph.Build notes: %+v", notes)
	}
	fx.graph = g
	got, err := fx.run(t, loadAL1201(t, Options{}))
	if err != nil {
		t.Fatal(err)
	}
	want := `role assignment "ra-web" grants Owner to system-assigned identity of "vm-web" at subscription scope`
	if len(got) != 1 || got[0].Message != want || got[0].Severity != analyzer.SeverityError ||
		got[0].Location.Path != "/resources/1/properties/roleDefinitionId" {
		t.Errorf("findings = %+v\nwant one error %q at /resources/1/properties/roleDefinitionId", got, want)
	}
}
