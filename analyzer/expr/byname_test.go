package expr

import (
	"slices"
	"strings"
	"testing"

	"github.com/armlint/armlint/analyzer/template"
)

func TestByNameString(t *testing.T) {
	long := strings.Repeat("x", MaxExpressionLength)
	for s, want := range map[string]string{
		"[parameters('vmName')]":       "vmName",
		"[variables('vmName')]":        "vmName",
		"[parameters('')]":             "",
		"[variables('a b.c[0]')]":      "a b.c[0]",
		"[parameters('é')]":            "é",
		"[parameters('it''s')]":        "-", // an escaped quote: the parser unescapes it
		"[Parameters('x')]":            "-",
		"[parameters( 'x')]":           "-",
		"[parameters('x') ]":           "-",
		"[parameters('x').y]":          "-",
		"[parameters('x')[0]]":         "-",
		"[parameters('x'), 'y')]":      "-",
		"[variables('x')]]":            "-",
		"[[parameters('x')]":           "-",
		"parameters('x')":              "-",
		"[parameter('x')]":             "-",
		"[variables('x'":               "-",
		"[variables(')]":               "-",
		"[parameters('" + long + "')]": "-", // too long for ARM
	} {
		f, name, ok := byNameString(s)
		got := "-"
		if ok {
			got = name
			if want := strings.HasPrefix(s, "[parameters("); (f == fnParametersEntry) != want || (f == fnVariablesEntry) == want {
				t.Errorf("byNameString(%q): wrong function %v", s, f.name)
			}
		}
		if got != want {
			t.Errorf("byNameString(%q) = %q, want %q", s, got, want)
		}
	}
}

// compareByName evaluates s with EvalString in one fresh environment of
// envTemplate and through its parse (evalParsed) in another, after
// spending the same steps on warm (evaluated in both), with a budget of
// maxSteps, and fails t when the values, errors, unsupported functions,
// steps or limits told differ.
func compareByName(t *testing.T, tp *template.Template, warm []string, s string, maxSteps int) {
	t.Helper()
	var limitsA, limitsB []string
	a := NewEnv(tp, Options{MaxSteps: maxSteps, OnLimit: func(_ *template.Value, r string) { limitsA = append(limitsA, r) }})
	b := NewEnv(tp, Options{MaxSteps: maxSteps, OnLimit: func(_ *template.Value, r string) { limitsB = append(limitsB, r) }})
	for _, w := range warm {
		a.evalParsed(w)
		b.evalParsed(w)
	}
	got, want := a.EvalString(s), b.evalParsed(s)
	a.tellLimits(nil)
	b.tellLimits(nil)
	name := s
	if len(name) > 100 {
		name = name[:100] + "…"
	}
	if !sameValue(got, want) {
		t.Errorf("%s (budget %d, warm %q):\n fast   %s\n parsed %s", name, maxSteps, warm, got.String(), want.String())
	}
	if !slices.Equal(a.Errors(), b.Errors()) || !slices.Equal(a.Unsupported(), b.Unsupported()) || a.Steps() != b.Steps() || !slices.Equal(limitsA, limitsB) {
		t.Errorf("%s (budget %d, warm %q): errors %q, unsupported %q, %d steps, limits %q; parsed: %q, %q, %d, %q",
			name, maxSteps, warm, a.Errors(), a.Unsupported(), a.Steps(), limitsA, b.Errors(), b.Unsupported(), b.Steps(), limitsB)
	}
}

// byNameStrings are the strings TestByNameMatchesParse compares: every
// parameter and variable of envTemplate, with cycles and defaults that
// call functions, names that do not exist, in other cases, with special
// characters, and forms the fast path leaves to the parser.
var byNameStrings = []string{
	"[parameters('fromFile')]", "[parameters('fromDefault')]", "[parameters('none')]", "[parameters('count')]",
	"[parameters('tags')]", "[parameters('literal')]", "[parameters('kv')]", "[parameters('FROMDEFAULT')]",
	"[parameters('nope')]", "[parameters('')]", "[parameters('a b')]", "[parameters('it''s')]",
	"[variables('a')]", "[variables('self')]", "[variables('name')]", "[variables('escaped')]",
	"[variables('disks')]", "[variables('withProps')]", "[variables('NAME')]", "[variables('nope')]",
	"[variables('')]", "[variables('copy')]", "[Variables('name')]", "[variables( 'name' )]",
}

// TestByNameMatchesParse compares the fast path of "[parameters('x')]"
// and "[variables('x')]" with the evaluation of their parse, with budgets
// from exhausted before the string to ample, after nothing and after
// strings that fill the memo of what they read.
func TestByNameMatchesParse(t *testing.T) {
	tp := loadTemplate(t, envTemplate)
	for _, s := range byNameStrings {
		for _, warm := range [][]string{nil, {s}, {"[variables('name')]", "[parameters('fromDefault')]"}} {
			for budget := 1; budget <= 40; budget++ {
				compareByName(t, tp, warm, s, budget)
			}
			compareByName(t, tp, warm, s, 0)
		}
	}
}

// FuzzByName compares the fast path with the parse for random names and
// budgets, over the template FuzzEval uses.
func FuzzByName(f *testing.F) {
	f.Add(true, "name", "", 0)
	f.Add(false, "prefix", "[variables('obj')]", 5)
	f.Add(false, "loopA", "", 3)
	f.Add(false, "disks", "[variables('ids')]", 12)
	f.Add(true, "tags", "[parameters('count')]", 2)
	f.Add(true, "it''s", "", 0)
	tp := fuzzTemplateParsed(f)
	f.Fuzz(func(t *testing.T, param bool, name, warm string, budget int) {
		if len(name) > 1000 || len(warm) > 1000 || budget < 0 || budget > 10_000 {
			return
		}
		s := "[variables('" + name + "')]"
		if param {
			s = "[parameters('" + name + "')]"
		}
		var ws []string
		if warm != "" {
			ws = []string{warm}
		}
		compareByName(t, tp, ws, s, budget)
	})
}

// fuzzTemplateParsed loads and parses fuzzTemplate.
func fuzzTemplateParsed(f *testing.F) *template.Template {
	f.Helper()
	file, err := template.Load("fuzz.json", []byte(fuzzTemplate))
	if err != nil {
		f.Fatal(err)
	}
	tp, err := template.Parse(file)
	if err != nil {
		f.Fatal(err)
	}
	return tp
}
