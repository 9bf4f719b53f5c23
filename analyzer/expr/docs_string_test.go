package expr

import "testing"

// Documented examples of the string functions:
// https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-string
// (example templates in Azure/azure-docs-json-samples,
// azure-resource-manager/functions/string/*.json). Case names are the
// example outputs' names.

const docStringPage = "template-functions-string"

func TestDocsStringBase64(t *testing.T) {
	// base64.json: base64, base64ToString, base64ToJson. Note the JSON
	// text uses single quotes, which ARM's JSON parser accepts.
	tmpl := docTemplate(`{
      "stringData": {"type": "string", "defaultValue": "one, two, three"},
      "jsonFormattedData": {"type": "string", "defaultValue": "{'one': 'a', 'two': 'b'}"}
    }`, `{
      "base64String": "[base64(parameters('stringData'))]",
      "base64Object": "[base64(parameters('jsonFormattedData'))]"
    }`)
	runDoc(t, docStringPage+"#base64", tmpl, []docCase{
		{"base64Output", "variables('base64String')", `"b25lLCB0d28sIHRocmVl"`},
		{"toStringOutput", "base64ToString(variables('base64String'))", `"one, two, three"`},
		{"toJsonOutput", "base64ToJson(variables('base64Object'))", `{"one": "a", "two": "b"}`},
	})
}

func TestDocsStringConcat(t *testing.T) {
	// concat-string.json: the documented value prefix-5yj4yjf5mbg72 hashes
	// the doc author's real resource group ID; with the placeholder
	// context the shape is the same: prefix, '-', 13 characters.
	env := newTestEnv(t)
	v := evalExpr(env, "concat('prefix', '-', uniqueString(resourceGroup().id))")
	if s, ok := v.Str(); !ok || len(s) != len("prefix-5yj4yjf5mbg72") || s[:7] != "prefix-" {
		t.Errorf("concatOutput = %s", v)
	}
	// concat-array.json
	runDoc(t, docStringPage+"#concat", docTemplate(`{
      "firstArray": {"type": "array", "defaultValue": ["1-1", "1-2", "1-3"]},
      "secondArray": {"type": "array", "defaultValue": ["2-1", "2-2", "2-3"]}
    }`, ""), []docCase{
		{"return", "concat(parameters('firstArray'), parameters('secondArray'))", `["1-1", "1-2", "1-3", "2-1", "2-2", "2-3"]`},
	})
}

func TestDocsStringContains(t *testing.T) {
	// array/contains.json (shared by the string, array and object pages).
	runDoc(t, docStringPage+"#contains", docTemplate(`{
      "stringToTest": {"type": "string", "defaultValue": "OneTwoThree"},
      "objectToTest": {"type": "object", "defaultValue": {"one": "a", "two": "b", "three": "c"}},
      "arrayToTest": {"type": "array", "defaultValue": ["one", "two", "three"]}
    }`, ""), []docCase{
		{"stringTrue", "contains(parameters('stringToTest'), 'e')", `true`},
		{"stringFalse", "contains(parameters('stringToTest'), 'z')", `false`},
		{"objectTrue", "contains(parameters('objectToTest'), 'one')", `true`},
		{"objectFalse", "contains(parameters('objectToTest'), 'a')", `false`},
		{"arrayTrue", "contains(parameters('arrayToTest'), 'three')", `true`},
		{"arrayFalse", "contains(parameters('arrayToTest'), 'four')", `false`},
		// The doc: "The string comparison is case-sensitive. However, when
		// testing if an object contains a key, the comparison is
		// case-insensitive."
		{"stringCase", "contains(parameters('stringToTest'), 'one')", `false`},
		{"objectCase", "contains(parameters('objectToTest'), 'ONE')", `true`},
	})
}

func TestDocsStringDataURI(t *testing.T) {
	// datauri.json
	runDoc(t, docStringPage+"#datauri", docTemplate(`{
      "stringToTest": {"type": "string", "defaultValue": "Hello"},
      "dataFormattedString": {"type": "string", "defaultValue": "data:;base64,SGVsbG8sIFdvcmxkIQ=="}
    }`, ""), []docCase{
		{"dataUriOutput", "dataUri(parameters('stringToTest'))", `"data:text/plain;charset=utf8;base64,SGVsbG8="`},
		{"toStringOutput", "dataUriToString(parameters('dataFormattedString'))", `"Hello, World!"`},
	})
}

func TestDocsStringEmptyFirstLast(t *testing.T) {
	// array/empty.json, array/first.json, array/last.json
	runDoc(t, docStringPage, docTemplate(`{
      "testArray": {"type": "array", "defaultValue": []},
      "testObject": {"type": "object", "defaultValue": {}},
      "testString": {"type": "string", "defaultValue": ""},
      "arrayToTest": {"type": "array", "defaultValue": ["one", "two", "three"]}
    }`, ""), []docCase{
		{"arrayEmpty", "empty(parameters('testArray'))", `true`},
		{"objectEmpty", "empty(parameters('testObject'))", `true`},
		{"stringEmpty", "empty(parameters('testString'))", `true`},
		{"first.arrayOutput", "first(parameters('arrayToTest'))", `"one"`},
		{"first.stringOutput", "first('One Two Three')", `"O"`},
		{"last.arrayOutput", "last(parameters('arrayToTest'))", `"three"`},
		{"last.stringOutput", "last('One Two Three')", `"e"`},
	})
}

