package expr

import "testing"

// Documented examples of the lambda functions:
// https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-lambda

const docLambdaPage = "template-functions-lambda"

const docDogs = `{
  "dogs": [
    {"name": "Evie", "age": 5, "interests": ["Ball", "Frisbee"]},
    {"name": "Casper", "age": 3, "interests": ["Other dogs"]},
    {"name": "Indy", "age": 2, "interests": ["Butter"]},
    {"name": "Kira", "age": 8, "interests": ["Rubs"]}
  ],
  "ages": "[map(variables('dogs'), lambda('dog', lambdaVariables('dog').age))]",
  "copy": [{"name": "itemForLoop", "count": "[length(range(0, 10))]", "input": "[range(0, 10)[copyIndex('itemForLoop')]]"}]
}`

func TestDocsLambda(t *testing.T) {
	runDoc(t, docLambdaPage, docTemplate("", docDogs), []docCase{
		// filter
		{"oldDogs", "filter(variables('dogs'), lambda('dog', greaterOrEquals(lambdaVariables('dog').age, 5)))",
			`[{"name":"Evie","age":5,"interests":["Ball","Frisbee"]},{"name":"Kira","age":8,"interests":["Rubs"]}]`},
		{"dogNameIndex", "filter(variables('dogs'), lambda('val', 'i', and(less(lambdaVariables('i'), 2), equals(substring(lambdaVariables('val').name, 0, 1), 'C'))))",
			`[{"name":"Casper","age":3,"interests":["Other dogs"]}]`},
		{"filteredLoop", "filter(variables('itemForLoop'), lambda('i', greater(lambdaVariables('i'), 5)))", `[6, 7, 8, 9]`},
		{"isEven", "filter(range(0, 10), lambda('i', equals(0, mod(lambdaVariables('i'), 2))))", `[0, 2, 4, 6, 8]`},
		// map
		{"dogNames", "map(variables('dogs'), lambda('dog', lambdaVariables('dog').name))", `["Evie","Casper","Indy","Kira"]`},
		{"sayHi", "map(variables('dogs'), lambda('dog', format('Hello {0}!', lambdaVariables('dog').name)))", `["Hello Evie!","Hello Casper!","Hello Indy!","Hello Kira!"]`},
		{"mapObject", "map(range(0, length(variables('dogs'))), lambda('i', createObject('i', lambdaVariables('i'), 'dog', variables('dogs')[lambdaVariables('i')].name, 'greeting', format('Ahoy, {0}!', variables('dogs')[lambdaVariables('i')].name))))",
			`[{"i":0,"dog":"Evie","greeting":"Ahoy, Evie!"},{"i":1,"dog":"Casper","greeting":"Ahoy, Casper!"},{"i":2,"dog":"Indy","greeting":"Ahoy, Indy!"},{"i":3,"dog":"Kira","greeting":"Ahoy, Kira!"}]`},
		// reduce
		{"totalAge", "reduce(variables('ages'), 0, lambda('cur', 'next', add(lambdaVariables('cur'), lambdaVariables('next'))))", `18`},
		{"totalAgeAdd1", "reduce(variables('ages'), 1, lambda('cur', 'next', add(lambdaVariables('cur'), lambdaVariables('next'))))", `19`},
		// sort
		{"dogsByAge", "sort(variables('dogs'), lambda('a', 'b', less(lambdaVariables('a').age, lambdaVariables('b').age)))",
			`[{"name":"Indy","age":2,"interests":["Butter"]},{"name":"Casper","age":3,"interests":["Other dogs"]},{"name":"Evie","age":5,"interests":["Ball","Frisbee"]},{"name":"Kira","age":8,"interests":["Rubs"]}]`},
		// toObject, with and without the value lambda
		{"dogsObject", "toObject(variables('dogs'), lambda('entry', lambdaVariables('entry').name))",
			`{"Evie":{"name":"Evie","age":5,"interests":["Ball","Frisbee"]},"Casper":{"name":"Casper","age":3,"interests":["Other dogs"]},"Indy":{"name":"Indy","age":2,"interests":["Butter"]},"Kira":{"name":"Kira","age":8,"interests":["Rubs"]}}`},
		{"dogsObject3", "toObject(variables('dogs'), lambda('entry', lambdaVariables('entry').name), lambda('entry', lambdaVariables('entry')))",
			`{"Evie":{"name":"Evie","age":5,"interests":["Ball","Frisbee"]},"Casper":{"name":"Casper","age":3,"interests":["Other dogs"]},"Indy":{"name":"Indy","age":2,"interests":["Butter"]},"Kira":{"name":"Kira","age":8,"interests":["Rubs"]}}`},
		{"dogsObjectProps", "toObject(variables('dogs'), lambda('entry', lambdaVariables('entry').name), lambda('entry', createObject('age', lambdaVariables('entry').age)))",
			`{"Evie":{"age":5},"Casper":{"age":3},"Indy":{"age":2},"Kira":{"age":8}}`},
		// groupBy and mapValues
		{"outObject", "groupBy(createArray('foo', 'bar', 'baz'), lambda('x', substring(lambdaVariables('x'), 0, 1)))", `{"f":["foo"],"b":["bar","baz"]}`},
		{"mapValues", "mapValues(createObject('foo', 'foo'), lambda('val', toUpper(lambdaVariables('val'))))", `{"foo":"FOO"}`},
		// Bicep's compiled forms (Bicep baselines): groupBy with a value
		// lambda, mapValues over numbers.
		{"groupByTest", "groupBy(createArray(createObject('type', 'a', 'value', 123), createObject('type', 'b', 'value', 456), createObject('type', 'a', 'value', 789)), lambda('arg', lambdaVariables('arg').type))",
			`{"a":[{"type":"a","value":123},{"type":"a","value":789}],"b":[{"type":"b","value":456}]}`},
		{"groupByWithValMapTest", "groupBy(createArray(createObject('type', 'a', 'value', 123), createObject('type', 'b', 'value', 456), createObject('type', 'a', 'value', 789)), lambda('arg', lambdaVariables('arg').type), lambda('arg', lambdaVariables('arg').value))",
			`{"a":[123,789],"b":[456]}`},
		{"mapVals", "mapValues(createObject('a', 123, 'b', 456), lambda('val', mul(lambdaVariables('val'), 2)))", `{"a":246,"b":912}`},
		{"shallowMergeTest", "shallowMerge(createArray(createObject('a', 123), createObject('b', 456)))", `{"a":123,"b":456}`},
		// sort is stable.
		{"stable", "sort(createArray(createObject('k', 1, 'n', 'a'), createObject('k', 0, 'n', 'b'), createObject('k', 1, 'n', 'c')), lambda('x', 'y', less(lambdaVariables('x').k, lambdaVariables('y').k)))",
			`[{"k":0,"n":"b"},{"k":1,"n":"a"},{"k":1,"n":"c"}]`},
	})
	// lambda() outside the lambda functions is an error.
	env := newTestEnv(t)
	if v := evalExpr(env, "lambda('x', 1)"); v.Kind() != KUnknown || !v.Unknown().Err {
		t.Errorf("lambda('x', 1) = %s, want an error", v)
	}
}
