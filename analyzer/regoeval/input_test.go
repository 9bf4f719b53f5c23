package regoeval

import (
	"encoding/json"
	"reflect"
	"runtime"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/armlint/armlint/analyzer/expr"
	"github.com/armlint/armlint/analyzer/graph"
	"github.com/armlint/armlint/analyzer/template"
)

// wantInput is the input document of the fixture at subscription scope.
const wantInput = `{
  "version": 1,
  "file": "main.json",
  "template": {
    "scope": "subscription",
    "language_version": null,
    "resources": [
      {
        "key": "/resources/0",
        "type": "Microsoft.Compute/virtualMachines",
        "api_version": "2023-03-01",
        "name": "vm-web",
        "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-web",
        "symbolic_name": null,
        "location": "westeurope",
        "deployed": "yes",
        "existing": false,
        "condition": null,
        "identity": {
          "type": "SystemAssigned",
          "system_assigned": "yes",
          "user_assigned": "no",
          "user_assigned_identities": []
        },
        "properties": {
          "hardwareProfile": {"vmSize": {"$unknown": "parameters('size')"}},
          "tags": ["a", 1, true, "[literal]"]
        },
        "label": "\"vm-web\"", "file": "main.json", "loop": null, "instance": null, "count": null,
        "parent": null, "deployment": null,
        "defaults": {"name": [], "location": [], "count": [], "identity": [], "properties": {}}
      },
      {
        "key": "/resources/1",
        "type": "Microsoft.Authorization/roleAssignments",
        "api_version": "2022-04-01",
        "name": "ra-web",
        "id": {"$unknown": "extensionResourceId('ra-web')"},
        "symbolic_name": null,
        "location": null,
        "deployed": "maybe",
        "existing": false,
        "condition": {"$unknown": "parameters('grant')"},
        "identity": null,
        "properties": {
          "roleDefinitionId": "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
          "principalId": {"$unknown": "reference('/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Compute/virtualMachines/vm-web', '2023-03-01', 'Full').identity.principalId"}
        },
        "label": "\"ra-web\"", "file": "main.json", "loop": null, "instance": null, "count": null,
        "parent": null, "deployment": null,
        "defaults": {"name": [], "location": [], "count": [], "identity": [], "properties": {}}
      }
    ]
  },
  "graph": {
    "principals": [
      {
        "id": "system:/resources/0",
        "kind": "system_assigned",
        "owner": "/resources/0",
        "param": null,
        "guid": null,
        "description": "system-assigned identity of \"vm-web\"",
        "external": null, "path": null, "created_here": true
      }
    ],
    "assignments": [
      {
        "resource": "/resources/1",
        "name": "ra-web",
        "principal": "system:/resources/0",
        "principal_kind": "system_assigned",
        "principal_type": null,
        "role": {
          "id": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
          "name": "Owner",
          "builtin": true,
          "privileged": true,
          "can_write_role_assignments": true,
          "read_only": false,
          "known": true,
          "actions": ["*"],
          "data_actions": []
        },
        "scope": {"kind": "subscription", "target": "/subscriptions/s"},
        "condition": null,
        "defaults": ["roleName"],
        "label": "\"ra-web\""
      }
    ]
  }
}`

func TestBuildInput(t *testing.T) {
	fx := newFixture(t, graph.ScopeSubscription)
	assertJSON(t, buildInput(fx.tmpl, fx.graph), wantInput)
}

func TestBuildInputUnknowns(t *testing.T) {
	fx := newFixture(t, graph.ScopeUnknown)
	a := fx.assignment
	a.Principal = nil
	a.Role = graph.Role{}
	a.RoleValue = expr.NewUnknown(&expr.Unknown{Expr: "parameters('role')"}).WithDefaults("b")
	a.PrincipalID = expr.String("x").WithDefaults("a", "b")
	a.Name = expr.Array([]expr.Value{expr.Int(1), expr.Float(1.5), expr.Bool(false), expr.NewUnknown(&expr.Unknown{Expr: "utcNow()"})})
	a.Condition = expr.NewObject(&expr.Object{Keys: []string{"k"}, Vals: []expr.Value{expr.Null()}})

	v := buildInput(fx.tmpl, fx.graph)
	got := ast.NewTerm(v).Get(ast.MustParseTerm(`"graph"`)).Get(ast.MustParseTerm(`"assignments"`)).Get(ast.IntNumberTerm(0))
	assertJSON(t, got.Value, `{
		"resource": "/resources/1",
		"name": [1, 1.5, false, {"$unknown": "utcNow()"}],
		"principal": null,
		"principal_kind": "unknown",
		"principal_type": null,
		"role": {
			"id": {"$unknown": "parameters('role')"}, "name": null, "builtin": false, "privileged": false,
			"can_write_role_assignments": false, "read_only": false, "known": false,
			"actions": [], "data_actions": []
		},
		"scope": {"kind": "unknown", "target": null},
		"condition": {"k": null},
		"defaults": ["a", "b"],
		"label": "\"ra-web\""
	}`)
}

func TestBuildInputWithoutGraph(t *testing.T) {
	assertJSON(t, buildInput(nil, nil), `{
		"version": 1, "file": null,
		"template": {"scope": "unknown", "language_version": null, "resources": []},
		"graph": {"principals": [], "assignments": []}
	}`)
}

