package regoeval

import (
	"slices"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/armlint/armlint/analyzer/expr"
	"github.com/armlint/armlint/analyzer/graph"
	"github.com/armlint/armlint/analyzer/template"
)

// inputVersion is the version of the input contract documented in
// policies/lib/armlint/input.rego.
const inputVersion = 1

// buildInput returns the input document of one file (contract v1) as an
// ast.Value, built directly from the model without a JSON round trip.
// t is the file's root template; either argument may be nil.
func buildInput(t *template.Template, g *graph.Graph) ast.Value {
	return buildInputFor(t, g, true)
}

// buildInputFor builds the input; without complete, it is the input of
// the built-in policies alone, which read only some resources (see
// builtinResources) and only the properties of role assignments,
// user-assigned identities and custom role definitions: the other
// resources are left out, and the other properties (and the defaults they
// rest on) are neither evaluated nor converted: null (and {}). Most of a
// template's resources and properties are of no interest to them.
// TestSkippedFilesHaveNoFindings checks that the built-in policies find
// the same with either input.
func buildInputFor(t *template.Template, g *graph.Graph, complete bool) ast.Value {
	if t == nil && g != nil {
		t = g.Template
	}
	if g == nil {
		g = &graph.Graph{}
	}
	file := ast.InternedNullTerm
	scope, lang := "unknown", ast.InternedNullTerm
	if t != nil {
		if t.File != nil {
			file = ast.StringTerm(t.File.Path)
		}
		scope = templateScope(t.Scope)
		if t.LanguageVersion != "" {
			lang = ast.StringTerm(t.LanguageVersion)
		}
	}

	var resources []*ast.Term
	if complete {
		resources = make([]*ast.Term, len(g.Resources))
		for i, r := range g.Resources {
			resources[i] = resourceTerm(r, true)
		}
	} else {
		resources = builtinResources(g)
	}
	principals := make([]*ast.Term, len(g.Principals))
	for i, p := range g.Principals {
		principals[i] = principalTerm(p)
	}
	assignments := make([]*ast.Term, len(g.Assignments))
	for i, a := range g.Assignments {
		assignments[i] = assignmentTerm(a)
	}

	return object(
		"version", ast.IntNumberTerm(inputVersion),
		"file", file,
		"template", ast.NewTerm(object(
			"scope", constTerm(scope),
			"language_version", lang,
			"resources", ast.ArrayTerm(resources...),
		)),
		"graph", ast.NewTerm(object(
			"principals", ast.ArrayTerm(principals...),
			"assignments", ast.ArrayTerm(assignments...),
		)),
	)
}

// builtinResources is input.template.resources for the built-in policies:
// the resources they read, in file order. Every built-in policy starts
// from a role assignment, a principal, a resource's identity block, a
// user-assigned identity or a custom role definition, and reaches other
// resources only by key from those: the resource of a role assignment, the
// owner of a principal, the target of a user-assigned identity entry. The
// other resources are left out (most of a template's), and of those kept
// only role assignments, user-assigned identities and role definitions
// have their properties (the others' are null, with defaults.properties
// {}). Findings keep their order: the policies compare resources' file
// order (lib/identity.file_order), never their index in the list.
func builtinResources(g *graph.Graph) []*ast.Term {
	withProperties := make(map[*graph.Resource]bool, len(g.Assignments))
	for _, a := range g.Assignments {
		withProperties[a.Resource] = true
	}
	read := make(map[*graph.Resource]bool, len(g.Principals))
	for _, p := range g.Principals {
		read[p.Owner] = true
	}
	for _, r := range g.Resources {
		if r.Identity != nil {
			for _, u := range r.Identity.UserAssigned {
				read[u.Target] = true
			}
		}
	}
	resources := make([]*ast.Term, 0, len(g.Resources))
	for _, r := range g.Resources {
		props := withProperties[r] || graph.IsIdentityType(r.Type)
		if props || r.Identity != nil || read[r] {
			resources = append(resources, resourceTerm(r, props))
		}
	}
	return resources
}

