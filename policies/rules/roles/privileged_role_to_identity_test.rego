package armlint.rules.identity.privileged_role_to_identity_test

import data.armlint.rules.identity.privileged_role_to_identity as rule

# Roles as analyzer/graph resolves them from the built-in role table.

owner := {
	"id": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "name": "Owner", "builtin": true,
	"privileged": true, "can_write_role_assignments": true, "read_only": false, "known": true,
}

contributor := {
	"id": "b24988ac-6180-42a0-ab88-20f7382dd24c", "name": "Contributor", "builtin": true,
	"privileged": true, "can_write_role_assignments": false, "read_only": false, "known": true,
}

reader := {
	"id": "acdd72a7-3385-48ef-bd42-f606fba81ae7", "name": "Reader", "builtin": true,
	"privileged": false, "can_write_role_assignments": false, "read_only": true, "known": true,
}

unknown_role := {
	"id": {"$unknown": "parameters('roleDefinitionId')"}, "name": null, "builtin": false,
	"privileged": false, "can_write_role_assignments": false, "read_only": false, "known": false,
}

# A template with a VM (system-assigned identity), a user-assigned identity
# and one role assignment (/resources/2), which each test shapes.

vm := {
	"key": "/resources/0", "type": "Microsoft.Compute/virtualMachines", "api_version": "2023-03-01",
	"name": "vm-web", "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-web",
	"symbolic_name": null, "location": "westeurope", "deployed": "yes", "existing": false, "condition": null,
	"identity": {
		"type": "SystemAssigned", "system_assigned": "yes", "user_assigned": "no",
		"user_assigned_identities": [],
	},
	"properties": {},
}

uai := {
	"key": "/resources/1", "type": "Microsoft.ManagedIdentity/userAssignedIdentities",
	"api_version": "2023-01-31", "name": "id-app",
	"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-app",
	"symbolic_name": null, "location": "westeurope", "deployed": "yes", "existing": false, "condition": null,
	"identity": null, "properties": {},
}

principals := [
	{
		"id": "system:/resources/0", "kind": "system_assigned", "owner": "/resources/0",
		"param": null, "guid": null, "description": "system-assigned identity of \"vm-web\"",
	},
	{
		"id": "user:/resources/1", "kind": "user_assigned", "owner": "/resources/1",
		"param": null, "guid": null, "description": "user-assigned identity \"id-app\"",
	},
	{
		"id": "parameter:adminId", "kind": "parameter", "owner": null,
		"param": "adminId", "guid": null, "description": "principal from parameter 'adminId'",
	},
]

system_grant := {
	"resource": "/resources/2", "name": "ra-web", "principal": "system:/resources/0",
	"principal_kind": "system_assigned", "principal_type": "ServicePrincipal", "role": owner,
	"scope": {"kind": "resource_group", "target": "/subscriptions/s/resourceGroups/rg"},
	"condition": null, "defaults": [],
}

user_grant := object.union(system_grant, {"principal": "user:/resources/1", "principal_kind": "user_assigned"})

# model returns the input for a template whose role assignment is a and
# whose assignment resource has the given deployed state.
model(a, deployed) := {
	"version": 1,
	"file": "main.json",
	"template": {
		"scope": "resource_group", "language_version": null,
		"resources": [vm, uai, {
			"key": "/resources/2", "type": "Microsoft.Authorization/roleAssignments",
			"api_version": "2022-04-01", "name": a.name, "id": {"$unknown": "extensionResourceId(...)"},
			"symbolic_name": null, "location": null, "deployed": deployed, "existing": false,
			"condition": null, "identity": null, "properties": {},
		}],
	},
	"graph": {"principals": principals, "assignments": [a]},
}

path := ["properties", "roleDefinitionId"]

vm_related(role) := {"resource": "/resources/0", "path": ["identity"], "message": sprintf("the identity granted %s", [role])}

test_owner_to_system_identity_at_resource_group_scope_is_warning if {
	rule.findings == {{
		"resource": "/resources/2", "path": path,
		"message": `role assignment "ra-web" grants Owner to system-assigned identity of "vm-web" at resource group scope`,
		"related": [vm_related("Owner")],
	}} with input as model(system_grant, "yes")
}

