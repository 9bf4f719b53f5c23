# METADATA
# title: Duplicate role assignment
# description: |
#   Two role assignments in the deployment grant the same role to the same principal
#   at the same scope. Azure keeps one role assignment per role, principal and scope:
#   the second fails with RoleAssignmentExists, or, if it is created under another
#   name elsewhere, becomes a leftover nobody removes. Copy-loop instances count as
#   separate assignments; two declarations of the same assignment name are one
#   assignment. Reported on the later assignment in file order; only
#   assignments whose role, principal and scope are all resolved, and which are
#   certainly deployed, are compared.
#
#   **Fix:** delete the later assignment, or change its role, principal or scope if it
#   was meant to grant something else.
# custom:
#   id: AL1404
#   severity: error
#   tags: [rbac, security]
#   starts_from: [role_assignments]
package armlint.rules.leftovers.duplicate_role_assignment

import data.armlint.lib.identity
import data.armlint.lib.input as model
import data.armlint.lib.result
import data.armlint.lib.roles
import data.armlint.lib.value

# grant is the (role, principal, scope) triple of an assignment that is
# certainly deployed and fully resolved.
grant(a) := [a.role.id, principal_key(a.principal), lower(a.scope.target)] if {
	is_string(a.role.id)
	a.role.known == true
	is_string(a.principal)
	is_string(a.scope.target)
	identity.deployed(model.resource(a.resource))
}

# principal_key names the principal: by object ID when known (a literal or
# a parameter-file value), else by its graph ID.
principal_key(id) := p.guid if {
	p := model.principal(id)
	is_string(p.guid)
} else := id

# by_grant groups the assignments by grant. (A comprehension OPA indexes
# by grant: a multi-value rule, by_grant[g] contains a, took time in the
# number of grants for each assignment.)
by_grant := {g: group |
	some x in granted
	g := x[0]
	group := {y[1] | some y in granted; y[0] == g}
}

# granted pairs each assignment with its grant.
granted := [[grant(a), a] | some a in input.graph.assignments]

findings contains f if {
	some g, group in by_grant
	count(group) > 1
	ordered := sort([[identity.file_order(a.resource), a.resource] | some a in group])
	first := [x | some x in group; x.resource == ordered[0][1]][0]
	some o in array.slice(ordered, 1, count(ordered))
	a := [x | some x in group; x.resource == o[1]][0]
	p := model.principal(a.principal)

	different_names(a.name, first.name)

	msg := sprintf("role assignment %s grants %s to %s at %s, which role assignment %s already grants%s", [
		a.label, roles.label(a.role), p.description, identity.scope_text(a.scope),
		first.label, result.defaults_note(a.defaults),
	])
	rel := [result.related(first.resource, [], "the earlier role assignment with the same role, principal and scope")]
	f := result.finding_related(a.resource, [], msg, rel)
}

# different_names is true when two assignment names are known to differ.
# The same name is the same resource declared again (by two nested
# deployments, say), not a second assignment; a known name and an unknown
# one cannot be compared.
different_names(a, b) if {
	is_string(a)
	is_string(b)
	lower(a) != lower(b)
}

different_names(a, b) if {
	value.is_unknown(a)
	value.is_unknown(b)
	value.expression(a) != value.expression(b)
}
