package graph

import (
	"regexp"
	"slices"
	"strings"

	"github.com/armlint/armlint/analyzer/expr"
	"github.com/armlint/armlint/analyzer/template"
)

// Options configure Build.
type Options struct {
	// Eval is passed to the evaluator of the root template: parameter
	// values and the deployment context.
	Eval expr.Options
}

// Note is something Build could not follow (an unsupported function, an
// unresolvable linked template); the engine reports it as AL0003.
type Note struct {
	Node    template.Node
	Message string
}

// builder holds the state of one Build.
type builder struct {
	g     *Graph
	notes []Note
	envs  map[*template.Template]*expr.Env
	// principals by ID, so that every assignment to one identity shares
	// one *Principal.
	principals map[string]*Principal
}

// Build evaluates a template (and its inline nested templates) and builds
// its identity graph.
func Build(t *template.Template, opts Options) (*Graph, []Note) {
	b := &builder{
		g:          &Graph{Template: t, byNode: map[*template.Value]*Resource{}},
		envs:       map[*template.Template]*expr.Env{},
		principals: map[string]*Principal{},
	}
	root := expr.NewEnv(t, opts.Eval)
	b.addTemplate(t, root, Yes)
	for _, r := range b.g.Resources {
		b.identity(r)
	}
	for _, r := range b.g.Resources {
		if isRoleAssignment(r) {
			b.assignment(r)
		}
	}
	for _, name := range root.Unsupported() {
		b.notes = append(b.notes, Note{Node: t.Root, Message: "function " + name + "() is not supported; values that use it are treated as unknown"})
	}
	return b.g, b.notes
}

// addTemplate adds the resources of t (evaluated in env) and recurses into
// inline nested templates. deployed is the state of the enclosing
// deployment.
func (b *builder) addTemplate(t *template.Template, env *expr.Env, deployed Tri) {
	b.envs[t] = env
	byRes := map[*template.Resource]*Resource{}
	for _, tr := range t.Resources {
		r := &Resource{Res: tr, Key: tr.Pointer(), Type: tr.FullType(), env: env}
		if r.Type == "" && tr.Type != nil {
			if s, ok := env.EvalNode(tr.Type).Str(); ok {
				r.Type = s
			}
		}
		parentState := deployed
		if tr.Parent != nil {
			if p := byRes[tr.Parent]; p != nil {
				parentState = p.Deployed
			}
		}
		r.Name = b.fullName(tr, env, byRes)
		r.Location = normaliseLocation(evalOrNull(env, tr.Location))
		r.Deployed = combine(parentState, conditionState(tr, env))
		r.ID = resourceID(t, r, env)
		byRes[tr] = r
		b.g.Resources = append(b.g.Resources, r)
		b.g.byNode[tr.Node] = r
		if tr.Nested != nil {
			b.addTemplate(tr.Nested, env.Nested(tr.Nested), r.Deployed)
		}
	}
}

// fullName evaluates a resource's name, prefixing the names of the parents
// of a nested child resource.
func (b *builder) fullName(tr *template.Resource, env *expr.Env, byRes map[*template.Resource]*Resource) expr.Value {
	name := evalOrNull(env, tr.Name)
	if tr.Parent == nil {
		return name
	}
	p := byRes[tr.Parent]
	if p == nil {
		return name
	}
	ps, ok1 := p.Name.Str()
	cs, ok2 := name.Str()
	if ok1 && ok2 {
		return expr.String(ps + "/" + cs)
	}
	return expr.NewUnknown(&expr.Unknown{Expr: "concat(" + exprText(p.Name) + ", '/', " + exprText(name) + ")", Reason: "the name of the resource is not known"})
}

