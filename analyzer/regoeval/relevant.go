package regoeval

import (
	"strings"

	"github.com/armlint/armlint/analyzer/graph"
)

// relevant reports whether a file's graph holds anything the built-in
// policies read findings from: a principal, a role assignment, a resource
// with an identity block, a user-assigned identity or a custom role
// definition (or a resource whose type is not known). Every built-in
// policy starts from one of these, so on any other file it finds nothing,
// and the file is not converted to a policy input nor evaluated. Most
// templates of a typical repository declare none of them.
//
// User policies (armlint.custom.*) are evaluated on every file: what they
// read is theirs to decide. TestSkippedFilesHaveNoFindings checks the claim
// on every rule fixture and on the quickstart corpus.
func relevant(g *graph.Graph) bool {
	if len(g.Principals) > 0 || len(g.Assignments) > 0 {
		return true
	}
	for _, r := range g.Resources {
		if r.Identity != nil || r.Type == "" || identityType(r.Type) {
			return true
		}
	}
	return false
}

// identityType reports whether a resource type is one the built-in
// policies look at even without a principal or assignment in the file.
func identityType(t string) bool {
	return strings.EqualFold(t, "Microsoft.ManagedIdentity/userAssignedIdentities") ||
		strings.EqualFold(t, "Microsoft.Authorization/roleDefinitions")
}