// templateScope names a deployment scope the way graph scope kinds are
// named, so that policies compare like with like.
func templateScope(s template.Scope) string {
	switch s {
	case template.ScopeResourceGroup:
		return "resource_group"
	case template.ScopeSubscription:
		return "subscription"
	case template.ScopeManagementGroup:
		return "management_group"
	case template.ScopeTenant:
		return "tenant"
	}
	return "unknown"
}

// resourceTerm is one resource of the input, its properties included
// when withProperties.
func resourceTerm(r *graph.Resource, withProperties bool) *ast.Term {
	var res template.Resource // an absent declaration reads as all-absent
	if r.Res != nil {
		res = *r.Res
	}
	symbolic := ast.InternedNullTerm
	if res.Symbolic != "" {
		symbolic = ast.StringTerm(res.Symbolic)
	}
	properties := ast.InternedNullTerm
	if withProperties {
		properties = valueTerm(r.Properties())
	}
	return ast.NewTerm(object(
		"key", ast.StringTerm(r.Key),
		"type", typeTerm(r.Type, res.Type),
		"api_version", rawTerm(res.APIVersion),
		"name", valueTerm(r.Name),
		"id", valueTerm(r.ID),
		"symbolic_name", symbolic,
		"location", valueTerm(r.Location),
		"deployed", constTerm(r.Deployed.String()),
		"existing", ast.InternedTerm(res.Existing),
		"condition", conditionTerm(r, res),
		"identity", identityTerm(r.Identity),
		"properties", properties,
		"label", ast.StringTerm(r.Label()),
		"file", fileTerm(res),
		"loop", stringOrNull(r.Loop),
		"instance", instanceTerm(r.Instance),
		"count", loopCountTerm(r),
		"parent", resourceKey(r.Parent),
		"deployment", resourceKey(r.Deployment),
		"defaults", defaultsTerm(r, withProperties),
	))
}

// defaultsTerm names, for the values of a resource that findings rest on,
// the parameters whose default values they were computed from: name,
// location, count, identity (the whole block) and each top-level member of
// properties that rests on any (members that rest on none are absent).
// Without withProperties, properties is empty.
func defaultsTerm(r *graph.Resource, withProperties bool) *ast.Term {
	var identity []string
	if r.Identity != nil {
		identity = allDefaults(r.Identity.Value)
	}
	var props [][2]*ast.Term
	if withProperties {
		if o, ok := r.Properties().Obj(); ok {
			for i, k := range o.Keys {
				if d := allDefaults(o.Vals[i]); len(d) > 0 {
					props = append(props, ast.Item(ast.StringTerm(k), stringsTerm(d)))
				}
			}
		}
	}
	name, location, count := allDefaults(r.Name), allDefaults(r.Location), allDefaults(r.Count)
	if len(name)+len(location)+len(count)+len(identity)+len(props) == 0 {
		return noDefaults // most resources
	}
	return ast.NewTerm(object(
		"name", stringsTerm(name),
		"location", stringsTerm(location),
		"count", stringsTerm(count),
		"identity", stringsTerm(identity),
		"properties", objectTerm(props),
	))
}

// noDefaults is the defaults of a resource whose values rest on no
// parameter default, shared by every input (as constTerms).
var noDefaults = ast.NewTerm(object(
	"name", ast.InternedEmptyArray,
	"location", ast.InternedEmptyArray,
	"count", ast.InternedEmptyArray,
	"identity", ast.InternedEmptyArray,
	"properties", ast.InternedEmptyObject,
))

// allDefaults returns the sorted names of the parameter defaults v or
// anything inside it rests on.
func allDefaults(v expr.Value) []string {
	out := mergeSorted(nil, v.Defaults())
	if elems, ok := v.Elems(); ok {
		for _, e := range elems {
			out = mergeSorted(out, allDefaults(e))
		}
	}
	if o, ok := v.Obj(); ok {
		for _, e := range o.Vals {
			out = mergeSorted(out, allDefaults(e))
		}
	}
	return out
}

