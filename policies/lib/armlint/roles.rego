# Helpers for role assignments: roles, principals and scopes.
package armlint.lib.roles

# managed_identity_kinds are the principal kinds of managed identities:
# system- and user-assigned identities, and the identities a resource
# creates and manages itself (AKS kubelet and add-on identities).
managed_identity_kinds := {"system_assigned", "user_assigned", "resource_managed"}

# broad_scope_kinds are the scopes above a resource group.
broad_scope_kinds := {"subscription", "management_group", "tenant"}

# wide_scope_kinds are the resource group and the scopes above it.
wide_scope_kinds := {"resource_group"} | broad_scope_kinds

# grants_managed_identity is true when the assignment grants to a managed identity.
grants_managed_identity(a) if a.principal_kind in managed_identity_kinds

# writes is true when a resolved role can change something: it has an
# action other than */read, or any data action (reading data counts: it is
# access to the data itself).
writes(role) if {
	role.known == true
	is_string(role.id)
	role.read_only == false
}

# write_text names what makes a role a writer, for messages: its first
# data action (`data action "Microsoft.Storage/.../blobs/read"`), else its
# first wildcard, write or delete action (`"*"`), else its first action
# that is not a read; undefined for a read-only role.
write_text(role) := sprintf("data action %q", [role.data_actions[0]]) if {
	count(role.data_actions) > 0
} else := sprintf("%q", [writes[0]]) if {
	writes := [x |
		some x in role.actions
		some suffix in ["*", "/write", "/delete"]
		endswith(lower(x), suffix)
	]
	count(writes) > 0
} else := sprintf("%q", [writes[0]]) if {
	writes := [x | some x in role.actions; not endswith(lower(x), "/read")]
	count(writes) > 0
}

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
