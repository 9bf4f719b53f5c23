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

// checkCases are template strings CheckTemplateString must judge as
// ParseTemplateString does: literals, escapes, valid expressions of every
// node kind, and every kind of syntax error and limit.
var checkCases = []string{
	"", "plain", "[", "[]", "[[x]", "[[]", "[x] y",
	"[concat('a', parameters('b'))]",
	"[reference(resourceId('Microsoft.Compute/virtualMachines', 'vm'), '2023-03-01', 'Full').identity.principalId]",
	"[variables('x')[copyIndex(1)]['k-1']]",
	"[ns.fn(-1, '''')]",
	"[ns.fn]",
	"[ns.-fn()]",
	"[a-b()]",
	"[f()]", "[f( )]", "[f(1,)]", "[f(,1)]", "[f(1 2)]", "[f(1)(2)]",
	"[ concat ( 'a' ) ]", "[\n\tparameters('x')\n]",
	"[concat('a']", "[concat('a]", "[concat('a') x]", "[parameters]", "[1.5]", "[f(1.5)]",
	"[concat(,)]", "[a.(]", "[variables('x')[1]", "[f(-)]", "[f(99999999999999999999)]", "[f(#)]",
	"[f(é)]", "[é()]", "[f('\xff')]", "[f(\xff)]", "[x.1st]", "[x().1st]", "[x().-a]", "[x(). a]",
	"['a']", "[1]", "[-1]", "[x()[0][1].y['z']]", "[x()[]]", "[x()[0]",
	"[" + strings.Repeat("not(", 250) + "true()" + strings.Repeat(")", 250) + "]",
	"[" + strings.Repeat("not(", 150) + "true()" + strings.Repeat(")", 150) + "]",
	"[variables('x')" + strings.Repeat(".a", 1000) + "]",
	"[variables('x')" + strings.Repeat("[0]", 150) + "]",
	"['" + strings.Repeat("a", MaxExpressionLength) + "']",
	"['" + strings.Repeat("é", MaxExpressionLength-2) + "']",
	"['" + strings.Repeat("é", MaxExpressionLength) + "']",
}

// checkAgrees fails t when CheckTemplateString and ParseTemplateString
// disagree about s.
func checkAgrees(t *testing.T, s string) {
	t.Helper()
	_, _, isExpr, err := ParseTemplateString(s)
	cIsExpr, cErr := CheckTemplateString(s)
	if cIsExpr != isExpr || (cErr == nil) != (err == nil) || err != nil && cErr.Error() != err.Error() {
		t.Errorf("%.80q: CheckTemplateString = %v, %v; ParseTemplateString: %v, %v", s, cIsExpr, cErr, isExpr, err)
	}
}

// TestCheckTemplateString: the parse without a tree accepts exactly what
// the parser accepts, with the same errors.
func TestCheckTemplateString(t *testing.T) {
	for _, s := range checkCases {
		checkAgrees(t, s)
	}
}

// FuzzCheckTemplateString compares CheckTemplateString with
// ParseTemplateString on random template strings.
func FuzzCheckTemplateString(f *testing.F) {
	for _, s := range checkCases {
		if len(s) < 200 {
			f.Add(s)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkAgrees(t, s)
		checkAgrees(t, "["+s+"]")
	})
}

// A string checked without error allocates nothing and is not kept in
// the parse cache (the evaluator parses it if it needs it); a string
// with a syntax error is kept with its error.
func TestParseCacheCheck(t *testing.T) {
	c := NewParseCache()
	ok := "[concat(parameters('a'), variables('b')[0].c)]"
	if allocs := testing.AllocsPerRun(10, func() {
		if isExpr, err := c.Check(ok); !isExpr || err != nil {
			t.Fatalf("Check = %v, %v", isExpr, err)
		}
	}); allocs != 0 {
		t.Errorf("Check of a valid expression allocates %v times, want 0", allocs)
	}
	if len(c.m) != 0 {
		t.Errorf("the cache holds %d strings after checking a valid one, want 0", len(c.m))
	}
	bad := "[concat('a',]"
	if isExpr, err := c.Check(bad); !isExpr || err == nil {
		t.Fatalf("Check(%q) = %v, %v; want an error", bad, isExpr, err)
	}
	if p, ok := c.m[bad]; !ok || p.err == nil {
		t.Errorf("the broken string is not cached with its error")
	}
}