// typeTerm is the resource's full type, or, when the graph could not
// resolve it, an unknown holding the type as written (null when absent).
func typeTerm(full string, written *template.Value) *ast.Term {
	switch {
	case full != "":
		return ast.StringTerm(full)
	case written == nil:
		return ast.InternedNullTerm
	case written.IsExpression():
		return rawTerm(written)
	}
	return unknownTerm(written.StringOr(""))
}

// conditionTerm is the resource's condition: null when it has none, the
// literal when it is one, else what Deployed says about it (Yes: true,
// No: false, Maybe: unknown). For an existing resource Deployed is No
// whatever the condition, so an expression stays unknown.
func conditionTerm(r *graph.Resource, res template.Resource) *ast.Term {
	c := res.Condition
	if c == nil {
		return ast.InternedNullTerm
	}
	if !c.IsExpression() || res.Existing {
		return rawTerm(c)
	}
	switch r.Deployed {
	case graph.Yes:
		return ast.InternedTerm(true)
	case graph.No:
		return ast.InternedTerm(false)
	}
	return rawTerm(c)
}

func identityTerm(id *graph.Identity) *ast.Term {
	if id == nil {
		return ast.InternedNullTerm
	}
	uais := make([]*ast.Term, len(id.UserAssigned))
	for i, u := range id.UserAssigned {
		key := ast.InternedNullTerm
		if u.KeyNode != nil && u.KeyNode.Member != nil {
			key = ast.StringTerm(u.KeyNode.Member.Key)
		}
		uais[i] = ast.NewTerm(object(
			"id", valueTerm(u.ID),
			"target", resourceKey(u.Target),
			"key", key,
		))
	}
	return ast.NewTerm(object(
		"type", valueTerm(id.Type),
		"system_assigned", constTerm(id.System.String()),
		"user_assigned", constTerm(id.User.String()),
		"user_assigned_identities", arrayTerm(uais),
	))
}

func principalTerm(p *graph.Principal) *ast.Term {
	return ast.NewTerm(object(
		"id", ast.StringTerm(p.ID),
		"kind", constTerm(p.Kind.String()),
		"owner", resourceKey(p.Owner),
		"param", stringOrNull(p.Param),
		"guid", stringOrNull(p.GUID),
		"description", ast.StringTerm(p.Describe()),
		"external", stringOrNull(p.External),
		"path", stringOrNull(p.Path),
		"created_here", ast.InternedTerm(p.CreatedHere()),
	))
}

func assignmentTerm(a *graph.Assignment) *ast.Term {
	principal, kind := ast.InternedNullTerm, graph.PrincipalUnknown.String()
	if a.Principal != nil {
		principal, kind = ast.StringTerm(a.Principal.ID), a.Principal.Kind.String()
	}
	defaults := mergeSorted(mergeSorted(a.RoleValue.Defaults(), a.PrincipalID.Defaults()), mergeSorted(a.Scope.Value.Defaults(), a.PrincipalType.Defaults()))
	defaultTerms := make([]*ast.Term, len(defaults))
	for i, d := range defaults {
		defaultTerms[i] = ast.StringTerm(d)
	}
	return ast.NewTerm(object(
		"resource", resourceKey(a.Resource),
		"name", valueTerm(a.Name),
		"principal", principal,
		"principal_kind", constTerm(kind),
		"principal_type", valueTerm(a.PrincipalType),
		"role", roleTerm(a),
		"scope", ast.NewTerm(object(
			"kind", constTerm(a.Scope.Kind.String()),
			"target", stringOrNull(a.Scope.Target),
		)),
		"condition", valueTerm(a.Condition),
		"defaults", arrayTerm(defaultTerms),
		"label", ast.StringTerm(a.Resource.Label()),
	))
}

// roleTerm is the assignment's role. An unresolved role has an unknown id
// (the roleDefinitionId expression) and no name. The term of a built-in
// role is built once per process (its fields are those of the role table).
func roleTerm(a *graph.Assignment) *ast.Term {
	role := a.Role
	if role.Builtin && role.Known() {
		if t, ok := builtinRoleTerms.Load(role.ID); ok {
			return t.(*ast.Term)
		}
		t, _ := builtinRoleTerms.LoadOrStore(role.ID, newRoleTerm(a))
		return t.(*ast.Term)
	}
	return newRoleTerm(a)
}

