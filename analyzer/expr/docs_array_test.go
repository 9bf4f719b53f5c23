package expr

import "testing"

// Documented examples of the array functions:
// https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-array
// Case names are the example outputs' names.

const docArrayPage = "template-functions-array"

func TestDocsArrayArrayCreateArray(t *testing.T) {
	runDoc(t, docArrayPage, docTemplate(`{
      "intToConvert": {"type": "int", "defaultValue": 1},
      "stringToConvert": {"type": "string", "defaultValue": "efgh"},
      "objectToConvert": {"type": "object", "defaultValue": {"a": "b", "c": "d"}},
      "objectToTest": {"type": "object", "defaultValue": {"one": "a", "two": "b", "three": "c"}},
      "arrayToTest": {"type": "array", "defaultValue": ["one", "two", "three"]}
    }`, ""), []docCase{
		// array.json
		{"intOutput", "array(parameters('intToConvert'))", `[1]`},
		{"stringOutput", "array(parameters('stringToConvert'))", `["efgh"]`},
		{"objectOutput", "array(parameters('objectToConvert'))", `[{"a": "b", "c": "d"}]`},
		// createarray.json
		{"stringArray", "createArray('a', 'b', 'c')", `["a", "b", "c"]`},
		{"intArray", "createArray(1, 2, 3)", `[1, 2, 3]`},
		{"objectArray", "createArray(parameters('objectToTest'))", `[{"one": "a", "two": "b", "three": "c"}]`},
		{"arrayArray", "createArray(parameters('arrayToTest'))", `[["one", "two", "three"]]`},
		{"emptyArray", "createArray()", `[]`},
	})
}

func TestDocsArrayIndexFromEnd(t *testing.T) {
	vars := `{"items": ["apple", "banana", "orange", "grape"]}`
	runDoc(t, docArrayPage+"#indexfromend", docTemplate("", vars), []docCase{
		{"secondToLast", "indexFromEnd(variables('items'), 2)", `"orange"`},
		{"tryIndexFromEnd.secondToLast", "tryIndexFromEnd(variables('items'), 2)", `"orange"`},
		{"outOfBound", "tryIndexFromEnd(variables('items'), 5)", `null`},
		// Bicep's a[?^1].x and a[?^3][^2] forms.
		{"tryIndexFromEnd.path", "tryIndexFromEnd(createArray(createObject('x', 1)), 1, 'x')", `1`},
		{"tryIndexFromEnd.fromEndStep", "tryIndexFromEnd(createArray(createArray(1, 2, 3)), 1, createObject('value', 2, 'fromEnd', true()))", `2`},
	})
	// indexFromEnd out of range fails at deployment.
	env := NewEnv(loadTemplate(t, docTemplate("", vars)), Options{})
	for _, x := range []string{"indexFromEnd(variables('items'), 5)", "indexFromEnd(variables('items'), 0)"} {
		if v := evalExpr(env, x); v.Kind() != KUnknown || !v.Unknown().Err {
			t.Errorf("%s = %s, want an error", x, v)
		}
	}
}

func TestDocsArrayIndexOf(t *testing.T) {
	// indexOf/lastIndexOf on arrays: "The comparison is case-sensitive
	// for strings."
	vars := `{
      "names": ["one", "two", "three"],
      "numbers": [4, 5, 6],
      "collection": ["[variables('names')]", "[variables('numbers')]"],
      "duplicates": [1, 2, 3, 1]
    }`
	runDoc(t, docArrayPage+"#indexof", docTemplate("", vars), []docCase{
		{"index1", "lastIndexOf(variables('names'), 'two')", `1`},
		{"index2", "indexOf(variables('names'), 'one')", `0`},
		{"notFoundIndex1", "lastIndexOf(variables('names'), 'Three')", `-1`},
		{"index3", "lastIndexOf(variables('numbers'), 4)", `0`},
		{"index4", "indexOf(variables('numbers'), 6)", `2`},
		{"notFoundIndex2", "lastIndexOf(variables('numbers'), '5')", `-1`},
		{"index5", "indexOf(variables('collection'), variables('numbers'))", `1`},
		{"index6", "indexOf(variables('duplicates'), 1)", `0`},
		{"index7", "lastIndexOf(variables('duplicates'), 1)", `3`},
	})
}

