// Package graph builds the identity graph of a template: the resources it
// deploys, their managed identities, the user-assigned identities, and the
// role assignments with their principal, role and scope.
package graph

import (
	"strconv"
	"strings"
	"sync/atomic"

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

	byNode     map[*template.Value]*Resource
	byKey      map[string]*Resource
	resolver   *builder        // resolves references after Build, for dependencies computed on demand
	mentions   []mention       // every evaluated value that may refer to a resource, collected by References
	refQueries int             // References calls so far: the text index is built from the refIndexAfter-th on
	refs       *refIndex       // the mentions' atoms indexed for References, nil until built
	structural *structuralUses // children, identity entries and role assignments by target, for References

	identityFree atomic.Int32 // IdentityFree's answer: answerYes, answerNo, or 0 before the first call
}

// Resource returns the resource with the given key, or nil.
func (g *Graph) Resource(key string) *Resource {
	if g == nil {
		return nil
	}
	return g.byKey[key]
}

// Resource is a resource declaration with its evaluated identity facts.
type Resource struct {
	Res      *template.Resource
	Key      string     // stable key for Rego input and principal IDs: the JSON pointer, with copy index and nesting
	Type     string     // full type ("Microsoft.Compute/virtualMachines"), "" when unknown
	Name     expr.Value // full evaluated name ("vnet/subnet" for children)
	ID       expr.Value // resource ID (unknown when the name is)
	Location expr.Value // normalised (lower case, no spaces) when known
	Deployed Tri        // No: condition false or existing; Maybe: condition unknown
	Identity *Identity  // nil when the resource has no identity block

	// Copy loops: each instance of a loop with a known count is a
	// Resource of its own (Instance 0, 1, ...). When the count is not known
	// there is one Resource with Instance -1, in which copyIndex() is
	// unknown.
	Loop     string     // copy loop name, "" outside a loop
	Instance int        // copy index, -1 outside a loop or when the count is unknown
	Count    expr.Value // the loop's count as evaluated (null outside a loop)

	Parent         *Resource          // the parent of a child resource declared inside it
	Deployment     *Resource          // the deployment resource instance whose template declares this one; nil at the root
	NestedTemplate *template.Template // for a deployment: its inline or linked template, nil when not resolved

	env        *expr.Env
	nestedEnv  *expr.Env
	properties *expr.Value
	deps       *dependencies
}

// Label names the resource in messages: its symbolic name, else its
// evaluated name when that is short, else the last segment of its type and
// the line it is declared on: `roleAssignments at line 42`.
func (r *Resource) Label() string {
	inst := ""
	if r.Instance >= 0 {
		inst = "[" + strconv.Itoa(r.Instance) + "]"
	}
	if r.Res != nil && r.Res.Symbolic != "" {
		return r.Res.Symbolic + inst
	}
	if s, ok := r.Name.Str(); ok && len(s) <= 80 {
		return `"` + s + `"`
	}
	line := 0
	if r.Res != nil && r.Res.Node != nil && r.Res.Node.File() != nil {
		line = r.Res.Node.File().Position(r.Res.Node.Start()).Line
	}
	kind := r.Type[strings.LastIndexByte(r.Type, '/')+1:]
	if kind == "" {
		kind = "resource"
	}
	return kind + inst + " at line " + strconv.Itoa(line)
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
	Node    *template.Value // the member value ({}), nil when the block is computed
	KeyNode *KeyNode        // the member key, where the ID is written; nil when the block is computed
	ID      expr.Value      // the evaluated key (a resource ID when known)
	Target  *Resource       // the user-assigned identity resource of this deployment, or nil: external
}

// External reports whether the reference names an identity the deployment
// does not create (another resource group, a parameter).
func (u *UserAssignedRef) External() bool { return u.Target == nil }

// PrincipalKind says what kind of principal a role assignment grants to.
type PrincipalKind uint8

// Principal kinds.
const (
	PrincipalUnknown PrincipalKind = iota
	PrincipalSystemAssigned
	PrincipalUserAssigned
	PrincipalParameter // an external principal passed as a parameter
	PrincipalLiteral   // a literal object ID in the template
	PrincipalDeployer  // the identity that runs the deployment (deployer().objectId)
	PrincipalManaged   // an identity a resource creates and manages itself (AKS kubelet and add-on identities)
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
	case PrincipalDeployer:
		return "deployer"
	case PrincipalManaged:
		return "resource_managed"
	}
	return "unknown"
}

// Principal is who a role assignment grants to.
type Principal struct {
	ID       string        // "system:<key>", "user:<key>", "managed:<key>:<path>", "parameter:<name>", "literal:<guid>", "deployer"
	Kind     PrincipalKind //
	Owner    *Resource     // the resource carrying the system identity, the UAI resource, or the resource that manages the identity; nil for an external identity
	External string        // for a managed identity of a resource outside the file: its resource ID
	Path     string        // for PrincipalManaged: the property read (identityProfile.kubeletidentity.objectId)
	Param    string        // parameter name for PrincipalParameter
	GUID     string        // object ID for PrincipalLiteral (and PrincipalParameter when a parameter file gives it)
}

// IsManagedIdentity reports whether the principal is a managed identity
// created or referenced by the deployment.
func (p *Principal) IsManagedIdentity() bool {
	return p != nil && (p.Kind == PrincipalSystemAssigned || p.Kind == PrincipalUserAssigned || p.Kind == PrincipalManaged)
}

// CreatedHere reports whether the principal is an identity the deployment
// creates: a system-assigned identity of a deployed resource, a deployed
// user-assigned identity, or an identity a deployed resource manages.
func (p *Principal) CreatedHere() bool {
	return p.IsManagedIdentity() && p.Owner != nil && p.Owner.Deployed != No && !p.Owner.Res.Existing
}

// Describe returns a short human description: `system-assigned identity of "vm-web"`.
func (p *Principal) Describe() string {
	if p == nil {
		return "an unknown principal"
	}
	switch p.Kind {
	case PrincipalSystemAssigned:
		if p.Owner == nil {
			return "system-assigned identity of " + p.External
		}
		return "system-assigned identity of " + quoteName(p.Owner)
	case PrincipalUserAssigned:
		if p.Owner == nil {
			return "user-assigned identity " + p.External
		}
		return "user-assigned identity " + quoteName(p.Owner)
	case PrincipalManaged:
		return "identity " + p.Path + " of " + quoteName(p.Owner)
	case PrincipalParameter:
		return "principal from parameter '" + p.Param + "'"
	case PrincipalLiteral:
		return "principal " + p.GUID
	case PrincipalDeployer:
		return "the deploying principal"
	}
	return "an unknown principal"
}

func quoteName(r *Resource) string {
	if r == nil {
		return "?"
	}
	return r.Label()
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
	case *KeyNode:
		return g.ResourceOf(n.Object)
	case *template.Value:
		for v := n; v != nil; v = v.Parent() {
			if r, ok := g.byNode[v]; ok {
				return r
			}
		}
	}
	return nil
}