test_contributor_to_user_identity_at_subscription_scope_is_error if {
	a := object.union(user_grant, {"role": contributor, "scope": {"kind": "subscription", "target": "/subscriptions/s"}})
	rule.findings == {{
		"resource": "/resources/2", "path": path, "severity": "error",
		"message": `role assignment "ra-web" grants Contributor to user-assigned identity "id-app" at subscription scope`,
		"related": [{"resource": "/resources/1", "path": [], "message": "the identity granted Contributor"}],
	}} with input as model(a, "yes")
}

test_management_group_scope_is_error if {
	a := object.union(system_grant, {"scope": {"kind": "management_group", "target": null}})
	rule.findings == {{
		"resource": "/resources/2", "path": path, "severity": "error",
		"message": `role assignment "ra-web" grants Owner to system-assigned identity of "vm-web" at management group scope`,
		"related": [vm_related("Owner")],
	}} with input as model(a, "yes")
}

test_defaults_and_unknown_name_in_message if {
	a := object.union(system_grant, {
		"name": {"$unknown": "guid(parameters('seed'))"},
		"scope": {"kind": "unknown", "target": null},
		"defaults": ["roleName", "vmName"],
	})
	msg := concat("", [
		"role assignment guid(parameters('seed')) grants Owner to system-assigned identity of \"vm-web\" ",
		"at a scope that could not be determined (with parameters 'roleName', 'vmName' at their defaults)",
	])
	rule.findings == {{"resource": "/resources/2", "path": path, "message": msg, "related": [vm_related("Owner")]}} with input as model(a, "yes")
}

test_condition_unknown_is_reported if {
	rule.findings == {{
		"resource": "/resources/2", "path": path,
		"message": `role assignment "ra-web" grants Owner to system-assigned identity of "vm-web" at resource group scope`,
		"related": [vm_related("Owner")],
	}} with input as model(system_grant, "maybe")
}

test_reader_is_not_reported if {
	rule.findings == set() with input as model(object.union(system_grant, {"role": reader}), "yes")
}

test_unknown_role_is_not_reported if {
	rule.findings == set() with input as model(object.union(system_grant, {"role": unknown_role}), "yes")
}

test_unknown_role_id_is_not_reported_even_if_marked_privileged if {
	role := object.union(owner, {"id": {"$unknown": "variables('role')"}})
	rule.findings == set() with input as model(object.union(system_grant, {"role": role}), "yes")
}

test_parameter_principal_is_not_reported if {
	a := object.union(system_grant, {"principal": "parameter:adminId", "principal_kind": "parameter"})
	rule.findings == set() with input as model(a, "yes")
}

test_unresolved_principal_is_not_reported if {
	a := object.union(system_grant, {"principal": null, "principal_kind": "unknown"})
	rule.findings == set() with input as model(a, "yes")
}

test_not_deployed_is_not_reported if {
	rule.findings == set() with input as model(system_grant, "no")
}

test_allowed_role_by_name_any_case_is_not_reported if {
	rule.findings == set() with input as model(system_grant, "yes")
		with data.armlint.config as {"AL1201": {"allowedRoles": ["owner"]}}
}

test_allowed_role_by_guid_is_not_reported if {
	rule.findings == set() with input as model(system_grant, "yes")
		with data.armlint.config as {"AL1201": {"allowedRoles": ["8E3AF657-A8FF-443C-A75C-2FE8C4BCB635"]}}
}

test_allowed_roles_keep_other_roles if {
	a := object.union(system_grant, {"role": contributor})
	rule.findings == {{
		"resource": "/resources/2", "path": path,
		"message": `role assignment "ra-web" grants Contributor to system-assigned identity of "vm-web" at resource group scope`,
		"related": [vm_related("Contributor")],
	}} with input as model(a, "yes")
		with data.armlint.config as {"AL1201": {"allowedRoles": ["Owner"]}}
}
