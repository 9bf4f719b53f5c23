package graph

import "strings"

// IdentityFree reports whether the graph holds none of the facts the
// identity rules start from: no principal, no role assignment, no resource
// with an identity block, no user-assigned identity or custom role
// definition, and no resource whose type is not known. Most templates of a
// typical repository are identity-free, and rules may return at once on
// them. Every policy rule asks, for every file: the answer is worked out
// once per graph (safe for concurrent use).
func (g *Graph) IdentityFree() bool {
	switch g.identityFree.Load() {
	case answerYes:
		return true
	case answerNo:
		return false
	}
	free := g.identityFreeScan()
	a := answerNo
	if free {
		a = answerYes
	}
	g.identityFree.Store(a)
	return free
}

// Answers of a question worked out once per graph (0: not yet).
const (
	answerYes int32 = 1
	answerNo  int32 = 2
)

func (g *Graph) identityFreeScan() bool {
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
