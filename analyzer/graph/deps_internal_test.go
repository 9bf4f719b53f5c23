package graph

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/armlint/armlint/analyzer/expr"
	"github.com/armlint/armlint/analyzer/template"
)

// forEachRuntimeRead finds the same calls as a walk of every string's
// parse, in every expression string of the fixtures (and of the
// quickstart corpus when it is there): the strings it does not parse have
// none.
func TestForEachRuntimeReadSkipsNoRead(t *testing.T) {
	roots := []string{"../../testdata"}
	if _, err := os.Stat("../../../shared/corpus/quickstart"); err == nil && !testing.Short() {
		roots = append(roots, "../../../shared/corpus/quickstart")
	}
	strs, reads := 0, 0
	for _, root := range roots {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
				return nil //nolint:nilerr // unreadable entries are not this test's concern
			}
			f, err := template.ReadFile(p)
			if err != nil {
				return nil //nolint:nilerr // not JSON
			}
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
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if reads == 0 {
		t.Fatal("no runtime read found")
	}
	t.Logf("%d expression strings, %d runtime reads", strs, reads)
}
