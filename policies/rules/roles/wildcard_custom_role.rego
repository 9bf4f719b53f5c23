# METADATA
# title: Custom role with wildcard actions
# description: |
#   A custom role definition in the template allows `*` (every action),
#   `Microsoft.Authorization/*` (managing access, role assignments included) or `*/write`
#   (changing every resource type), and it is assigned to a managed identity or assignable
#   at subscription, management-group or tenant scope. Such a role is Owner or Contributor
#   under another name: reviewers and tools that look for privileged built-in roles miss
#   it, and every assignment of it hands out that power.
#
#   **Fix:** list the actions the workload needs, by resource provider and type (for
#   example `Microsoft.Compute/virtualMachines/start/action`), limit `assignableScopes` to
#   the resource groups that need the role, and prefer a built-in role when one fits.
# custom:
#   id: AL1203
#   severity: error
#   tags: [identity, rbac, security]
#   starts_from: [role_definitions]
package armlint.rules.roles.wildcard_custom_role

import data.armlint.lib.grants
import data.armlint.lib.result
import data.armlint.lib.roles

# wildcards are the action patterns reported, lower case, with what they
# allow.
wildcards := {
	"*": "every action",
	"microsoft.authorization/*": "managing access",
	"*/write": "writing every resource type",
}

findings contains f if {
	some d in grants.custom_definitions
	d.deployed != "no"
	some i, perm in d.properties.permissions
	is_array(perm.actions)
	some j, action in perm.actions
	is_string(action)
	allows := wildcards[lower(trim_space(action))]

	exposure := array.concat(assignable_broadly(d), [sprintf("assigned to %s by role assignment %s%s", [
		p.description, a.label, result.defaults_note(a.defaults),
	]) |
		some a in uses(d)
		p := grants.managed_principal(a)
	])
	count(exposure) > 0

	msg := sprintf("custom role %s allows %q (%s) and is %s%s", [
		name(d), action, allows, concat(" and ", exposure), result.defaults_note(definition_defaults(d)),
	])
	rel := [result.related(a.resource, grants.role_definition_path, sprintf("assigns the role to %s", [grants.principal_text(a)])) |
		some a in uses(d)
	]
	f := result.finding_related(d.key, ["properties", "permissions", i, "actions", j], msg, rel)
}

# uses returns the active role assignments of definition d, in file order.
uses(d) := [a |
	is_string(d.name)
	some a in input.graph.assignments
	grants.is_active(a)
	a.role.id == lower(d.name)
]

# assignable_broadly returns, for each kind of assignable scope of d at
# subscription scope or above, a phrase for messages.
assignable_broadly(d) := [sprintf("assignable at %s", [roles.scope_label(kind)]) |
	some kind in {broad_scope_kind(s) |
		some s in d.properties.assignableScopes
		is_string(s)
	}
]

# broad_scope_kind classifies an assignable scope above a resource group.
broad_scope_kind(s) := "tenant" if trim_space(s) == "/"

broad_scope_kind(s) := "subscription" if regex.match(`(?i)^/subscriptions/[^/]+/?$`, trim_space(s))

broad_scope_kind(s) := "management_group" if {
	regex.match(`(?i)^/providers/Microsoft\.Management/managementGroups/[^/]+/?$`, trim_space(s))
}

# name is how messages name a custom role: its roleName, else its label.
name(d) := sprintf("%q", [d.properties.roleName]) if is_string(d.properties.roleName)

name(d) := d.label if not is_string(d.properties.roleName)

# definition_defaults are the parameters at their defaults that d's
# permissions and assignable scopes rest on.
definition_defaults(d) := sort({n |
	some member in ["permissions", "assignableScopes"]
	some n in object.get(d, ["defaults", "properties", member], [])
})
