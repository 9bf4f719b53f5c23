package armlint.rules.regions.isolation_scope_api_version_test

import data.armlint.rules.regions.isolation_scope_api_version as rule

uai := {
	"key": "/resources/0", "type": "Microsoft.ManagedIdentity/userAssignedIdentities", "api_version": "2023-01-31",
	"label": "\"id-app\"", "location": "westeurope", "deployed": "yes", "existing": false,
	"properties": {"isolationScope": "Regional"}, "identity": null,
	"defaults": {"name": [], "location": [], "count": [], "identity": [], "properties": {}},
}

doc(u) := {"version": 1, "template": {"resources": [u]}, "graph": {"principals": [], "assignments": []}}

path := ["properties", "isolationScope"]

test_old_api_version if {
	rule.findings == {{
		"resource": "/resources/0", "path": path,
		"message": `user-assigned identity "id-app" sets isolationScope "Regional", but apiVersion 2023-01-31 predates the property (first in 2024-11-30): the value is ignored`,
	}} with input as doc(uai)
}

test_later_preview_has_the_property if {
	rule.findings == set() with input as doc(object.union(uai, {"api_version": "2025-01-31-preview"}))
	rule.findings == set() with input as doc(object.union(uai, {"api_version": "2024-11-30"}))
}

test_invalid_value if {
	u := object.union(uai, {
		"api_version": "2024-11-30", "properties": {"isolationScope": "Zonal"},
		"defaults": {"properties": {"isolationScope": ["iso"]}},
	})
	rule.findings == {{
		"resource": "/resources/0", "path": path,
		"message": `user-assigned identity "id-app" sets isolationScope "Zonal", which is not None or Regional (with parameter 'iso' at its default)`,
	}} with input as doc(u)
}

test_unknown_is_silent if {
	rule.findings == set() with input as doc(object.union(uai, {"api_version": {"$unknown": "parameters('api')"}}))
	rule.findings == set() with input as doc(object.union(uai, {"api_version": "2024-11-30", "properties": {"isolationScope": {"$unknown": "parameters('i')"}}}))
}

test_absent_or_not_deployed_is_silent if {
	rule.findings == set() with input as doc(object.union(object.remove(uai, ["properties"]), {"properties": {}}))
	rule.findings == set() with input as doc(object.union(uai, {"properties": null}))
	rule.findings == set() with input as doc(object.union(uai, {"deployed": "no"}))
}
