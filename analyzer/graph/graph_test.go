package graph_test

import (
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/armlint/armlint/analyzer/expr"
	"github.com/armlint/armlint/analyzer/graph"
	"github.com/armlint/armlint/analyzer/template"
)

// build loads a fixture from testdata and builds its graph, resolving
// linked templates beside it.
func build(t *testing.T, name string) (*graph.Graph, []graph.Note) {
	t.Helper()
	f, err := template.ReadFile(filepath.ToSlash(filepath.Join("testdata", name)))
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := template.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	return graph.Build(tpl, graph.Options{LoadLinked: func(from *template.File, rel string) (*template.Template, error) {
		lf, err := template.ReadFile(path.Join(path.Dir(from.Path), rel))
		if err != nil {
			return nil, err
		}
		return template.Parse(lf)
	}})
}

func byName(t *testing.T, g *graph.Graph, name string) *graph.Resource {
	t.Helper()
	var found *graph.Resource
	for _, r := range g.Resources {
		if s, ok := r.Name.Str(); ok && s == name {
			if found != nil {
				t.Fatalf("two resources named %q", name)
			}
			found = r
		}
	}
	if found == nil {
		t.Fatalf("no resource named %q", name)
	}
	return found
}

func str(v expr.Value) string {
	if s, ok := v.Str(); ok {
		return s
	}
	return "<" + v.Expr() + ">"
}

func TestSymbolicLoopsAndExisting(t *testing.T) {
	g, notes := build(t, "symbolic_loops.json")
	if len(notes) != 0 {
		t.Errorf("notes: %v", notes)
	}
	shared := byName(t, g, "id-shared")
	if shared.Deployed != graph.No {
		t.Errorf("existing identity: Deployed = %v, want no", shared.Deployed)
	}
	// Three VM instances, each with its own name, location normalised.
	for i, n := range []string{"vm-a", "vm-b", "vm-c"} {
		vm := byName(t, g, n)
		if vm.Instance != i || vm.Loop != "vms" || vm.Key != "/resources/vms["+string(rune('0'+i))+"]" {
			t.Errorf("%s: instance %d loop %q key %q", n, vm.Instance, vm.Loop, vm.Key)
		}
		if got := str(vm.Location); got != "westeurope" {
			t.Errorf("%s: location %s", n, got)
		}
		if vm.Identity == nil || vm.Identity.System != graph.Yes {
			t.Errorf("%s: no system identity", n)
		}
	}
	if len(g.Assignments) != 3 {
		t.Fatalf("%d assignments, want 3", len(g.Assignments))
	}
	for i, a := range g.Assignments {
		want := []string{"vm-a", "vm-b", "vm-c"}[i]
		if a.Principal == nil || a.Principal.Kind != graph.PrincipalSystemAssigned || str(a.Principal.Owner.Name) != want {
			t.Errorf("assignment %d: principal %v, want system identity of %s", i, a.Principal.Describe(), want)
			continue
		}
		if a.Role.Name != "Reader" || a.Scope.Kind != graph.ScopeResourceGroup {
			t.Errorf("assignment %d: role %q scope %v", i, a.Role.Name, a.Scope.Kind)
		}
		if !g.DependsOnPath(a.Resource, a.Principal.Owner) {
			t.Errorf("assignment %d does not depend on %s", i, want)
		}
		other := byName(t, g, []string{"vm-b", "vm-c", "vm-a"}[i])
		if g.DependsOnPath(a.Resource, other) {
			t.Errorf("assignment %d depends on the other instance %s", i, str(other.Name))
		}
	}
}

func TestNestedScopes(t *testing.T) {
	g, _ := build(t, "nested_scopes.json")
	// inner: the nested template's own parameter, passed by the parent.
	inner := byName(t, g, "outer-name-passed")
	// outer: the parent's parameter of the same name, not the nested default.
	outer := byName(t, g, "outer-name")
	if inner.Deployment == nil || str(inner.Deployment.Name) != "inner" {
		t.Errorf("inner identity is not inside deployment 'inner'")
	}
	if outer.Deployment == nil || str(outer.Deployment.Name) != "outer" {
		t.Errorf("outer identity is not inside deployment 'outer'")
	}
	if inner.Name.Defaults() == nil {
		t.Errorf("the inner name rests on the parent's parameter default; Defaults() is empty")
	}
}