func TestDocsStringStartsEndsWith(t *testing.T) {
	// startsendswith.json: "The comparison is case-insensitive."
	runDoc(t, docStringPage+"#startswith", "", []docCase{
		{"startsTrue", "startsWith('abcdef', 'ab')", `true`},
		{"startsCapTrue", "startsWith('abcdef', 'A')", `true`},
		{"startsFalse", "startsWith('abcdef', 'e')", `false`},
		{"endsTrue", "endsWith('abcdef', 'ef')", `true`},
		{"endsCapTrue", "endsWith('abcdef', 'F')", `true`},
		{"endsFalse", "endsWith('abcdef', 'e')", `false`},
	})
}

func TestDocsStringFormat(t *testing.T) {
	// format.json
	runDoc(t, docStringPage+"#format", docTemplate(`{
      "greeting": {"type": "string", "defaultValue": "Hello"},
      "name": {"type": "string", "defaultValue": "User"},
      "numberToFormat": {"type": "int", "defaultValue": 8175133}
    }`, ""), []docCase{
		{"formatTest", "format('{0}, {1}. Formatted number: {2:N0}', parameters('greeting'), parameters('name'), parameters('numberToFormat'))", `"Hello, User. Formatted number: 8,175,133"`},
	})
}

func TestDocsStringGUIDAndUniqueString(t *testing.T) {
	// guid.json and uniquestring.json document no values; the vectors
	// below were produced by ARM itself (arm-semantics.md §2.3).
	runDoc(t, docStringPage+"#guid", "", []docCase{
		{"guid('asdf')", "guid('asdf')", `"228d27cc-6fdb-5934-b7ac-1efccebade04"`},
		{"guid('foo','bar','baz')", "guid('foo', 'bar', 'baz')", `"2ed86837-7c7c-5eaa-9864-dd077fd19b0d"`},
		{"uniqueString('asd','asdf','asdf')", "uniqueString('asd', 'asdf', 'asdf')", `"iizpqit7ih3cc"`},
		{"uniqueString('snap','crackle','pop')", "uniqueString('snap', 'crackle', 'pop')", `"byghxckddilkc"`},
		{"uniqueLength", "length(uniqueString(resourceGroup().id))", `13`},
		{"guidLength", "length(guid(resourceGroup().id, deployment().name))", `36`},
	})
}

func TestDocsStringIndexOf(t *testing.T) {
	// indexof.json: "The comparison is case-insensitive."
	runDoc(t, docStringPage+"#indexof", "", []docCase{
		{"firstT", "indexOf('test', 't')", `0`},
		{"lastT", "lastIndexOf('test', 't')", `3`},
		{"firstString", "indexOf('abcdef', 'CD')", `2`},
		{"lastString", "lastIndexOf('abcdef', 'AB')", `0`},
		{"notFound", "indexOf('abcdef', 'z')", `-1`},
	})
}

func TestDocsStringJSONLength(t *testing.T) {
	// array/length.json
	runDoc(t, docStringPage+"#length", docTemplate(`{
      "arrayToTest": {"type": "array", "defaultValue": ["one", "two", "three"]},
      "stringToTest": {"type": "string", "defaultValue": "One Two Three"},
      "objectToTest": {"type": "object", "defaultValue": {"propA": "one", "propB": "two", "propC": "three", "propD": {"propD-1": "sub", "propD-2": "sub"}}}
    }`, ""), []docCase{
		{"arrayLength", "length(parameters('arrayToTest'))", `3`},
		{"stringLength", "length(parameters('stringToTest'))", `13`},
		{"objectLength", "length(parameters('objectToTest'))", `4`},
	})
}

func TestDocsStringPadReplaceSkipSplit(t *testing.T) {
	runDoc(t, docStringPage, docTemplate(`{
      "testString": {"type": "string", "defaultValue": "123"},
      "replaceString": {"type": "string", "defaultValue": "123-123-1234"},
      "testArray": {"type": "array", "defaultValue": ["one", "two", "three"]},
      "elementsToSkip": {"type": "int", "defaultValue": 2},
      "skipString": {"type": "string", "defaultValue": "one two three"},
      "charactersToSkip": {"type": "int", "defaultValue": 4},
      "firstString": {"type": "string", "defaultValue": "one,two,three"},
      "secondString": {"type": "string", "defaultValue": "one;two,three"}
    }`, `{"delimiters": [",", ";"]}`), []docCase{
		// padleft.json
		{"padLeft.stringOutput", "padLeft(parameters('testString'), 10, '0')", `"0000000123"`},
		// replace.json
		{"firstOutput", "replace(parameters('replaceString'), '-', '')", `"1231231234"`},
		{"secondOutput", "replace(parameters('replaceString'), '1234', 'xxxx')", `"123-123-xxxx"`},
		// array/skip.json
		{"skip.arrayOutput", "skip(parameters('testArray'), parameters('elementsToSkip'))", `["three"]`},
		{"skip.stringOutput", "skip(parameters('skipString'), parameters('charactersToSkip'))", `"two three"`},
		// split.json
		{"split.firstOutput", "split(parameters('firstString'), ',')", `["one", "two", "three"]`},
		{"split.secondOutput", "split(parameters('secondString'), variables('delimiters'))", `["one", "two", "three"]`},
	})
}