func TestDocsArrayIntersectionUnion(t *testing.T) {
	runDoc(t, docArrayPage, docTemplate(`{
      "firstObject": {"type": "object", "defaultValue": {"one": "a", "two": "b", "three": "c"}},
      "secondObject": {"type": "object", "defaultValue": {"one": "a", "two": "z", "three": "c"}},
      "firstArray": {"type": "array", "defaultValue": ["one", "two", "three"]},
      "secondArray": {"type": "array", "defaultValue": ["two", "three"]},
      "unionObject1": {"type": "object", "defaultValue": {"one": "a", "two": "b", "three": "c1"}},
      "unionObject2": {"type": "object", "defaultValue": {"three": "c2", "four": "d", "five": "e"}},
      "unionArray2": {"type": "array", "defaultValue": ["three", "four"]}
    }`, ""), []docCase{
		// intersection.json
		{"intersection.objectOutput", "intersection(parameters('firstObject'), parameters('secondObject'))", `{"one": "a", "three": "c"}`},
		{"intersection.arrayOutput", "intersection(parameters('firstArray'), parameters('secondArray'))", `["two", "three"]`},
		// union.json
		{"union.objectOutput", "union(parameters('unionObject1'), parameters('unionObject2'))", `{"one": "a", "two": "b", "three": "c2", "four": "d", "five": "e"}`},
		{"union.arrayOutput", "union(parameters('firstArray'), parameters('unionArray2'))", `["one", "two", "three", "four"]`},
	})
	// The deep merge example: nested objects merge, nested arrays do not.
	runDoc(t, docArrayPage+"#union", docTemplate("", `{
      "firstObject": {"property": {"one": "a", "two": "b", "three": "c1"}, "nestedArray": [1, 2]},
      "secondObject": {"property": {"three": "c2", "four": "d", "five": "e"}, "nestedArray": [3, 4]},
      "firstArray": [["one", "two"], ["three"]],
      "secondArray": [["three"], ["four", "two"]]
    }`), []docCase{
		{"objectOutput", "union(variables('firstObject'), variables('secondObject'))", `{"property":{"one":"a","two":"b","three":"c2","four":"d","five":"e"},"nestedArray":[3,4]}`},
		{"arrayOutput", "union(variables('firstArray'), variables('secondArray'))", `[["one","two"],["three"],["four","two"]]`},
	})
}

func TestDocsArrayMinMaxRange(t *testing.T) {
	runDoc(t, docArrayPage, docTemplate(`{
      "arrayToTest": {"type": "array", "defaultValue": [0, 3, 2, 5, 4]},
      "startingInt": {"type": "int", "defaultValue": 5},
      "numberOfElements": {"type": "int", "defaultValue": 3}
    }`, ""), []docCase{
		// max.json, min.json
		{"max.arrayOutput", "max(parameters('arrayToTest'))", `5`},
		{"max.intOutput", "max(0,3,2,5,4)", `5`},
		{"min.arrayOutput", "min(parameters('arrayToTest'))", `0`},
		{"min.intOutput", "min(0,3,2,5,4)", `0`},
		// range.json
		{"rangeOutput", "range(parameters('startingInt'),parameters('numberOfElements'))", `[5, 6, 7]`},
		{"rangeEmpty", "range(5, 0)", `[]`},
		{"rangeMax", "length(range(0, 10000))", `10000`},
		{"rangeTop", "range(2147483646, 1)", `[2147483646]`},
	})
	// "count ... Must be non-negative integer up to 10000"; "The sum of
	// startIndex and count must be no greater than 2147483647."
	env := newTestEnv(t)
	for _, x := range []string{"range(0, 10001)", "range(0, -1)", "range(2147483647, 1)"} {
		if v := evalExpr(env, x); v.Kind() != KUnknown || !v.Unknown().Err {
			t.Errorf("%s = %s, want an error", x, v)
		}
	}
}

func TestDocsArrayFlatten(t *testing.T) {
	// flatten: arrays of arrays become one array (Bicep docs example
	// flatten([['one', 'two'], ['three'], ['four', 'five']])).
	runDoc(t, docArrayPage+"#flatten", docTemplate(`{
      "arrayToTest": {"type": "array", "defaultValue": [["one", "two"], ["three"], ["four", "five"]]}
    }`, ""), []docCase{
		{"arrayOutput", "flatten(parameters('arrayToTest'))", `["one", "two", "three", "four", "five"]`},
	})
}
