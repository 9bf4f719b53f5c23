package armlint.rules.roles.identity_operator_broad_test

import data.armlint.rules.roles.identity_operator_broad as rule
import data.armlint.rules.roles.testdata_test as testdata

contributor_role := {
	"id": "e40ec5ca-96e0-45a2-b4ff-59039f2c2b59", "name": "Managed Identity Contributor", "builtin": true,
	"privileged": false, "can_write_role_assignments": false, "read_only": false, "known": true,
	"actions": ["Microsoft.ManagedIdentity/userAssignedIdentities/write"], "data_actions": [],
}

test_operator_to_parameter_principal_at_resource_group if {
	a := object.union(testdata.system_grant, {
		"role": testdata.identity_operator,
		"principal": "parameter:adminId", "principal_kind": "parameter",
	})
	rule.findings == {{
		"resource": "/resources/2", "path": ["scope"],
		"message": `role assignment "ra-web" grants Managed Identity Operator to principal from parameter 'adminId' at resource group scope: the holder can attach any user-assigned identity in that scope to a resource it controls and act with its permissions`,
		"related": [],
	}} with input as testdata.model([a])
}

test_contributor_to_system_identity_at_subscription if {
	a := object.union(testdata.system_grant, {
		"role": contributor_role, "scope": testdata.subscription_scope,
		"defaults": ["vmName"],
	})
	rule.findings == {{
		"resource": "/resources/2", "path": ["scope"],
		"message": `role assignment "ra-web" grants Managed Identity Contributor to system-assigned identity of "vm-web" at subscription scope: the holder can create federated credentials for any user-assigned identity in that scope and act with its permissions (with parameter 'vmName' at its default)`,
		"related": [{"resource": "/resources/0", "path": ["identity"], "message": "the identity granted Managed Identity Contributor"}],
	}} with input as testdata.model([a])
}

test_unresolved_principal_is_reported if {
	a := object.union(testdata.system_grant, {"role": testdata.identity_operator, "principal": null, "principal_kind": "unknown"})
	rule.findings == {{
		"resource": "/resources/2", "path": ["scope"],
		"message": `role assignment "ra-web" grants Managed Identity Operator to the principal given by principalId at resource group scope: the holder can attach any user-assigned identity in that scope to a resource it controls and act with its permissions`,
		"related": [],
	}} with input as testdata.model([a])
}

test_resource_scope_is_not_reported if {
	a := object.union(testdata.system_grant, {
		"role": testdata.identity_operator,
		"scope": {"kind": "resource", "target": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-app"},
	})
	rule.findings == set() with input as testdata.model([a])
}

test_unknown_scope_is_not_reported if {
	a := object.union(testdata.system_grant, {"role": testdata.identity_operator, "scope": {"kind": "unknown", "target": null}})
	rule.findings == set() with input as testdata.model([a])
}

test_other_roles_are_not_reported if {
	rule.findings == set() with input as testdata.model([testdata.system_grant])
}

test_not_deployed_is_not_reported if {
	a := object.union(testdata.system_grant, {"role": testdata.identity_operator})
	rule.findings == set() with input as testdata.model_deployed([a], "no")
}
