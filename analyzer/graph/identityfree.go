package graph

import "strings"

// IdentityFree reports whether the graph holds none of the facts the
// identity rules start from: no principal, no role assignment, no resource
// with an identity block, no user-assigned identity or custom role
// definition, and no resource whose type is not known. Most templates of a
// typical repository are identity-free, and rules may return at once on
// them.
func (g *Graph) IdentityFree() bool {
	if len(g.Principals) > 0 || len(g.Assignments) > 0 {
		return false
	}
	for _, r := range g.Resources {
		if r.Identity != nil || r.Type == "" || IsIdentityType(r.Type) {
			return false
		}
	}
	return true
}

// IsIdentityType reports whether a resource type is that of a
// user-assigned identity or of a custom role definition.
func IsIdentityType(t string) bool {
	return strings.EqualFold(t, "Microsoft.ManagedIdentity/userAssignedIdentities") ||
		strings.EqualFold(t, "Microsoft.Authorization/roleDefinitions")
}
