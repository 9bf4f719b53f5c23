package regoeval

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/armlint/armlint/analyzer"
	"github.com/armlint/armlint/analyzer/expr"
	"github.com/armlint/armlint/analyzer/graph"
	"github.com/armlint/armlint/analyzer/template"
	"github.com/armlint/armlint/policies"
)

// fixtureJSON is a small subscription-scope template: a VM with a
// system-assigned identity (/resources/0) and a role assignment that grants
// it Owner (/resources/1).
const fixtureJSON = `{
  "$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.Compute/virtualMachines",
      "apiVersion": "2023-03-01",
      "name": "vm-web",
      "location": "West Europe",
      "identity": { "type": "SystemAssigned" },
      "properties": { "hardwareProfile": { "vmSize": "[parameters('size')]" }, "tags": ["a", 1, true, "[[literal]"] }
    },
    {
      "type": "Microsoft.Authorization/roleAssignments",
      "apiVersion": "2022-04-01",
      "name": "ra-web",
      "condition": "[parameters('grant')]",
      "properties": {
        "roleDefinitionId": "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '8e3af657-a8ff-443c-a75c-2fe8c4bcb635')]",
        "principalId": "[reference(resourceId('Microsoft.Compute/virtualMachines', 'vm-web'), '2023-03-01', 'Full').identity.principalId]"
      }
    }
  ]
}`

// fixture is a parsed template and a hand-built graph over it (the graph
// builder is tested in its own package).
type fixture struct {
	tmpl       *template.Template
	graph      *graph.Graph
	vm, ra     *graph.Resource
	assignment *graph.Assignment
}

// newFixture parses fixtureJSON and builds its graph, with the assignment
// at the given scope.
func newFixture(t *testing.T, scope graph.ScopeKind) *fixture {
	t.Helper()
	f, err := template.Load("main.json", []byte(fixtureJSON))
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := template.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(tmpl.Resources) != 2 {
		t.Fatalf("fixture has %d resources, want 2", len(tmpl.Resources))
	}
	vm := &graph.Resource{
		Res: tmpl.Resources[0], Key: "/resources/0", Type: "Microsoft.Compute/virtualMachines", Instance: -1,
		Name: expr.String("vm-web"), ID: expr.String("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-web"),
		Location: expr.String("westeurope"), Deployed: graph.Yes,
		Identity: &graph.Identity{Node: tmpl.Resources[0].Identity, Type: expr.String("SystemAssigned"), System: graph.Yes, User: graph.No},
	}
	ra := &graph.Resource{
		Res: tmpl.Resources[1], Key: "/resources/1", Type: "Microsoft.Authorization/roleAssignments", Instance: -1,
		Name: expr.String("ra-web"), ID: expr.NewUnknown(&expr.Unknown{Expr: "extensionResourceId('ra-web')"}),
		Deployed: graph.Maybe,
	}
	owner, ok := graph.BuiltinRoleByName("Owner")
	if !ok {
		t.Fatal("no Owner in the built-in role table")
	}
	principal := &graph.Principal{ID: "system:/resources/0", Kind: graph.PrincipalSystemAssigned, Owner: vm}
	target := map[graph.ScopeKind]string{
		graph.ScopeSubscription:  "/subscriptions/s",
		graph.ScopeResourceGroup: "/subscriptions/s/resourceGroups/rg",
	}[scope]
	a := &graph.Assignment{
		Resource: ra, Name: expr.String("ra-web"), Principal: principal,
		PrincipalID:   expr.NewUnknown(&expr.Unknown{Expr: "reference('vm-web').identity.principalId"}),
		PrincipalType: expr.Null(),
		Role:          owner,
		RoleValue:     expr.String("/providers/Microsoft.Authorization/roleDefinitions/" + owner.ID).WithDefaults("roleName"),
		Scope:         graph.Scope{Kind: scope, Target: target},
		Condition:     expr.Null(),
	}
	g := &graph.Graph{
		Template: tmpl, Resources: []*graph.Resource{vm, ra},
		Principals: []*graph.Principal{principal}, Assignments: []*graph.Assignment{a},
	}
	env := expr.NewEnv(tmpl, expr.Options{})
	vm.SetProperties(env.EvalNode(tmpl.Resources[0].Properties))
	ra.SetProperties(env.EvalNode(tmpl.Resources[1].Properties))
	return &fixture{tmpl: tmpl, graph: g, vm: vm, ra: ra, assignment: a}
}

// run runs rule r on the fixture and returns its findings.
func (fx *fixture) run(t *testing.T, r *analyzer.Rule) ([]analyzer.Finding, error) {
	t.Helper()
	var got []analyzer.Finding
	pass := analyzer.NewPass(r, fx.tmpl, fx.graph, nil, func(f analyzer.Finding) { got = append(got, f) })
	err := r.Check(pass)
	return got, err
}

// writePolicies writes files (name → source) into a new directory and
// returns it.
func writePolicies(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// customHeader is a valid user policy header; bodies are appended.
const customHeader = `# METADATA
# title: Test rule
# description: |
#   A rule for tests.
#   **Fix:** nothing.
# custom:
#   id: XTEST001
#   severity: note
#   tags: [test]
package armlint.custom.test.probe

`

// loadCustom loads the embedded policies and one user policy whose body
// follows customHeader, and returns the user rule and its file.
func loadCustom(t *testing.T, body string, opts Options) (*analyzer.Rule, string) {
	t.Helper()
	dir := writePolicies(t, map[string]string{"probe.rego": customHeader + body})
	opts.Extra = []string{dir}
	opts.Root = "policies"
	rules, err := Load(policies.FS, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rules {
		if r.ID == "XTEST001" {
			return r, filepath.ToSlash(filepath.Join(dir, "probe.rego"))
		}
	}
	t.Fatal("XTEST001 not loaded")
	return nil, ""
}

// ruleByID returns the rule of rules with the given ID.
func ruleByID(t *testing.T, rules []*analyzer.Rule, id string) *analyzer.Rule {
	t.Helper()
	for _, r := range rules {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("%s not loaded", id)
	return nil
}

// stateOf returns the state of the Load that returned r.
func stateOf(t *testing.T, r *analyzer.Rule) *state {
	t.Helper()
	for s := range states.All() {
		if _, ok := s.index.Load(r); ok {
			return s
		}
	}
	t.Fatal("no state for the rule")
	return nil
}
