package expr

import "testing"

// Documented examples of the numeric functions:
// https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-numeric
// (min and max are tested with the array examples).

const docNumericPage = "template-functions-numeric"

func TestDocsNumeric(t *testing.T) {
	runDoc(t, docNumericPage, docTemplate(`{
      "first": {"type": "int", "defaultValue": 5},
      "second": {"type": "int", "defaultValue": 3},
      "divFirst": {"type": "int", "defaultValue": 8},
      "modFirst": {"type": "int", "defaultValue": 7},
      "subFirst": {"type": "int", "defaultValue": 7},
      "stringToConvert": {"type": "string", "defaultValue": "4"}
    }`, ""), []docCase{
		{"addResult", "add(parameters('first'), parameters('second'))", `8`},
		{"divResult", "div(parameters('divFirst'), parameters('second'))", `2`},
		{"intResult", "int(parameters('stringToConvert'))", `4`},
		{"modResult", "mod(parameters('modFirst'), parameters('second'))", `1`},
		{"mulResult", "mul(parameters('first'), parameters('second'))", `15`},
		{"subResult", "sub(parameters('subFirst'), parameters('second'))", `4`},
		// float: the doc passes float('3.0') and float(3) to a Logic App.
		{"custom1", "float('3.0')", `3.0`},
		{"custom2", "float(3)", `3.0`},
	})
	// Division by zero is an error ("Cannot be 0").
	env := newTestEnv(t)
	for _, x := range []string{"div(1, 0)", "mod(1, 0)", "int('abc')"} {
		if v := evalExpr(env, x); v.Kind() != KUnknown || !v.Unknown().Err {
			t.Errorf("%s = %s, want an error", x, v)
		}
	}
	if v := evalExpr(env, "float('3.0')"); v.Kind() != KFloat {
		t.Errorf("float('3.0') is a %s, want a float", v.Kind())
	}
}

func TestDocsNumericCopyIndex(t *testing.T) {
	// copyIndex: "[concat('examplecopy-', copyIndex())]" in a resource
	// loop, copyIndex('loop', 1) for a named loop with an offset.
	env := newTestEnv(t).WithCopyIndex("", 2).WithCopyIndex("dataDisks", 1)
	runDocEnv(t, docNumericPage+"#copyindex", env, []docCase{
		{"name", "concat('examplecopy-', copyIndex())", `"examplecopy-2"`},
		{"offset", "copyIndex(1)", `3`},
		{"named", "copyIndex('dataDisks')", `1`},
		{"namedOffset", "copyIndex('dataDisks', 1)", `2`},
		{"caseInsensitiveLoop", "copyIndex('DATADISKS')", `1`},
	})
}