// quickCases are expressions (without brackets) for quickValid: common
// forms it must accept, and errors, limits and rare forms it must leave
// to the parser.
var quickCases = []string{
	"parameters('location')", "variables('x').y[0]['z']", "concat('a', 'b''c', parameters('d'))",
	"ns.fn(1, -2)", "ns . fn ( )", "f()[0].a.b[f()[1]]", "x().1st", "x().a-b", "x(). a", "f(\n\t1 )",
	"resourceId('Microsoft.Network/virtualNetworks/subnets', variables('vnet'), 'default')",
	"reference(resourceId('Microsoft.Compute/virtualMachines', 'vm'), '2023-03-01', 'Full').identity.principalId",
	"'é'", "f('é''')", "f(123456789012345678)",
	"", " ", "f", "f(", "f(1,)", "f(,)", "f(1 2)", "f()(", "f())", "f()]", "f(]", "f()[", "f()[0", "f()[]",
	"a-b()", "ns.-b()", "ns.a-b()", "é()", "fé()", "f(é)", "x().é", "1.5", "f(1.5)", "1.a", "1. 5", "-", "--1", "-a",
	"f(1234567890123456789)", "f(99999999999999999999)", "'a", "'a''", "f('a)", "#", "f(#)", "x().", "x().[0]",
	"f()" + strings.Repeat(".a", 63), "f()" + strings.Repeat(".a", 64), "f()" + strings.Repeat(".a", 201),
	"f()" + strings.Repeat("[0]", 63), "f()" + strings.Repeat("[0]", 64), "f()" + strings.Repeat("[0]", 201),
	"f()" + strings.Repeat("[g()[0]]", 100), "f()" + strings.Repeat("[g()[0]]", 201),
	strings.Repeat("f(", 63) + strings.Repeat(")", 63), strings.Repeat("f(", 64) + strings.Repeat(")", 64),
	strings.Repeat("f(", 201) + strings.Repeat(")", 201),
	strings.Repeat("f()[", 100) + "0" + strings.Repeat("]", 100),
	strings.Repeat("f(g()", 40) + strings.Repeat(".a)", 40),
}

// TestQuickValid: what quickValid accepts, the parser accepts; and it
// accepts the common forms.
func TestQuickValid(t *testing.T) {
	accepted := 0
	for _, s := range quickCases {
		if quickValid(s) {
			accepted++
			if err := check(s); err != nil {
				t.Errorf("quickValid accepts %.80q, which does not parse: %v", s, err)
			}
		}
	}
	for _, s := range quickCases[:13] {
		if !quickValid(s) {
			t.Errorf("quickValid does not accept %q", s)
		}
	}
	if accepted < 20 {
		t.Errorf("quickValid accepts only %d cases", accepted)
	}
}

// FuzzQuickValid checks on random text that what quickValid accepts, the
// parser accepts.
func FuzzQuickValid(f *testing.F) {
	for _, s := range quickCases {
		if len(s) < 200 {
			f.Add(s)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) <= MaxExpressionLength && quickValid(s) {
			if err := check(s); err != nil {
				t.Fatalf("quickValid accepts %q, which does not parse: %v", s, err)
			}
		}
	})
}

// The parser resolves each built-in function a call names, as the
// evaluator would when it evaluates the call; user-defined, list* and
// unknown functions are left to the evaluator.
func TestParseResolvesFunctions(t *testing.T) {
	x, err := Parse("concat(TOLOWER('A'), ns.f(1), listKeys('x', '1'), noSuch(), resourceId('a/b', 'c'))")
	if err != nil {
		t.Fatal(err)
	}
	c := x.(*Call)
	want := []*function{lookupFunction("concat"), lookupFunction("toLower"), nil, nil, nil, lookupFunction("resourceId")}
	got := []*function{c.fn}
	for _, a := range c.Args {
		got = append(got, a.(*Call).fn)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("call %d: function %p, want %p", i, got[i], want[i])
		}
	}
	if want[0] == nil || want[1] == nil || want[5] == nil {
		t.Fatal("test bug: built-in functions not found")
	}
}

// countNodesRef is countNodes byte by byte: quotes open and close string
// literals; parentheses, dots and commas count outside them.
func countNodesRef(src string) (quotes, parens, dots, commas int) {
	in := false
	for i := range len(src) {
		switch c := src[i]; {
		case c == '\'':
			in = !in
			if in {
				quotes++
			}
		case in:
		case c == '(':
			parens++
		case c == '.':
			dots++
		case c == ',':
			commas++
		}
	}
	return
}

func checkCountNodes(t *testing.T, src string) {
	t.Helper()
	var p parser
	p.countNodes(src)
	q, pa, d, c := countNodesRef(src)
	if p.strs.left != q || p.calls.left != pa || p.props.left != d || p.argSlab.left != c+pa {
		t.Errorf("countNodes(%q) = %d, %d, %d, %d; want %d, %d, %d, %d", src,
			p.strs.left, p.calls.left, p.props.left, p.argSlab.left, q, pa, d, c+pa)
	}
}

func TestCountNodes(t *testing.T) {
	for _, src := range []string{
		"", "'", "''", "'''", "''''", "a('x.y', b(), c.d)", "concat('it''s', ',', '(')", "a('unterminated.(,",
		"reference(resourceId('Microsoft.Network/x', parameters('n')), '2020-01-01').properties.ipConfigurations[0].id",
		"x'.'.y'", "'a''b''c'.d(e,f)",
	} {
		checkCountNodes(t, src)
	}
}

func FuzzCountNodes(f *testing.F) {
	f.Add("concat('it''s', ',', '(').x")
	f.Add("a('unterminated.(,")
	f.Fuzz(func(t *testing.T, src string) { checkCountNodes(t, src) })
}
