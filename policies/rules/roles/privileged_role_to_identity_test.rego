package armlint.rules.roles.privileged_role_to_identity_test

import data.armlint.rules.roles.privileged_role_to_identity as rule
import data.armlint.rules.roles.testdata_test as testdata

path := ["properties", "roleDefinitionId"]

vm_related(role) := {"resource": "/resources/0", "path": ["identity"], "message": sprintf("the identity granted %s", [role])}

test_owner_to_system_identity_at_resource_group_scope_is_warning if {
	rule.findings == {{
		"resource": "/resources/2", "path": path,
		"message": `role assignment "ra-web" grants Owner to system-assigned identity of "vm-web" at resource group scope`,
		"related": [vm_related("Owner")],
	}} with input as testdata.model([testdata.system_grant])
}

test_contributor_to_user_identity_at_subscription_scope_is_error if {
	a := object.union(testdata.user_grant, {"role": testdata.contributor, "scope": testdata.subscription_scope})
	rule.findings == {{
		"resource": "/resources/2", "path": path, "severity": "error",
		"message": `role assignment "ra-web" grants Contributor to user-assigned identity "id-app" at subscription scope`,
		"related": [{"resource": "/resources/1", "path": [], "message": "the identity granted Contributor"}],
	}} with input as testdata.model([a])
}

test_management_group_scope_is_error if {
	a := object.union(testdata.system_grant, {"scope": {
		"kind": "management_group",
		"target": "/providers/Microsoft.Management/managementGroups/platform",
	}})
	rule.findings == {{
		"resource": "/resources/2", "path": path, "severity": "error",
		"message": `role assignment "ra-web" grants Owner to system-assigned identity of "vm-web" at management group scope`,
		"related": [vm_related("Owner")],
	}} with input as testdata.model([a])
}

test_resource_scope_names_the_resource if {
	a := object.union(testdata.system_grant, {"scope": {
		"kind": "resource",
		"target": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/stdata",
	}})
	rule.findings == {{
		"resource": "/resources/2", "path": path,
		"message": `role assignment "ra-web" grants Owner to system-assigned identity of "vm-web" at resource scope (Microsoft.Storage/storageAccounts/stdata)`,
		"related": [vm_related("Owner")],
	}} with input as testdata.model([a])
}

test_resource_managed_identity_is_reported if {
	a := object.union(testdata.system_grant, {
		"principal": "managed:/resources/3:identityprofile.kubeletidentity.objectid",
		"principal_kind": "resource_managed", "role": testdata.contributor,
	})
	rule.findings == {{
		"resource": "/resources/2", "path": path,
		"message": `role assignment "ra-web" grants Contributor to identity identityProfile.kubeletidentity.objectId of "aks-prod" at resource group scope`,
		"related": [{
			"resource": "/resources/3", "path": ["properties", "identityProfile", "kubeletidentity", "objectId"],
			"message": "the identity granted Contributor",
		}],
	}} with input as testdata.model([a])
}

test_label_names_symbolic_assignment_and_defaults if {
	a := object.union(testdata.system_grant, {
		"label": "ownerAssignment",
		"name": {"$unknown": "guid(parameters('seed'))"},
		"scope": {"kind": "unknown", "target": null},
		"defaults": ["roleName", "vmName"],
	})
	msg := concat("", [
		"role assignment ownerAssignment grants Owner to system-assigned identity of \"vm-web\" ",
		"at a scope that could not be determined (with parameters 'roleName', 'vmName' at their defaults)",
	])
	rule.findings == {{"resource": "/resources/2", "path": path, "message": msg, "related": [vm_related("Owner")]}} with input as testdata.model([a])
}

test_external_identity_has_no_related_location if {
	a := object.union(testdata.system_grant, {"principal": "system:/subscriptions/s/resourcegroups/other/providers/microsoft.devcenter/devcenters/dc"})
	rule.findings == {{
		"resource": "/resources/2", "path": path,
		"message": `role assignment "ra-web" grants Owner to system-assigned identity of /subscriptions/s/resourceGroups/other/providers/Microsoft.DevCenter/devcenters/dc at resource group scope`,
		"related": [],
	}} with input as testdata.model([a])
}

test_condition_unknown_is_reported if {
	rule.findings == {{
		"resource": "/resources/2", "path": path,
		"message": `role assignment "ra-web" grants Owner to system-assigned identity of "vm-web" at resource group scope`,
		"related": [vm_related("Owner")],
	}} with input as testdata.model_deployed([testdata.system_grant], "maybe")
}

test_reader_is_not_reported if {
	rule.findings == set() with input as testdata.model([object.union(testdata.system_grant, {"role": testdata.reader})])
}

test_unknown_role_is_not_reported if {
	rule.findings == set() with input as testdata.model([object.union(testdata.system_grant, {"role": testdata.unknown_role})])
}

test_unknown_role_id_is_not_reported_even_if_marked_privileged if {
	role := object.union(testdata.owner, {"id": {"$unknown": "variables('role')"}})
	rule.findings == set() with input as testdata.model([object.union(testdata.system_grant, {"role": role})])
}

test_parameter_principal_is_not_reported if {
	a := object.union(testdata.system_grant, {"principal": "parameter:adminId", "principal_kind": "parameter"})
	rule.findings == set() with input as testdata.model([a])
}

test_unresolved_principal_is_not_reported if {
	a := object.union(testdata.system_grant, {"principal": null, "principal_kind": "unknown"})
	rule.findings == set() with input as testdata.model([a])
}

test_not_deployed_is_not_reported if {
	rule.findings == set() with input as testdata.model_deployed([testdata.system_grant], "no")
}

test_allowed_role_by_name_any_case_is_not_reported if {
	rule.findings == set() with input as testdata.model([testdata.system_grant])
		with data.armlint.config as {"AL1201": {"allowedRoles": ["owner"]}}
}

test_allowed_role_by_guid_is_not_reported if {
	rule.findings == set() with input as testdata.model([testdata.system_grant])
		with data.armlint.config as {"AL1201": {"allowedRoles": ["8E3AF657-A8FF-443C-A75C-2FE8C4BCB635"]}}
}

test_allowed_roles_keep_other_roles if {
	a := object.union(testdata.system_grant, {"role": testdata.contributor})
	rule.findings == {{
		"resource": "/resources/2", "path": path,
		"message": `role assignment "ra-web" grants Contributor to system-assigned identity of "vm-web" at resource group scope`,
		"related": [vm_related("Contributor")],
	}} with input as testdata.model([a])
		with data.armlint.config as {"AL1201": {"allowedRoles": ["Owner"]}}
}

test_other_rules_options_do_not_apply if {
	count(rule.findings) == 1 with input as testdata.model([testdata.system_grant])
		with data.armlint.config as {"AL1204": {"allowedRoles": ["Owner"]}}
}
