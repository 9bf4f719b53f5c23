package analyzer

import (
	"fmt"
	"strings"
	"testing"

	"github.com/armlint/armlint/analyzer/expr"
	"github.com/armlint/armlint/analyzer/template"
)

// checkSource runs expressionNotes on a template's text.
func checkSource(t *testing.T, src string) ([]Finding, *template.File) {
	t.Helper()
	f, err := template.Load("t.json", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return expressionNotes(f, f.Root, expr.NewParseCache()), f
}

// TestExpressionNotes: the strings ARM evaluates are checked (variables,
// resources, outputs, functions, parameter default values), metadata and
// the other sections are not; a note is anchored at the error inside the
// string when the string has no escape sequence, else at the string.
func TestExpressionNotes(t *testing.T) {
	src := `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "apiProfile": "[concat(]",
  "metadata": {"x": "[concat(]"},
  "parameters": {
    "p": {"type": "string", "defaultValue": "[concat('a',]", "allowedValues": ["[concat(]"], "metadata": {"d": "[concat(]"}}
  },
  "variables": {
    "ok": "[concat('a', parameters('p'))]",
    "literal": "[[concat(]",
    "plain": "concat(",
    "bad": "[parameters('p'))]",
    "escaped": "[concat('\u0041',]",
    "nested": {"metadata": "[concat(]", "a": ["[f(1.5)]"]}
  },
  "resources": [{"type": "a/b", "apiVersion": "1", "name": "[f(#)]", "metadata": {"m": "[concat(]"}}],
  "outputs": {"o": {"type": "string", "value": "[ns.-f()]"}},
  "functions": [{"namespace": "ns", "members": {"f": {"output": {"type": "string", "value": "['a]"}}}}]
}`
	notes, f := checkSource(t, src)
	type want struct{ at, msg string }
	wants := []want{
		{`]", "allowedValues"`, "expected a function call, string or integer, found end of expression"},
		{`)]",` + "\n    \"escaped\"", "expected end of expression, found ')'"},
		{`"[concat('\u0041',]"`, "expected a function call, string or integer, found end of expression"},
		{`1.5)]"]}`, "floating-point literals are not supported (use json('1.5'))"},
		{`#)]", "metadata"`, "unexpected character '#'"},
		{`-f()]"}}`, "expected a property name after '.'"},
		{`'a]"}}}}]`, "unterminated string literal"},
	}
	if len(notes) != len(wants) {
		for _, n := range notes {
			t.Logf("%d:%d %s", n.Location.Start.Line, n.Location.Start.Col, n.Message)
		}
		t.Fatalf("%d notes, want %d", len(notes), len(wants))
	}
	for i, w := range wants {
		n := notes[i]
		off := strings.Index(src, w.at)
		if off < 0 {
			t.Fatalf("test bug: %q not in the source", w.at)
		}
		wantPos := f.Position(off) // a string with an escape: its note is at the string
		if n.RuleID != IDUnsupportedConstruct || n.Severity != SeverityNote || n.Location.Start != wantPos ||
			!strings.Contains(n.Message, w.msg) || !strings.HasPrefix(n.Message, "expression cannot be evaluated: ") {
			t.Errorf("note %d = %s %s at %d:%d %q; want at %d:%d containing %q", i, n.RuleID, n.Severity,
				n.Location.Start.Line, n.Location.Start.Col, n.Message, wantPos.Line, wantPos.Col, w.msg)
		}
	}
}

// TestExpressionNotesLimit: after maxExpressionNotes notes, one more
// says how many others there are.
func TestExpressionNotesLimit(t *testing.T) {
	var vars []string
	for i := range maxExpressionNotes + 5 {
		vars = append(vars, fmt.Sprintf(`"v%d": "[concat(%d,]"`, i, i))
	}
	notes, _ := checkSource(t, `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "variables": {`+strings.Join(vars, ", ")+`}}`)
	if len(notes) != maxExpressionNotes+1 {
		t.Fatalf("%d notes, want %d", len(notes), maxExpressionNotes+1)
	}
	last := notes[len(notes)-1]
	if want := fmt.Sprintf("5 more expressions cannot be parsed; the first %d are reported", maxExpressionNotes); last.Message != want {
		t.Errorf("last note %q, want %q", last.Message, want)
	}
	if last.Location != notes[len(notes)-2].Location {
		t.Errorf("the last note is not at the last reported expression")
	}
}

// TestExpressionNotesLiterals: the strings the walk takes for literals
// without asking the parse cache are those Check calls literals, and
// metadata is skipped in any ASCII case but not under a longer or
// shorter key.
func TestExpressionNotesLiterals(t *testing.T) {
	src := `{
  "variables": {
    "a": "[]", "b": "[", "c": "]", "d": "[[]", "e": "[[", "f": "[x", "g": "[a]", "h": "", "i": "[[a(]", "j": "x]",
    "k": {"METADATA": "[a(]", "metaData": "[a(]", "metadat": "[b(]", "metadataX": "[c(]", "meta\u0064ata": "[d(]"}
  }
}`
	notes, _ := checkSource(t, src)
	var got []string
	for _, n := range notes {
		got = append(got, strings.TrimPrefix(strings.TrimSuffix(n.Message, "; values that use it are unknown"), "expression cannot be evaluated: "))
	}
	want := []string{
		"empty expression", // "[]"
		"expected '(' after a, found end of expression",                        // "[a]"
		"expected a function call, string or integer, found end of expression", // metadat: "[b(]"
		"expected a function call, string or integer, found end of expression", // metadataX: "[c(]"
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("notes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, s := range []string{"[]", "[", "]", "[[]", "[[", "[x", "[a]", "", "[[a(]", "x]", "a"} {
		isExpr, _ := expr.NewParseCache().Check(s)
		literal := len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' || s[1] == '['
		if isExpr == literal {
			t.Errorf("Check(%q): isExpr = %v, but the walk's literal test says %v", s, isExpr, literal)
		}
	}
}
