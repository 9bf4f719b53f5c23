package armlint.rules.roles.broad_scope_assignment_test

import data.armlint.rules.roles.broad_scope_assignment as rule
import data.armlint.rules.roles.testdata_test as testdata

vm_related(role) := {"resource": "/resources/0", "path": ["identity"], "message": sprintf("the identity granted %s", [role])}

test_contributor_at_subscription if {
	a := object.union(testdata.system_grant, {"role": testdata.contributor, "scope": testdata.subscription_scope})
	rule.findings == {{
		"resource": "/resources/2", "path": ["scope"],
		"message": `role assignment "ra-web" grants Contributor, which allows "*", to system-assigned identity of "vm-web" at subscription scope`,
		"related": [vm_related("Contributor")],
	}} with input as testdata.model([a])
}

test_data_reader_at_management_group_counts_as_write if {
	a := object.union(testdata.user_grant, {
		"role": testdata.blob_reader,
		"scope": {"kind": "management_group", "target": null},
		"defaults": ["mgName"],
	})
	rule.findings == {{
		"resource": "/resources/2", "path": ["scope"],
		"message": `role assignment "ra-web" grants Storage Blob Data Reader, which allows data action "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", to user-assigned identity "id-app" at management group scope (with parameter 'mgName' at its default)`,
		"related": [{"resource": "/resources/1", "path": [], "message": "the identity granted Storage Blob Data Reader"}],
	}} with input as testdata.model([a])
}

test_identity_operator_action_counts_as_write if {
	a := object.union(testdata.system_grant, {"role": testdata.identity_operator, "scope": {"kind": "tenant", "target": "/"}})
	rule.findings == {{
		"resource": "/resources/2", "path": ["scope"],
		"message": `role assignment "ra-web" grants Managed Identity Operator, which allows "Microsoft.ManagedIdentity/userAssignedIdentities/*/assign/action", to system-assigned identity of "vm-web" at tenant scope`,
		"related": [vm_related("Managed Identity Operator")],
	}} with input as testdata.model([a])
}

test_legacy_properties_scope_is_the_path if {
	a := object.union(testdata.system_grant, {"scope": testdata.subscription_scope})
	m := testdata.model([a])
	resources := [object.union(r, {"properties": {"scope": "/subscriptions/s"}}) | some r in m.template.resources; r.key == "/resources/2"]
	others := [r | some r in m.template.resources; r.key != "/resources/2"]
	rule.findings == {{
		"resource": "/resources/2", "path": ["properties", "scope"],
		"message": `role assignment "ra-web" grants Owner, which allows "*", to system-assigned identity of "vm-web" at subscription scope`,
		"related": [vm_related("Owner")],
	}} with input as object.union(m, {"template": {"resources": array.concat(others, resources)}})
}

test_reader_at_subscription_is_not_reported if {
	a := object.union(testdata.system_grant, {"role": testdata.reader, "scope": testdata.subscription_scope})
	rule.findings == set() with input as testdata.model([a])
}

test_resource_group_scope_is_not_reported if {
	rule.findings == set() with input as testdata.model([testdata.system_grant])
}

test_unknown_scope_is_not_reported if {
	a := object.union(testdata.system_grant, {"scope": {"kind": "unknown", "target": null}})
	rule.findings == set() with input as testdata.model([a])
}

test_parameter_principal_is_not_reported if {
	a := object.union(testdata.system_grant, {
		"principal": "parameter:adminId", "principal_kind": "parameter",
		"scope": testdata.subscription_scope,
	})
	rule.findings == set() with input as testdata.model([a])
}

test_unknown_role_is_not_reported if {
	a := object.union(testdata.system_grant, {"role": testdata.unknown_role, "scope": testdata.subscription_scope})
	rule.findings == set() with input as testdata.model([a])
}

test_allowed_role_is_not_reported if {
	a := object.union(testdata.system_grant, {"role": testdata.contributor, "scope": testdata.subscription_scope})
	rule.findings == set() with input as testdata.model([a])
		with data.armlint.config as {"AL1204": {"allowedRoles": ["CONTRIBUTOR"]}}
}
