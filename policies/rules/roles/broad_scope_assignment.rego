# METADATA
# title: Write role granted to an identity above a resource group
# description: |
#   A role with any write or data action is granted to a managed identity at subscription,
#   management-group or tenant scope (an assignment without `scope` applies at the
#   deployment's target scope). Every action other than `*/read` counts as a write, and so
#   does every data action: reading the data itself is access. Whoever can run code as the
#   identity can then change, or read the data of, every resource group in that scope,
#   including ones created later. Read-only roles (Reader, `*/read` only) are exempt.
#
#   Option `allowedRoles` (role names or GUIDs, any case) lists roles that are intended at
#   these scopes and not reported, e.g. `{"allowedRoles": ["Monitoring Contributor"]}`.
#
#   **Fix:** set the assignment's `scope` to the resource group or the resource the
#   workload works on, and deploy it from a resource-group template; if the identity needs
#   the whole subscription, grant it a read-only role there and the write role where it
#   writes.
# custom:
#   id: AL1204
#   severity: warning
#   tags: [identity, rbac, security]
#   starts_from: [role_assignments]
package armlint.rules.roles.broad_scope_assignment

import data.armlint.lib.grants
import data.armlint.lib.result
import data.armlint.lib.roles

findings contains f if {
	some a in input.graph.assignments
	grants.is_active(a)
	a.scope.kind in roles.broad_scope_kinds
	roles.writes(a.role)
	p := grants.managed_principal(a)
	not grants.allowed_role("AL1204", a.role)

	role := roles.label(a.role)
	msg := sprintf("role assignment %s grants %s, which allows %s, to %s at %s%s", [
		a.label, role, roles.write_text(a.role), p.description,
		grants.scope_text(a.scope), result.defaults_note(a.defaults),
	])
	rel := grants.related(a, p, sprintf("the identity granted %s", [role]))
	f := result.finding_related(a.resource, grants.scope_path(a), msg, rel)
}