// builtinRoleTerms holds the term of each built-in role met, by ID (a
// bounded set: the role table's).
var builtinRoleTerms sync.Map // role ID → *ast.Term

func newRoleTerm(a *graph.Assignment) *ast.Term {
	role := a.Role
	id, name := ast.StringTerm(role.ID), stringOrNull(role.Name)
	if !role.Known() {
		id, name = unknownTerm(describeValue(a.RoleValue)), ast.InternedNullTerm
	}
	return ast.NewTerm(object(
		"id", id,
		"name", name,
		"builtin", ast.InternedTerm(role.Builtin),
		"privileged", ast.InternedTerm(role.Privileged),
		"can_write_role_assignments", ast.InternedTerm(role.CanWriteRoleAssignments),
		"read_only", ast.InternedTerm(role.ReadOnly),
		"known", ast.InternedTerm(role.Known()),
		"actions", stringsTerm(role.Actions),
		"data_actions", stringsTerm(role.DataActions),
	))
}

// resourceKey is a resource's key, or null.
func resourceKey(r *graph.Resource) *ast.Term {
	if r == nil {
		return ast.InternedNullTerm
	}
	return ast.StringTerm(r.Key)
}

func stringOrNull(s string) *ast.Term {
	if s == "" {
		return ast.InternedNullTerm
	}
	return ast.StringTerm(s)
}

// arrayTerm is an array term; the empty one is shared (OPA interns it:
// terms of the input are not modified).
func arrayTerm(terms []*ast.Term) *ast.Term {
	if len(terms) == 0 {
		return ast.InternedEmptyArray
	}
	return ast.ArrayTerm(terms...)
}

// objectTerm is an object term; the empty one is shared.
func objectTerm(pairs [][2]*ast.Term) *ast.Term {
	if len(pairs) == 0 {
		return ast.InternedEmptyObject
	}
	return ast.ObjectTerm(pairs...)
}

// object builds an object from alternating keys and values.
func object(kv ...any) ast.Object {
	pairs := make([][2]*ast.Term, 0, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		pairs = append(pairs, [2]*ast.Term{constTerm(kv[i].(string)), kv[i+1].(*ast.Term)})
	}
	return ast.NewObject(pairs...)
}

// mergeSorted returns the sorted union of a and b, without duplicates.
func mergeSorted(a, b []string) []string {
	out := append(slices.Clone(a), b...)
	slices.Sort(out)
	return slices.Compact(out)
}

func stringsTerm(ss []string) *ast.Term {
	if len(ss) == 0 {
		return ast.InternedEmptyArray
	}
	terms := make([]*ast.Term, len(ss))
	for i, x := range ss {
		terms[i] = ast.StringTerm(x)
	}
	return ast.ArrayTerm(terms...)
}

// fileTerm is the path of the file that declares a resource (a linked
// template's own file for its resources).
func fileTerm(res template.Resource) *ast.Term {
	if res.Node == nil || res.Node.File() == nil {
		return ast.InternedNullTerm
	}
	return ast.StringTerm(res.Node.File().Path)
}

func instanceTerm(i int) *ast.Term {
	if i < 0 {
		return ast.InternedNullTerm
	}
	return ast.IntNumberTerm(i)
}

func loopCountTerm(r *graph.Resource) *ast.Term {
	if r.Loop == "" {
		return ast.InternedNullTerm
	}
	return valueTerm(r.Count)
}

// constTerms holds one string term for each member name and enumerated
// value of the input (a bounded set), shared by every
// input: OPA does not modify the terms of its input, and sharing them
// saves two allocations each.
var constTerms sync.Map // string → *ast.Term

func constTerm(s string) *ast.Term {
	if t, ok := constTerms.Load(s); ok {
		return t.(*ast.Term)
	}
	t, _ := constTerms.LoadOrStore(s, ast.StringTerm(s))
	return t.(*ast.Term)
}
