// Package graph builds the identity graph of a template: the resources it
// deploys, their managed identities, the user-assigned identities, and the
// role assignments with their principal, role and scope.
package graph

import (
	"github.com/armlint/armlint/analyzer/expr"
	"github.com/armlint/armlint/analyzer/template"
)

// Tri is a three-valued truth: rules act on Yes and No and leave Maybe alone.
type Tri uint8

// Truth values.
const (
	No Tri = iota
	Yes
	Maybe
)

func (t Tri) String() string {
	switch t {
	case No:
		return "no"
	case Yes:
		return "yes"
	}
	return "maybe"
}

// Graph is the identity graph of one file (its root template and every
// inline nested template).
type Graph struct {
	Template    *template.Template // the root template
	Resources   []*Resource        // every resource declaration, in file order
	Principals  []*Principal
	Assignments []*Assignment

	byNode map[*template.Value]*Resource
}

// Resource is a resource declaration with its evaluated identity facts.
type Resource struct {
	Res      *template.Resource
	Key      string     // stable key for Rego input and principal IDs: the resource's JSON pointer
	Type     string     // full type ("Microsoft.Compute/virtualMachines"), "" when unknown
	Name     expr.Value // full evaluated name ("vnet/subnet" for children)
	ID       expr.Value // resource ID (unknown when the name is)
	Location expr.Value // normalised (lower case, no spaces) when known
	Deployed Tri        // No: condition false or existing; Maybe: condition unknown
	Identity *Identity  // nil when the resource has no identity block

	env        *expr.Env
	properties *expr.Value
}

// SetProperties fixes the evaluated properties of a resource, for graphs
// built by hand (tests of rule engines).
func (r *Resource) SetProperties(v expr.Value) { r.properties = &v }

// Properties returns the resource's properties, evaluated on first use
// (null when absent). It is not safe for concurrent use.
func (r *Resource) Properties() expr.Value {
	if r.properties == nil {
		v := expr.Null()
		if r.env != nil && r.Res != nil && r.Res.Properties != nil {
			v = r.env.EvalNode(r.Res.Properties)
		}
		r.properties = &v
	}
	return *r.properties
}

// Identity is a resource's evaluated identity block.
type Identity struct {
	Node              *template.Value // the identity property
	Value             expr.Value      // the whole block as evaluated
	Type              expr.Value      // identity.type as evaluated
	TypeNode          *template.Value // identity.type as written, nil when absent or computed
	UserAssignedNode  *template.Value // identity.userAssignedIdentities as written, or nil
	UserAssignedValue expr.Value      // identity.userAssignedIdentities as evaluated (null when absent)
	System            Tri             // SystemAssigned in the type
	User              Tri             // UserAssigned in the type
	UserAssigned      []*UserAssignedRef
}

// UserAssignedRef is one key of identity.userAssignedIdentities.
type UserAssignedRef struct {
	Node   *template.Value // the member value ({}); its key is where the ID is written
	ID     expr.Value      // the evaluated key (a resource ID when known)
	Target *Resource       // the user-assigned identity resource of this deployment, or nil
}

// PrincipalKind says what kind of principal a role assignment grants to.
type PrincipalKind uint8

// Principal kinds.
const (
	PrincipalUnknown PrincipalKind = iota
	PrincipalSystemAssigned
	PrincipalUserAssigned
	PrincipalParameter // an external principal passed as a parameter
	PrincipalLiteral   // a literal object ID in the template
)

func (k PrincipalKind) String() string {
	switch k {
	case PrincipalSystemAssigned:
		return "system_assigned"
	case PrincipalUserAssigned:
		return "user_assigned"
	case PrincipalParameter:
		return "parameter"
	case PrincipalLiteral:
		return "literal"
	}
	return "unknown"
}

// Principal is who a role assignment grants to.
type Principal struct {
	ID    string        // "system:<key>", "user:<key>", "parameter:<name>", "literal:<guid>"
	Kind  PrincipalKind //
	Owner *Resource     // the resource carrying the system identity, or the UAI resource
	Param string        // parameter name for PrincipalParameter
	GUID  string        // object ID for PrincipalLiteral
}

