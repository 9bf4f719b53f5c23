# METADATA
# title: Shared user-assigned identity would do
# description: |
#   Several resources of one type in this deployment use their own system-assigned
#   identity, and each of these identities is granted the same role at the same scope. One
#   user-assigned identity shared by the resources would need one role assignment
#   instead of one per resource, fewer service principals in the directory, and no
#   new grants when a resource is added or re-created.
#
#   Reported once per group, on the first of its role assignments in file order. The
#   `threshold` option sets how many identities make a group (default 2):
#   `{"rules": {"AL1501": {"options": {"threshold": 3}}}}`.
#
#   **Fix:** create one `Microsoft.ManagedIdentity/userAssignedIdentities` resource,
#   list it in `identity.userAssignedIdentities` of each resource, and grant the role
#   once, to that identity.
# custom:
#   id: AL1501
#   severity: note
#   tags: [identity, rbac, security]
#   starts_from: [role_assignments]
package armlint.rules.identity.prefer_shared_user_assigned_identity

import data.armlint.lib.identity
import data.armlint.lib.input as model
import data.armlint.lib.result
import data.armlint.lib.roles

# threshold is the number of system-assigned identities that makes a group.
threshold := n if {
	n := data.armlint.config.AL1501.threshold
	is_number(n)
	n >= 2
} else := 2

# candidates are the role assignments the rule groups: a known role granted
# at a known scope to a system-assigned identity this deployment creates.
candidates contains a if {
	some a in input.graph.assignments
	a.principal_kind == "system_assigned"
	is_string(a.role.id)
	a.role.known == true
	is_string(a.scope.target)
	identity.created(model.resource(a.resource))
	model.principal(a.principal).created_here == true
}

# group_key identifies a role at a scope (scopes compare without case)
# granted to resources of one type.
group_key(a) := [a.role.id, lower(a.scope.target), lower(owner.type)] if {
	owner := model.resource(model.principal(a.principal).owner)
	is_string(owner.type)
}

groups[k] contains a if {
	some a in candidates
	k := group_key(a)
}

findings contains f if {
	some k, group in groups
	principals := {a.principal | some a in group}
	count(principals) >= threshold

	ordered := sort([[identity.file_order(a.resource), a.resource] | some a in group])
	first := [a | some a in group; a.resource == ordered[0][1]][0]
	role := roles.label(first.role)
	owners := [o[1] | some o in sort({[identity.file_order(k), k] | some p in principals; k := model.principal(p).owner})]
	who := concat(", ", [model.resource(o).label | some o in owners])
	notes := sort({n | some a in group; some n in a.defaults})
	msg := sprintf("%d resources (%s) each have a system-assigned identity granted %s at %s: one shared user-assigned identity would need one role assignment instead of %d%s", [
		count(principals), who, role, identity.scope_text(first.scope),
		count(group), result.defaults_note(notes),
	])
	others := [result.related(o[1], ["properties", "principalId"], sprintf("also grants %s at the same scope", [role])) |
		some o in array.slice(ordered, 1, count(ordered))
	]
	idents := [result.related(o, ["identity"], "a system-assigned identity granted the role") | some o in owners]
	f := result.finding_related(first.resource, ["properties", "principalId"], msg, array.concat(others, idents))
}
