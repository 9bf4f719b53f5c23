package expr

import "testing"

// Unknown arguments: unknown in, unknown out, except where the result
// does not depend on the unknown part.
func TestUnknownShortCircuits(t *testing.T) {
	env := unknownEnv(t)
	runCases(t, env, []exprCase{
		{"contains(createObject('a', parameters('p')), 'a')", `true`},
		{"contains(createArray(parameters('p'), 'b'), 'b')", `true`},
		{"empty(createArray(parameters('p')))", `false`},
		{"length(createObject('a', parameters('p'), 'b', 1))", `2`},
		{"concat(createArray(1), createArray(parameters('p')))", `[1,"[parameters('p')]"]`},
		{"first(createArray(parameters('p'), 'b'))", `"[parameters('p')]"`},
		{"last(createArray(parameters('p'), 'b'))", `"b"`},
		{"coalesce('x', parameters('p'))", `"x"`},
		{"if(true(), 'a', parameters('p'))", `"a"`},
		{"and(false(), parameters('flag'))", `false`},
		{"or(true(), parameters('flag'))", `true`},
		{"tryGet(createObject('a', 1, 'b', parameters('p')), 'a')", `1`},
		{"tryIndexFromEnd(createArray(parameters('p'), 2), 1)", `2`},
		{"union(createObject('a', parameters('p')), createObject('b', 1)).b", `1`},
		{"take(createArray(1, parameters('p')), 1)", `[1]`},
		{"objectKeys(createObject('a', parameters('p')))", `["a"]`},
	})
	for _, x := range []string{
		"contains(createArray(parameters('p')), 'b')",
		"contains(parameters('p'), 'b')",
		"contains(createObject(parameters('q'), 1), 'a')",
		"toUpper(parameters('p'))",
		"length(parameters('p'))",
		"coalesce(parameters('p'), 'x')",
		"and(true(), parameters('flag'))",
		"union(createArray(parameters('p')), createArray('a'))",
		"json(parameters('p'))",
		"map(parameters('p'), lambda('x', 1))",
		"cidrSubnet(parameters('p'), 24, 0)",
		"dateTimeAdd(parameters('p'), 'P1D')",
		"groupBy(createArray(parameters('p')), lambda('x', lambdaVariables('x')))",
	} {
		if v := evalExpr(env, x); v.Kind() != KUnknown || v.Unknown().Err {
			t.Errorf("%s = %s, want a plain unknown", x, v)
		}
	}
}
