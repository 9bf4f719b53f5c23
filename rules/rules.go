// Package rules holds armlint's built-in Go rules. Rego rules live in
// /policies and are loaded by analyzer/regoeval.
package rules

import "github.com/armlint/armlint/analyzer"

// All returns the built-in Go rules, sorted by ID. The list is explicit:
// no init() registration.
func All() []*analyzer.Rule {
	return []*analyzer.Rule{
		roleAssignmentMissingDependency,
		systemIdentityNeededDuringDeployment,
		accessUsedBeforeGranted,
		systemIdentityNotEnabled,
		unstableRoleAssignmentName,
		unusedUserAssignedIdentity,
		assignmentOutlivesIdentity,
		invalidIdentityBlock,
	}
}
