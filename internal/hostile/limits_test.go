package hostile

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/armlint/armlint/analyzer"
	"github.com/armlint/armlint/analyzer/regoeval"
	"github.com/armlint/armlint/policies"
)

const schema = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"

// storage returns a storage account resource whose name is name (JSON text).
func storage(name string) string {
	return `{"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2022-09-01", "name": ` + name + `, "location": "westus"}`
}

// tmpl returns a template with the given sections (JSON members, without
// braces) and resources.
func tmpl(sections string, resources ...string) string {
	if sections != "" {
		sections += ",\n"
	}
	return "{\n\"$schema\": \"" + schema + "\",\n\"contentVersion\": \"1.0.0.0\",\n" + sections +
		"\"resources\": [\n" + strings.Join(resources, ",\n") + "\n]\n}\n"
}

// lint runs the pipeline on src as the file limit.json and fails on a
// panic, a hang or a run error.
func lint(t *testing.T, src string) *analyzer.Result {
	t.Helper()
	out, hung := runBytes(t, "limit.json", []byte(src), watchdog)
	switch {
	case hung:
		t.Fatalf("the pipeline did not end within %s", watchdog)
	case out.panic != nil:
		t.Fatalf("panic: %v\n%s", out.panic, out.stack)
	case out.err != nil:
		t.Fatalf("Run: %v", out.err)
	}
	if p := positionProblem(out.res); p != "" {
		t.Fatalf("finding outside the file: %s", p)
	}
	return out.res
}

// wantFinding returns the only finding of rule id whose message contains
// msg, and fails when there is not exactly one.
func wantFinding(t *testing.T, res *analyzer.Result, id, msg string) analyzer.Finding {
	t.Helper()
	var got []analyzer.Finding
	for _, f := range res.Findings {
		if f.RuleID == id && strings.Contains(f.Message, msg) {
			got = append(got, f)
		}
	}
	if len(got) != 1 {
		t.Fatalf("%s findings saying %q: %d; all findings: %+v", id, msg, len(got), res.Findings)
	}
	return got[0]
}

// wantAt checks that f starts at the first occurrence of marker in src.
func wantAt(t *testing.T, src string, f analyzer.Finding, marker string) {
	t.Helper()
	off := strings.Index(src, marker)
	if off < 0 {
		t.Fatalf("marker %q not in the source", marker)
	}
	if f.Location.Start.Offset != off {
		t.Errorf("%s at %d:%d (offset %d); want offset %d, at %q", f.RuleID, f.Location.Start.Line, f.Location.Start.Col,
			f.Location.Start.Offset, off, marker)
	}
}

func TestLimitJSONNesting(t *testing.T) {
	src := tmpl(`"variables": {"deep": ` + strings.Repeat("[", 600) + strings.Repeat("]", 600) + `}`)
	res := lint(t, src)
	f := wantFinding(t, res, "AL0001", "nesting too deep (more than 512 levels)")
	// Level 513: the root object and "variables" are levels 1 and 2, so
	// the 511th array is one too many.
	want := strings.Index(src, "[[[") + 510
	if f.Location.Start.Offset != want || f.Severity != analyzer.SeverityError {
		t.Errorf("AL0001 at offset %d (%d:%d), severity %s; want offset %d", f.Location.Start.Offset,
			f.Location.Start.Line, f.Location.Start.Col, f.Severity, want)
	}
}

func TestLimitExpressionLength(t *testing.T) {
	long := `"[concat(` + strings.Repeat("'aaaaaaaaaa', ", 2000) + `'b')]"`
	src := tmpl("", storage(long))
	res := lint(t, src)
	f := wantFinding(t, res, "AL0003", "expression cannot be evaluated: expression is 28013 characters long; ARM allows at most 24576")
	wantAt(t, src, f, "[concat('aaaaaaaaaa'")
}

func TestLimitExpressionNesting(t *testing.T) {
	deep := `"[` + strings.Repeat("concat(", 300) + `'a'` + strings.Repeat(")", 300) + `]"`
	src := tmpl("", storage(deep))
	res := lint(t, src)
	f := wantFinding(t, res, "AL0003", "expression nests deeper than 200 levels")
	// The parser stops at the call past level 200.
	if off := f.Location.Start.Offset; !strings.HasPrefix(src[off:], "concat(") || strings.Count(src[:off], "concat(") < 200 {
		t.Errorf("note at offset %d: want the call past 200 levels", off)
	}
}

func TestLimitCopyCount(t *testing.T) {
	src := tmpl("", `{"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2022-09-01", "name": "[concat('s', copyIndex())]", "location": "westus",
  "copy": {"name": "c", "count": 801}}`)
	res := lint(t, src)
	f := wantFinding(t, res, "AL0003", `copy loop "c" has 801 instances; ARM allows at most 800`)
	wantAt(t, src, f, "801}")
}

