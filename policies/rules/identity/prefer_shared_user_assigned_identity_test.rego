package armlint.rules.identity.prefer_shared_user_assigned_identity_test

import data.armlint.rules.identity.prefer_shared_user_assigned_identity as rule

reader := {"id": "acdd72a7-3385-48ef-bd42-f606fba81ae7", "name": "Reader", "known": true}

app(i) := {
	"key": sprintf("/resources/%d", [i]), "type": "Microsoft.Web/sites", "label": sprintf("\"app-%d\"", [i]),
	"deployed": "yes", "existing": false,
}

grant(i, app_index) := {
	"key": sprintf("/resources/%d", [i]), "type": "Microsoft.Authorization/roleAssignments",
	"label": sprintf("\"ra-%d\"", [i]), "deployed": "yes", "existing": false,
}

assignment(i, app_index) := {
	"resource": sprintf("/resources/%d", [i]), "principal": sprintf("system:/resources/%d", [app_index]),
	"principal_kind": "system_assigned", "role": reader, "defaults": [],
	"scope": {"kind": "resource_group", "target": "/subscriptions/s/resourceGroups/RG"},
}

principal(i) := {
	"id": sprintf("system:/resources/%d", [i]), "kind": "system_assigned", "owner": sprintf("/resources/%d", [i]),
	"created_here": true,
}

# Three apps (/resources/0-2) and their grants (/resources/3-5).
doc(assignments) := {
	"version": 1,
	"template": {"resources": [app(0), app(1), app(2), grant(3, 0), grant(4, 1), grant(5, 2)]},
	"graph": {"principals": [principal(0), principal(1), principal(2)], "assignments": assignments},
}

test_two_apps_with_the_same_grant if {
	a4 := object.union(assignment(4, 1), {"scope": {"target": "/subscriptions/s/resourceGroups/rg"}, "defaults": ["rg"]})
	rule.findings == {{
		"resource": "/resources/3", "path": ["properties", "principalId"],
		"message": `2 resources ("app-0", "app-1") each have a system-assigned identity granted Reader at resource group scope: one shared user-assigned identity would need one role assignment instead of 2 (with parameter 'rg' at its default)`,
		"related": [
			{"resource": "/resources/4", "path": ["properties", "principalId"], "message": "also grants Reader at the same scope"},
			{"resource": "/resources/0", "path": ["identity"], "message": "a system-assigned identity granted the role"},
			{"resource": "/resources/1", "path": ["identity"], "message": "a system-assigned identity granted the role"},
		],
	}} with input as doc([a4, assignment(3, 0)])
}

test_threshold_option if {
	pair := [assignment(3, 0), assignment(4, 1)]
	rule.findings == set() with input as doc(pair)
		with data.armlint.config as {"AL1501": {"threshold": 3}}
	count(rule.findings) == 1 with input as doc(array.concat(pair, [assignment(5, 2)]))
		with data.armlint.config as {"AL1501": {"threshold": 3}}
}

test_one_identity_granted_twice_is_not_a_group if {
	rule.findings == set() with input as doc([assignment(3, 0), assignment(4, 0)])
}

test_different_roles_or_scopes_are_not_a_group if {
	other := object.union(assignment(4, 1), {"role": {"id": "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", "name": "Storage Blob Data Reader"}})
	rule.findings == set() with input as doc([assignment(3, 0), other])
	elsewhere := object.union(assignment(4, 1), {"scope": {"target": "/subscriptions/s/resourceGroups/other"}})
	rule.findings == set() with input as doc([assignment(3, 0), elsewhere])
}

test_unknown_role_or_scope_is_silent if {
	unknown_role := object.union(assignment(4, 1), {"role": {"id": {"$unknown": "parameters('r')"}, "name": null, "known": false}})
	rule.findings == set() with input as doc([object.union(assignment(3, 0), {"role": unknown_role.role}), unknown_role])
	no_scope := {"scope": {"kind": "resource_group", "target": null}}
	rule.findings == set() with input as doc([object.union(assignment(3, 0), no_scope), object.union(assignment(4, 1), no_scope)])
}

test_user_assigned_is_silent if {
	ua := {"principal_kind": "user_assigned"}
	rule.findings == set() with input as doc([object.union(assignment(3, 0), ua), object.union(assignment(4, 1), ua)])
}
