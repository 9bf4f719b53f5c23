# METADATA
# title: Privileged role granted to a managed identity
# description: |
#   A privileged administrator role (Owner, Contributor, User Access Administrator,
#   Role Based Access Control Administrator, Reservations Administrator) is granted to a
#   managed identity: a system- or user-assigned identity, or an identity a resource
#   manages itself (an AKS kubelet or add-on identity). Whoever can run code as that
#   identity, or attach it to a resource they control, holds the role: they can change or
#   delete everything in the scope, and the roles that manage access can grant themselves
#   anything. At subscription, management-group or tenant scope the finding is an error.
#
#   Option `allowedRoles` (role names or GUIDs, any case) lists privileged roles that are
#   intended and not reported, e.g. `{"allowedRoles": ["Contributor"]}`.
#
#   **Fix:** grant the narrowest built-in role that covers what the workload does (for
#   example a data-plane role such as Storage Blob Data Reader), at the narrowest scope:
#   the one resource it needs. If the grant is intended, list the role in the rule's
#   `allowedRoles` option.
# custom:
#   id: AL1201
#   severity: warning
#   tags: [identity, rbac, security]
#   starts_from: [role_assignments]
package armlint.rules.roles.privileged_role_to_identity

import data.armlint.lib.grants
import data.armlint.lib.result
import data.armlint.lib.roles

findings contains f if {
	some a in input.graph.assignments
	grants.is_active(a)
	a.role.privileged == true
	p := grants.managed_principal(a)
	not grants.allowed_role("AL1201", a.role)

	role := roles.label(a.role)
	msg := sprintf("role assignment %s grants %s to %s at %s%s", [
		a.label, role, p.description,
		grants.scope_text(a.scope), result.defaults_note(a.defaults),
	])
	rel := grants.related(a, p, sprintf("the identity granted %s", [role]))
	f := grants.raise_broad(result.finding_related(a.resource, grants.role_definition_path, msg, rel), a.scope.kind)
}
