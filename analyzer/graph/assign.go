package graph

import (
	"regexp"
	"slices"
	"strings"

	"github.com/armlint/armlint/analyzer/expr"
	"github.com/armlint/armlint/analyzer/template"
)

// scopePrefix is the ID of the deployment target of t: the resource group
// at RG scope, the subscription at subscription scope, "" above.
func scopePrefix(t *template.Template, env *expr.Env) string {
	if target, ok := outerTarget(t, env); ok {
		return target
	}
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

// outerTarget is the deployment target of a nested template evaluated in
// the outer scope whose deployment names its own resourceGroup or
// subscriptionId: resourceGroup() there is still the parent's, but the
// resources go where the deployment says. ok is false when t is not such a
// template; the target is "" when it is not known.
func outerTarget(t *template.Template, env *expr.Env) (target string, ok bool) {
	if t.EvalScope == template.EvalInner || t.Deployment == nil || t.Deployment.Node == nil {
		return "", false
	}
	rgNode, subNode := t.Deployment.Node.Get("resourceGroup"), t.Deployment.Node.Get("subscriptionId")
	if rgNode == nil && subNode == nil {
		return "", false
	}
	sub := env.EvalString("[subscription().subscriptionId]")
	if subNode != nil {
		sub = env.EvalNode(subNode)
	}
	s, sok := sub.Str()
	if rgNode == nil {
		if sok && t.Scope == template.ScopeSubscription {
			return "/subscriptions/" + s, true
		}
		return "", false
	}
	rg, rok := env.EvalNode(rgNode).Str()
	if !sok || !rok {
		return "", true
	}
	return "/subscriptions/" + s + "/resourceGroups/" + rg, true
}

func isRoleAssignment(r *Resource) bool {
	return lowerIs(r.Type, "microsoft.authorization/roleassignments") || lowerHasSuffix(r.Type, "/providers/roleassignments")
}

var guidRe = regexp.MustCompile(`(?i)^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// assignment adds a role assignment.
func (b *builder) assignment(r *Resource) {
	env := r.env
	props := r.Res.Properties
	a := &Assignment{Resource: r, Name: r.Name}
	a.RoleValue = b.deref(evalOrNull(env, props.Path("roleDefinitionId")), 0)
	a.PrincipalID = b.deref(evalOrNull(env, props.Path("principalId")), 0)
	a.PrincipalType = evalOrNull(env, props.Path("principalType"))
	a.Condition = evalOrNull(env, props.Path("condition"))
	a.RoleDefinitionNode = nodeOr(props.Path("roleDefinitionId"), r.Res)
	a.PrincipalNode = nodeOr(props.Path("principalId"), r.Res)
	a.Role = b.role(a.RoleValue)
	a.Principal = b.principal(a.PrincipalID, r)
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
	guid := normalizeGUID(s[strings.LastIndex(s, "/")+1:])
	if guid == "" {
		return Role{}
	}
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
	role := Role{ID: guid}
	props := res.Properties()
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

// principal resolves what a principalId denotes: the system-assigned
// identity of a resource of the deployment (reference(R, api,
// 'Full').identity.principalId), a user-assigned identity of the
// deployment (reference(U).principalId, or through the identity block of
// a resource that uses it), a parameter (a principal from outside), or a
// literal object ID. It returns nil when the principal is not known.
func (b *builder) principal(v expr.Value, at *Resource) *Principal {
	if ref := v.Ref(); ref != nil {
		return b.principalOfRef(ref, at)
	}
	param := ""
	if at != nil {
		if raw := at.Res.Properties.Path("principalId"); raw != nil && raw.IsExpression() {
			param, _ = parameterRoot(strings.TrimSpace(raw.Str()[1 : len(raw.Str())-1]))
		}
	}
	fromParameter := func(name, guid string) *Principal {
		return b.intern(&Principal{ID: "parameter:" + name, Kind: PrincipalParameter, Param: name, GUID: guid})
	}
	if u := v.Unknown(); u != nil {
		switch name, ok := parameterRoot(u.Expr); {
		case u.Ref != nil:
			return nil
		case ok:
			return fromParameter(name, "")
		case param != "":
			return fromParameter(param, "")
		case strings.HasPrefix(u.Expr, "deployer()"):
			return b.intern(&Principal{ID: "deployer", Kind: PrincipalDeployer})
		}
		return nil
	}
	s, isStr := v.Str()
	switch {
	case isStr && guidRe.MatchString(s) && (param == "" || len(v.Defaults()) > 0):
		// Written in the template: a literal, a variable or a parameter's
		// default value.
		s = strings.ToLower(s)
		return b.intern(&Principal{ID: "literal:" + s, Kind: PrincipalLiteral, GUID: s})
	case isStr && guidRe.MatchString(s):
		// From a parameter file: the deployer's choice.
		return fromParameter(param, strings.ToLower(s))
	case param != "":
		return fromParameter(param, "")
	}
	return nil
}

// principalOfRef resolves a runtime read of a principal ID.
func (b *builder) principalOfRef(ref *expr.Ref, at *Resource) *Principal {
	if ref.Func != "reference" {
		return nil
	}
	path := refPath(ref)
	if len(path) > 0 && ref.Full && strings.EqualFold(path[0], "properties") {
		path = path[1:]
	}
	if len(path) == 0 {
		return nil
	}
	target := b.resolve(ref.Target, at)
	if target == nil {
		return b.externalPrincipal(ref.Target, path)
	}
	last := path[len(path)-1]
	switch {
	case isUserAssignedIdentity(target) && (eqPath(path, "principalId") || eqPath(path, "properties", "principalId")):
		return b.intern(&Principal{ID: "user:" + target.Key, Kind: PrincipalUserAssigned, Owner: target})
	case eqPath(path, "identity", "principalId"):
		return b.intern(&Principal{ID: "system:" + target.Key, Kind: PrincipalSystemAssigned, Owner: target})
	case len(path) == 4 && eqPath(path[:2], "identity", "userAssignedIdentities") && strings.EqualFold(last, "principalId"):
		if u := b.resolve(expr.String(path[2]), at); u != nil && isUserAssignedIdentity(u) {
			return b.intern(&Principal{ID: "user:" + u.Key, Kind: PrincipalUserAssigned, Owner: u})
		}
	case strings.EqualFold(last, "objectId") || strings.EqualFold(last, "principalId"):
		// An identity the resource creates and manages itself: AKS's
		// kubelet identity (identityProfile.kubeletidentity.objectId),
		// add-on identities (addonProfiles.x.identity.objectId).
		return b.intern(&Principal{
			ID: "managed:" + target.Key + ":" + strings.ToLower(strings.Join(path, ".")), Kind: PrincipalManaged,
			Owner: target, Path: strings.Join(path, "."),
		})
	}
	return nil
}

// externalPrincipal classifies the identity of a resource the deployment
// does not declare, read by its full resource ID.
func (b *builder) externalPrincipal(target expr.Value, path []string) *Principal {
	id, ok := target.Str()
	if !ok || !strings.HasPrefix(id, "/") {
		return nil
	}
	lower := strings.ToLower(id)
	switch {
	case strings.Contains(lower, "/providers/microsoft.managedidentity/userassignedidentities/") &&
		(eqPath(path, "principalId") || eqPath(path, "properties", "principalId")):
		return b.intern(&Principal{ID: "user:" + lower, Kind: PrincipalUserAssigned, External: id})
	case eqPath(path, "identity", "principalId"):
		return b.intern(&Principal{ID: "system:" + lower, Kind: PrincipalSystemAssigned, External: id})
	}
	return nil
}

var paramRootRe = regexp.MustCompile(`(?i)^parameters\(\s*'((?:[^']|'')+)'\s*\)`)

