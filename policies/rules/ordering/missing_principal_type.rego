# METADATA
# title: Role assignment to a new identity without principalType
# description: |
#   A role assignment grants a role to a managed identity that this deployment creates (a
#   system-assigned identity of a resource, a user-assigned identity), and does not set
#   `principalType: 'ServicePrincipal'`. The identity's service principal is created moments
#   earlier and may not have replicated through Microsoft Entra ID yet; without a principal
#   type, ARM looks the principal up and the assignment fails intermittently with
#   PrincipalNotFound. A stray `ObjectType` property is not `principalType` and does not help.
#   (A principal type of User, Group or ForeignGroup for a managed identity is AL1304.)
#
#   **Fix:** add `"principalType": "ServicePrincipal"` to the role assignment's `properties`.
# custom:
#   id: AL1303
#   severity: warning
#   tags: [identity, rbac, ordering, security]
#   starts_from: [role_assignments]
package armlint.rules.ordering.missing_principal_type

import data.armlint.lib.input as model
import data.armlint.lib.result
import data.armlint.lib.roles
import data.armlint.lib.value

findings contains f if {
	some a in input.graph.assignments
	res := model.resource(a.resource)
	res.deployed != "no"
	p := model.principal(a.principal)
	p.created_here == true

	problem := principal_type_problem(a.principal_type)
	msg := sprintf("role assignment %s grants %s to %s, which this deployment creates, but %s%s: the new service principal may not have replicated yet and the assignment can fail with PrincipalNotFound; set principalType 'ServicePrincipal'%s", [
		value.display(a.name), role_label(a.role), p.description, problem,
		object_type_hint(res, a.principal_type), result.defaults_note(a.defaults),
	])
	rel := [result.related(p.owner, identity_path(p.kind), "the identity, created in this deployment") |
		is_string(p.owner)
	]
	f := result.finding_related(a.resource, finding_path(a.principal_type), msg, rel)
}

# principal_type_problem says what is wrong with principalType; undefined
# when it is ServicePrincipal, unknown, or a user or group type (AL1304).
principal_type_problem(t) := "sets no principalType" if t == null

principal_type_problem(t) := sprintf("sets principalType %q", [t]) if {
	is_string(t)
	not lower(t) in {"serviceprincipal", "user", "group", "foreigngroup"}
}

# object_type_hint points out an ObjectType property written instead of
# principalType.
object_type_hint(res, t) := " (ObjectType is not principalType)" if {
	t == null
	is_object(res.properties)
	some k, _ in res.properties
	lower(k) == "objecttype"
} else := ""

finding_path(t) := ["properties", "principalType"] if t != null

finding_path(t) := ["properties", "principalId"] if t == null

role_label(role) := roles.label(role) if value.is_known(role.id)

role_label(role) := "a role" if not value.is_known(role.id)

# identity_path is where an identity is declared inside its owner resource.
identity_path(kind) := ["identity"] if kind == "system_assigned"

identity_path(kind) := [] if kind != "system_assigned"
