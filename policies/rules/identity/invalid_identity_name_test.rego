package armlint.rules.identity.invalid_identity_name_test

import data.armlint.rules.identity.invalid_identity_name as rule

uai(name) := {
	"key": "/resources/0", "type": "Microsoft.ManagedIdentity/userAssignedIdentities", "api_version": "2023-01-31",
	"name": name, "label": "x", "location": "westeurope", "deployed": "yes", "existing": false,
	"properties": null, "identity": null,
	"defaults": {"name": [], "location": [], "count": [], "identity": [], "properties": {}},
}

doc(u) := {"version": 1, "template": {"resources": [u]}, "graph": {"principals": [], "assignments": []}}

says(name, problem) := {{
	"resource": "/resources/0", "path": ["name"],
	"message": sprintf("user-assigned identity name %q %s: it must have 3 to 128 letters, digits, hyphens or underscores and start with a letter or digit", [name, problem]),
}}

test_too_short if {
	rule.findings == says("id", "is 2 characters long") with input as doc(uai("id"))
}

test_too_long if {
	name := concat("", [x | some _ in numbers.range(1, 129); x := "a"])
	rule.findings == says(name, "is 129 characters long") with input as doc(uai(name))
}

test_bad_characters_are_listed_once if {
	rule.findings == says("id.app.v2 x", `contains " ", "."`) with input as doc(uai("id.app.v2 x"))
}

test_bad_start if {
	rule.findings == says("_id-app", "does not start with a letter or digit") with input as doc(uai("_id-app"))
}

test_default_is_named if {
	u := object.union(uai("id"), {"defaults": {"name": ["workload"]}})
	[f.message | some f in rule.findings] == [concat("", [
		`user-assigned identity name "id" is 2 characters long: it must have 3 to 128 letters, digits, `,
		`hyphens or underscores and start with a letter or digit (with parameter 'workload' at its default)`,
	])] with input as doc(u)
}

test_valid_names if {
	rule.findings == set() with input as doc(uai("id-orders_prod-01"))
	rule.findings == set() with input as doc(uai("7ab"))
	name := concat("", [x | some _ in numbers.range(1, 128); x := "a"])
	rule.findings == set() with input as doc(uai(name))
}

test_unknown_existing_or_other_types_are_silent if {
	rule.findings == set() with input as doc(uai({"$unknown": "parameters('n')"}))
	rule.findings == set() with input as doc(object.union(uai("x"), {"existing": true, "deployed": "no"}))
	rule.findings == set() with input as doc(object.union(uai("x"), {"type": "Microsoft.Storage/storageAccounts"}))
}

# valid is the one-test shortcut of problem: defined exactly when problem
# is not, on every edge of the rules.
test_valid_is_exactly_no_problem if {
	names := [
		"ab", "abc", "a-_", "_ab", "-ab", "a b", "ab.c", "é-id", "idé", "9id", "ID_1-x",
		concat("", ["a" | some _ in numbers.range(1, 128)]),
		concat("", ["a" | some _ in numbers.range(1, 129)]),
		concat("", ["é" | some _ in numbers.range(1, 3)]),
	]
	every name in names {
		count([1 | rule.valid(name)]) == count([1 | not rule.problem(name)])
	}
	count([1 | some name in names; rule.valid(name)]) == 5
}