func TestLegacyAssignmentAndImplicitDependencies(t *testing.T) {
	g, _ := build(t, "legacy_and_refs.json")
	if len(g.Assignments) != 1 {
		t.Fatalf("%d assignments", len(g.Assignments))
	}
	a := g.Assignments[0]
	if a.Scope.Kind != graph.ScopeResource {
		t.Errorf("legacy assignment scope %v, want resource", a.Scope.Kind)
	}
	if a.Principal == nil || a.Principal.Kind != graph.PrincipalSystemAssigned || str(a.Principal.Owner.Name) != "app-byname" {
		t.Errorf("principal %s", a.Principal.Describe())
	}
	if a.Role.Name != "Storage Blob Data Contributor" {
		t.Errorf("role %q", a.Role.Name)
	}
	id := str(a.Resource.ID)
	if !strings.HasSuffix(id, "/providers/Microsoft.Storage/storageAccounts/stdata/providers/Microsoft.Authorization/roleAssignments/"+strings.TrimPrefix(str(a.Name), "stdata/Microsoft.Authorization/")) {
		t.Errorf("legacy assignment ID %s", id)
	}
	st := byName(t, g, "stdata")
	if !g.DependsOnPath(a.Resource, st) || !g.DependsOnPath(a.Resource, byName(t, g, "app-byname")) {
		t.Errorf("explicit dependencies by name and by resource ID not resolved")
	}
	// reference() by name is an implicit dependency; by resource ID it is not.
	if !g.DependsOnPath(byName(t, g, "app-byname"), st) {
		t.Errorf("reference('stdata') made no implicit dependency")
	}
	if g.DependsOnPath(byName(t, g, "app-byid"), st) {
		t.Errorf("reference(resourceId(...)) made an implicit dependency")
	}
}

func TestLinkedTemplatesAndOutputs(t *testing.T) {
	g, notes := build(t, "linked/main.json")
	if len(g.Assignments) != 1 {
		t.Fatalf("%d assignments, want 1 (from nested/grant.json)", len(g.Assignments))
	}
	a := g.Assignments[0]
	if a.Resource.Res.File().Path != "testdata/linked/nested/grant.json" {
		t.Errorf("assignment read from %s", a.Resource.Res.File().Path)
	}
	// The principal flows from nested/identity.json's output through a
	// parameter of nested/grant.json.
	if a.Principal == nil || a.Principal.Kind != graph.PrincipalSystemAssigned || str(a.Principal.Owner.Name) != "vm-app" {
		t.Errorf("principal %s, want system identity of vm-app", a.Principal.Describe())
	}
	if a.Role.Name != "Contributor" {
		t.Errorf("role %q", a.Role.Name)
	}
	// The grant waits for creatingVM, which waits for the VM.
	if !g.DependsOnPath(a.Resource, byName(t, g, "vm-app")) {
		t.Errorf("no dependency path from the nested assignment to the VM")
	}
	var remote bool
	for _, n := range notes {
		if strings.Contains(n.Message, "https://example.com/templates/remote.json") {
			remote = true
		}
	}
	if !remote {
		t.Errorf("no note for the remote template link: %v", notes)
	}
}

// A deployment with a resourceGroup property lives in that resource group,
// so a dependsOn that names it by that ID resolves; WaitsFor is Maybe when
// an unresolved dependsOn entry lies on the way; Lookup resolves by name.
func TestDeploymentInOtherResourceGroupAndWaitsFor(t *testing.T) {
	g, _ := build(t, "deps_other_rg.json")
	center, grants := byName(t, g, "center"), byName(t, g, "grants")
	later, last := byName(t, g, "later"), byName(t, g, "last")
	if id := str(center.ID); !strings.Contains(id, "/resourceGroups/rg-dev/providers/Microsoft.Resources/deployments/center") {
		t.Errorf("center ID = %s, want it in resource group rg-dev", id)
	}
	if got := g.WaitsFor(grants, center); got != graph.Yes {
		t.Errorf("WaitsFor(grants, center) = %v, want yes", got)
	}
	if got := g.WaitsFor(center, grants); got != graph.No {
		t.Errorf("WaitsFor(center, grants) = %v, want no", got)
	}
	if got := g.WaitsFor(last, center); got != graph.Maybe {
		t.Errorf("WaitsFor(last, center) = %v, want maybe (later has an unresolved dependsOn)", got)
	}
	if got := g.Lookup(expr.String("later"), last); got != later {
		t.Errorf("Lookup(later) = %v", got)
	}
	x, err := expr.Parse("concat('a', 'b')")
	if err != nil {
		t.Fatal(err)
	}
	if s := str(last.EvalExpr(x)); s != "ab" {
		t.Errorf("EvalExpr = %s", s)
	}
}

// TestOuterScopeDeploymentToOtherResourceGroup: an assignment without a
// scope in an outer-scope nested template applies to the resource group
// the deployment targets, not to the parent's.
func TestOuterScopeDeploymentToOtherResourceGroup(t *testing.T) {
	g, _ := build(t, "outer_scope_other_rg.json")
	want := map[string]string{
		"grant-network": "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-network",
		"grant-other":   "", // the target resource group is not known
	}
	for _, a := range g.Assignments {
		name := str(a.Name)
		if a.Scope.Kind != graph.ScopeResourceGroup || a.Scope.Target != want[name] {
			t.Errorf("%s: scope %v %q, want resource group %q", name, a.Scope.Kind, a.Scope.Target, want[name])
		}
	}
	if len(g.Assignments) != 2 {
		t.Errorf("%d assignments, want 2", len(g.Assignments))
	}
}
