# Shared input for the Rego tests of the roles rules: roles as
# analyzer/graph resolves them from the built-in role table, and a template
# with a VM (system-assigned identity), a user-assigned identity, role
# assignments from /resources/2 on, and an AKS cluster (/resources/3) whose
# kubelet identity it manages.
package armlint.rules.roles.testdata_test

owner := {
	"id": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "name": "Owner", "builtin": true,
	"privileged": true, "can_write_role_assignments": true, "read_only": false, "known": true,
	"actions": ["*"], "data_actions": [],
}

contributor := {
	"id": "b24988ac-6180-42a0-ab88-20f7382dd24c", "name": "Contributor", "builtin": true,
	"privileged": true, "can_write_role_assignments": false, "read_only": false, "known": true,
	"actions": ["*"], "data_actions": [],
}

reader := {
	"id": "acdd72a7-3385-48ef-bd42-f606fba81ae7", "name": "Reader", "builtin": true,
	"privileged": false, "can_write_role_assignments": false, "read_only": true, "known": true,
	"actions": ["*/read"], "data_actions": [],
}

blob_reader := {
	"id": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", "name": "Storage Blob Data Reader", "builtin": true,
	"privileged": false, "can_write_role_assignments": false, "read_only": false, "known": true,
	"actions": ["Microsoft.Storage/storageAccounts/blobServices/containers/read"],
	"data_actions": ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"],
}

rbac_admin := {
	"id": "f58310d9-a9f6-439a-9e8d-f62e7b41a168", "name": "Role Based Access Control Administrator",
	"builtin": true, "privileged": true, "can_write_role_assignments": true, "read_only": false,
	"known": true, "actions": ["Microsoft.Authorization/roleAssignments/write", "*/read"], "data_actions": [],
}

identity_operator := {
	"id": "f1a07417-d97a-45cb-824c-7a7467783830", "name": "Managed Identity Operator", "builtin": true,
	"privileged": false, "can_write_role_assignments": false, "read_only": false, "known": true,
	"actions": [
		"Microsoft.ManagedIdentity/userAssignedIdentities/*/read",
		"Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action",
	],
	"data_actions": [],
}

unknown_role := {
	"id": {"$unknown": "parameters('roleDefinitionId')"}, "name": null, "builtin": false,
	"privileged": false, "can_write_role_assignments": false, "read_only": false, "known": false,
	"actions": [], "data_actions": [],
}

subscription_scope := {"kind": "subscription", "target": "/subscriptions/s"}

vm := {
	"key": "/resources/0", "label": "\"vm-web\"", "type": "Microsoft.Compute/virtualMachines",
	"api_version": "2023-03-01", "name": "vm-web",
	"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-web",
	"symbolic_name": null, "location": "westeurope", "deployed": "yes", "existing": false, "condition": null,
	"identity": {
		"type": "SystemAssigned", "system_assigned": "yes", "user_assigned": "no",
		"user_assigned_identities": [],
	},
	"properties": {},
}

uai := {
	"key": "/resources/1", "label": "\"id-app\"", "type": "Microsoft.ManagedIdentity/userAssignedIdentities",
	"api_version": "2023-01-31", "name": "id-app",
	"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-app",
	"symbolic_name": null, "location": "westeurope", "deployed": "yes", "existing": false, "condition": null,
	"identity": null, "properties": {},
}

aks := {
	"key": "/resources/3", "label": "\"aks-prod\"", "type": "Microsoft.ContainerService/managedClusters",
	"api_version": "2024-01-01", "name": "aks-prod",
	"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-prod",
	"symbolic_name": null, "location": "westeurope", "deployed": "yes", "existing": false, "condition": null,
	"identity": {
		"type": "SystemAssigned", "system_assigned": "yes", "user_assigned": "no",
		"user_assigned_identities": [],
	},
	"properties": {},
}

principals := [
	{
		"id": "system:/resources/0", "kind": "system_assigned", "owner": "/resources/0",
		"param": null, "guid": null, "description": "system-assigned identity of \"vm-web\"",
		"external": null, "path": null, "created_here": true,
	},
	{
		"id": "user:/resources/1", "kind": "user_assigned", "owner": "/resources/1",
		"param": null, "guid": null, "description": "user-assigned identity \"id-app\"",
		"external": null, "path": null, "created_here": true,
	},
	{
		"id": "managed:/resources/3:identityprofile.kubeletidentity.objectid", "kind": "resource_managed",
		"owner": "/resources/3", "param": null, "guid": null,
		"description": "identity identityProfile.kubeletidentity.objectId of \"aks-prod\"",
		"external": null, "path": "identityProfile.kubeletidentity.objectId", "created_here": true,
	},
	{
		"id": "system:/subscriptions/s/resourcegroups/other/providers/microsoft.devcenter/devcenters/dc",
		"kind": "system_assigned", "owner": null, "param": null, "guid": null,
		"description": "system-assigned identity of /subscriptions/s/resourceGroups/other/providers/Microsoft.DevCenter/devcenters/dc",
		"external": "/subscriptions/s/resourceGroups/other/providers/Microsoft.DevCenter/devcenters/dc",
		"path": null, "created_here": false,
	},
	{
		"id": "parameter:adminId", "kind": "parameter", "owner": null,
		"param": "adminId", "guid": null, "description": "principal from parameter 'adminId'",
		"external": null, "path": null, "created_here": false,
	},
]

# system_grant grants Owner to the VM's identity at resource group scope;
# tests reshape it with object.union.
system_grant := {
	"resource": "/resources/2", "label": "\"ra-web\"", "name": "ra-web", "principal": "system:/resources/0",
	"principal_kind": "system_assigned", "principal_type": "ServicePrincipal", "role": owner,
	"scope": {"kind": "resource_group", "target": "/subscriptions/s/resourceGroups/rg"},
	"condition": null, "defaults": [],
}

user_grant := object.union(system_grant, {"principal": "user:/resources/1", "principal_kind": "user_assigned"})

# assignment_resource is the role assignment resource of assignment a.
assignment_resource(a, deployed) := {
	"key": a.resource, "label": a.label, "type": "Microsoft.Authorization/roleAssignments",
	"api_version": "2022-04-01", "name": a.name, "id": {"$unknown": "extensionResourceId(...)"},
	"symbolic_name": null, "location": null, "deployed": deployed, "existing": false,
	"condition": null, "identity": null, "properties": {},
}

# model returns the input of a template with the given role assignments
# (each with its own resource key) and the extra resources.
model_with(assignments, extra, deployed) := {
	"version": 1,
	"file": "main.json",
	"template": {
		"scope": "resource_group", "language_version": null,
		"resources": array.concat(
			array.concat([vm, uai, aks], [assignment_resource(a, deployed) | some a in assignments]),
			extra,
		),
	},
	"graph": {"principals": principals, "assignments": assignments},
}

model(assignments) := model_with(assignments, [], "yes")

model_deployed(assignments, deployed) := model_with(assignments, [], deployed)
