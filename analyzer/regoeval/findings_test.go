package regoeval

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
)

// TestDecodeFindingsTerm checks that reading findings from OPA's terms
// gives what decoding them once converted to Go values gives (findings,
// order, errors), and that well-formed findings are read without the
// conversion.
func TestDecodeFindingsTerm(t *testing.T) {
	wellFormed := []string{
		`set()`,
		`[]`,
		`{{"resource": "/resources/1", "path": ["properties", 0, "x"], "message": "b"},
		  {"resource": "/resources/0", "message": "a"},
		  {"resource": "/resources/0", "path": null, "message": "a", "severity": null, "related": null},
		  {"resource": "/resources/0", "path": [], "message": "z", "severity": "error"},
		  {"resource": "/resources/0", "path": [], "message": "z", "severity": "note"}}`,
		`[{"resource": "/resources/2", "path": ["identity"], "message": "m", "severity": "warning",
		   "related": [{"resource": "/resources/0", "path": ["properties", 3], "message": ""},
		               {"resource": "/resources/1", "path": null, "message": "r"}]}]`,
	}
	malformed := []string{
		`1`, `"x"`, `{"x"}`, `{1: 2}`,
		`{{"resource": "/resources/0", "path": []}}`,
		`{{"resource": "/resources/0", "message": ""}}`,
		`{{"resource": "/resources/0", "msg": "m"}}`,
		`{{"message": "m"}}`,
		`{{"resource": 0, "message": "m"}}`,
		`{{"resource": "/resources/0", "path": "properties", "message": "m"}}`,
		`{{"resource": "/resources/0", "path": [-1], "message": "m"}}`,
		`{{"resource": "/resources/0", "path": [1.5], "message": "m"}}`,
		`{{"resource": "/resources/0", "path": [true], "message": "m"}}`,
		`{{"resource": "/resources/0", "message": "m", "severity": "fatal"}}`,
		`{{"resource": "/resources/0", "message": "m", "severity": 1}}`,
		`{{"resource": "/resources/0", "message": "m", "related": {}}}`,
		`{{"resource": "/resources/0", "message": "m", "related": [1]}}`,
		`{{"resource": "/resources/0", "message": "m", "related": [{"resource": "/resources/1"}]}}`,
		`{{"resource": "/resources/0", "message": "m", "related": [{"resource": "/resources/1", "message": "r", "x": 1}]}}`,
		// Accepted once converted (sets become arrays), not read directly.
		`{{"resource": "/resources/0", "path": {"a"}, "message": "m"}}`,
		`{{"resource": "/resources/0", "message": "m", "related": {{"resource": "/resources/1", "message": "r"}}}}`,
	}
	for i, src := range append(wellFormed, malformed...) {
		v := ast.MustParseTerm(src).Value
		got, gotErr := decodeFindingsTerm(v)
		x, err := ast.JSON(v)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		want, wantErr := decodeFindings(x)
		if fmt.Sprint(gotErr) != fmt.Sprint(wantErr) || !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\nread    %+v, %v\ndecoded %+v, %v", src, got, gotErr, want, wantErr)
		}
		if _, read := readFindings(v); read != (i < len(wellFormed)) {
			t.Errorf("%s: read directly: %v", src, read)
		}
	}
}
