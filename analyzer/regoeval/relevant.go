package regoeval

import "github.com/armlint/armlint/analyzer/graph"

// relevant reports whether the built-in policies can find anything in a
// file: every one of them reads its findings from a principal, a role
// assignment, a resource's identity block, a user-assigned identity or a
// custom role definition, so on an identity-free graph (see
// graph.IdentityFree) they find nothing, and the file is neither converted
// to a policy input nor evaluated.
//
// User policies (armlint.custom.*) are evaluated on every file: what they
// read is theirs to decide. TestSkippedFilesHaveNoFindings checks the claim
// on every rule fixture and on the quickstart corpus.
func relevant(g *graph.Graph) bool { return !g.IdentityFree() }
