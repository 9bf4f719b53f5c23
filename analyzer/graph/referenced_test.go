package graph

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/armlint/armlint/analyzer/template"
)

// Referenced answers as len(References) > 0 does, for every resource of
// the fixtures, and of the quickstart corpus when it is there; most of
// those it answers from the graph's structure alone.
func TestReferencedAsReferences(t *testing.T) {
	roots := []string{"../../testdata"}
	if _, err := os.Stat("../../../shared/corpus/quickstart"); err == nil {
		roots = append(roots, "../../../shared/corpus/quickstart")
	}
	files, structural := 0, 0
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
			files++
			asked, _ := Build(tmpl, Options{})
			told, _ := Build(tmpl, Options{})
			for i, r := range asked.Resources {
				evaluated := asked.mentions != nil
				got := asked.Referenced(r)
				if !evaluated && got && asked.mentions == nil {
					structural++ // answered without evaluating the deployment's values
				}
				if want := len(told.References(told.Resources[i])) > 0; got != want {
					t.Errorf("%s: %s: Referenced %v, References %v", p, r.Label(), got, want)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if structural == 0 {
		t.Fatalf("no resource of %d templates answered from the structure", files)
	}
	t.Logf("%d templates, %d answers from the structure alone", files, structural)
}
