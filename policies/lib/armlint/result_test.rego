package armlint.lib.result_test

import data.armlint.lib.result

test_finding if {
	result.finding("/resources/0", ["name"], "m") == {"resource": "/resources/0", "path": ["name"], "message": "m"}
}

test_finding_related_with_severity if {
	rel := result.related("/resources/1", [], "r")
	f := result.with_severity(result.finding_related("/resources/0", [], "m", [rel]), "error")
	f == {
		"resource": "/resources/0", "path": [], "message": "m", "severity": "error",
		"related": [{"resource": "/resources/1", "path": [], "message": "r"}],
	}
}

test_defaults_note if {
	result.defaults_note([]) == ""
	result.defaults_note(["a"]) == " (with parameter 'a' at its default)"
	result.defaults_note(["a", "b"]) == " (with parameters 'a', 'b' at their defaults)"
}
