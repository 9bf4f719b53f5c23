# METADATA
# title: Managed identity assigned as a user or group
# description: |
#   A role assignment's `principalType` is `User`, `Group` or `ForeignGroup`, but its principal
#   is a managed identity, which is a service principal. ARM checks the type against the
#   principal and rejects the assignment (UnmatchedPrincipalType), so the deployment fails.
#
#   **Fix:** set `"principalType": "ServicePrincipal"` for managed identities.
# custom:
#   id: AL1304
#   severity: error
#   tags: [identity, rbac, correctness, security]
#   starts_from: [role_assignments]
package armlint.rules.ordering.wrong_principal_type

import data.armlint.lib.input as model
import data.armlint.lib.result
import data.armlint.lib.value

managed_kinds := {"system_assigned", "user_assigned", "resource_managed"}

findings contains f if {
	some a in input.graph.assignments
	model.resource(a.resource).deployed != "no"
	p := model.principal(a.principal)
	p.kind in managed_kinds
	is_string(a.principal_type)
	lower(a.principal_type) in {"user", "group", "foreigngroup"}

	msg := sprintf("role assignment %s sets principalType %q, but its principal is %s, a managed identity (principal type ServicePrincipal): the deployment fails; set principalType 'ServicePrincipal'%s", [
		value.display(a.name), a.principal_type, p.description, result.defaults_note(a.defaults),
	])
	rel := [result.related(p.owner, identity_path(p.kind), "the managed identity") | is_string(p.owner)]
	f := result.finding_related(a.resource, ["properties", "principalType"], msg, rel)
}

# identity_path is where an identity is declared inside its owner resource.
identity_path(kind) := ["identity"] if kind == "system_assigned"

identity_path(kind) := [] if kind != "system_assigned"
