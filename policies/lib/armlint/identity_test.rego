package armlint.lib.identity_test

import data.armlint.lib.identity

test_api_date if {
	identity.api_date("2025-01-31-preview") == "2025-01-31"
	identity.api_date("2024-11-30") == "2024-11-30"
	not identity.api_date("latest")
	not identity.api_date({"$unknown": "parameters('api')"})
}

test_isolation_scope_support_compares_dates if {
	identity.supports_isolation_scope({"api_version": "2025-01-31-preview"})
	identity.supports_isolation_scope({"api_version": "2024-11-30"})
	identity.predates_isolation_scope({"api_version": "2023-07-31-preview"})
	not identity.supports_isolation_scope({"api_version": "2023-01-31"})
	not identity.predates_isolation_scope({"api_version": "latest"})
}

test_regional if {
	uai := {"type": "Microsoft.ManagedIdentity/userAssignedIdentities", "api_version": "2024-11-30"}
	identity.regional(object.union(uai, {"properties": {"isolationScope": "regional"}}))
	not identity.regional(object.union(uai, {"properties": {"isolationScope": "None"}}))
	not identity.regional(object.union(uai, {"properties": {"isolationScope": {"$unknown": "parameters('i')"}}}))
	not identity.regional(object.union(uai, {"api_version": "2023-01-31", "properties": {"isolationScope": "Regional"}}))
	not identity.regional(object.union(uai, {"properties": null}))
}

test_defaults if {
	r := {"defaults": {"name": ["b"], "location": ["a", "b"], "properties": {"isolationScope": ["c"]}}}
	identity.defaults(r, ["name", "location"]) == ["a", "b"]
	identity.defaults(r, ["count"]) == []
	identity.defaults({}, ["name"]) == []
	identity.property_defaults(r, ["isolationScope"]) == ["c"]
	identity.property_defaults(r, ["other"]) == []
}

test_scope_text if {
	identity.scope_text({"kind": "resource", "target": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st1"}) == "resource scope Microsoft.Storage/storageAccounts/st1"
	identity.scope_text({"kind": "resource", "target": "Microsoft.Storage/storageAccounts/st1"}) == "resource scope Microsoft.Storage/storageAccounts/st1"
	identity.scope_text({"kind": "resource_group", "target": "/subscriptions/s/resourceGroups/rg"}) == "resource group scope"
	identity.scope_text({"kind": "resource", "target": null}) == "resource scope"
}

test_attachments if {
	doc := {"template": {"resources": [
		{"key": "/resources/0", "identity": null},
		{"key": "/resources/1", "identity": {"user_assigned_identities": [
			{"id": "x", "target": "/resources/0", "key": "[resourceId('x')]"},
			{"id": {"$unknown": "parameters('i')"}, "target": null, "key": "[parameters('i')]"},
			{"id": "y", "target": "/resources/0", "key": null},
		]}},
	]}}
	identity.attachments == {
		{"consumer": "/resources/1", "identity": "/resources/0", "path": ["identity", "userAssignedIdentities", "[resourceId('x')]"]},
		{"consumer": "/resources/1", "identity": "/resources/0", "path": ["identity", "userAssignedIdentities"]},
	} with input as doc
}
