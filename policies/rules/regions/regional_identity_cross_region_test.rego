package armlint.rules.regions.regional_identity_cross_region_test

import data.armlint.rules.regions.regional_identity_cross_region as rule

uai := {
	"key": "/resources/0", "type": "Microsoft.ManagedIdentity/userAssignedIdentities", "api_version": "2024-11-30",
	"label": "\"id-weu\"", "location": "westeurope", "deployed": "yes", "existing": false,
	"properties": {"isolationScope": "Regional"}, "identity": null,
	"defaults": {"name": [], "location": [], "count": [], "identity": [], "properties": {}},
}

app := {
	"key": "/resources/1", "type": "Microsoft.Web/sites", "api_version": "2022-09-01",
	"label": "\"app-web\"", "location": "northeurope", "deployed": "yes", "existing": false, "properties": {},
	"identity": {"type": "UserAssigned", "system_assigned": "no", "user_assigned": "yes", "user_assigned_identities": [{"id": "x", "target": "/resources/0", "key": "[resourceId('x')]"}]},
	"defaults": {"name": [], "location": [], "count": [], "identity": [], "properties": {}},
}

doc(u, c) := {"version": 1, "template": {"resources": [u, c]}, "graph": {"principals": [], "assignments": []}}

want(msg) := {{
	"resource": "/resources/1", "path": ["identity", "userAssignedIdentities", "[resourceId('x')]"], "message": msg,
	"related": [{"resource": "/resources/0", "path": ["location"], "message": "the regional identity \"id-weu\", in westeurope"}],
}}

test_regional_identity_in_other_region if {
	rule.findings == want(`"app-web" in northeurope uses user-assigned identity "id-weu", which is Regional (isolationScope) and lives in westeurope: a regional identity can only be assigned to resources in its own region`) with input as doc(uai, app)
}

test_defaults_are_named if {
	u := object.union(uai, {"defaults": {"location": ["idLoc"], "properties": {"isolationScope": ["iso"]}}})
	c := object.union(app, {"defaults": {"location": ["appLoc"]}})
	rule.findings == want(`"app-web" in northeurope uses user-assigned identity "id-weu", which is Regional (isolationScope) and lives in westeurope: a regional identity can only be assigned to resources in its own region (with parameters 'appLoc', 'idLoc', 'iso' at their defaults)`) with input as doc(u, c)
}

test_global_resource_never_matches if {
	count(rule.findings) == 1 with input as doc(uai, object.union(app, {"location": "global"}))
}

test_same_region_is_silent if {
	rule.findings == set() with input as doc(uai, object.union(app, {"location": "westeurope"}))
}

test_unknown_location_is_silent if {
	rule.findings == set() with input as doc(uai, object.union(app, {"location": {"$unknown": "parameters('l')"}}))
	rule.findings == set() with input as doc(object.union(uai, {"location": null}), app)
}

test_not_regional_is_silent if {
	rule.findings == set() with input as doc(object.union(uai, {"properties": {"isolationScope": "None"}}), app)
	rule.findings == set() with input as doc(object.union(uai, {"properties": {"isolationScope": {"$unknown": "parameters('i')"}}}), app)
	rule.findings == set() with input as doc(object.union(uai, {"api_version": "2023-01-31"}), app)
}

test_not_deployed_is_silent if {
	rule.findings == set() with input as doc(uai, object.union(app, {"deployed": "no"}))
	rule.findings == set() with input as doc(object.union(uai, {"existing": true, "deployed": "no"}), app)
}

test_computed_key_points_at_the_block if {
	c := object.union(app, {"identity": {"user_assigned_identities": [{"id": "x", "target": "/resources/0", "key": null}]}})
	[f | some f in rule.findings][0].path == ["identity", "userAssignedIdentities"] with input as doc(uai, c)
}
