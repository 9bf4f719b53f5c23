package expr

import "testing"

// Documented examples of the comparison functions:
// https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-comparison

const docComparisonPage = "template-functions-comparison"

func TestDocsComparisonCoalesce(t *testing.T) {
	// comparison/coalesce.json
	runDoc(t, docComparisonPage+"#coalesce", docTemplate(`{
      "objectToTest": {"type": "object", "defaultValue": {
        "null1": null, "null2": null, "string": "default", "int": 1,
        "object": {"first": "default"}, "array": [1]}}
    }`, ""), []docCase{
		{"stringOutput", "coalesce(parameters('objectToTest').null1, parameters('objectToTest').null2, parameters('objectToTest').string)", `"default"`},
		{"intOutput", "coalesce(parameters('objectToTest').null1, parameters('objectToTest').null2, parameters('objectToTest').int)", `1`},
		{"objectOutput", "coalesce(parameters('objectToTest').null1, parameters('objectToTest').null2, parameters('objectToTest').object)", `{"first": "default"}`},
		{"arrayOutput", "coalesce(parameters('objectToTest').null1, parameters('objectToTest').null2, parameters('objectToTest').array)", `[1]`},
		{"emptyOutput", "empty(coalesce(parameters('objectToTest').null1, parameters('objectToTest').null2))", `true`},
	})
}

func TestDocsComparisonEquals(t *testing.T) {
	// comparison/equals.json and logical/not-equals.json
	runDoc(t, docComparisonPage+"#equals", docTemplate(`{
      "firstInt": {"type": "int", "defaultValue": 1},
      "secondInt": {"type": "int", "defaultValue": 1},
      "firstString": {"type": "string", "defaultValue": "a"},
      "secondString": {"type": "string", "defaultValue": "a"},
      "firstArray": {"type": "array", "defaultValue": ["a", "b"]},
      "secondArray": {"type": "array", "defaultValue": ["a", "b"]},
      "firstObject": {"type": "object", "defaultValue": {"a": "b"}},
      "secondObject": {"type": "object", "defaultValue": {"a": "b"}}
    }`, ""), []docCase{
		{"checkInts", "equals(parameters('firstInt'), parameters('secondInt'))", `true`},
		{"checkStrings", "equals(parameters('firstString'), parameters('secondString'))", `true`},
		{"checkArrays", "equals(parameters('firstArray'), parameters('secondArray'))", `true`},
		{"checkObjects", "equals(parameters('firstObject'), parameters('secondObject'))", `true`},
		{"checkNotEquals", "not(equals(1, 2))", `true`},
		// Strings compare case-sensitively; arrays in order.
		{"caseSensitive", "equals('a', 'A')", `false`},
		{"arrayOrder", "equals(createArray('a', 'b'), createArray('b', 'a'))", `false`},
		{"objectKeyOrder", "equals(createObject('a', 1, 'b', 2), createObject('b', 2, 'a', 1))", `true`},
		{"nulls", "equals(null(), null())", `true`},
	})
}

func TestDocsComparisonOrdering(t *testing.T) {
	// comparison/greater.json, greaterorequals.json, less.json,
	// lessorequals.json: firstInt 1, secondInt 2, firstString "A",
	// secondString "a". Strings compare culture-aware: "A" is greater
	// than "a".
	runDoc(t, docComparisonPage, docTemplate(`{
      "firstInt": {"type": "int", "defaultValue": 1},
      "secondInt": {"type": "int", "defaultValue": 2},
      "firstString": {"type": "string", "defaultValue": "A"},
      "secondString": {"type": "string", "defaultValue": "a"}
    }`, ""), []docCase{
		{"greater.checkInts", "greater(parameters('firstInt'), parameters('secondInt'))", `false`},
		{"greater.checkStrings", "greater(parameters('firstString'), parameters('secondString'))", `true`},
		{"greaterOrEquals.checkInts", "greaterOrEquals(parameters('firstInt'), parameters('secondInt'))", `false`},
		{"greaterOrEquals.checkStrings", "greaterOrEquals(parameters('firstString'), parameters('secondString'))", `true`},
		{"less.checkInts", "less(parameters('firstInt'), parameters('secondInt'))", `true`},
		{"less.checkStrings", "less(parameters('firstString'), parameters('secondString'))", `false`},
		{"lessOrEquals.checkInts", "lessOrEquals(parameters('firstInt'), parameters('secondInt'))", `true`},
		{"lessOrEquals.checkStrings", "lessOrEquals(parameters('firstString'), parameters('secondString'))", `false`},
		// Letters compare alphabetically before case decides.
		{"alphabetFirst", "less('B', 'a')", `false`},
		{"alphabetFirst2", "less('a', 'B')", `true`},
		{"prefix", "less('ab', 'abc')", `true`},
	})
}
