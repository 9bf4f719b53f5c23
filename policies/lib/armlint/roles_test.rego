package armlint.lib.roles_test

import data.armlint.lib.roles

owner := {"id": "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "name": "Owner"}

unnamed := {"id": "0b5fe924-9a61-425c-96af-cfe6e287ca2d", "name": null}

test_matches_name_or_guid_any_case if {
	roles.matches(owner, "OWNER")
	roles.matches(owner, "8E3AF657-A8FF-443C-A75C-2FE8C4BCB635")
	not roles.matches(owner, "Reader")
	not roles.matches(owner, 42)
	roles.matches(unnamed, "0b5fe924-9a61-425c-96af-cfe6e287ca2d")
}

test_matches_any if {
	roles.matches_any(owner, ["Reader", "owner"])
	not roles.matches_any(owner, [])
}

test_label if {
	roles.label(owner) == "Owner"
	roles.label(unnamed) == "0b5fe924-9a61-425c-96af-cfe6e287ca2d"
}

test_scope_label if {
	roles.scope_label("management_group") == "management group scope"
	roles.scope_label("unknown") == "a scope that could not be determined"
}

test_writes if {
	roles.writes({"id": "x", "known": true, "read_only": false})
	not roles.writes({"id": "x", "known": true, "read_only": true})
	not roles.writes({"id": {"$unknown": "parameters('r')"}, "known": false, "read_only": false})
}

test_write_text if {
	roles.write_text({"actions": ["*/read", "Microsoft.Compute/*"], "data_actions": []}) == `"Microsoft.Compute/*"`
	roles.write_text({"actions": ["x/action"], "data_actions": ["blobs/read"]}) == `data action "blobs/read"`
	roles.write_text({"actions": ["*/read", "w/search/action", "Microsoft.Support/*"], "data_actions": []}) == `"Microsoft.Support/*"`
	roles.write_text({"actions": ["w/search/action"], "data_actions": []}) == `"w/search/action"`
	not roles.write_text({"actions": ["*/read"], "data_actions": []})
}
