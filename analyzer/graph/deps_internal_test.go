package graph

import (
	"strings"
	"testing"

	"github.com/armlint/armlint/analyzer/expr"
	"github.com/armlint/armlint/analyzer/template"
	"github.com/armlint/armlint/internal/testcorpus"
)

// forEachRuntimeRead finds the same calls as a walk of every string's
// parse, in every expression string of the fixtures (and of the
// quickstart corpus when it is there): the strings it does not parse have
// none.
func TestForEachRuntimeReadSkipsNoRead(t *testing.T) {
	strs, reads := 0, 0
	testcorpus.Files(t, "../..", func(p string, f *template.File) {
		env := expr.NewEnv(nil, expr.Options{})
		ForEachExpression(f.Root, func(n *template.Value) {
			strs++
			got := 0
			forEachRuntimeRead(env, n.Str(), func(expr.Expr) { got++ })
			want := 0
			if x, err := expr.Parse(strings.TrimSuffix(strings.TrimPrefix(n.Str(), "["), "]")); err == nil {
				expr.Inspect(x, func(x expr.Expr) bool {
					if c, ok := x.(*expr.Call); ok && c.Namespace == "" && len(c.Args) > 0 {
						name := strings.ToLower(c.Name)
						if name == "reference" || name == "references" || strings.HasPrefix(name, "list") {
							want++
						}
					}
					return true
				})
			}
			reads += want
			if got != want {
				t.Errorf("%s: %q: %d runtime reads, want %d", p, n.Str(), got, want)
			}
		})
	})
	if reads == 0 {
		t.Fatal("no runtime read found")
	}
	t.Logf("%d expression strings, %d runtime reads", strs, reads)
}
