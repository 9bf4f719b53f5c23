package expr

import (
	"testing"

	"github.com/armlint/armlint/analyzer/template"
)

// loadTemplate parses a template from JSON text.
func loadTemplate(t *testing.T, src string) *template.Template {
	t.Helper()
	f, err := template.Load("test.json", []byte(src))
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	tp, err := template.Parse(f)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return tp
}

// jsonNode parses a JSON value (for parameter-file values).
func jsonNode(t *testing.T, src string) *template.Value {
	t.Helper()
	f, err := template.Load("value.json", []byte(src))
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return f.Root
}

// evalExpr evaluates the expression text x (without brackets) in env.
func evalExpr(env *Env, x string) Value { return env.EvalString("[" + x + "]") }

// exprCase is one expression and the JSON rendering of its value.
type exprCase struct {
	expr string
	want string
}

func runCases(t *testing.T, env *Env, cases []exprCase) {
	t.Helper()
	for _, tc := range cases {
		got := evalExpr(env, tc.expr)
		if got.String() != tc.want {
			r := ""
			if u := got.Unknown(); u != nil {
				r = " (" + u.Reason + ")"
			}
			t.Errorf("%s\n got %s%s\nwant %s", tc.expr, got.String(), r, tc.want)
		}
	}
}

const emptyTemplate = `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": []}`
