package analyzer

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/armlint/armlint/analyzer/template"
)

// The cache keeps the bytes and a tree until the walk's job takes them,
// and then only that the walk has had the file.
func TestSourceCache(t *testing.T) {
	c := newSourceCache()
	raw := []byte(validTemplate)
	f, err := template.Load("a.json", raw)
	if err != nil {
		t.Fatal(err)
	}
	if r, g := c.get("a.json"); r != nil || g != nil {
		t.Fatalf("empty cache: %q %v", r, g)
	}
	c.put("a.json", raw, f, false)
	if r, g := c.get("a.json"); string(r) != validTemplate || g != f {
		t.Errorf("get after put: %q %v", r, g)
	}
	if r, g := c.take("a.json"); string(r) != validTemplate || g != f {
		t.Errorf("take: %q %v", r, g)
	}
	if r, g := c.get("a.json"); r != nil || g != nil {
		t.Errorf("get after take: %q %v; want nothing", r, g)
	}
	f2, _ := template.Load("a.json", raw)
	c.put("a.json", raw, f2, false)
	if r, g := c.get("a.json"); r != nil || g != nil {
		t.Errorf("kept after the walk's job took the file: %q %v", r, g)
	}

	// Bytes read by another user before the walk's job: only the bytes.
	c.put("c.json", raw, nil, false)
	if r, g := c.get("c.json"); string(r) != validTemplate || g != nil {
		t.Errorf("get of bytes only: %q %v", r, g)
	}
	c.put("c.json", raw, f, false)
	if r, g := c.get("c.json"); string(r) != validTemplate || g != f {
		t.Errorf("get after the tree was added: %q %v", r, g)
	}

	// The walk's job reads the file first: nothing is kept after it.
	c.put("b.json", raw, nil, true)
	if r, g := c.take("b.json"); r != nil || g != nil {
		t.Errorf("take of a file the walk read: %q %v", r, g)
	}
	c.put("b.json", raw, f, false)
	if r, g := c.get("b.json"); r != nil || g != nil {
		t.Errorf("kept for a file the walk's job has read: %q %v", r, g)
	}

	var none *sourceCache // outside a Run
	none.put("a.json", raw, f, false)
	if r, g := none.take("a.json"); r != nil || g != nil {
		t.Errorf("nil cache: %q %v", r, g)
	}
}

const linkingTemplate = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {"p": {"type": "string"}},
  "resources": [
    {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "one",
     "properties": {"mode": "Incremental", "templateLink": {"relativePath": "nested/linked.json"},
       "parameters": {"name": {"value": "first"}}}},
    {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "two",
     "properties": {"mode": "Incremental", "templateLink": {"relativePath": "nested/linked.json"},
       "parameters": {"name": {"value": "second"}}}}
  ]
}`

const linkedTemplate = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {"name": {"type": "string", "defaultValue": "own"}},
  "resources": [
    {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "[parameters('name')]",
     "location": "[resourceGroup().location]", "kind": "StorageV2", "sku": {"name": "Standard_LRS"},
     "identity": {"type": "SystemAssigned"}, "properties": {"note": "[concat('a', ]"}}
  ]
}`

const parameterFile = `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "contentVersion": "1.0.0.0", "parameters": {"p": {"value": "x"}}}`

// A linked template loaded by its parent is not read again for its own
// analysis, nor the parameter file of a template for its own: changing the
// files on disk in between changes nothing. A template linked twice by one
// parent gets a tree for each link.
func TestSharedSources(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "nested"), 0o755); err != nil {
		t.Fatal(err)
	}
	main := writeFile(t, dir, "main.json", linkingTemplate)
	linked := writeFile(t, dir, "nested/linked.json", linkedTemplate)
	params := writeFile(t, dir, "main.parameters.json", parameterFile)
	opts := Options{KeepGraphs: true}
	opts.sources = newSourceCache()
	mainJob := job{path: rel(t, main), diskPath: main, shared: true}
	out := analyseFile(context.Background(), mainJob, &opts, nil)
	if out.err != nil || out.graph == nil {
		t.Fatalf("%s: %v", main, out.err)
	}
	var names []string
	files := map[*template.File]bool{}
	for _, r := range out.graph.Resources {
		if r.Res.File() != nil && r.Res.File().Path == rel(t, linked) {
			names = append(names, r.Name.Expr())
			files[r.Res.File()] = true
		}
	}
	if len(names) != 2 || len(files) != 2 {
		t.Errorf("linked resources %v in %d trees; want one in each of 2 trees", names, len(files))
	}

	// Replaced on disk: the analyses below must not read them again.
	for _, p := range []string{linked, params} {
		if err := os.WriteFile(p, []byte("not JSON"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{linked, params} {
		out := analyseFile(context.Background(), job{path: rel(t, p), diskPath: p, shared: true}, &opts, nil)
		if out.err != nil || !out.syntaxOK {
			t.Errorf("%s read again: %v %v %+v", p, out.err, out.syntaxOK, out.findings)
		}
	}
	// Not shared: read from disk.
	out = analyseFile(context.Background(), job{path: rel(t, linked), diskPath: linked}, &opts, nil)
	if out.syntaxOK || len(out.findings) != 1 || out.findings[0].RuleID != IDInvalidTemplate {
		t.Errorf("unshared job: %v %+v; want the syntax error of the file on disk", out.syntaxOK, out.findings)
	}
}

// Sharing changes no finding: a run over templates that link others and
// have parameter files finds what each file analysed alone finds.
func TestSharedSourcesSameFindings(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "nested"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "main.json", linkingTemplate)
	writeFile(t, dir, "other.json", strings.Replace(linkingTemplate, `"first"`, `"third"`, 1))
	writeFile(t, dir, "nested/linked.json", linkedTemplate)
	writeFile(t, dir, "main.parameters.json", parameterFile)
	res, err := runWithin(t, []string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var alone []Finding
	for _, f := range res.Files {
		opts := Options{}
		out := analyseFile(context.Background(), job{path: f.Path, diskPath: filepath.FromSlash(f.Path)}, &opts, nil)
		alone = append(alone, out.findings...)
	}
	SortFindings(alone)
	alone = dedupe(alone)
	if len(alone) == 0 {
		t.Fatal("no findings to compare")
	}
	if !reflect.DeepEqual(res.Findings, alone) {
		t.Errorf("shared:\n%+v\nalone:\n%+v", res.Findings, alone)
	}
}
