package rules

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/armlint/armlint/analyzer/graph"
	"github.com/armlint/armlint/analyzer/template"
)

// Every resource structurallyUsed puts in its set has references: the set
// only spares asking graph.References, it never answers differently. On
// the fixtures of every rule, and the quickstart corpus when it is there.
func TestStructurallyUsedAreReferenced(t *testing.T) {
	roots := []string{"../testdata"}
	if _, err := os.Stat("../../shared/corpus/quickstart"); err == nil {
		roots = append(roots, "../../shared/corpus/quickstart")
	}
	files, used := 0, 0
	for _, root := range roots {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
				return nil //nolint:nilerr // unreadable entries are not this test's concern
			}
			f, err := template.ReadFile(p)
			if err != nil || f.Kind != template.KindTemplate {
				return nil //nolint:nilerr // not a template
			}
			tmpl, err := template.Parse(f)
			if err != nil {
				return nil //nolint:nilerr // not a template
			}
			g, _ := graph.Build(tmpl, graph.Options{})
			files++
			for r := range structurallyUsed(g) {
				used++
				if len(g.References(r)) == 0 {
					t.Errorf("%s: %s is in structurallyUsed but has no references", p, r.Label())
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if used == 0 {
		t.Fatalf("no resource used structurally in %d templates", files)
	}
	t.Logf("%d templates, %d resources used structurally", files, used)
}
