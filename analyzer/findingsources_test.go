package analyzer

import (
	"context"
	"hash/maphash"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/armlint/armlint/analyzer/template"
)

// A linked template whose copy count comes from a parameter: alone it has
// no finding, linked with n = 900 it has a note (over ARM's 800 limit).
const countedTemplate = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {"n": {"type": "int", "defaultValue": 1}},
  "resources": [
    {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "[concat('s', copyIndex())]",
     "location": "westeurope", "copy": {"name": "c", "count": "[parameters('n')]"}}
  ]
}`

const countingTemplate = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "many",
     "properties": {"mode": "Incremental", "templateLink": {"relativePath": "a/counted.json"},
       "parameters": {"n": {"value": 900}}}}
  ]
}`

// With FindingSourcesOnly, Result.Files keep the source of the files
// findings are located in, however the finding got there (the file's own
// analysis, the analysis of a template linking it, a config ignore), and
// only their path and kind for the others; without it, every file keeps
// its source.
func TestFindingSourcesOnly(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "a"), 0o755); err != nil {
		t.Fatal(err)
	}
	sources := map[string]string{
		"a/counted.json":    countedTemplate,  // walked before b.json, which links it
		"b.json":            countingTemplate, // no finding of its own
		"c.json":            validTemplate,    // no finding
		"d.json":            validTemplate,    // a config ignore that matches nothing is located here
		"e.json":            `{"$schema": "x", `,
		"f.parameters.json": `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "parameters": {}}`,
		"g.json":            "\uFEFF" + validTemplate, // as d.json, with a byte order mark (not in the source analysed)
	}
	paths := map[string]string{} // name -> path shown
	for name, src := range sources {
		paths[name] = rel(t, writeFile(t, dir, name, src))
	}
	ignores := []ConfigIgnore{
		{Rule: IDUnusedIgnore, Reason: "r", At: Location{File: paths["d.json"], Start: Pos{Line: 1, Col: 1}, End: Pos{Line: 1, Col: 1}}},
		{Rule: IDUnusedIgnore, Reason: "r", At: Location{File: paths["g.json"], Start: Pos{Line: 1, Col: 1}, End: Pos{Line: 1, Col: 1}}},
	}
	for _, only := range []bool{false, true} {
		for _, jobs := range []int{1, 2} {
			res, err := Run(context.Background(), []string{dir}, Options{Jobs: jobs, Ignores: ignores, FindingSourcesOnly: only})
			if err != nil {
				t.Fatal(err)
			}
			located := map[string]bool{}
			for _, fd := range res.Findings {
				located[fd.Location.File] = true
			}
			for _, name := range []string{"a/counted.json", "d.json", "e.json", "g.json"} {
				if !located[paths[name]] {
					t.Fatalf("no finding in %s: %+v", name, res.Findings)
				}
			}
			if len(res.Files) != len(sources) {
				t.Errorf("only=%v: %d files; want %d", only, len(res.Files), len(sources))
			}
			for name, src := range sources {
				f := res.File(paths[name])
				if f == nil {
					t.Errorf("only=%v: %s not in Result.Files", only, name)
					continue
				}
				want := strings.TrimPrefix(src, "\uFEFF")
				if only && !located[f.Path] {
					want = ""
				}
				if string(f.Src) != want || f.Path != paths[name] {
					t.Errorf("only=%v jobs=%d: %s has path %q, source %q; want %q", only, jobs, name, f.Path, f.Src, want)
				}
				if wantKind := kindOf(name); f.Kind != wantKind {
					t.Errorf("only=%v: %s is of kind %v; want %v", only, name, f.Kind, wantKind)
				}
				if f.Root != nil {
					t.Errorf("only=%v: %s keeps its tree", only, name)
				}
			}
		}
	}
}

func kindOf(name string) template.FileKind {
	switch name {
	case "f.parameters.json":
		return template.KindParameters
	case "e.json":
		return template.KindOther // it did not load
	}
	return template.KindTemplate
}

// A dropped file that can no longer be read, or that changed since it was
// analysed, when a finding turns out to be located in it keeps only its
// path and kind.
func TestRestoreSourcesUnreadable(t *testing.T) {
	dir := t.TempDir()
	gone := filepath.Join(dir, "gone.json")
	kept := writeFile(t, dir, "kept.json", validTemplate)
	changed := writeFile(t, dir, "changed.json", validTemplate+" ")
	sum := maphash.Bytes(sourceSeed, []byte(validTemplate))
	res := &Result{
		Files: []*template.File{
			{Path: "gone.json", Kind: template.KindTemplate},
			{Path: "kept.json", Kind: template.KindTemplate},
			{Path: "other.json", Kind: template.KindTemplate},
			{Path: "changed.json", Kind: template.KindTemplate},
		},
		Findings: []Finding{
			{RuleID: IDUnusedIgnore, Location: Location{File: "gone.json"}},
			{RuleID: IDUnusedIgnore, Location: Location{File: "x.json"}, Related: []Related{{Location: Location{File: "kept.json"}}}},
			{RuleID: IDUnusedIgnore, Location: Location{File: "changed.json"}},
		},
	}
	restoreSources(res, []droppedSource{{0, gone, sum}, {1, kept, sum}, {2, kept, sum}, {3, changed, sum}}, DefaultMaxFileSize)
	if f := res.File("gone.json"); f.Src != nil || f.Kind != template.KindTemplate {
		t.Errorf("gone.json: %q %v", f.Src, f.Kind)
	}
	if f := res.File("changed.json"); f.Src != nil || f.Kind != template.KindTemplate {
		t.Errorf("changed.json changed since it was analysed, but its new source was restored: %q %v", f.Src, f.Kind)
	}
	if f := res.File("kept.json"); string(f.Src) != validTemplate || f.Root != nil {
		t.Errorf("kept.json (related location): %q", f.Src)
	}
	if f := res.File("other.json"); f.Src != nil {
		t.Errorf("other.json has no finding, but its source was read: %q", f.Src)
	}
}
