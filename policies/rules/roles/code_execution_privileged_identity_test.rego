package armlint.rules.roles.code_execution_privileged_identity_test

import data.armlint.rules.roles.code_execution_privileged_identity as rule
import data.armlint.rules.roles.testdata_test as testdata

# app is a web app (/resources/5) that uses the user-assigned identity.
app := {
	"key": "/resources/5", "label": "appService", "type": "Microsoft.Web/sites",
	"name": "app-web", "deployed": "yes", "existing": false, "properties": {},
	"identity": {
		"type": "UserAssigned", "system_assigned": "no", "user_assigned": "yes",
		"user_assigned_identities": [{
			"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-app",
			"target": "/resources/1",
			"key": "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-app')]",
		}],
	},
	"defaults": {"identity": ["appIdentity"]},
}

app_entry := ["identity", "userAssignedIdentities", "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-app')]"]

# second is another assignment (/resources/6) reshaped by the tests.
second := object.union(testdata.user_grant, {"resource": "/resources/6", "label": "\"ra-second\"", "name": "ra-second"})

related(key, role) := {"resource": key, "path": ["properties", "roleDefinitionId"], "message": sprintf("grants %s to the identity", [role])}

test_vm_system_identity_with_contributor if {
	a := object.union(testdata.system_grant, {"role": testdata.contributor})
	rule.findings == {{
		"resource": "/resources/0", "path": ["identity"],
		"message": `"vm-web" runs code as its system-assigned identity, which holds Contributor at resource group scope (role assignment "ra-web"): anyone who can run code there acts with these permissions`,
		"related": [related("/resources/2", "Contributor")],
	}} with input as testdata.model([a])
}

test_user_identity_lists_every_broad_write_grant if {
	reader_sub := object.union(testdata.user_grant, {"role": testdata.reader, "scope": testdata.subscription_scope})
	blob := object.union(second, {"role": testdata.blob_reader, "scope": testdata.subscription_scope, "defaults": ["b", "a"]})
	rule.findings == {{
		"resource": "/resources/5", "path": app_entry,
		"message": `appService runs code as user-assigned identity "id-app", which holds Storage Blob Data Reader at subscription scope (role assignment "ra-second"): anyone who can run code there acts with these permissions (with parameters 'a', 'appIdentity', 'b' at their defaults)`,
		"related": [related("/resources/6", "Storage Blob Data Reader")],
	}} with input as testdata.model_with([reader_sub, blob], [app], "yes")
	two := object.union(blob, {"role": testdata.owner, "defaults": []})
	rule.findings == {{
		"resource": "/resources/5", "path": app_entry,
		"message": `appService runs code as user-assigned identity "id-app", which holds Owner at resource group scope (role assignment "ra-web"), Owner at subscription scope (role assignment "ra-second"): anyone who can run code there acts with these permissions (with parameter 'appIdentity' at its default)`,
		"related": [related("/resources/2", "Owner"), related("/resources/6", "Owner")],
	}} with input as testdata.model_with([testdata.user_grant, two], [app], "yes")
}

test_aks_kubelet_identity if {
	a := object.union(testdata.system_grant, {
		"principal": "managed:/resources/3:identityprofile.kubeletidentity.objectid",
		"principal_kind": "resource_managed", "role": testdata.contributor,
	})
	rule.findings == {{
		"resource": "/resources/3", "path": ["identity"],
		"message": `"aks-prod" runs code as its identity identityProfile.kubeletidentity.objectId, which holds Contributor at resource group scope (role assignment "ra-web"): anyone who can run code there acts with these permissions`,
		"related": [related("/resources/2", "Contributor")],
	}} with input as testdata.model([a])
}

test_extra_code_type_from_options if {
	vault := object.union(app, {"type": "Microsoft.DataFactory/factories", "label": "factory"})
	rule.findings == set() with input as testdata.model_with([testdata.user_grant], [vault], "yes")
	count(rule.findings) == 1 with input as testdata.model_with([testdata.user_grant], [vault], "yes")
		with data.armlint.config as {"AL1206": {"codeExecutionTypes": ["microsoft.datafactory/FACTORIES"]}}
}

test_resource_scope_grant_is_not_reported if {
	a := object.union(testdata.system_grant, {"scope": {"kind": "resource", "target": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st"}})
	rule.findings == set() with input as testdata.model([a])
}

test_read_only_grant_is_not_reported if {
	rule.findings == set() with input as testdata.model([object.union(testdata.system_grant, {"role": testdata.reader})])
}

test_identity_not_attached_is_not_reported if {
	# The user-assigned identity is granted Owner, but only the web app of the
	# other tests uses it, and here the app uses another one.
	other := object.union(app, {"identity": {
		"type": "UserAssigned", "system_assigned": "no", "user_assigned": "yes",
		"user_assigned_identities": [{"id": {"$unknown": "parameters('identityId')"}, "target": null}],
	}})
	rule.findings == set() with input as testdata.model_with([testdata.user_grant], [other], "yes")
}

test_identity_type_unknown_is_not_reported if {
	other := object.union(app, {"identity": object.union(app.identity, {"type": {"$unknown": "parameters('t')"}, "user_assigned": "maybe"})})
	rule.findings == set() with input as testdata.model_with([testdata.user_grant], [other], "yes")
}

test_code_resource_not_deployed_is_not_reported if {
	rule.findings == set() with input as testdata.model_with([testdata.user_grant], [object.union(app, {"deployed": "no"})], "yes")
}

test_assignment_not_deployed_is_not_reported if {
	rule.findings == set() with input as testdata.model_deployed([testdata.system_grant], "no")
}

test_non_code_resource_is_not_reported if {
	storage := object.union(app, {"type": "Microsoft.Storage/storageAccounts"})
	rule.findings == set() with input as testdata.model_with([testdata.user_grant], [storage], "yes")
}

test_aks_control_plane_identity_is_not_reported if {
	a := object.union(testdata.system_grant, {"principal": "system:/resources/3", "principal_kind": "system_assigned", "role": testdata.contributor})
	m := testdata.model([a])
	p := {
		"id": "system:/resources/3", "kind": "system_assigned", "owner": "/resources/3", "param": null, "guid": null,
		"description": "system-assigned identity of \"aks-prod\"", "external": null, "path": null, "created_here": true,
	}
	rule.findings == set() with input as object.union(m, {"graph": {"principals": array.concat(m.graph.principals, [p])}})
}
