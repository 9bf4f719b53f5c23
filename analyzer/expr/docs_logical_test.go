package expr

import "testing"

// Documented examples of the logical functions:
// https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-logical

const docLogicalPage = "template-functions-logical"

func TestDocsLogical(t *testing.T) {
	runDoc(t, docLogicalPage, "", []docCase{
		// logical/andornot.json
		{"andExampleOutput", "and(bool('True'), bool('False'))", `false`},
		{"orExampleOutput", "or(bool('True'), bool('False'))", `true`},
		{"notExampleOutput", "not(bool('True'))", `false`},
		// logical/bool.json
		{"trueString", "bool('true')", `true`},
		{"falseString", "bool('false')", `false`},
		{"trueInt", "bool(1)", `true`},
		{"falseInt", "bool(0)", `false`},
		// logical/true.json, false.json
		{"trueOutput", "true()", `true`},
		{"falseOutput", "false()", `false`},
		// logical/if.json
		{"yesOutput", "if(equals('a', 'a'), 'yes', 'no')", `"yes"`},
		{"noOutput", "if(equals('a', 'b'), 'yes', 'no')", `"no"`},
		{"objectOutput", "if(equals('a', 'a'), json('{\"test\": \"value1\"}'), json('null'))", `{"test": "value1"}`},
		// Only the selected branch is evaluated (the doc's advice to wrap
		// reference() of a conditional resource in if()).
		{"lazy", "if(false(), div(1, 0), 'safe')", `"safe"`},
	})
}
