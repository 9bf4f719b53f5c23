package armlint.rules.roles.role_assignment_escalation_test

import data.armlint.rules.roles.role_assignment_escalation as rule
import data.armlint.rules.roles.testdata_test as testdata

path := ["properties", "roleDefinitionId"]

test_owner_to_system_identity if {
	rule.findings == {{
		"resource": "/resources/2", "path": path,
		"message": `role assignment "ra-web" grants Owner, which can assign roles, to system-assigned identity of "vm-web" at resource group scope without a condition: code running as the identity can grant itself any role`,
		"related": [{"resource": "/resources/0", "path": ["identity"], "message": "the identity granted Owner"}],
	}} with input as testdata.model([testdata.system_grant])
}

test_rbac_administrator_to_user_identity_blank_condition if {
	a := object.union(testdata.user_grant, {"role": testdata.rbac_admin, "condition": "  ", "defaults": ["principalName"]})
	rule.findings == {{
		"resource": "/resources/2", "path": path,
		"message": `role assignment "ra-web" grants Role Based Access Control Administrator, which can assign roles, to user-assigned identity "id-app" at resource group scope without a condition: code running as the identity can grant itself any role (with parameter 'principalName' at its default)`,
		"related": [{"resource": "/resources/1", "path": [], "message": "the identity granted Role Based Access Control Administrator"}],
	}} with input as testdata.model([a])
}

test_custom_role_relates_its_definition if {
	custom := {
		"id": "11111111-2222-3333-4444-555555555555", "name": "Access Broker", "builtin": false,
		"privileged": false, "can_write_role_assignments": true, "read_only": false, "known": true,
		"actions": ["Microsoft.Authorization/roleAssignments/write"], "data_actions": [],
	}
	definition := {
		"key": "/resources/4", "label": "\"11111111-2222-3333-4444-555555555555\"",
		"type": "Microsoft.Authorization/roleDefinitions", "name": "11111111-2222-3333-4444-555555555555",
		"deployed": "yes", "existing": false, "identity": null, "properties": {},
	}
	a := object.union(testdata.user_grant, {"role": custom})
	rule.findings == {{
		"resource": "/resources/2", "path": path,
		"message": `role assignment "ra-web" grants Access Broker, which can assign roles, to user-assigned identity "id-app" at resource group scope without a condition: code running as the identity can grant itself any role`,
		"related": [
			{"resource": "/resources/1", "path": [], "message": "the identity granted Access Broker"},
			{"resource": "/resources/4", "path": ["properties", "permissions"], "message": "the custom role definition"},
		],
	}} with input as testdata.model_with([a], [definition], "yes")
}

test_condition_set_is_not_reported if {
	a := object.union(testdata.system_grant, {"role": testdata.rbac_admin, "condition": "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})))"})
	rule.findings == set() with input as testdata.model([a])
}

test_unknown_condition_is_not_reported if {
	a := object.union(testdata.system_grant, {"condition": {"$unknown": "parameters('condition')"}})
	rule.findings == set() with input as testdata.model([a])
}

test_contributor_is_not_reported if {
	rule.findings == set() with input as testdata.model([object.union(testdata.system_grant, {"role": testdata.contributor})])
}

test_parameter_principal_is_not_reported if {
	a := object.union(testdata.system_grant, {"principal": "parameter:adminId", "principal_kind": "parameter"})
	rule.findings == set() with input as testdata.model([a])
}

test_not_deployed_is_not_reported if {
	rule.findings == set() with input as testdata.model_deployed([testdata.system_grant], "no")
}

test_unknown_role_is_not_reported if {
	rule.findings == set() with input as testdata.model([object.union(testdata.system_grant, {"role": testdata.unknown_role})])
}