// parameterRoot reports whether an unknown's expression reads a parameter
// (parameters('x'), parameters('x').principalId, parameters('x')[0] ...):
// the value comes from whoever deploys.
func parameterRoot(exprText string) (string, bool) {
	m := paramRootRe.FindStringSubmatch(exprText)
	if m == nil {
		return "", false
	}
	return strings.ReplaceAll(m[1], "''", "'"), true
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
	if lowerHasSuffix(r.Type, "/providers/roleassignments") {
		return Scope{Kind: ScopeResource}
	}
	if r.Res.Scope != nil {
		return parseScope(b.deref(env.EvalNode(r.Res.Scope), 0))
	}
	if ps := r.Res.Properties.Path("scope"); ps != nil { // API versions before 2022-04-01
		return parseScope(b.deref(env.EvalNode(ps), 0))
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
		return Scope{Kind: scopeKindOfUnknown(v)}
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
	case len(segs) == 6 && strings.EqualFold(segs[2], "providers") && strings.EqualFold(segs[3], "Microsoft.Resources") &&
		strings.EqualFold(segs[4], "resourceGroups"):
		// subscriptionResourceId('Microsoft.Resources/resourceGroups', rg):
		// the resource group in its provider form.
		return Scope{Kind: ScopeResourceGroup, Target: "/subscriptions/" + segs[1] + "/resourceGroups/" + segs[5]}
	case len(segs) > 4:
		return Scope{Kind: ScopeResource, Target: s}
	}
	return Scope{}
}

// Unknown scope values often still say what kind of scope they are: a
// resourceId() or a relative "{ns}/{type}/{name}" built with format() or
// concat() is a resource, whatever its name.
var (
	resourceScopeRe = regexp.MustCompile(`^(resourceId|extensionResourceId|subscriptionResourceId|tenantResourceId)\(`)
	relativeScopeRe = regexp.MustCompile(`^(format|concat)\('[A-Za-z0-9]+(\.[A-Za-z0-9]+)+/[A-Za-z0-9]+/`)
	mgScopeRe       = regexp.MustCompile(`(?i)^(format|concat)\('(/providers/)?Microsoft\.Management/managementGroups/(\{0\})?',?`)
	rgScopeRe       = regexp.MustCompile(`(?i)^(format|concat)\('/subscriptions/(\{0\})?/resourceGroups/(\{1\})?'`)
)

func scopeKindOfUnknown(v expr.Value) ScopeKind {
	u := v.Unknown()
	if u == nil {
		return ScopeUnknown
	}
	e := u.Expr
	switch {
	case mgScopeRe.MatchString(e):
		return ScopeManagementGroup
	case rgScopeRe.MatchString(e) && !strings.Contains(strings.ToLower(e), "/providers/"):
		return ScopeResourceGroup
	case strings.HasPrefix(e, "resourceId('Microsoft.Resources/resourceGroups'"),
		strings.HasPrefix(e, "subscriptionResourceId('Microsoft.Resources/resourceGroups'"):
		return ScopeResourceGroup
	case resourceScopeRe.MatchString(e), relativeScopeRe.MatchString(e):
		return ScopeResource
	}
	return ScopeUnknown
}

var hex32Re = regexp.MustCompile(`(?i)^[0-9a-f]{32}$`)

// normalizeGUID returns a GUID in lower-case 8-4-4-4-12 form, accepting
// the 32-digit form without dashes that ARM also accepts; "" when s is not
// a GUID.
func normalizeGUID(s string) string {
	switch {
	case guidRe.MatchString(s):
		return strings.ToLower(s)
	case hex32Re.MatchString(s):
		s = strings.ToLower(s)
		return s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]
	}
	return ""
}
