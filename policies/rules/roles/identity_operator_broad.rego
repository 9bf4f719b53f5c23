# METADATA
# title: Identity operator role granted broadly
# description: |
#   Managed Identity Operator or Managed Identity Contributor is granted at resource-group
#   scope or wider, to any principal. Managed Identity Operator lets the holder attach any
#   user-assigned identity in the scope to a resource it controls; Managed Identity
#   Contributor lets it create federated credentials for them. Either way the holder can
#   act with the permissions of every identity in the scope, including ones created later.
#
#   **Fix:** scope the assignment to the one user-assigned identity the principal must use
#   (`"scope": "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', ...)]"`).
# custom:
#   id: AL1205
#   severity: warning
#   tags: [identity, rbac, security]
#   starts_from: [role_assignments]
package armlint.rules.roles.identity_operator_broad

import data.armlint.lib.grants
import data.armlint.lib.input as model
import data.armlint.lib.result
import data.armlint.lib.roles

# operator_roles are the built-in roles that let their holder use
# identities, with what they allow.
operator_roles := {
	# Managed Identity Operator
	"f1a07417-d97a-45cb-824c-7a7467783830": "attach any user-assigned identity in that scope to a resource it controls",
	# Managed Identity Contributor
	"e40ec5ca-96e0-45a2-b4ff-59039f2c2b59": "create federated credentials for any user-assigned identity in that scope",
}

findings contains f if {
	some a in input.graph.assignments
	grants.is_active(a)
	allows := operator_roles[a.role.id]
	a.scope.kind in roles.wide_scope_kinds

	msg := sprintf("role assignment %s grants %s to %s at %s: the holder can %s and act with its permissions%s", [
		a.label, roles.label(a.role), grants.principal_text(a),
		grants.scope_text(a.scope), allows, result.defaults_note(a.defaults),
	])
	f := result.finding_related(a.resource, grants.scope_path(a), msg, related(a))
}

# related points at the principal's identity when the file declares it.
related(a) := grants.identity_related(p, sprintf("the identity granted %s", [roles.label(a.role)])) if {
	p := model.principal(a.principal)
} else := []
