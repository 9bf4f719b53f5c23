package armlint.rules.ordering.wrong_principal_type_test

import data.armlint.rules.ordering.wrong_principal_type as rule

uai := {"key": "/resources/0", "type": "Microsoft.ManagedIdentity/userAssignedIdentities", "deployed": "yes"}

principals := [
	{"id": "user:/resources/0", "kind": "user_assigned", "owner": "/resources/0", "description": "user-assigned identity \"id-app\""},
	{"id": "parameter:adminId", "kind": "parameter", "owner": null, "description": "principal from parameter 'adminId'"},
	{
		"id": "system:/subscriptions/s/resourcegroups/rg/providers/microsoft.web/sites/app", "kind": "system_assigned",
		"owner": null, "description": "system-assigned identity of /subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app",
	},
]

grant := {
	"resource": "/resources/1", "name": "ra-app", "principal": "user:/resources/0",
	"principal_kind": "user_assigned", "principal_type": "User", "defaults": [],
}

model(a, deployed) := {
	"template": {"resources": [uai, {"key": "/resources/1", "type": "Microsoft.Authorization/roleAssignments", "deployed": deployed}]},
	"graph": {"principals": principals, "assignments": [a]},
}

path := ["properties", "principalType"]

test_user_for_user_assigned_identity if {
	rule.findings == {{
		"resource": "/resources/1", "path": path,
		"message": "role assignment \"ra-app\" sets principalType \"User\", but its principal is user-assigned identity \"id-app\", a managed identity (principal type ServicePrincipal): the deployment fails; set principalType 'ServicePrincipal'",
		"related": [{"resource": "/resources/0", "path": [], "message": "the managed identity"}],
	}} with input as model(grant, "yes")
}

test_group_for_external_system_identity_with_default if {
	a := object.union(grant, {"principal": principals[2].id, "principal_kind": "system_assigned", "principal_type": "group", "defaults": ["principalType"]})
	rule.findings == {{
		"resource": "/resources/1", "path": path,
		"message": "role assignment \"ra-app\" sets principalType \"group\", but its principal is system-assigned identity of /subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/app, a managed identity (principal type ServicePrincipal): the deployment fails; set principalType 'ServicePrincipal' (with parameter 'principalType' at its default)",
		"related": [],
	}} with input as model(a, "maybe")
}

test_service_principal_is_not_reported if {
	rule.findings == set() with input as model(object.union(grant, {"principal_type": "ServicePrincipal"}), "yes")
}

test_absent_or_unknown_type_is_not_reported if {
	rule.findings == set() with input as model(object.union(grant, {"principal_type": null}), "yes")
	rule.findings == set() with input as model(object.union(grant, {"principal_type": {"$unknown": "parameters('t')"}}), "yes")
}

test_parameter_principal_is_not_reported if {
	a := object.union(grant, {"principal": "parameter:adminId", "principal_kind": "parameter"})
	rule.findings == set() with input as model(a, "yes")
}

test_not_deployed_is_not_reported if {
	rule.findings == set() with input as model(grant, "no")
}
