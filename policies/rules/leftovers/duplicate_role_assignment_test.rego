package armlint.rules.leftovers.duplicate_role_assignment_test

import data.armlint.rules.leftovers.duplicate_role_assignment as rule

reader := {"id": "acdd72a7-3385-48ef-bd42-f606fba81ae7", "name": "Reader", "known": true}

ra(i) := {
	"key": sprintf("/resources/%d", [i]), "type": "Microsoft.Authorization/roleAssignments",
	"label": sprintf("\"ra-%d\"", [i]), "deployed": "yes", "existing": false,
}

principals := [
	{"id": "user:/resources/9", "kind": "user_assigned", "owner": "/resources/9", "guid": null, "description": "user-assigned identity \"id-app\""},
	{"id": "parameter:a", "kind": "parameter", "owner": null, "guid": "3f2504e0-4f89-41d3-9a0c-0305e82c3301", "description": "principal from parameter 'a'"},
	{"id": "parameter:b", "kind": "parameter", "owner": null, "guid": "3f2504e0-4f89-41d3-9a0c-0305e82c3301", "description": "principal from parameter 'b'"},
]

assignment(i) := {
	"resource": sprintf("/resources/%d", [i]), "name": sprintf("name-%d", [i]), "label": sprintf("\"ra-%d\"", [i]),
	"principal": "user:/resources/9", "principal_kind": "user_assigned", "role": reader, "defaults": [],
	"scope": {"kind": "resource_group", "target": "/subscriptions/s/resourceGroups/rg"},
}

doc(grants) := {
	"version": 1,
	"template": {"resources": [ra(0), ra(1), ra(2)]},
	"graph": {"principals": principals, "assignments": grants},
}

dup(i) := {
	"resource": sprintf("/resources/%d", [i]), "path": [],
	"message": sprintf(`role assignment "ra-%d" grants Reader to user-assigned identity "id-app" at resource group scope, which role assignment "ra-0" already grants`, [i]),
	"related": [{"resource": "/resources/0", "path": [], "message": "the earlier role assignment with the same role, principal and scope"}],
}

test_later_duplicates_point_at_the_first if {
	rule.findings == {dup(1), dup(2)} with input as doc([assignment(2), assignment(0), assignment(1)])
}

test_scope_compares_without_case if {
	a1 := object.union(assignment(1), {"scope": {"target": "/SUBSCRIPTIONS/s/resourceGroups/RG"}})
	rule.findings == {dup(1)} with input as doc([assignment(0), a1])
}

test_same_principal_by_object_id if {
	a0 := object.union(assignment(0), {"principal": "parameter:a", "principal_kind": "parameter"})
	a1 := object.union(assignment(1), {"principal": "parameter:b", "principal_kind": "parameter", "defaults": ["b"]})
	[f.message | some f in rule.findings] == [concat("", [
		`role assignment "ra-1" grants Reader to principal from parameter 'b' at resource group scope, `,
		`which role assignment "ra-0" already grants (with parameter 'b' at its default)`,
	])] with input as doc([a0, a1])
}

test_same_name_is_one_assignment if {
	rule.findings == set() with input as doc([assignment(0), object.union(assignment(1), {"name": "NAME-0"})])
	same := {"$unknown": "guid(parameters('p'))"}
	rule.findings == set() with input as doc([object.union(assignment(0), {"name": same}), object.union(assignment(1), {"name": same})])
	rule.findings == set() with input as doc([assignment(0), object.union(assignment(1), {"name": same})])
}

test_different_unknown_names_are_compared if {
	rule.findings == {dup(1)} with input as doc([
		object.union(assignment(0), {"name": {"$unknown": "guid(parameters('p'), 'a')"}}),
		object.union(assignment(1), {"name": {"$unknown": "guid(parameters('p'), 'b')"}}),
	])
}

test_unknown_parts_are_silent if {
	no_scope := {"scope": {"kind": "resource_group", "target": null}}
	rule.findings == set() with input as doc([object.union(assignment(0), no_scope), object.union(assignment(1), no_scope)])
	no_principal := {"principal": null, "principal_kind": "unknown"}
	rule.findings == set() with input as doc([object.union(assignment(0), no_principal), object.union(assignment(1), no_principal)])
	no_role := {"role": {"id": {"$unknown": "parameters('r')"}, "name": null, "known": false}}
	rule.findings == set() with input as doc([object.union(assignment(0), no_role), object.union(assignment(1), no_role)])
}

test_maybe_deployed_is_silent if {
	d := {"version": 1, "template": {"resources": [ra(0), object.union(ra(1), {"deployed": "maybe"})]}, "graph": {"principals": principals, "assignments": [assignment(0), assignment(1)]}}
	rule.findings == set() with input as d
}