// IsManagedIdentity reports whether the principal is a managed identity
// created or referenced by the deployment.
func (p *Principal) IsManagedIdentity() bool {
	return p != nil && (p.Kind == PrincipalSystemAssigned || p.Kind == PrincipalUserAssigned)
}

// Describe returns a short human description: `system-assigned identity of "vm-web"`.
func (p *Principal) Describe() string {
	if p == nil {
		return "an unknown principal"
	}
	switch p.Kind {
	case PrincipalSystemAssigned:
		return "system-assigned identity of " + quoteName(p.Owner)
	case PrincipalUserAssigned:
		return "user-assigned identity " + quoteName(p.Owner)
	case PrincipalParameter:
		return "principal from parameter '" + p.Param + "'"
	case PrincipalLiteral:
		return "principal " + p.GUID
	}
	return "an unknown principal"
}

func quoteName(r *Resource) string {
	if r == nil {
		return "?"
	}
	if s, ok := r.Name.Str(); ok {
		return `"` + s + `"`
	}
	if u := r.Name.Unknown(); u != nil {
		return u.Expr
	}
	return "?"
}

// ScopeKind is the kind of scope a role assignment applies at.
type ScopeKind uint8

// Scope kinds, from narrowest known to widest.
const (
	ScopeUnknown ScopeKind = iota
	ScopeResource
	ScopeResourceGroup
	ScopeSubscription
	ScopeManagementGroup
	ScopeTenant
)

func (k ScopeKind) String() string {
	switch k {
	case ScopeResource:
		return "resource"
	case ScopeResourceGroup:
		return "resource_group"
	case ScopeSubscription:
		return "subscription"
	case ScopeManagementGroup:
		return "management_group"
	case ScopeTenant:
		return "tenant"
	}
	return "unknown"
}

// Scope is where a role assignment applies.
type Scope struct {
	Kind   ScopeKind
	Target string     // the scope's resource ID when known
	Value  expr.Value // the scope as evaluated (null when it is the deployment's target)
}

// Role is a role definition resolved from a role assignment.
type Role struct {
	ID                      string // lower-case GUID, "" when unknown
	Name                    string // role name when known
	Builtin                 bool
	Privileged              bool
	CanWriteRoleAssignments bool
	ReadOnly                bool // only */read actions and no data actions
	Actions                 []string
	DataActions             []string
}

// Known reports whether the role could be resolved.
func (r Role) Known() bool { return r.ID != "" }

// Assignment is a Microsoft.Authorization/roleAssignments resource, in the
// extension form or the legacy {type}/providers/roleAssignments form.
type Assignment struct {
	Resource      *Resource
	Name          expr.Value
	Principal     *Principal // nil when principalId cannot be resolved: rules must handle it
	PrincipalID   expr.Value // properties.principalId as evaluated
	PrincipalType expr.Value // properties.principalType as evaluated (null when absent)
	Role          Role
	RoleValue     expr.Value // properties.roleDefinitionId as evaluated
	Scope         Scope
	Condition     expr.Value // properties.condition (null when absent)

	RoleDefinitionNode template.Node // where role findings are reported
	PrincipalNode      template.Node // where principal findings are reported
}

// AssignmentsFor returns the assignments granted to p.
func (g *Graph) AssignmentsFor(p *Principal) []*Assignment {
	var out []*Assignment
	for _, a := range g.Assignments {
		if a.Principal == p {
			out = append(out, a)
		}
	}
	return out
}

// ResourceOf returns the resource whose declaration contains n, or nil.
func (g *Graph) ResourceOf(n template.Node) *Resource {
	if g == nil {
		return nil
	}
	switch n := n.(type) {
	case *template.Resource:
		for _, r := range g.Resources {
			if r.Res == n {
				return r
			}
		}
	case *template.Value:
		for v := n; v != nil; v = v.Parent() {
			if r, ok := g.byNode[v]; ok {
				return r
			}
		}
	}
	return nil
}
