package armlint.lib.value_test

import data.armlint.lib.value

unknown := {"$unknown": "parameters('x')"}

test_is_unknown if {
	value.is_unknown(unknown)
	not value.is_unknown({"$unknown": 1})
	not value.is_unknown("parameters('x')")
	not value.is_unknown(null)
}

test_is_known if {
	value.is_known("x")
	value.is_known(null)
	value.is_known([unknown])
	not value.is_known(unknown)
}

test_fully_known if {
	value.fully_known({"a": [1, "b", null]})
	not value.fully_known({"a": [1, unknown]})
	not value.fully_known(unknown)
}

test_display if {
	value.display("vm-web") == `"vm-web"`
	value.display(unknown) == "parameters('x')"
	value.display(3) == "3"
}
