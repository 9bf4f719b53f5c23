package armlint.rules.regions.identity_cross_region_test

import data.armlint.rules.regions.identity_cross_region as rule

uai := {
	"key": "/resources/0", "type": "Microsoft.ManagedIdentity/userAssignedIdentities", "api_version": "2023-01-31",
	"label": "\"id-batch\"", "location": "eastus", "deployed": "yes", "existing": false, "properties": null,
	"identity": null, "defaults": {"name": [], "location": ["idLoc"], "count": [], "identity": [], "properties": {}},
}

app := {
	"key": "/resources/1", "type": "Microsoft.Batch/batchAccounts", "api_version": "2024-02-01",
	"label": "\"batchweu\"", "location": "westeurope", "deployed": "maybe", "existing": false, "properties": {},
	"identity": {"type": "UserAssigned", "system_assigned": "no", "user_assigned": "yes", "user_assigned_identities": [{"id": "x", "target": "/resources/0", "key": "k"}]},
	"defaults": {"name": [], "location": [], "count": [], "identity": [], "properties": {}},
}

doc(u, c) := {"version": 1, "template": {"resources": [u, c]}, "graph": {"principals": [], "assignments": []}}

test_identity_in_other_region if {
	rule.findings == {{
		"resource": "/resources/1", "path": ["identity", "userAssignedIdentities", "k"],
		"message": `"batchweu" in westeurope uses user-assigned identity "id-batch", which lives in eastus: the two cannot be relocated together, and an outage of eastus affects "batchweu" (with parameter 'idLoc' at its default)`,
		"related": [{"resource": "/resources/0", "path": ["location"], "message": "the identity \"id-batch\", in eastus"}],
	}} with input as doc(uai, app)
}

test_global_resource_is_silent if {
	rule.findings == set() with input as doc(uai, object.union(app, {"location": "global"}))
}

test_regional_identity_is_left_to_al1101 if {
	u := object.union(uai, {"api_version": "2024-11-30", "properties": {"isolationScope": "Regional"}})
	rule.findings == set() with input as doc(u, app)
}

test_ignored_isolation_scope_is_reported if {
	u := object.union(uai, {"properties": {"isolationScope": "Regional"}})
	count(rule.findings) == 1 with input as doc(u, app)
}

test_same_or_unknown_region_is_silent if {
	rule.findings == set() with input as doc(uai, object.union(app, {"location": "eastus"}))
	rule.findings == set() with input as doc(uai, object.union(app, {"location": {"$unknown": "parameters('l')"}}))
	rule.findings == set() with input as doc(uai, object.union(app, {"deployed": "no"}))
}
