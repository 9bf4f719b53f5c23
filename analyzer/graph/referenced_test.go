package graph

import (
	"testing"

	"github.com/armlint/armlint/analyzer/template"
	"github.com/armlint/armlint/internal/testcorpus"
)

// Referenced answers as len(References) > 0 does, for every resource of
// the fixtures, and of the quickstart corpus when it is there; most of
// those it answers from the graph's structure alone.
func TestReferencedAsReferences(t *testing.T) {
	files, structural := 0, 0
	files = testcorpus.Templates(t, "../..", func(p string, tmpl *template.Template) {
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
	})
	if structural == 0 {
		t.Fatalf("no resource of %d templates answered from the structure", files)
	}
	t.Logf("%d templates, %d answers from the structure alone", files, structural)
}
