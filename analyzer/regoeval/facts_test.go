package regoeval

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/armlint/armlint/analyzer/expr"
	"github.com/armlint/armlint/analyzer/graph"
	"github.com/armlint/armlint/analyzer/template"
	"github.com/armlint/armlint/policies"
)

func TestFactsOf(t *testing.T) {
	fx := newFixture(t, graph.ScopeSubscription)
	if got, want := factsOf(fx.graph), factRelevant|factRoleAssignments; got != want {
		t.Errorf("fixture: facts %b, want %b", got, want)
	}

	resource := func(key, typ string) *graph.Resource {
		return &graph.Resource{Res: &template.Resource{}, Key: key, Type: typ, Instance: -1, Name: expr.String(key), Deployed: graph.Yes}
	}
	uai := resource("/resources/0", "microsoft.managedidentity/userassignedidentities")
	def := resource("/resources/1", "Microsoft.Authorization/roleDefinitions")
	app := resource("/resources/2", "Microsoft.Web/sites")
	app.Identity = &graph.Identity{Type: expr.String("UserAssigned"), User: graph.Yes,
		UserAssigned: []*graph.UserAssignedRef{{ID: expr.String("external")}, {ID: expr.String("id"), Target: uai}}}
	external := resource("/resources/3", "Microsoft.Web/sites")
	external.Identity = &graph.Identity{Type: expr.String("UserAssigned"), User: graph.Yes,
		UserAssigned: []*graph.UserAssignedRef{{ID: expr.String("external")}}}
	looped := resource("/resources/4[0]", "Microsoft.Compute/virtualMachines")
	looped.Loop, looped.Instance = "vms", 0
	looped.Identity = &graph.Identity{Type: expr.String("SystemAssigned"), System: graph.Yes}
	plain := resource("/resources/5", "Microsoft.Storage/storageAccounts")
	for _, tc := range []struct {
		name      string
		resources []*graph.Resource
		want      facts
	}{
		{"identity-free", []*graph.Resource{plain}, 0},
		{"user-assigned identity", []*graph.Resource{plain, uai}, factRelevant | factUserAssignedIdentities},
		{"role definition", []*graph.Resource{def}, factRelevant | factRoleDefinitions},
		{"attachment", []*graph.Resource{uai, app}, factRelevant | factUserAssignedIdentities | factAttachments},
		{"external identity only", []*graph.Resource{external}, factRelevant},
		{"looped identity", []*graph.Resource{looped, plain}, factRelevant | factLoopedIdentities},
	} {
		if got := factsOf(&graph.Graph{Resources: tc.resources}); got != tc.want {
			t.Errorf("%s: facts %b, want %b", tc.name, got, tc.want)
		}
	}
}

// TestBuiltinPoliciesDeclareWhatTheyStartFrom: each built-in policy names
// the facts its findings start from, so that it is evaluated only on the
// files that have one.
func TestBuiltinPoliciesDeclareWhatTheyStartFrom(t *testing.T) {
	rules, err := Load(policies.FS, Options{Root: "policies", Background: true})
	if err != nil {
		t.Fatal(err)
	}
	st := stateOf(t, rules[0])
	for _, r := range rules {
		i, _ := st.index.Load(r)
		if n := st.needs[i.(int)]; n&factRelevant != 0 {
			t.Errorf("%s (%s) has no custom.starts_from", r.ID, r.Origin)
		}
	}
}

// startsFromPolicy is a built-in-style policy that reports the first
// resource of every file, starting from the facts given.
func startsFromPolicy(id, startsFrom string) string {
	line := ""
	if startsFrom != "" {
		line = "#   starts_from: " + startsFrom + "\n"
	}
	return `# METADATA
# title: Probe
# description: |
#   Probe.
#   **Fix:** none.
# custom:
#   id: ` + id + `
#   severity: note
` + line + `package armlint.rules.x.` + strings.ToLower(id) + `

findings contains {"resource": input.template.resources[0].key, "path": [], "message": "m"}
`
}

// TestStartsFrom checks that a built-in policy is evaluated only on the
// files that have one of the facts it starts from, alone or in a batch,
// and that user policies and Complete ignore the declaration.
func TestStartsFrom(t *testing.T) {
	fsys := fstest.MapFS{
		"rules/x/a.rego": {Data: []byte(startsFromPolicy("AL9901", "[role_assignments]"))},
		"rules/x/b.rego": {Data: []byte(startsFromPolicy("AL9902", "[user_assigned_identities, role_definitions]"))},
		"rules/x/c.rego": {Data: []byte(startsFromPolicy("AL9903", ""))},
		"rules/x/d.rego": {Data: []byte(startsFromPolicy("AL9904", "[looped_identities]"))},
	}
	user := writePolicies(t, map[string]string{"probe.rego": strings.Replace(customHeader, "#   tags: [test]\n", "#   tags: [test]\n#   starts_from: [role_definitions]\n", 1) +
		`findings contains {"resource": input.template.resources[0].key, "path": [], "message": "m"}` + "\n"})
	// The fixture has a role assignment, no user-assigned identity, role
	// definition or loop.
	want := map[string]int{"AL9901": 1, "AL9902": 0, "AL9903": 1, "AL9904": 0}
	withUser := map[string]int{"AL9901": 1, "AL9902": 0, "AL9903": 1, "AL9904": 0, "XTEST001": 1}
	for _, tc := range []struct {
		name     string
		opts     Options
		together bool
		want     map[string]int
	}{
		{"alone", Options{}, false, want},
		{"together", Options{Background: true}, true, want},
		{"with a user policy", Options{Extra: []string{user}}, true, withUser},
		{"complete", Options{Complete: true}, true, map[string]int{"AL9901": 1, "AL9902": 1, "AL9903": 1, "AL9904": 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.Root = "policies"
			rules, err := Load(fsys, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if tc.together {
				EvaluateTogether(rules)
			}
			fx := newFixture(t, graph.ScopeSubscription)
			got := map[string]int{}
			for _, r := range rules {
				found, err := fx.run(t, r)
				if err != nil {
					t.Fatalf("%s: %v", r.ID, err)
				}
				got[r.ID] = len(found)
			}
			for id, n := range tc.want {
				if got[id] != n {
					t.Errorf("%s: %d findings, want %d", id, got[id], n)
				}
			}
		})
	}
}

func TestStartsFromErrors(t *testing.T) {
	for _, tc := range []struct{ startsFrom, want string }{
		{"[role_assignment]", "unknown fact role_assignment"},
		{"role_assignments", "must be a non-empty list"},
		{"[]", "must be a non-empty list"},
	} {
		fsys := fstest.MapFS{"rules/x/a.rego": {Data: []byte(startsFromPolicy("AL9901", tc.startsFrom))}}
		_, err := Load(fsys, Options{Root: "policies"})
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "policies/rules/x/a.rego") {
			t.Errorf("starts_from: %s: error %v, want %q naming the file", tc.startsFrom, err, tc.want)
		}
	}
}
