package expr

import "testing"

func newTestEnv(t *testing.T) *Env {
	return NewEnv(loadTemplate(t, emptyTemplate), Options{})
}

func TestStringFunctions(t *testing.T) {
	runCases(t, newTestEnv(t), []exprCase{
		{"format('{0}, {1}. Formatted number: {2:N0}', 'Hello', 'User', 8175133)", `"Hello, User. Formatted number: 8,175,133"`},
		{"format('{0:N}', json('1234.5'))", `"1,234.50"`},
		{"format('{0:N1}', json('0.05'))", `"0.1"`},
		{"format('{0:D3}-{1,5}|{2,-4}|{{x}}', 7, 'ab', 'c')", `"007-   ab|c   |{x}"`},
		{"format('{0:N2}', -1234567)", `"-1,234,567.00"`},
		{"format('{0:X}', 255)", `"FF"`},
		{"format('{0:000}', 7)", `"007"`},
		{"format('{0}', true())", `"True"`},
		{"concat('a', 'b', 1)", `"ab1"`},
		{"concat(createArray(1, 2), createArray(3))", `[1,2,3]`},
		{"toLower('ABC')", `"abc"`},
		{"toUpper('abc')", `"ABC"`},
		{"trim('  x y  ')", `"x y"`},
		{"string(createObject('a', 1, 'b', createArray('x')))", `"{\"a\":1,\"b\":[\"x\"]}"`},
		{"string(true())", `"True"`},
		{"string(10)", `"10"`},
		{"split('one,two;three', createArray(',', ';'))", `["one","two","three"]`},
		{"split('a,,b', ',')", `["a","","b"]`},
		{"join(createArray('a', 'b', 'c'), '-')", `"a-b-c"`},
		{"replace('123-123-1234', '-', '')", `"1231231234"`},
		{"substring('hello world', 6, 5)", `"world"`},
		{"substring('hello', 2)", `"llo"`},
		{"startsWith('abcdef', 'AB')", `true`},
		{"endsWith('abcdef', 'EF')", `true`},
		{"endsWith('abcdef', 'e')", `false`},
		{"indexOf('test', 'T')", `0`},
		{"indexOf('abcdef', 'CD')", `2`},
		{"lastIndexOf('abcdef', 'AB')", `0`},
		{"indexOf('abcdef', 'z')", `-1`},
		{"lastIndexOf('abcabc', 'b')", `4`},
		{"padLeft('123', 10, '0')", `"0000000123"`},
		{"padLeft(5, 3)", `"  5"`},
		{"take('one two three', 2)", `"on"`},
		{"skip('one two three', 4)", `"two three"`},
		{"first('One Two')", `"O"`},
		{"last('One Two')", `"o"`},
		{"length('héllo')", `5`},
		{"contains('OneTwoThree', 'e')", `true`},
		{"contains('OneTwoThree', 'z')", `false`},
		{"empty('')", `true`},
	})
}

func TestEncodingFunctions(t *testing.T) {
	runCases(t, newTestEnv(t), []exprCase{
		{"base64('one, two, three')", `"b25lLCB0d28sIHRocmVl"`},
		{"base64ToString('b25lLCB0d28sIHRocmVl')", `"one, two, three"`},
		{"base64ToJson('eyJvbmUiOiAiYSIsICJ0d28iOiAiYiJ9')", `{"one":"a","two":"b"}`},
		{"uri('http://contoso.com/resources/', 'nested/azuredeploy.json')", `"http://contoso.com/resources/nested/azuredeploy.json"`},
		{"uri('http://contoso.com/resources/azuredeploy.json', 'nested/azuredeploy.json')", `"http://contoso.com/resources/nested/azuredeploy.json"`},
		{"uriComponent('http://contoso.com/resources/nested/azuredeploy.json')", `"http%3A%2F%2Fcontoso.com%2Fresources%2Fnested%2Fazuredeploy.json"`},
		{"uriComponentToString('http%3A%2F%2Fcontoso.com%2Fresources%2Fnested%2Fazuredeploy.json')", `"http://contoso.com/resources/nested/azuredeploy.json"`},
		{"dataUri('Hello')", `"data:text/plain;charset=utf8;base64,SGVsbG8="`},
		{"dataUriToString('data:;base64,SGVsbG8sIFdvcmxkIQ==')", `"Hello, World!"`},
		{"json('{\"a\": [1, 2.5, null, true]}')", `{"a":[1,2.5,null,true]}`},
		{"json('null')", `null`},
	})
}