func TestLimitNestedDeployments(t *testing.T) {
	inner := tmpl("")
	for i := range 70 {
		inner = tmpl("", fmt.Sprintf(`{"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "d%d",
  "properties": {"mode": "Incremental", "expressionEvaluationOptions": {"scope": "inner"}, "template": %s}}`, i, inner))
	}
	res := lint(t, inner)
	f := wantFinding(t, res, "AL0001", "nested deployments deeper than 64 levels")
	if f.Location.Start.Line < 64 {
		t.Errorf("AL0001 at %d:%d; want it on the template that is too deep, past line 64", f.Location.Start.Line, f.Location.Start.Col)
	}
}

// evalErrorsSurfaced says whether graph.Build reports the evaluator's
// limits (variable cycles, user-defined function recursion, an exhausted
// step budget) as notes; it does, through expr.Options.OnLimit.
const evalErrorsSurfaced = true

func TestLimitSelfReferencingVariables(t *testing.T) {
	src := tmpl(`"variables": {"a": "[variables('b')]", "b": "[concat(variables('a'), 'x')]"}`, storage(`"[variables('a')]"`))
	res := lint(t, src)
	if !evalErrorsSurfaced {
		t.Skip("graph.Build does not report evaluation errors yet; the run ended cleanly")
	}
	f := wantFinding(t, res, "AL0003", "variable 'a' depends on itself (a → b → a)")
	wantAt(t, src, f, `"[concat(variables('a'), 'x')]"`) // the definition that closes the cycle
}

func TestLimitUDFRecursion(t *testing.T) {
	src := tmpl(`"functions": [{"namespace": "ns", "members": {"f": {"parameters": [{"name": "x", "type": "string"}],
  "output": {"type": "string", "value": "[ns.f(parameters('x'))]"}}}}]`, storage(`"[ns.f('a')]"`))
	res := lint(t, src)
	if !evalErrorsSurfaced {
		t.Skip("graph.Build does not report evaluation errors yet, and the evaluator's message does not name the function; the run ended cleanly")
	}
	f := wantFinding(t, res, "AL0003", "ns.f")
	wantAt(t, src, f, `"[ns.f(parameters('x'))]"`) // the recursive call in the function's output
}

func TestLimitEvaluationSteps(t *testing.T) {
	vars := []string{`"v0": "[range(0, 800)]"`}
	for i := 1; i < 30; i++ {
		vars = append(vars, fmt.Sprintf(`"v%d": "[concat(variables('v%d'), variables('v%d'))]"`, i, i-1, i-1))
	}
	src := tmpl(`"variables": {`+strings.Join(vars, ", ")+`}`, storage(`"[string(length(variables('v29')))]"`))
	res := lint(t, src)
	if !evalErrorsSurfaced {
		t.Skip("graph.Build does not report an exhausted evaluation budget yet; the run ended cleanly")
	}
	wantFinding(t, res, "AL0003", "evaluation budget")
}

// TestLimitPolicyBudget runs a user policy that never ends through the
// whole pipeline: the rule's error names the file, the rule and the
// policy, and the other rules and files are analysed.
func TestLimitPolicyBudget(t *testing.T) {
	dir := t.TempDir()
	policy := `# METADATA
# title: Endless
# description: |
#   Never ends.
#   **Fix:** nothing.
# custom:
#   id: XHOST001
#   severity: warning
#   tags: [test]
package armlint.custom.hostile.endless

findings contains x if {
	some i in numbers.range(1, 1000000)
	some j in numbers.range(1, 1000000)
	i == j + 1000000
	x := {"resource": "/resources/0", "message": "never"}
}
`
	if err := os.WriteFile(filepath.Join(dir, "endless.rego"), []byte(policy), 0o644); err != nil {
		t.Fatal(err)
	}
	const budget = 300 * time.Millisecond
	rs, err := regoeval.Load(policies.FS, regoeval.Options{Root: "policies", Extra: []string{dir}, Timeout: budget})
	if err != nil {
		t.Fatal(err)
	}
	reg, err := analyzer.NewRegistry(append(analyzer.DiagnosticRules(), rs...)...)
	if err != nil {
		t.Fatal(err)
	}
	files := t.TempDir()
	a := filepath.Join(files, "a.json")
	b := filepath.Join(files, "b.json")
	for _, p := range []string{a, b} {
		if err := os.WriteFile(p, []byte(tmpl("", storage(`"st"`))), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := analyzer.Run(context.Background(), []string{files}, analyzer.Options{Rules: rs, Registry: reg, Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.Templates != 2 || len(res.Errors) != 2 {
		t.Fatalf("stats %+v, errors %v; want both templates analysed and one budget error each", res.Stats, res.Errors)
	}
	origin := filepath.ToSlash(filepath.Join(dir, "endless.rego"))
	for _, e := range res.Errors {
		msg := e.Error()
		for _, part := range []string{"rule XHOST001", "policy " + origin + " (XHOST001): evaluation exceeded its budget of 300ms"} {
			if !strings.Contains(msg, part) {
				t.Errorf("error %q does not say %q", msg, part)
			}
		}
	}
}
