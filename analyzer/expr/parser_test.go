package expr

import (
	"errors"
	"strings"
	"testing"
)

func TestParseCanonical(t *testing.T) {
	cases := []struct{ in, want string }{
		{"concat('a','b')", "concat('a', 'b')"},
		{"CONCAT( 'a' ,\n\t'b' )", "concat('a', 'b')"},
		{"'''test'''", "'''test'''"},
		{"mod(80, -4)", "mod(80, -4)"},
		{"resourceGroup().location", "resourceGroup().location"},
		{"parameters('arr')[copyIndex()]", "parameters('arr')[copyIndex()]"},
		{"variables('x')[3].value", "variables('x')[3].value"},
		{"obj['key-with-dash']", ""}, // obj is not a call: error, see below
		{"variables('o').key-with-dash.$x", "variables('o').key-with-dash.$x"},
		{"__bicep.buildUrl(true(), 'google.com', 'search')", "__bicep.buildUrl(true(), 'google.com', 'search')"},
		{"reference('vm', '2023-03-01', 'Full').identity.principalId", "reference('vm', '2023-03-01', 'Full').identity.principalId"},
		{"variables('x')['a b']", "variables('x')['a b']"},
		{"resourceid('T/x', 'n')", "resourceId('T/x', 'n')"},
		{"listKeys(variables('id'), '2019-06-01').keys[0].value", "listKeys(variables('id'), '2019-06-01').keys[0].value"},
		{"createArray()", "createArray()"},
		{"variables('o').1st", "variables('o')['1st']"},
	}
	for _, tc := range cases {
		x, err := Parse(tc.in)
		if tc.want == "" {
			if err == nil {
				t.Errorf("Parse(%q) = %s, want error", tc.in, x)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.in, err)
			continue
		}
		if got := x.String(); got != tc.want {
			t.Errorf("Parse(%q).String() = %q, want %q", tc.in, got, tc.want)
		}
		// The canonical text parses back to itself.
		y, err := Parse(x.String())
		if err != nil || y.String() != x.String() {
			t.Errorf("round trip of %q: %v %v", x.String(), y, err)
		}
	}
}

func TestParseStringEscapes(t *testing.T) {
	x, err := Parse("'it''s'")
	if err != nil {
		t.Fatal(err)
	}
	if s := x.(*StringLit).Value; s != "it's" {
		t.Errorf("got %q", s)
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		in     string
		offset int
		msg    string
	}{
		{"", 0, "empty expression"},
		{"concat('a'", 10, "expected ',' or ')'"},
		{"concat('a", 7, "unterminated string"},
		{"concat('a') x", 12, "expected end of expression"},
		{"parameters", 10, "expected '(' after parameters"},
		{"1.5", 0, "floating-point"},
		{"concat(,)", 7, "expected a function call"},
		{"a.(", 2, "expected a property name"},
		{"variables('x')[1", 16, "expected ']'"},
		{"f(-)", 2, "expected digits"},
		{"f(99999999999999999999)", 2, "out of range"},
		{"f(#)", 2, "unexpected character '#'"},
	}
	for _, tc := range cases {
		_, err := Parse(tc.in)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) error = %v, want SyntaxError", tc.in, err)
			continue
		}
		if se.Offset != tc.offset || !strings.Contains(se.Msg, tc.msg) {
			t.Errorf("Parse(%q) = offset %d %q, want offset %d containing %q", tc.in, se.Offset, se.Msg, tc.offset, tc.msg)
		}
	}
}

func TestParseLimits(t *testing.T) {
	long := "'" + strings.Repeat("a", MaxExpressionLength) + "'"
	if _, err := Parse(long); err == nil || !strings.Contains(err.Error(), "24576") {
		t.Errorf("long expression: err = %v", err)
	}
	ok := "'" + strings.Repeat("é", MaxExpressionLength-2) + "'"
	if _, err := Parse(ok); err != nil {
		t.Errorf("expression of exactly the limit (in characters): %v", err)
	}
	deep := strings.Repeat("not(", 500) + "true()" + strings.Repeat(")", 500)
	if _, err := Parse(deep); err == nil || !strings.Contains(err.Error(), "deeper") {
		t.Errorf("deep expression: err = %v", err)
	}
	chain := "variables('x')" + strings.Repeat(".a", 1000)
	if _, err := Parse(chain); err == nil {
		t.Errorf("long chain: want error")
	}
}

func TestParseTemplateString(t *testing.T) {
	cases := []struct {
		in     string
		isExpr bool
		lit    string
		expr   string
	}{
		{"plain", false, "plain", ""},
		{"[[test value]", false, "[test value]", ""},
		{"[[]", false, "[]", ""},
		{"[test] value", false, "[test] value", ""},
		{"[concat('a')]", true, "", "concat('a')"},
		{"[\n    parameters('location')\n    ]", true, "", "parameters('location')"},
		{"[", false, "[", ""},
		{"", false, "", ""},
	}
	for _, tc := range cases {
		x, lit, isExpr, err := ParseTemplateString(tc.in)
		if err != nil || isExpr != tc.isExpr || lit != tc.lit || (x != nil) != (tc.expr != "") || x != nil && x.String() != tc.expr {
			t.Errorf("ParseTemplateString(%q) = %v, %q, %v, %v", tc.in, x, lit, isExpr, err)
		}
	}
	_, _, isExpr, err := ParseTemplateString("[concat('a']")
	var se *SyntaxError
	if !isExpr || !errors.As(err, &se) || se.Offset != 11 {
		t.Errorf("error offset relative to the template string: %v", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"concat('a', parameters('b'))",
		"reference(resourceId('Microsoft.Compute/virtualMachines', 'vm'), '2023-03-01', 'Full').identity.principalId",
		"variables('x')[copyIndex(1)]['k-1']",
		"ns.fn(-1, '''')",
		"map(range(0, 3), lambda('i', add(lambdaVariables('i'), 1)))",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		env := NewEnv(nil, Options{MaxSteps: 20000})
		x, err := Parse(s)
		if err != nil {
			return
		}
		y, err := Parse(x.String())
		if err != nil {
			t.Fatalf("canonical text %q of %q does not parse: %v", x.String(), s, err)
		}
		if y.String() != x.String() {
			t.Fatalf("canonical text unstable: %q vs %q", x.String(), y.String())
		}
		_ = Eval(x, env)
	})
}
