# Helpers for managed identities: user-assigned identity resources, the
# resources that use them, locations, API versions and parameter defaults.
package armlint.lib.identity

import data.armlint.lib.input as model
import data.armlint.lib.roles

# uai_type is the type of user-assigned identity resources.
uai_type := "microsoft.managedidentity/userassignedidentities"

# uais are the user-assigned identity resources of the file, in file order:
# computed once per evaluation, for every rule that looks at them.
uais := [r | some r in input.template.resources; is_uai(r)]

# is_uai is true when r is a user-assigned identity resource (types compare
# case-insensitively).
is_uai(r) if {
	is_string(r.type)
	lower(r.type) == uai_type
}

# created is true when the deployment may create r: it is not `existing`
# and its condition is not false.
created(r) if {
	r.deployed != "no"
	not r.existing
}

# deployed is true when the deployment certainly deploys r: its condition
# is known and true (or absent) and it is not `existing`.
deployed(r) if {
	r.deployed == "yes"
	not r.existing
}

# attachments are the user-assigned identities of this file listed in
# identity.userAssignedIdentities of another resource:
# {"consumer": <key>, "identity": <key>, "path": [...]}, where path leads to
# the entry inside the consumer (to the block when the key is computed).
attachments contains {"consumer": c.key, "identity": e.target, "path": entry_path(e)} if {
	some c in input.template.resources
	is_object(c.identity)
	some e in c.identity.user_assigned_identities
	is_string(e.target)
}

entry_path(e) := ["identity", "userAssignedIdentities", e.key] if is_string(e.key)

entry_path(e) := ["identity", "userAssignedIdentities"] if not is_string(e.key)

# api_date returns the date part of an API version ("2025-01-31" for
# "2025-01-31-preview"); undefined when the version is not known or not a
# dated version. Dates compare as strings.
api_date(version) := substring(version, 0, 10) if {
	is_string(version)
	regex.match(`^[0-9]{4}-[0-9]{2}-[0-9]{2}($|-)`, version)
}

# isolation_scope_since is the first API version of
# Microsoft.ManagedIdentity/userAssignedIdentities with isolationScope.
isolation_scope_since := "2024-11-30"

# supports_isolation_scope is true when r's apiVersion is known to have
# properties.isolationScope.
supports_isolation_scope(r) if api_date(r.api_version) >= isolation_scope_since

# predates_isolation_scope is true when r's apiVersion is known to be
# older than properties.isolationScope.
predates_isolation_scope(r) if api_date(r.api_version) < isolation_scope_since

# isolation_scope returns properties.isolationScope of r as evaluated;
# undefined when absent or null.
isolation_scope(r) := s if {
	is_object(r.properties)
	s := r.properties.isolationScope
	s != null
}

# regional is true when r is a user-assigned identity whose isolation scope
# is known to be Regional and takes effect (its API version has it).
regional(r) if {
	is_uai(r)
	s := isolation_scope(r)
	is_string(s)
	lower(s) == "regional"
	supports_isolation_scope(r)
}

# location returns r's normalised location when it is known.
location(r) := r.location if is_string(r.location)

# defaults returns the names of the parameters whose default values the
# given top-level values of r rest on ("name", "location", "count",
# "identity"), sorted and without duplicates.
defaults(r, fields) := sort({n |
	some f in fields
	some n in object.get(r, ["defaults", f], [])
})

# property_defaults returns the parameter defaults the given members of r's
# properties rest on, sorted and without duplicates.
property_defaults(r, members) := sort({n |
	some m in members
	some n in object.get(r, ["defaults", "properties", m], [])
})

# file_order returns the position of the resource with the given key in
# file order (copy-loop instances in index order).
file_order(key) := file_orders[key]

# file_orders maps each resource key to its position in file order, built
# once per evaluation: a scan per call made rules that order many
# resources quadratic.
file_orders := {r.key: i | some i, r in input.template.resources}

# label returns how messages name the resource with the given key.
label(key) := model.resource(key).label

# scope_text names an assignment's scope for messages: the kind, and for a
# resource its type and name ("resource scope
# Microsoft.Storage/storageAccounts/st1").
scope_text(scope) := sprintf("%s %s", [roles.scope_label(scope.kind), resource_part(scope.target)]) if {
	scope.kind == "resource"
	is_string(scope.target)
}

scope_text(scope) := roles.scope_label(scope.kind) if {
	not scope_has_resource(scope)
}

scope_has_resource(scope) if {
	scope.kind == "resource"
	is_string(scope.target)
}

# resource_part is a resource ID without its scope: the part after the
# last "/providers/" (a relative ID as it is).
resource_part(id) := parts[count(parts) - 1] if {
	parts := split(id, "/providers/")
}
