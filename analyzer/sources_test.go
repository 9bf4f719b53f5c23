package analyzer

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
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

// countOpens counts, until the test ends, the files openSource opens, by
// path as opened.
func countOpens(t *testing.T) func(path string) int {
	var mu sync.Mutex
	opens := map[string]int{}
	openHook = func(path string) {
		mu.Lock()
		opens[filepath.Clean(path)]++
		mu.Unlock()
	}
	t.Cleanup(func() { openHook = nil })
	return func(path string) int {
		mu.Lock()
		defer mu.Unlock()
		return opens[filepath.Clean(path)]
	}
}

// cached reports whether c keeps bytes or a tree of the file shown as path.
func cached(c *sourceCache, path string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.files[path]
	return e != nil && (e.raw != nil || e.file != nil)
}

// A template's conventional parameter file is read and loaded once,
// whichever of the template's job and the parameter file's own job comes
// first, and nothing of it is kept once both are done, also when the
// template does not ask for it.
func TestParameterFileReadOnce(t *testing.T) {
	const broken = `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "resources": [}`
	for _, c := range []struct {
		name       string
		template   string
		paramFirst bool
	}{
		{"parameter file's job first", validTemplate, true},
		{"template's job first", validTemplate, false},
		{"template that does not ask, parameter file's job first", broken, true},
		{"template that does not ask, template's job first", broken, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			opens := countOpens(t)
			dir := t.TempDir()
			tmpl := writeFile(t, dir, "main.json", c.template)
			params := writeFile(t, dir, "main.parameters.json", parameterFile)
			opts := Options{}
			opts.getwd = os.Getwd
			opts.sources = newSourceCache()
			var jobs []job
			if _, err := collect([]string{dir}, opts, func(j job) { jobs = append(jobs, j) }); err != nil {
				t.Fatal(err)
			}
			if len(jobs) != 2 || jobs[0].diskPath != tmpl || jobs[0].awaits != rel(t, params) || jobs[1].diskPath != params {
				t.Fatalf("jobs %+v; want the template's, awaiting its parameter file, then the parameter file's", jobs)
			}
			if c.paramFirst {
				jobs[0], jobs[1] = jobs[1], jobs[0]
			}
			for i, j := range jobs {
				out := analyseFile(context.Background(), j, &opts, nil)
				if out.err != nil {
					t.Fatalf("%s: %v", j.path, out.err)
				}
				for _, fd := range out.findings {
					if fd.RuleID == IDUnsupportedConstruct {
						t.Errorf("%s: %s", j.path, fd.Message)
					}
				}
				if i == 0 {
					// Replaced on disk: what the second job uses of
					// it must be what the first read.
					if err := os.WriteFile(params, []byte("not JSON"), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			if n := opens(params); n != 1 {
				t.Errorf("parameter file opened %d times; want 1", n)
			}
			if cached(opts.sources, rel(t, params)) {
				t.Errorf("the parameter file is still kept once both jobs are done")
			}
		})
	}
}

// In a whole run on two workers each file is opened once, whatever the
// order the workers run the jobs in.
func TestRunReadsParameterFilesOnce(t *testing.T) {
	opens := countOpens(t)
	dir := t.TempDir()
	var files []string
	for i := range 30 {
		sub := filepath.Join(dir, fmt.Sprintf("t%02d", i))
		if err := os.Mkdir(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		files = append(files, writeFile(t, sub, "azuredeploy.json", linkingTemplate),
			writeFile(t, sub, "azuredeploy.parameters.json", parameterFile))
	}
	res, err := runWithin(t, []string{dir}, Options{Jobs: 2, FindingSourcesOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.Templates != 30 || res.Stats.Parameters != 30 {
		t.Fatalf("stats %+v", res.Stats)
	}
	for _, p := range files {
		if n := opens(p); n != 1 {
			t.Errorf("%s opened %d times; want 1", p, n)
		}
	}
}

// A user that finds nothing claims the file; others wait for what it
// puts, and claim it in turn when it could not read it.
func TestSourceCacheClaims(t *testing.T) {
	c := newSourceCache()
	raw := []byte(validTemplate)
	if r, _ := c.get("a.json"); r != nil {
		t.Fatal("empty cache returned bytes")
	}
	got := make(chan []byte)
	for range 2 {
		go func() {
			r, _ := c.get("a.json") // waits for the claimer, or comes after it
			got <- r
		}()
	}
	c.put("a.json", raw, nil, false)
	for range 2 {
		if r := <-got; string(r) != validTemplate {
			t.Errorf("waiter got %q", r)
		}
	}
	if r, _ := c.take("a.json"); string(r) != validTemplate {
		t.Errorf("the walk's job got %q", r)
	}

	if r, _ := c.get("b.json"); r != nil {
		t.Fatal("empty cache returned bytes")
	}
	claimed := make(chan bool)
	go func() {
		r, _ := c.get("b.json")
		claimed <- r == nil
		if r == nil {
			c.put("b.json", raw, nil, false)
		}
	}()
	c.put("b.json", nil, nil, false) // could not read it
	if !<-claimed {
		t.Error("the waiter of a failed read did not claim the file")
	}
	if r, _ := c.get("b.json"); string(r) != validTemplate {
		t.Errorf("after the second claim: %q", r)
	}
}

// A linked template whose read fails part-way is reported with the read's
// error, not loaded from the bytes read before it (/proc/self/mem: a
// regular file of size 0 whose read at offset 0 fails).
func TestLinkedTemplateReadError(t *testing.T) {
	if _, err := os.Stat("/proc/self/mem"); err != nil {
		t.Skip("no /proc/self/mem on this system")
	}
	dir := t.TempDir()
	if err := os.Symlink("/proc/self/mem", filepath.Join(dir, "mem.json")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	main := writeFile(t, dir, "main.json", `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "one",
     "properties": {"mode": "Incremental", "templateLink": {"relativePath": "mem.json"}}}
  ]
}`)
	res, err := Run(context.Background(), []string{main}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, fd := range res.Findings {
		if strings.Contains(fd.Message, "mem.json") {
			if !strings.Contains(fd.Message, "input/output error") {
				t.Errorf("linked template that cannot be read: %q, want the read's error", fd.Message)
			}
			return
		}
	}
	t.Errorf("no finding names the linked template: %+v", res.Findings)
}
