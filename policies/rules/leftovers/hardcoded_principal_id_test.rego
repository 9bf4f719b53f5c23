package armlint.rules.leftovers.hardcoded_principal_id_test

import data.armlint.rules.leftovers.hardcoded_principal_id as rule

guid := "3f2504e0-4f89-41d3-9a0c-0305e82c3301"

ra := {"key": "/resources/0", "type": "Microsoft.Authorization/roleAssignments", "label": "\"ra-ops\"", "deployed": "yes", "existing": false}

literal := {"id": concat(":", ["literal", guid]), "kind": "literal", "owner": null, "guid": guid, "description": "x"}

from_file := {"id": "parameter:ops", "kind": "parameter", "owner": null, "param": "ops", "guid": guid, "description": "x"}

assignment := {
	"resource": "/resources/0", "label": "\"ra-ops\"", "principal": literal.id, "principal_kind": "literal",
	"role": {"id": "acdd72a7-3385-48ef-bd42-f606fba81ae7", "name": "Reader", "known": true}, "defaults": [],
}

doc(a, deployed) := {
	"version": 1,
	"template": {"resources": [object.union(ra, {"deployed": deployed})]},
	"graph": {"principals": [literal, from_file], "assignments": [a]},
}

test_literal_principal if {
	rule.findings == {{
		"resource": "/resources/0", "path": ["properties", "principalId"],
		"message": `role assignment "ra-ops" grants Reader to the hardcoded object ID 3f2504e0-4f89-41d3-9a0c-0305e82c3301: nothing removes the assignment when that principal is deleted`,
	}} with input as doc(assignment, "yes")
}

test_parameter_default_is_named_and_unknown_role_is_said if {
	a := object.union(assignment, {"defaults": ["ops"], "role": {"id": {"$unknown": "parameters('r')"}, "name": null, "known": false}})
	[f.message | some f in rule.findings] == [concat("", [
		"role assignment \"ra-ops\" grants a role to the hardcoded object ID 3f2504e0-4f89-41d3-9a0c-0305e82c3301: ",
		"nothing removes the assignment when that principal is deleted (with parameter 'ops' at its default)",
	])] with input as doc(a, "maybe")
}

test_parameter_file_value_is_silent if {
	a := object.union(assignment, {"principal": "parameter:ops", "principal_kind": "parameter"})
	rule.findings == set() with input as doc(a, "yes")
}

test_managed_or_unresolved_principal_is_silent if {
	rule.findings == set() with input as doc(object.union(assignment, {"principal": null, "principal_kind": "unknown"}), "yes")
	rule.findings == set() with input as doc(object.union(assignment, {"principal_kind": "system_assigned"}), "yes")
}

test_not_deployed_is_silent if {
	rule.findings == set() with input as doc(assignment, "no")
}