func TestLogicalFunctions(t *testing.T) {
	runCases(t, newTestEnv(t), []exprCase{
		{"if(true(), 'a', 'b')", `"a"`},
		{"if(false(), 'a', 'b')", `"b"`},
		{"if(true(), 'a', div(1, 0))", `"a"`}, // the other branch is not evaluated
		{"equals('abc', 'abc')", `true`},
		{"equals('abc', 'ABC')", `false`},
		{"equals(1, 1)", `true`},
		{"equals(createArray(1, 'a'), createArray(1, 'a'))", `true`},
		{"equals(createObject('a', 1), createObject('A', 1))", `true`},
		{"coalesce(null(), null(), 'x', 'y')", `"x"`},
		{"coalesce(null(), null())", `null`},
		{"and(true(), false())", `false`},
		{"and(true(), true(), true())", `true`},
		{"or(false(), true())", `true`},
		{"not(true())", `false`},
		{"less(1, 2)", `true`},
		{"less('b', 'a')", `false`},
		{"greater(10, 5)", `true`},
		{"greaterOrEquals(5, 5)", `true`},
		{"lessOrEquals(6, 5)", `false`},
		{"bool('TRUE')", `true`},
		{"bool(0)", `false`},
		{"null()", `null`},
	})
}

func TestNumericFunctions(t *testing.T) {
	runCases(t, newTestEnv(t), []exprCase{
		{"add(5, 3)", `8`},
		{"sub(7, 3)", `4`},
		{"mul(5, -3)", `-15`},
		{"div(8, 3)", `2`},
		{"div(-8, 3)", `-2`},
		{"mod(7, 3)", `1`},
		{"mod(-7, 3)", `-1`},
		{"mod(80, -4)", `0`},
		{"min(createArray(0, 3, 2, 5, 4))", `0`},
		{"max(0, 3, 2, 5, 4)", `5`},
		{"int('4')", `4`},
		{"float('2.5')", `2.5`},
		{"range(1, 3)", `[1,2,3]`},
		{"range(5, 0)", `[]`},
	})
}

func TestArrayObjectFunctions(t *testing.T) {
	runCases(t, newTestEnv(t), []exprCase{
		{"createArray(1, 'a', createArray(2))", `[1,"a",[2]]`},
		{"array('x')", `["x"]`},
		{"length(createArray(1, 2, 3))", `3`},
		{"length(createObject('a', 1))", `1`},
		{"empty(createArray())", `true`},
		{"empty(createObject())", `true`},
		{"contains(createArray('a', 'b'), 'b')", `true`},
		{"contains(createObject('One', 1), 'one')", `true`},
		{"first(createArray('one', 'two'))", `"one"`},
		{"last(createArray('one', 'two'))", `"two"`},
		{"first(createArray())", `null`},
		{"take(createArray('a', 'b', 'c'), 2)", `["a","b"]`},
		{"skip(createArray('a', 'b', 'c'), 2)", `["c"]`},
		{"skip(createArray('a'), 5)", `[]`},
		{"union(createArray('one', 'two'), createArray('two', 'three'))", `["one","two","three"]`},
		{"union(createObject('a', 'b', 'n', createObject('x', 1)), createObject('c', 'd', 'n', createObject('y', 2)))", `{"a":"b","n":{"x":1,"y":2},"c":"d"}`},
		{"intersection(createArray('one', 'two', 'three'), createArray('two', 'three'))", `["two","three"]`},
		{"intersection(createObject('one', 'a', 'two', 'b'), createObject('one', 'a', 'two', 'z'))", `{"one":"a"}`},
		{"flatten(createArray(createArray('a', 'b'), createArray('c')))", `["a","b","c"]`},
		{"indexOf(createArray('a', 'b', 'a'), 'a')", `0`},
		{"lastIndexOf(createArray('a', 'b', 'a'), 'a')", `2`},
		{"indexFromEnd(createArray(1, 2, 3), 1)", `3`},
		{"tryIndexFromEnd(createArray(1, 2, 3), 4)", `null`},
		{"objectKeys(createObject('b', 1, 'a', 2))", `["b","a"]`},
		{"items(createObject('item002', 'b', 'item001', 'a'))", `[{"key":"item001","value":"a"},{"key":"item002","value":"b"}]`},
		{"shallowMerge(createArray(createObject('a', 1, 'n', createObject('x', 1)), createObject('n', createObject('y', 2))))", `{"a":1,"n":{"y":2}}`},
		{"tryGet(createObject('a', createObject('b', 1)), 'a', 'b')", `1`},
		{"tryGet(createObject('a', 1), 'z')", `null`},
		{"tryGet(createArray(1, 2), 5)", `null`},
		{"createObject('a', 1).a", `1`},
		{"createObject('A', 1)['a']", `1`},
		{"createArray('x', 'y')[1]", `"y"`},
	})
}

