# METADATA
# title: Role assignment to a hardcoded principal ID
# description: |
#   A role assignment's `principalId` is a literal object ID written in the template
#   (directly, in a variable, or as a parameter's default value) instead of a
#   reference to an identity the template manages or a parameter without a default.
#   Nothing ties the assignment to the life of that principal: when the principal is
#   deleted the assignment stays behind as "Identity not found" (object type
#   Unknown), and the same ID is deployed to every environment. An object ID given by
#   a parameter file is a deploy-time choice and is not reported.
#
#   **Fix:** read the principal from the identity the template creates
#   (`reference(<identity>).principalId`, or `reference(<resource>, <api>,
#   'Full').identity.principalId`), or take it from a parameter without a default
#   value and set it per environment in the parameter file.
# custom:
#   id: AL1401
#   severity: warning
#   tags: [identity, rbac, security]
#   starts_from: [role_assignments]
package armlint.rules.leftovers.hardcoded_principal_id

import data.armlint.lib.identity
import data.armlint.lib.input as model
import data.armlint.lib.result
import data.armlint.lib.roles
import data.armlint.lib.value

findings contains f if {
	some a in input.graph.assignments
	a.principal_kind == "literal"
	identity.created(model.resource(a.resource))
	p := model.principal(a.principal)

	msg := sprintf("role assignment %s grants %s to the hardcoded object ID %s: nothing removes the assignment when that principal is deleted%s", [
		a.label, role_label(a.role), p.guid, result.defaults_note(a.defaults),
	])
	f := result.finding(a.resource, ["properties", "principalId"], msg)
}

role_label(role) := roles.label(role) if value.is_known(role.id)

role_label(role) := "a role" if not value.is_known(role.id)
