package expr

import (
	"reflect"
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

// sameValue reports whether two values are the same in every field, as
// reflect.DeepEqual would tell of them if strings and arrays were held
// as such (they are held as a pointer and a length: DeepEqual would
// compare the pointers).
func sameValue(a, b Value) bool {
	if a.k != b.k || a.b != b.b || a.size != b.size || !reflect.DeepEqual(a.defaults, b.defaults) {
		return false
	}
	switch a.k {
	case KString:
		if a.str() != b.str() {
			return false
		}
	case KArray:
		if !sameValues(a.arr(), b.arr()) {
			return false
		}
	default:
		if a.i != b.i || a.p != nil || b.p != nil {
			return false
		}
	}
	return sameObject(a.o, b.o) && sameUnknown(a.u, b.u)
}

func sameValues(a, b []Value) bool {
	if (a == nil) != (b == nil) || len(a) != len(b) {
		return false
	}
	for i := range a {
		if !sameValue(a[i], b[i]) {
			return false
		}
	}
	return true
}

func sameObject(a, b *Object) bool {
	if a == nil || b == nil {
		return a == b
	}
	return reflect.DeepEqual(a.Keys, b.Keys) && reflect.DeepEqual(a.UnknownKeys, b.UnknownKeys) && sameValues(a.Vals, b.Vals)
}

func sameUnknown(a, b *Unknown) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.Expr != b.Expr || a.Reason != b.Reason || a.Marks != b.Marks || a.Err != b.Err {
		return false
	}
	if a.Ref == nil || b.Ref == nil {
		return a.Ref == b.Ref
	}
	ra, rb := a.Ref, b.Ref
	return ra.Func == rb.Func && ra.APIVersion == rb.APIVersion && ra.Full == rb.Full &&
		sameValue(ra.Target, rb.Target) && sameValues(ra.Path, rb.Path)
}
