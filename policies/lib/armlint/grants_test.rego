package armlint.lib.grants_test

import data.armlint.lib.grants

test_scope_text if {
	grants.scope_text({"kind": "resource", "target": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st"}) == "resource scope (Microsoft.Storage/storageAccounts/st)"
	grants.scope_text({"kind": "resource", "target": "Microsoft.KeyVault/vaults/kv"}) == "resource scope (Microsoft.KeyVault/vaults/kv)"
	grants.scope_text({"kind": "resource", "target": null}) == "resource scope"
	grants.scope_text({"kind": "management_group", "target": "/providers/Microsoft.Management/managementGroups/mg"}) == "management group scope"
}

test_attached if {
	vm := {"key": "/r/0", "identity": {"system_assigned": "yes", "user_assigned": "yes", "user_assigned_identities": [{"target": "/r/1"}]}}
	grants.attached({"kind": "system_assigned", "owner": "/r/0"}, vm)
	grants.attached({"kind": "user_assigned", "owner": "/r/1"}, vm)
	not grants.attached({"kind": "user_assigned", "owner": "/r/2"}, vm)
	not grants.attached({"kind": "user_assigned", "owner": null}, object.union(vm, {"identity": {"user_assigned_identities": [{"target": null}]}}))
	maybe := object.union(vm, {"identity": {"system_assigned": "maybe", "user_assigned": "maybe"}})
	not grants.attached({"kind": "system_assigned", "owner": "/r/0"}, maybe)
	not grants.attached({"kind": "user_assigned", "owner": "/r/1"}, maybe)
	grants.attached({"kind": "resource_managed", "owner": "/r/0"}, vm)
}

test_identity_path if {
	grants.identity_path({"kind": "system_assigned"}) == ["identity"]
	grants.identity_path({"kind": "user_assigned"}) == []
	grants.identity_path({"kind": "resource_managed", "path": "addonProfiles.omsagent.identity.objectId"}) == ["properties", "addonProfiles", "omsagent", "identity", "objectId"]
}
