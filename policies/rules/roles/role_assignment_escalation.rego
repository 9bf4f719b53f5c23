# METADATA
# title: Identity can assign roles without a condition
# description: |
#   A role that can write role assignments (Owner, User Access Administrator, Role Based
#   Access Control Administrator, or a custom role with
#   `Microsoft.Authorization/roleAssignments/write`) is granted to a managed identity
#   without an ABAC `condition`. Whoever can run code as that identity can grant itself,
#   or any principal, any role in the scope, up to Owner: the grant is an escalation path
#   to everything the scope holds.
#
#   **Fix:** if the workload must assign roles, grant Role Based Access Control
#   Administrator with a `condition` that limits the roles it may assign and to whom
#   (`conditionVersion: '2.0'`); otherwise grant a role without
#   `Microsoft.Authorization/roleAssignments/write`.
# custom:
#   id: AL1202
#   severity: error
#   tags: [identity, rbac, security]
#   starts_from: [role_assignments]
package armlint.rules.roles.role_assignment_escalation

import data.armlint.lib.grants
import data.armlint.lib.result
import data.armlint.lib.roles

findings contains f if {
	some a in input.graph.assignments
	grants.is_active(a)
	a.role.can_write_role_assignments == true
	p := grants.managed_principal(a)
	unconditional(a.condition)

	role := roles.label(a.role)
	msg := sprintf("role assignment %s grants %s, which can assign roles, to %s at %s without a condition: code running as the identity can grant itself any role%s", [
		a.label, role, p.description,
		grants.scope_text(a.scope), result.defaults_note(a.defaults),
	])
	rel := grants.related(a, p, sprintf("the identity granted %s", [role]))
	f := result.finding_related(a.resource, grants.role_definition_path, msg, rel)
}

# unconditional is true when an assignment has no ABAC condition: absent,
# null or blank. An unknown condition may well be set.
unconditional(c) if c == null

unconditional(c) if {
	is_string(c)
	trim_space(c) == ""
}
