# Helpers for values that may be unknown.
#
# An unknown value is the object {"$unknown": "<canonical expression>"}
# (see data.armlint.lib.input). Guard every comparison with is_known.
package armlint.lib.value

# is_unknown is true when x is an unknown value.
is_unknown(x) if {
	is_object(x)
	is_string(x["$unknown"])
}

# is_known is true when x itself is known. A known array or object may
# still hold unknowns; see fully_known.
is_known(x) if not is_unknown(x)

# fully_known is true when x and everything inside it is known.
fully_known(x) if {
	is_known(x)
	not _has_unknown(x)
}

_has_unknown(x) if {
	walk(x, [_, v])
	is_unknown(v)
}

# expression returns the canonical expression of an unknown value.
expression(x) := x["$unknown"] if is_unknown(x)

# display returns a value for messages: a known string in double quotes,
# an unknown as its expression, anything else as JSON.
display(x) := sprintf("%q", [x]) if is_string(x)

display(x) := x["$unknown"] if is_unknown(x)

display(x) := json.marshal(x) if {
	not is_string(x)
	not is_unknown(x)
}
