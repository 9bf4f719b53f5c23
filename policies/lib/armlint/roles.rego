# Helpers for role assignments: roles, principals and scopes.
package armlint.lib.roles

# managed_identity_kinds are the principal kinds of managed identities.
managed_identity_kinds := {"system_assigned", "user_assigned"}

# broad_scope_kinds are the scopes above a resource group.
broad_scope_kinds := {"subscription", "management_group", "tenant"}

# grants_managed_identity is true when the assignment grants to a managed identity.
grants_managed_identity(a) if a.principal_kind in managed_identity_kinds

# label returns a role's name for messages, or its GUID when the name is not known.
label(role) := role.name if is_string(role.name)

label(role) := role.id if {
	not is_string(role.name)
	is_string(role.id)
}

# matches is true when entry (a role name or GUID, any case) names role.
matches(role, entry) if {
	is_string(entry)
	some field in ["name", "id"]
	is_string(role[field])
	lower(entry) == lower(role[field])
}

# matches_any is true when one of entries names role.
matches_any(role, entries) if {
	some entry in entries
	matches(role, entry)
}

# scope_label returns the scope kind as words: "resource group scope".
scope_label(kind) := _scope_labels[kind]

_scope_labels := {
	"resource": "resource scope",
	"resource_group": "resource group scope",
	"subscription": "subscription scope",
	"management_group": "management group scope",
	"tenant": "tenant scope",
	"unknown": "a scope that could not be determined",
}