func exprText(v expr.Value) string {
	if u := v.Unknown(); u != nil {
		return u.Expr
	}
	if s, ok := v.Str(); ok {
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return "null()"
}

func evalOrNull(env *expr.Env, v *template.Value) expr.Value {
	if v == nil {
		return expr.Null()
	}
	return env.EvalNode(v)
}

// conditionState evaluates the deployment state of a resource on its own:
// existing resources and false conditions are not deployed.
func conditionState(tr *template.Resource, env *expr.Env) Tri {
	if tr.Existing {
		return No
	}
	if tr.Condition == nil {
		return Yes
	}
	c := env.EvalNode(tr.Condition)
	if b, ok := c.BoolVal(); ok {
		if b {
			return Yes
		}
		return No
	}
	if s, ok := c.Str(); ok {
		switch strings.ToLower(s) {
		case "true":
			return Yes
		case "false":
			return No
		}
	}
	return Maybe
}

// combine returns the state of a resource inside something in state outer.
func combine(outer, own Tri) Tri {
	if outer == No || own == No {
		return No
	}
	if outer == Maybe || own == Maybe {
		return Maybe
	}
	return Yes
}

// normaliseLocation lower-cases a known location and removes spaces, so
// that "West US" and "westus" compare equal.
func normaliseLocation(v expr.Value) expr.Value {
	s, ok := v.Str()
	if !ok {
		return v
	}
	return expr.String(strings.ReplaceAll(strings.ToLower(s), " ", "")).WithDefaults(v.Defaults()...)
}

// resourceID computes the ID of a resource deployed by t from its type and
// name, at the template's scope and placeholder context.
func resourceID(t *template.Template, r *Resource, env *expr.Env) expr.Value {
	name, ok := r.Name.Str()
	if !ok || r.Type == "" {
		return expr.NewUnknown(&expr.Unknown{
			Expr:   "resourceId('" + r.Type + "', " + exprText(r.Name) + ")",
			Reason: "the name of the resource is not known",
		})
	}
	segs := strings.Split(r.Type, "/")
	names := strings.Split(name, "/")
	if len(segs) < 2 || len(names) != len(segs)-1 {
		return expr.NewUnknown(&expr.Unknown{Expr: "resourceId('" + r.Type + "', '" + name + "')", Reason: "the resource name does not match its type"})
	}
	var b strings.Builder
	b.WriteString(scopePrefix(t, env))
	b.WriteString("/providers/")
	b.WriteString(segs[0])
	for i, n := range names {
		b.WriteByte('/')
		b.WriteString(segs[i+1])
		b.WriteByte('/')
		b.WriteString(n)
	}
	return expr.String(b.String())
}

// scopePrefix is the ID of the deployment target of t: the resource group
// at RG scope, the subscription at subscription scope, "" above.
func scopePrefix(t *template.Template, env *expr.Env) string {
	switch t.Scope {
	case template.ScopeSubscription:
		if s, ok := env.EvalString("[subscription().id]").Str(); ok {
			return s
		}
	case template.ScopeManagementGroup, template.ScopeTenant:
		return ""
	default:
		if s, ok := env.EvalString("[resourceGroup().id]").Str(); ok {
			return s
		}
	}
	return ""
}

// identity evaluates a resource's identity block.
func (b *builder) identity(r *Resource) {
	node := r.Res.Identity
	if node == nil {
		return
	}
	env := b.envs[r.Res.Template]
	val := env.EvalNode(node)
	if val.Kind() == expr.KNull {
		return
	}
	id := &Identity{Node: node, Value: val, System: Maybe, User: Maybe}
	r.Identity = id
	obj, ok := val.Obj()
	if !ok {
		id.Type = val // unknown identity block
		return
	}
	id.Type, _ = obj.Get("type")
	if s, ok := id.Type.Str(); ok {
		id.System, id.User = No, No
		for _, part := range strings.Split(strings.ToLower(strings.Join(strings.Fields(s), "")), ",") {
			switch part {
			case "systemassigned":
				id.System = Yes
			case "userassigned":
				id.User = Yes
			}
		}
	}
	id.TypeNode = node.Get("type")
	id.UserAssignedNode = node.Get("userAssignedIdentities")
	id.UserAssignedValue, _ = obj.Get("userAssignedIdentities")
	uai, ok := id.UserAssignedValue.Obj()
	if !ok {
		return
	}
	// When the object is written out, evaluate each key again from the
	// source so that it keeps its provenance (parameter defaults).
	raw := id.UserAssignedNode
	if raw != nil && (raw.Kind != template.Object || len(raw.Members) != len(uai.Keys)) {
		raw = nil
	}
	for i, key := range uai.Keys {
		ref := &UserAssignedRef{ID: expr.String(key)}
		if uai.KeyIsUnknown(i) {
			ref.ID = expr.NewUnknown(&expr.Unknown{Expr: key, Reason: "the identity's resource ID is not known"})
		}
		if raw != nil {
			ref.Node = raw.Members[i].Value
			ref.ID = env.EvalString(raw.Members[i].Key)
		}
		ref.Target = b.resolve(ref.ID)
		id.UserAssigned = append(id.UserAssigned, ref)
	}
}

// resolve finds the resource of the deployment that a resource ID, name or
// symbolic name denotes, or nil.
func (b *builder) resolve(v expr.Value) *Resource {
	s, ok := v.Str()
	if !ok {
		if u := v.Unknown(); u != nil {
			for _, r := range b.g.Resources {
				if ru := r.ID.Unknown(); ru != nil && ru.Expr == u.Expr {
					return r
				}
			}
		}
		return nil
	}
	for _, r := range b.g.Resources {
		if id, ok := r.ID.Str(); ok && strings.EqualFold(id, s) {
			return r
		}
	}
	for _, r := range b.g.Resources {
		if r.Res.Symbolic != "" && r.Res.Symbolic == s {
			return r
		}
	}
	if !strings.HasPrefix(s, "/") {
		var found *Resource
		for _, r := range b.g.Resources {
			if n, ok := r.Name.Str(); ok && strings.EqualFold(n, s) {
				if found != nil {
					return nil // ambiguous name
				}
				found = r
			}
		}
		return found
	}
	return nil
}

func isRoleAssignment(r *Resource) bool {
	t := strings.ToLower(r.Type)
	return t == "microsoft.authorization/roleassignments" || strings.HasSuffix(t, "/providers/roleassignments")
}

var guidRe = regexp.MustCompile(`(?i)^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// assignment adds a role assignment.
func (b *builder) assignment(r *Resource) {
	env := b.envs[r.Res.Template]
	props := r.Res.Properties
	a := &Assignment{Resource: r, Name: r.Name}
	a.RoleValue = evalOrNull(env, props.Path("roleDefinitionId"))
	a.PrincipalID = evalOrNull(env, props.Path("principalId"))
	a.PrincipalType = evalOrNull(env, props.Path("principalType"))
	a.Condition = evalOrNull(env, props.Path("condition"))
	a.RoleDefinitionNode = nodeOr(props.Path("roleDefinitionId"), r.Res)
	a.PrincipalNode = nodeOr(props.Path("principalId"), r.Res)
	a.Role = b.role(a.RoleValue)
	a.Principal = b.principal(a.PrincipalID, props.Path("principalId"))
	a.Scope = b.scope(r, env)
	b.g.Assignments = append(b.g.Assignments, a)
}

func nodeOr(v *template.Value, r *template.Resource) template.Node {
	if v != nil {
		return v
	}
	return r
}

// role resolves a roleDefinitionId by its trailing GUID, against the
// built-in table and the custom role definitions of the deployment.
func (b *builder) role(v expr.Value) Role {
	s, ok := v.Str()
	if !ok {
		return Role{}
	}
	guid := s[strings.LastIndex(s, "/")+1:]
	if !guidRe.MatchString(guid) {
		return Role{}
	}
	guid = strings.ToLower(guid)
	if r, ok := BuiltinRole(guid); ok {
		return r
	}
	for _, res := range b.g.Resources {
		if !strings.EqualFold(res.Type, "Microsoft.Authorization/roleDefinitions") {
			continue
		}
		if n, ok := res.Name.Str(); ok && strings.EqualFold(n, guid) {
			return b.customRole(res, guid)
		}
	}
	return Role{ID: guid}
}

func (b *builder) customRole(res *Resource, guid string) Role {
	env := b.envs[res.Res.Template]
	role := Role{ID: guid}
	props := env.EvalNode(res.Res.Properties)
	obj, ok := props.Obj()
	if !ok {
		return role
	}
	if n, ok := obj.Get("roleName"); ok {
		role.Name, _ = n.Str()
	}
	perms, _ := obj.Get("permissions")
	list, _ := perms.Elems()
	for _, p := range list {
		po, ok := p.Obj()
		if !ok {
			continue
		}
		role.Actions = append(role.Actions, stringList(po, "actions")...)
		role.DataActions = append(role.DataActions, stringList(po, "dataActions")...)
	}
	role.ReadOnly = readOnly(role.Actions, role.DataActions)
	for _, a := range role.Actions {
		if matchAction(a, "Microsoft.Authorization/roleAssignments/write") {
			role.CanWriteRoleAssignments = true
		}
	}
	return role
}

func stringList(o *expr.Object, key string) []string {
	v, _ := o.Get(key)
	list, _ := v.Elems()
	var out []string
	for _, e := range list {
		if s, ok := e.Str(); ok {
			out = append(out, s)
		}
	}
	return out
}

// matchAction matches an action pattern with '*' wildcards against an
// action, case-insensitively.
func matchAction(pattern, action string) bool {
	re := "(?i)^" + strings.ReplaceAll(regexp.QuoteMeta(pattern), `\*`, ".*") + "$"
	ok, _ := regexp.MatchString(re, action)
	return ok
}

// principal resolves what a principalId denotes.
func (b *builder) principal(v expr.Value, raw *template.Value) *Principal {
	if ref := v.Ref(); ref != nil && ref.Func == "reference" {
		target := b.resolve(ref.Target)
		if target == nil {
			return nil
		}
		path := refPath(ref)
		isUAI := strings.EqualFold(target.Type, "Microsoft.ManagedIdentity/userAssignedIdentities")
		switch {
		case isUAI && (eqPath(path, "principalId") || eqPath(path, "properties", "principalId")):
			return b.intern(&Principal{ID: "user:" + target.Key, Kind: PrincipalUserAssigned, Owner: target})
		case eqPath(path, "identity", "principalId"):
			return b.intern(&Principal{ID: "system:" + target.Key, Kind: PrincipalSystemAssigned, Owner: target})
		}
		return nil
	}
	if raw != nil && raw.IsExpression() {
		if name, ok := parameterOnly(raw.Str); ok {
			if len(v.Defaults()) == 0 {
				return b.intern(&Principal{ID: "parameter:" + name, Kind: PrincipalParameter, Param: name})
			}
		}
	}
	if s, ok := v.Str(); ok && guidRe.MatchString(s) {
		if raw != nil && raw.IsExpression() && len(v.Defaults()) == 0 {
			if name, ok := parameterOnly(raw.Str); ok {
				return b.intern(&Principal{ID: "parameter:" + name, Kind: PrincipalParameter, Param: name})
			}
		}
		return b.intern(&Principal{ID: "literal:" + strings.ToLower(s), Kind: PrincipalLiteral, GUID: strings.ToLower(s)})
	}
	return nil
}

var paramOnlyRe = regexp.MustCompile(`(?i)^\[\s*parameters\(\s*'([^']+)'\s*\)\s*\]$`)

// parameterOnly reports whether an expression is exactly parameters('x').
func parameterOnly(s string) (string, bool) {
	m := paramOnlyRe.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	return m[1], true
}

func refPath(ref *expr.Ref) []string {
	out := make([]string, 0, len(ref.Path))
	for _, p := range ref.Path {
		s, ok := p.Str()
		if !ok {
			return nil
		}
		out = append(out, s)
	}
	return out
}

func eqPath(path []string, want ...string) bool {
	return slices.EqualFunc(path, want, strings.EqualFold)
}

func (b *builder) intern(p *Principal) *Principal {
	if q, ok := b.principals[p.ID]; ok {
		return q
	}
	b.principals[p.ID] = p
	b.g.Principals = append(b.g.Principals, p)
	return p
}

// scope determines where an assignment applies: its scope property, the
// parent resource for the legacy form, or the deployment target.
func (b *builder) scope(r *Resource, env *expr.Env) Scope {
	if strings.HasSuffix(strings.ToLower(r.Type), "/providers/roleassignments") {
		return Scope{Kind: ScopeResource}
	}
	if r.Res.Scope != nil {
		return parseScope(env.EvalNode(r.Res.Scope))
	}
	if ps := r.Res.Properties.Path("scope"); ps != nil { // API versions before 2022-04-01
		return parseScope(env.EvalNode(ps))
	}
	switch r.Res.Template.Scope {
	case template.ScopeSubscription:
		return Scope{Kind: ScopeSubscription, Target: scopePrefix(r.Res.Template, env)}
	case template.ScopeManagementGroup:
		return Scope{Kind: ScopeManagementGroup}
	case template.ScopeTenant:
		return Scope{Kind: ScopeTenant, Target: "/"}
	}
	return Scope{Kind: ScopeResourceGroup, Target: scopePrefix(r.Res.Template, env)}
}

// parseScope classifies a scope value: "/" is the tenant, then management
// group, subscription, resource group and resource IDs; a relative
// "{ns}/{type}/{name}" is a resource in the deployment's resource group.
func parseScope(v expr.Value) Scope {
	sc := classifyScope(v)
	sc.Value = v
	return sc
}

func classifyScope(v expr.Value) Scope {
	s, ok := v.Str()
	if !ok {
		return Scope{}
	}
	s = strings.TrimSpace(s)
	if s == "/" {
		return Scope{Kind: ScopeTenant, Target: s}
	}
	if !strings.HasPrefix(s, "/") {
		if strings.HasPrefix(strings.ToLower(s), "microsoft.management/managementgroups/") && strings.Count(s, "/") == 2 {
			return Scope{Kind: ScopeManagementGroup, Target: "/providers/" + s}
		}
		return Scope{Kind: ScopeResource, Target: s}
	}
	segs := strings.Split(strings.Trim(s, "/"), "/")
	lower := strings.ToLower(strings.Trim(s, "/"))
	switch {
	case strings.HasPrefix(lower, "providers/microsoft.management/managementgroups/") && len(segs) == 4:
		return Scope{Kind: ScopeManagementGroup, Target: s}
	case segs[0] == "" || !strings.EqualFold(segs[0], "subscriptions"):
		if strings.EqualFold(segs[0], "providers") {
			return Scope{Kind: ScopeResource, Target: s}
		}
		return Scope{}
	case len(segs) == 2:
		return Scope{Kind: ScopeSubscription, Target: s}
	case len(segs) == 4 && strings.EqualFold(segs[2], "resourceGroups"):
		return Scope{Kind: ScopeResourceGroup, Target: s}
	case len(segs) > 4:
		return Scope{Kind: ScopeResource, Target: s}
	}
	return Scope{}
}
