# METADATA
# title: Privileged role granted to a managed identity
# description: |
#   A privileged administrator role (Owner, Contributor, User Access Administrator,
#   Role Based Access Control Administrator, Reservations Administrator) is granted to a
#   managed identity. Whoever can run code as that identity, or attach it to a resource
#   they control, holds the role: they can change or delete everything in the scope, and
#   the roles that manage access can grant themselves anything. At subscription,
#   management-group or tenant scope the finding is an error.
#
#   **Fix:** grant the narrowest built-in role that covers what the workload does (for
#   example a data-plane role such as Storage Blob Data Reader), at the narrowest scope:
#   the one resource it needs. If the grant is intended, list the role in the rule's
#   `allowedRoles` option.
# custom:
#   id: AL1201
#   severity: warning
#   tags: [identity, rbac, security]
package armlint.rules.identity.privileged_role_to_identity

import data.armlint.lib.input as model
import data.armlint.lib.result
import data.armlint.lib.roles
import data.armlint.lib.value

findings contains f if {
	some a in input.graph.assignments
	a.role.privileged == true
	value.is_known(a.role.id)
	roles.grants_managed_identity(a)
	model.resource(a.resource).deployed != "no"
	not allowed(a.role)

	p := model.principal(a.principal)
	role := roles.label(a.role)
	msg := sprintf("role assignment %s grants %s to %s at %s%s", [
		value.display(a.name), role, p.description,
		roles.scope_label(a.scope.kind), result.defaults_note(a.defaults),
	])
	rel := [result.related(p.owner, identity_path[p.kind], sprintf("the identity granted %s", [role])) |
		is_string(p.owner)
	]
	f := raise(result.finding_related(a.resource, ["properties", "roleDefinitionId"], msg, rel), a.scope.kind)
}

# identity_path is where an identity is declared inside its owner resource.
identity_path := {
	"system_assigned": ["identity"],
	"user_assigned": [],
}

# raise makes findings at subscription scope and above errors.
raise(f, kind) := result.with_severity(f, "error") if kind in roles.broad_scope_kinds

raise(f, kind) := f if not kind in roles.broad_scope_kinds

# allowed is true when the configuration lists the role in allowedRoles.
allowed(role) if roles.matches_any(role, data.armlint.config.AL1201.allowedRoles)
