# Helpers for rules about role assignments ("grants"): which assignments
# count, who they grant to, how messages name them, where findings point,
# and which resources an identity is attached to.
package armlint.lib.grants

import data.armlint.lib.input as model
import data.armlint.lib.result
import data.armlint.lib.roles

# is_active is true when the assignment is or may be deployed (its condition
# is not false and it is not `existing`) and its role is resolved.
is_active(a) if {
	model.resource(a.resource).deployed != "no"
	a.role.known == true
	is_string(a.role.id)
}

# managed_principal returns the principal an assignment grants to when it
# is a managed identity (system-assigned, user-assigned or managed by a
# resource); undefined otherwise.
managed_principal(a) := p if {
	a.principal_kind in roles.managed_identity_kinds
	p := model.principal(a.principal)
}

# principal_text describes who an assignment grants to, for messages.
principal_text(a) := model.principal(a.principal).description if is_string(a.principal)

principal_text(a) := "the principal given by principalId" if not is_string(a.principal)

# identity_path is where principal p's identity is declared inside its
# owner resource: the identity block of a system-assigned identity, the
# user-assigned identity resource itself, the property of a resource that
# manages the identity (falling back to the deepest part written).
identity_path(p) := ["identity"] if p.kind == "system_assigned"

identity_path(p) := [] if p.kind == "user_assigned"

identity_path(p) := array.concat(["properties"], split(p.path, ".")) if {
	p.kind == "resource_managed"
	is_string(p.path)
}

identity_path(p) := [] if {
	p.kind == "resource_managed"
	not is_string(p.path)
}

# identity_related returns the related location of principal p's identity
# ([] when the file does not declare it).
identity_related(p, message) := [result.related(p.owner, identity_path(p), message)] if is_string(p.owner)

identity_related(p, _) := [] if not is_string(p.owner)

# definitions returns the keys of the custom role definitions
# (Microsoft.Authorization/roleDefinitions) of the file whose name is the
# given role GUID.
definitions(guid) := {d.key |
	some d in custom_definitions
	is_string(d.name)
	lower(d.name) == guid
}

# custom_definitions are the custom role definitions of the file, in file
# order: computed once per evaluation.
custom_definitions := [d | some d in input.template.resources; is_custom_definition(d)]

# is_custom_definition is true when resource d is a custom role definition.
is_custom_definition(d) if {
	is_string(d.type)
	lower(d.type) == "microsoft.authorization/roledefinitions"
}

# definition_related returns the related locations of the custom role
# definition an assignment uses ([] for a built-in role).
definition_related(a) := [result.related(k, ["properties", "permissions"], "the custom role definition") |
	is_string(a.role.id)
	some k in definitions(a.role.id)
]

# related returns the related locations of an assignment's finding: the
# identity (when p is a principal declared in the file) and the custom role
# definition.
related(a, p, message) := array.concat(identity_related(p, message), definition_related(a))

# role_definition_path is where an assignment names its role.
role_definition_path := ["properties", "roleDefinitionId"]

# scope_path is where an assignment's scope is set: the legacy
# properties.scope when present, else the `scope` property (when that is
# absent too, the finding falls back to the assignment resource).
scope_path(a) := ["properties", "scope"] if {
	props := model.resource(a.resource).properties
	is_object(props)
	"scope" in object.keys(props)
} else := ["scope"]

# scope_text names an assignment's scope for messages: "resource group
# scope", or for a known resource "resource scope (Microsoft.Storage/...)".
scope_text(scope) := sprintf("resource scope (%s)", [_short_resource(scope.target)]) if {
	scope.kind == "resource"
	is_string(scope.target)
} else := roles.scope_label(scope.kind)

_short_resource(id) := parts[count(parts) - 1] if {
	parts := split(id, "/providers/")
	count(parts) > 1
} else := id

# allowed_role is true when the rule's allowedRoles option (role names or
# GUIDs, any case) lists the role.
allowed_role(rule_id, role) if roles.matches_any(role, data.armlint.config[rule_id].allowedRoles)

# raise_broad makes a finding an error when the scope is a subscription, a
# management group or the tenant.
raise_broad(f, kind) := result.with_severity(f, "error") if kind in roles.broad_scope_kinds

raise_broad(f, kind) := f if not kind in roles.broad_scope_kinds

# attached is true when principal p is attached to resource r, so that code
# running in r acts as p: p is r's system-assigned identity, a user-assigned
# identity listed in r's identity.userAssignedIdentities, or an identity r
# creates and manages itself (AKS kubelet and add-on identities).
attached(p, r) if {
	p.kind == "system_assigned"
	p.owner == r.key
	r.identity.system_assigned == "yes"
}

attached(p, r) if {
	p.kind == "user_assigned"
	is_string(p.owner)
	r.identity.user_assigned == "yes"
	some u in r.identity.user_assigned_identities
	u.target == p.owner
}

attached(p, r) if {
	p.kind == "resource_managed"
	p.owner == r.key
}
