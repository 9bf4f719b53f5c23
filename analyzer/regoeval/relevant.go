package regoeval

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/armlint/armlint/analyzer/graph"
)

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

// facts is a set of the facts of a file that built-in policies start
// from (see factNames). A built-in policy that declares what it starts from
// (custom.starts_from in its METADATA) is evaluated only on the files that
// have at least one of those facts: it finds nothing in the others.
type facts uint8

const (
	// factRelevant: the file is relevant (see relevant). Every built-in
	// policy needs it; it is what one without custom.starts_from needs.
	factRelevant facts = 1 << iota
	// factRoleAssignments: the graph has a role assignment.
	factRoleAssignments
	// factUserAssignedIdentities: a resource is a user-assigned identity.
	factUserAssignedIdentities
	// factRoleDefinitions: a resource is a custom role definition.
	factRoleDefinitions
	// factAttachments: an identity block names a user-assigned identity
	// resource of the file (an entry with a target).
	factAttachments
	// factLoopedIdentities: a copy-loop instance has an identity block.
	factLoopedIdentities

	// numFactSets is the number of sets of facts: every fact above is a
	// bit below the last one's next.
	numFactSets = factLoopedIdentities << 1
	// everyFact is every fact: the needs of a policy evaluated on every
	// file.
	everyFact facts = numFactSets - 1
)

// factNames are the names custom.starts_from uses.
var factNames = map[string]facts{
	"role_assignments":         factRoleAssignments,
	"user_assigned_identities": factUserAssignedIdentities,
	"role_definitions":         factRoleDefinitions,
	"attachments":              factAttachments,
	"looped_identities":        factLoopedIdentities,
}

// factsOf returns the facts of a file. An irrelevant file has none.
func factsOf(g *graph.Graph) facts {
	if !relevant(g) {
		return 0
	}
	f := factRelevant
	if len(g.Assignments) > 0 {
		f |= factRoleAssignments
	}
	for _, r := range g.Resources {
		switch {
		case strings.EqualFold(r.Type, "Microsoft.ManagedIdentity/userAssignedIdentities"):
			f |= factUserAssignedIdentities
		case strings.EqualFold(r.Type, "Microsoft.Authorization/roleDefinitions"):
			f |= factRoleDefinitions
		}
		if r.Identity == nil {
			continue
		}
		if r.Loop != "" {
			f |= factLoopedIdentities
		}
		for _, u := range r.Identity.UserAssigned {
			if u.Target != nil {
				f |= factAttachments
				break
			}
		}
	}
	return f
}

// parseFacts reads the value of custom.starts_from: a list of fact names.
// It returns factRelevant when the list is absent.
func parseFacts(raw any) (facts, error) {
	if raw == nil {
		return factRelevant, nil
	}
	list, ok := raw.([]any)
	if !ok || len(list) == 0 {
		return 0, fmt.Errorf("custom.starts_from must be a non-empty list of %s", strings.Join(slices.Sorted(maps.Keys(factNames)), ", "))
	}
	var f facts
	for _, x := range list {
		name, _ := x.(string)
		bit, ok := factNames[name]
		if !ok {
			return 0, fmt.Errorf("custom.starts_from: unknown fact %v (one of %s)", x, strings.Join(slices.Sorted(maps.Keys(factNames)), ", "))
		}
		f |= bit
	}
	return f, nil
}