func TestInputCacheSharesAndEvicts(t *testing.T) {
	var c inputCache
	func() {
		fx := newFixture(t, graph.ScopeSubscription)
		first := c.get(fx.tmpl, fx.graph)
		if second := c.get(fx.tmpl, fx.graph); second != first {
			t.Error("the second get built the input again")
		}
		other := newFixture(t, graph.ScopeSubscription)
		if c.get(other.tmpl, other.graph) == first {
			t.Error("two graphs share one input")
		}
		if n := c.len(); n != 2 {
			t.Errorf("cache holds %d inputs, want 2", n)
		}
	}()
	// Both graphs are now unreachable: their entries go with them.
	deadline := time.Now().Add(5 * time.Second)
	for c.len() > 0 && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if n := c.len(); n != 0 {
		t.Errorf("cache still holds %d inputs after their graphs were collected", n)
	}
}

// assertJSON compares an ast.Value with a JSON document.
func assertJSON(t *testing.T, v ast.Value, want string) {
	t.Helper()
	gotJSON, err := ast.JSON(v)
	if err != nil {
		t.Fatal(err)
	}
	var wantJSON any
	if err := json.Unmarshal([]byte(want), &wantJSON); err != nil {
		t.Fatal(err)
	}
	// Normalise numbers and maps on both sides through encoding/json.
	b, _ := json.Marshal(gotJSON)
	var got any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, wantJSON) {
		pretty, _ := json.MarshalIndent(got, "", "  ")
		t.Errorf("input =\n%s\nwant\n%s", pretty, want)
	}
}

// TestBuiltinInputHasWhatPoliciesRead checks which resources the built-in
// policies' input keeps, and which of them have their properties: those
// with an identity block, role assignments, user-assigned identities and
// role definitions, the owners of principals and the targets of
// user-assigned identity entries, in file order; not the others.
func TestBuiltinInputHasWhatPoliciesRead(t *testing.T) {
	fx := newFixture(t, graph.ScopeSubscription)
	g := fx.graph
	plain := func(key, typ string) *graph.Resource {
		return &graph.Resource{Res: &template.Resource{}, Key: key, Type: typ, Instance: -1, Name: expr.String(key), Deployed: graph.Yes}
	}
	uai := plain("/resources/3", "Microsoft.ManagedIdentity/userAssignedIdentities")
	uai.SetProperties(expr.Array(nil))
	def := plain("/resources/4", "Microsoft.Authorization/roleDefinitions")
	def.SetProperties(expr.Array(nil))
	aks := plain("/resources/6", "Microsoft.ContainerService/managedClusters") // manages an identity, has no identity block
	app := plain("/resources/7", "Microsoft.Web/sites")
	app.Identity = &graph.Identity{Type: expr.String("UserAssigned"), System: graph.No, User: graph.Yes,
		UserAssigned: []*graph.UserAssignedRef{{ID: expr.String("id"), Target: uai}}}
	g.Resources = []*graph.Resource{
		plain("/resources/2", "Microsoft.Storage/storageAccounts"), fx.vm, uai, def,
		plain("/resources/5", "Microsoft.Network/virtualNetworks"), fx.ra, aks, app,
	}
	g.Principals = append(g.Principals, &graph.Principal{ID: "managed:/resources/6:x", Kind: graph.PrincipalManaged, Owner: aks, Path: "x"})

	got := map[string]bool{}
	var keys []string
	inputResources(buildInputFor(fx.tmpl, g, false)).Foreach(func(r *ast.Term) {
		o := r.Value.(ast.Object)
		key := string(o.Get(ast.StringTerm("key")).Value.(ast.String))
		keys = append(keys, key)
		got[key] = o.Get(ast.StringTerm("properties")).Value.Compare(ast.Null{}) != 0
	})
	if want := []string{"/resources/0", "/resources/3", "/resources/4", "/resources/1", "/resources/6", "/resources/7"}; !reflect.DeepEqual(keys, want) {
		t.Errorf("built-in input: resources %v, want %v", keys, want)
	}
	want := map[string]bool{"/resources/0": false, "/resources/3": true, "/resources/4": true, "/resources/1": true, "/resources/6": false, "/resources/7": false}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("built-in input: resources (key: with properties) %v, want %v", got, want)
	}
	if n := inputResources(buildInputFor(fx.tmpl, g, true)).Len(); n != len(g.Resources) {
		t.Errorf("complete input: %d resources, want every one of the %d", n, len(g.Resources))
	}
}

// inputResources returns input.template.resources.
func inputResources(input ast.Value) *ast.Array {
	tmpl := input.(ast.Object).Get(ast.StringTerm("template")).Value.(ast.Object)
	return tmpl.Get(ast.StringTerm("resources")).Value.(*ast.Array)
}

// TestBuiltinRoleTermsAreShared: the term of a built-in role is built
// once and is what building it anew gives; a custom role's is built for
// each assignment.
func TestBuiltinRoleTermsAreShared(t *testing.T) {
	fx := newFixture(t, graph.ScopeSubscription)
	a := *fx.assignment
	first, second := roleTerm(&a), roleTerm(&a)
	if first != second {
		t.Error("the built-in role's term was built twice")
	}
	if !first.Equal(newRoleTerm(&a)) {
		t.Errorf("shared term %v, built anew %v", first, newRoleTerm(&a))
	}
	custom := a
	custom.Role = graph.Role{ID: "11111111-1111-1111-1111-111111111111", Name: "Mine", Actions: []string{"*"}}
	if c := roleTerm(&custom); c == roleTerm(&custom) || !c.Equal(newRoleTerm(&custom)) {
		t.Errorf("custom role: %v", c)
	}
}
