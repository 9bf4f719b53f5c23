package expr

import (
	"strings"
	"testing"
)

// docCase is one output of a documented example: the output's name in
// the doc, the expression of its value, and the documented value as JSON
// (objects compare by key set, as ARM does not guarantee key order).
type docCase struct {
	name string
	expr string
	want string
}

// runDoc evaluates the outputs of a documented example template whose
// parameters and variables are given by tmpl ("" for none) and checks
// them against the documented values.
func runDoc(t *testing.T, page, tmpl string, cases []docCase) {
	t.Helper()
	if tmpl == "" {
		tmpl = emptyTemplate
	}
	env := NewEnv(loadTemplate(t, tmpl), Options{})
	runDocEnv(t, page, env, cases)
}

func runDocEnv(t *testing.T, page string, env *Env, cases []docCase) {
	t.Helper()
	for _, tc := range cases {
		got := evalExpr(env, tc.expr)
		want, err := parseLenientJSON(tc.want)
		if err != nil {
			t.Fatalf("%s %s: bad expected JSON %q: %v", page, tc.name, tc.want, err)
		}
		if !got.IsFullyKnown() || !Equal(got, want) || got.Kind() != want.Kind() && !bothNumbers(got, want) {
			r := ""
			if p := firstUnknown(got); p != nil && p.u != nil {
				r = " (" + p.u.Reason + ")"
			}
			t.Errorf("%s: %s = %s\n got %s%s\nwant %s", page, tc.name, tc.expr, got.String(), r, tc.want)
		}
	}
}

func bothNumbers(a, b Value) bool {
	_, x := a.FloatVal()
	_, y := b.FloatVal()
	return x && y
}

// docTemplate builds a template with the given "parameters" and
// "variables" JSON members (either may be "").
func docTemplate(params, vars string) string {
	var b strings.Builder
	b.WriteString(`{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0"`)
	if params != "" {
		b.WriteString(`, "parameters": ` + params)
	}
	if vars != "" {
		b.WriteString(`, "variables": ` + vars)
	}
	b.WriteString(`, "resources": []}`)
	return b.String()
}