func TestDocsStringStringSubstringTake(t *testing.T) {
	runDoc(t, docStringPage, docTemplate(`{
      "testObject": {"type": "object", "defaultValue": {"valueA": 10, "valueB": "Example Text"}},
      "testArray": {"type": "array", "defaultValue": ["a", "b", "c"]},
      "testInt": {"type": "int", "defaultValue": 5},
      "testString": {"type": "string", "defaultValue": "one two three"},
      "takeArray": {"type": "array", "defaultValue": ["one", "two", "three"]}
    }`, ""), []docCase{
		// string.json: compact JSON for objects and arrays
		{"objectOutput", "string(parameters('testObject'))", `"{\"valueA\":10,\"valueB\":\"Example Text\"}"`},
		{"arrayOutput", "string(parameters('testArray'))", `"[\"a\",\"b\",\"c\"]"`},
		{"intOutput", "string(parameters('testInt'))", `"5"`},
		// substring.json
		{"substringOutput", "substring(parameters('testString'), 4, 3)", `"two"`},
		// array/take.json
		{"take.arrayOutput", "take(parameters('takeArray'), 2)", `["one", "two"]`},
		{"take.stringOutput", "take(parameters('testString'), 2)", `"on"`},
		// take/skip bounds: "If this value is 0 or less, an empty array or
		// string is returned. If it's larger than the length ..., all the
		// elements ... are returned."
		{"take.zero", "take(parameters('takeArray'), -1)", `[]`},
		{"take.large", "take(parameters('testString'), 100)", `"one two three"`},
		{"skip.zero", "skip(parameters('testString'), -5)", `"one two three"`},
		{"skip.large", "skip(parameters('takeArray'), 10)", `[]`},
	})
	// substring fails beyond the end of the string (documented error).
	env := newTestEnv(t)
	if v := evalExpr(env, "substring('1234567890', 0, 11)"); v.Kind() != KUnknown || !v.Unknown().Err {
		t.Errorf("substring('1234567890', 0, 11) = %s, want an error", v)
	}
}

func TestDocsStringCaseTrimURI(t *testing.T) {
	runDoc(t, docStringPage, docTemplate(`{
      "testString": {"type": "string", "defaultValue": "One Two Three"},
      "trimString": {"type": "string", "defaultValue": "    one two three   "},
      "baseUri": {"type": "string", "defaultValue": "http://contoso.com/resources/azuredeploy.json"}
    }`, `{
      "uriFormat": "[uri(parameters('baseUri'), 'nested/azuredeploy.json')]",
      "uriEncoded": "[uriComponent(variables('uriFormat'))]"
    }`), []docCase{
		// tolower.json
		{"toLowerOutput", "toLower(parameters('testString'))", `"one two three"`},
		{"toUpperOutput", "toUpper(parameters('testString'))", `"ONE TWO THREE"`},
		// trim.json
		{"return", "trim(parameters('trimString'))", `"one two three"`},
		// uri.json
		{"uriOutput", "variables('uriFormat')", `"http://contoso.com/resources/nested/azuredeploy.json"`},
		{"componentOutput", "variables('uriEncoded')", `"http%3A%2F%2Fcontoso.com%2Fresources%2Fnested%2Fazuredeploy.json"`},
		{"toStringOutput", "uriComponentToString(variables('uriEncoded'))", `"http://contoso.com/resources/nested/azuredeploy.json"`},
	})
}

func TestDocsStringNewGUID(t *testing.T) {
	// newguid.json: newGuid() is allowed only as a parameter default; its
	// value differs on every deployment, so it stays unknown but marked.
	tmpl := docTemplate(`{"guidValue": {"type": "string", "defaultValue": "[newGuid()]"}}`, "")
	env := NewEnv(loadTemplate(t, tmpl), Options{})
	v := evalExpr(env, "parameters('guidValue')")
	if v.Kind() != KUnknown || v.Unknown().Marks&MarkNewGUID == 0 {
		t.Errorf("guidOutput = %s, want an unknown marked newGuid", v)
	}
	// newguid-storageaccount.json
	v = evalExpr(env, "concat('storage', take(uniqueString(parameters('guidValue')), 12))")
	if v.Kind() != KUnknown || v.Unknown().Marks&MarkNewGUID == 0 {
		t.Errorf("nameOutput = %s, want an unknown marked newGuid", v)
	}
}