func TestLambdaFunctions(t *testing.T) {
	runCases(t, newTestEnv(t), []exprCase{
		{"filter(createArray(1, 5, 7), lambda('x', greater(lambdaVariables('x'), 4)))", `[5,7]`},
		{"map(range(0, 3), lambda('i', add(lambdaVariables('i'), 10)))", `[10,11,12]`},
		{"map(createArray('a', 'b'), lambda('x', 'i', concat(lambdaVariables('x'), string(lambdaVariables('i')))))", `["a0","b1"]`},
		{"reduce(createArray('abc', 'def'), '', lambda('cur', 'next', concat(lambdaVariables('cur'), lambdaVariables('next'))))", `"abcdef"`},
		{"sort(createArray(3, 1, 2), lambda('a', 'b', less(lambdaVariables('a'), lambdaVariables('b'))))", `[1,2,3]`},
		{"toObject(createArray('a', 'b'), lambda('x', lambdaVariables('x')), lambda('x', length(lambdaVariables('x'))))", `{"a":1,"b":1}`},
		{"groupBy(createArray('foo', 'bar', 'baz'), lambda('x', substring(lambdaVariables('x'), 0, 1)))", `{"f":["foo"],"b":["bar","baz"]}`},
		{"mapValues(createObject('a', 1, 'b', 2), lambda('v', mul(lambdaVariables('v'), 2)))", `{"a":2,"b":4}`},
		{"map(createArray(createArray(1, 2)), lambda('o', map(lambdaVariables('o'), lambda('i', add(lambdaVariables('i'), 1)))))", `[[2,3]]`},
	})
}

func TestDateAndCIDRFunctions(t *testing.T) {
	runCases(t, newTestEnv(t), []exprCase{
		{"dateTimeFromEpoch(1683040573)", `"2023-05-02T15:16:13Z"`},
		{"dateTimeToEpoch('2023-05-02T15:16:13Z')", `1683040573`},
		{"dateTimeAdd('2020-04-07 14:53:14Z', 'P3Y')", `"4/7/2023 2:53:14 PM"`},
		{"dateTimeAdd('2020-04-07 14:53:14Z', '-PT1H', 'u')", `"2020-04-07 13:53:14Z"`},
		{"dateTimeAdd('2020-04-07T14:53:14Z', 'P1DT30M', 'yyyy-MM-ddTHH:mm:ssZ')", `"2020-04-08T15:23:14Z"`},
		{"parseCidr('10.144.0.0/20')", `{"network":"10.144.0.0","netmask":"255.255.240.0","broadcast":"10.144.15.255","firstUsable":"10.144.0.1","lastUsable":"10.144.15.254","cidr":20}`},
		{"cidrSubnet('10.144.0.0/20', 24, 0)", `"10.144.0.0/24"`},
		{"cidrSubnet('10.144.0.0/20', 24, 15)", `"10.144.15.0/24"`},
		{"cidrHost('10.144.3.0/24', 0)", `"10.144.3.1"`},
	})
}

func TestFunctionErrors(t *testing.T) {
	env := newTestEnv(t)
	cases := []string{
		"div(1, 0)",
		"add('a', 1)",
		"substring('abc', 5)",
		"createArray(1)[3]",
		"createObject('a', 1).b",
		"json('{')",
		"resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet')",
		"concat('a')[0]",
		"lambdaVariables('x')",
		"parameters('nope')",
		"variables('nope')",
		"toLower()",
		"format('{1}', 'a')",
	}
	for _, c := range cases {
		v := evalExpr(env, c)
		if v.Kind() != KUnknown || !v.Unknown().Err {
			t.Errorf("%s = %s, want an error unknown", c, v)
		}
	}
	if len(env.Errors()) < len(cases) {
		t.Errorf("env.Errors() recorded %d errors, want at least %d: %q", len(env.Errors()), len(cases), env.Errors())
	}
}
