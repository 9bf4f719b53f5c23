package expr

import "testing"

// Documented examples of the object functions:
// https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-object
// (contains, empty, intersection, length and union share the array
// examples, tested in docs_array_test.go and docs_string_test.go).

const docObjectPage = "template-functions-object"

func TestDocsObjectCreateObjectNull(t *testing.T) {
	runDoc(t, docObjectPage, "", []docCase{
		// object/createobject.json
		{"newObject", "createObject('intProp', 1, 'stringProp', 'abc', 'boolProp', true(), 'arrayProp', createArray('a', 'b', 'c'), 'objectProp', createObject('key1', 'value1'))",
			`{"intProp": 1, "stringProp": "abc", "boolProp": true, "arrayProp": ["a", "b", "c"], "objectProp": {"key1": "value1"}}`},
		// object/null.json
		{"emptyOutput", "empty(null())", `true`},
	})
}

func TestDocsObjectItems(t *testing.T) {
	// items(): the documented result is sorted by key.
	vars := `{
      "copy": [{
        "name": "modifiedListOfEntities",
        "count": "[length(items(variables('entities')))]",
        "input": {
          "key": "[items(variables('entities'))[copyIndex('modifiedListOfEntities')].key]",
          "fullName": "[items(variables('entities'))[copyIndex('modifiedListOfEntities')].value.displayName]",
          "itemEnabled": "[items(variables('entities'))[copyIndex('modifiedListOfEntities')].value.enabled]"
        }
      }],
      "entities": {
        "item002": {"enabled": false, "displayName": "Example item 2", "number": 200},
        "item001": {"enabled": true, "displayName": "Example item 1", "number": 300}
      },
      "entitiesArray": "[items(variables('entities'))]"
    }`
	runDoc(t, docObjectPage+"#items", docTemplate("", vars), []docCase{
		{"modifiedResult", "variables('modifiedListOfEntities')", `[
          {"fullName": "Example item 1", "itemEnabled": true, "key": "item001"},
          {"fullName": "Example item 2", "itemEnabled": false, "key": "item002"}]`},
		{"itemsResult", "variables('entitiesArray')", `[
          {"key": "item001", "value": {"displayName": "Example item 1", "enabled": true, "number": 300}},
          {"key": "item002", "value": {"displayName": "Example item 2", "enabled": false, "number": 200}}]`},
	})
}

func TestDocsObjectJSON(t *testing.T) {
	// object/json.json. The jsonArray default "[[1,2,3 ]" is the escaped
	// literal "[1,2,3 ]".
	runDoc(t, docObjectPage+"#json", docTemplate(`{
      "jsonEmptyObject": {"type": "string", "defaultValue": "null"},
      "jsonObject": {"type": "string", "defaultValue": "{\"a\": \"b\"}"},
      "jsonString": {"type": "string", "defaultValue": "\"test\""},
      "jsonBoolean": {"type": "string", "defaultValue": "true"},
      "jsonInt": {"type": "string", "defaultValue": "3"},
      "jsonArray": {"type": "string", "defaultValue": "[[1,2,3 ]"},
      "concatValue": {"type": "string", "defaultValue": "demo value"}
    }`, ""), []docCase{
		{"emptyObjectOutput", "empty(json(parameters('jsonEmptyObject')))", `true`},
		{"objectOutput", "json(parameters('jsonObject'))", `{"a": "b"}`},
		{"stringOutput", "json(parameters('jsonString'))", `"test"`},
		{"booleanOutput", "json(parameters('jsonBoolean'))", `true`},
		{"intOutput", "json(parameters('jsonInt'))", `3`},
		{"arrayOutput", "json(parameters('jsonArray'))", `[1, 2, 3]`},
		{"concatObjectOutput", "json(concat('{\"a\": \"', parameters('concatValue'), '\"}'))", `{"a": "demo value"}`},
		// Newtonsoft leniency: single quotes, unquoted names, comments,
		// trailing commas; floats stay floats.
		{"lenient", "json('{''a'': 1, b: [2, 3,], /* c */ \"d\": 1.5}')", `{"a": 1, "b": [2, 3], "d": 1.5}`},
	})
	env := newTestEnv(t)
	for _, x := range []string{"json('{')", "json('[1] 2')", "json('')", "json('tru')"} {
		if v := evalExpr(env, x); v.Kind() != KUnknown || !v.Unknown().Err {
			t.Errorf("%s = %s, want an error", x, v)
		}
	}
}

func TestDocsObjectKeysShallowMergeTryGet(t *testing.T) {
	runDoc(t, docObjectPage, docTemplate("", `{
      "obj": {"a": 1, "b": 2},
      "firstArray": [{"one": "a"}, {"two": "b"}, {"two": "c"}],
      "secondArray": [{"one": "a", "nested": {"a": 1, "nested": {"c": 3}}}, {"two": "b", "nested": {"b": 2}}],
      "users": {"name": "John Doe", "age": 30},
      "colors": ["red", "green"]
    }`), []docCase{
		// objectKeys
		{"keyArray", "objectKeys(variables('obj'))", `["a", "b"]`},
		// shallowMerge
		{"firstOutput", "shallowMerge(variables('firstArray'))", `{"one":"a","two":"c"}`},
		{"secondOutput", "shallowMerge(variables('secondArray'))", `{"one":"a","nested":{"b":2},"two":"b"}`},
		// tryGet (the doc's table says "Red" for firstColor; the value
		// in its template is "red")
		{"region", "tryGet(variables('users'), 'region')", `null`},
		{"name", "tryGet(variables('users'), 'name')", `"John Doe"`},
		{"firstColor", "tryGet(variables('colors'), 0)", `"red"`},
		// Bicep's deeper forms: several keys, and {value, fromEnd} steps.
		{"tryGet.path", "tryGet(createObject('a', createObject('b', createArray(1, 2))), 'a', 'b', 1)", `2`},
		{"tryGet.fromEnd", "tryGet(createObject('a', createArray(1, 2, 3)), 'a', createObject('value', 1, 'fromEnd', true()))", `3`},
		{"tryGet.fromEndOut", "tryGet(createArray(1), createObject('value', 2, 'fromEnd', true()))", `null`},
		{"tryGet.null", "tryGet(null(), 'a')", `null`},
	})
}

func TestDocsObjectUnionReduce(t *testing.T) {
	// The lambda page's reduce example unions objects.
	runDoc(t, docObjectPage+"#union", "", []docCase{
		{"reduceObjectUnion", "reduce(createArray(createObject('foo', 123), createObject('bar', 456), createObject('baz', 789)), createObject(), lambda('cur', 'next', union(lambdaVariables('cur'), lambdaVariables('next'))))", `{"foo":123,"bar":456,"baz":789}`},
	})
}
