package armlint.rules.roles.wildcard_custom_role_test

import data.armlint.rules.roles.testdata_test as testdata
import data.armlint.rules.roles.wildcard_custom_role as rule

guid := "11111111-2222-3333-4444-555555555555"

custom_role := {
	"id": guid, "name": "Deploy Ops", "builtin": false,
	"privileged": false, "can_write_role_assignments": true, "read_only": false, "known": true,
	"actions": ["*"], "data_actions": [],
}

# definition returns a custom role definition (/resources/4) with the
# given actions and assignable scopes.
definition(actions, scopes) := {
	"key": "/resources/4", "label": sprintf("%q", [guid]),
	"type": "Microsoft.Authorization/roleDefinitions", "name": guid,
	"deployed": "yes", "existing": false, "identity": null,
	"properties": {
		"roleName": "Deploy Ops",
		"permissions": [{"actions": actions, "notActions": []}],
		"assignableScopes": scopes,
	},
}

rg_scopes := ["/subscriptions/s/resourceGroups/rg"]

grant := object.union(testdata.user_grant, {"role": custom_role})

assign_related := {"resource": "/resources/2", "path": ["properties", "roleDefinitionId"], "message": `assigns the role to user-assigned identity "id-app"`}

test_star_assigned_to_identity if {
	rule.findings == {{
		"resource": "/resources/4", "path": ["properties", "permissions", 0, "actions", 1],
		"message": `custom role "Deploy Ops" allows "*" (every action) and is assigned to user-assigned identity "id-app" by role assignment "ra-web"`,
		"related": [assign_related],
	}} with input as testdata.model_with([grant], [definition(["Microsoft.Compute/*/read", "*"], rg_scopes)], "yes")
}

test_each_wildcard_and_every_reason if {
	d := definition(["Microsoft.Authorization/*", "*/Write"], ["/subscriptions/s", "/subscriptions/s/resourceGroups/rg"])
	a := object.union(grant, {"defaults": ["identityName"]})
	reasons := `is assignable at subscription scope and assigned to user-assigned identity "id-app" by role assignment "ra-web" (with parameter 'identityName' at its default)`
	rule.findings == {
		{
			"resource": "/resources/4", "path": ["properties", "permissions", 0, "actions", 0],
			"message": sprintf(`custom role "Deploy Ops" allows "Microsoft.Authorization/*" (managing access) and %s`, [reasons]),
			"related": [assign_related],
		},
		{
			"resource": "/resources/4", "path": ["properties", "permissions", 0, "actions", 1],
			"message": sprintf(`custom role "Deploy Ops" allows "*/Write" (writing every resource type) and %s`, [reasons]),
			"related": [assign_related],
		},
	} with input as testdata.model_with([a], [d], "yes")
}

test_assignable_at_management_group_and_tenant_without_assignment if {
	d := definition(["*"], ["/providers/Microsoft.Management/managementGroups/platform", "/"])
	rule.findings == {{
		"resource": "/resources/4", "path": ["properties", "permissions", 0, "actions", 0],
		"message": `custom role "Deploy Ops" allows "*" (every action) and is assignable at management group scope and assignable at tenant scope`,
		"related": [],
	}} with input as testdata.model_with([], [d], "yes")
}

test_assigned_to_parameter_principal_at_resource_group_only_is_not_reported if {
	a := object.union(grant, {"principal": "parameter:adminId", "principal_kind": "parameter"})
	rule.findings == set() with input as testdata.model_with([a], [definition(["*"], rg_scopes)], "yes")
}

test_narrow_actions_are_not_reported if {
	d := definition(["Microsoft.Compute/virtualMachines/start/action", "*/read"], ["/subscriptions/s"])
	rule.findings == set() with input as testdata.model_with([grant], [d], "yes")
}

test_unknown_actions_are_not_reported if {
	d := definition({"$unknown": "parameters('actions')"}, ["/subscriptions/s"])
	d2 := object.union(d, {"properties": {"permissions": [{"actions": [{"$unknown": "parameters('action')"}]}]}})
	rule.findings == set() with input as testdata.model_with([grant], [d], "yes")
	rule.findings == set() with input as testdata.model_with([grant], [d2], "yes")
}

test_unknown_assignable_scope_is_not_a_reason if {
	d := definition(["*"], [{"$unknown": "parameters('scope')"}])
	rule.findings == set() with input as testdata.model_with([], [d], "yes")
}

test_definition_not_deployed_is_not_reported if {
	d := object.union(definition(["*"], ["/subscriptions/s"]), {"deployed": "no"})
	rule.findings == set() with input as testdata.model_with([grant], [d], "yes")
}

test_assignment_not_deployed_is_not_a_reason if {
	rule.findings == set() with input as testdata.model_with([grant], [definition(["*"], rg_scopes)], "no")
}

test_definition_defaults_are_named if {
	d := object.union(definition(["*"], ["/subscriptions/s"]), {"defaults": {"properties": {"permissions": ["actions"], "roleName": ["roleName"]}}})
	rule.findings == {{
		"resource": "/resources/4", "path": ["properties", "permissions", 0, "actions", 0],
		"message": `custom role "Deploy Ops" allows "*" (every action) and is assignable at subscription scope (with parameter 'actions' at its default)`,
		"related": [],
	}} with input as testdata.model_with([], [d], "yes")
}
