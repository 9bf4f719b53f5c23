package armlint.rules.ordering.missing_principal_type_test

import data.armlint.rules.ordering.missing_principal_type as rule

reader := {"id": "acdd72a7-3385-48ef-bd42-f606fba81ae7", "name": "Reader", "known": true}

vm := {"key": "/resources/0", "type": "Microsoft.Compute/virtualMachines", "deployed": "yes", "existing": false, "properties": {}}

principals := [
	{
		"id": "system:/resources/0", "kind": "system_assigned", "owner": "/resources/0", "created_here": true,
		"description": "system-assigned identity of \"vm-web\"",
	},
	{
		"id": "user:/subscriptions/s/resourcegroups/rg/providers/microsoft.managedidentity/userassignedidentities/shared",
		"kind": "user_assigned", "owner": null, "created_here": false,
		"description": "user-assigned identity /subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/shared",
	},
]

grant := {
	"resource": "/resources/1", "name": "ra-web", "principal": "system:/resources/0",
	"principal_kind": "system_assigned", "principal_type": null, "role": reader, "defaults": [],
}

model(a, props, deployed) := {
	"template": {"resources": [vm, {
		"key": "/resources/1", "type": "Microsoft.Authorization/roleAssignments",
		"deployed": deployed, "existing": false, "properties": props,
	}]},
	"graph": {"principals": principals, "assignments": [a]},
}

related := [{"resource": "/resources/0", "path": ["identity"], "message": "the identity, created in this deployment"}]

msg(problem, suffix) := sprintf(
	"role assignment \"ra-web\" grants Reader to system-assigned identity of \"vm-web\", which this deployment creates, but %s: the new service principal may not have replicated yet and the assignment can fail with PrincipalNotFound; set principalType 'ServicePrincipal'%s",
	[problem, suffix],
)

test_missing_principal_type_points_at_principal_id if {
	rule.findings == {{
		"resource": "/resources/1", "path": ["properties", "principalId"],
		"message": msg("sets no principalType", ""), "related": related,
	}} with input as model(grant, {"principalId": {"$unknown": "reference(...)"}}, "yes")
}

test_stray_object_type_is_not_principal_type if {
	rule.findings == {{
		"resource": "/resources/1", "path": ["properties", "principalId"],
		"message": msg("sets no principalType (ObjectType is not principalType)", ""), "related": related,
	}} with input as model(grant, {"ObjectType": "ServicePrincipal"}, "yes")
}

test_other_principal_type_with_defaults if {
	a := object.union(grant, {"principal_type": "Device", "defaults": ["principalType"]})
	rule.findings == {{
		"resource": "/resources/1", "path": ["properties", "principalType"],
		"message": msg("sets principalType \"Device\"", " (with parameter 'principalType' at its default)"),
		"related": related,
	}} with input as model(a, {}, "maybe")
}

test_service_principal_any_case_is_not_reported if {
	rule.findings == set() with input as model(object.union(grant, {"principal_type": "servicePrincipal"}), {}, "yes")
}

test_user_type_is_left_to_al1304 if {
	rule.findings == set() with input as model(object.union(grant, {"principal_type": "User"}), {}, "yes")
}

test_unknown_principal_type_is_not_reported if {
	a := object.union(grant, {"principal_type": {"$unknown": "parameters('principalType')"}})
	rule.findings == set() with input as model(a, {}, "yes")
}

test_identity_not_created_here_is_not_reported if {
	a := object.union(grant, {"principal": principals[1].id, "principal_kind": "user_assigned"})
	rule.findings == set() with input as model(a, {}, "yes")
}

test_unresolved_principal_is_not_reported if {
	a := object.union(grant, {"principal": null, "principal_kind": "unknown"})
	rule.findings == set() with input as model(a, {}, "yes")
}

test_assignment_not_deployed_is_not_reported if {
	rule.findings == set() with input as model(grant, {}, "no")
}
