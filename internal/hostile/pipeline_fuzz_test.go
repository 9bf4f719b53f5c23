package hostile

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// pipelineSeeds returns the seed templates of FuzzPipeline: every JSON file
// of the repository's testdata, and every 97th template of the quickstart
// corpus under 16 KiB when the corpus is present.
func pipelineSeeds(t testing.TB) [][]byte {
	var seeds [][]byte
	add := func(root string, every int, maxSize int64) {
		var paths []string
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() && strings.HasSuffix(p, ".json") && !strings.HasSuffix(p, ".parameters.json") {
				if info, err := d.Info(); err == nil && info.Size() <= maxSize {
					paths = append(paths, p)
				}
			}
			return nil
		})
		sort.Strings(paths)
		for i, p := range paths {
			if i%every != 0 {
				continue
			}
			if data, err := os.ReadFile(p); err == nil {
				seeds = append(seeds, data)
			}
		}
	}
	add(testdataDir, 1, 64<<10)
	if _, err := os.Stat(corpusDir); err == nil {
		add(corpusDir, 97, 16<<10)
	}
	if len(seeds) == 0 {
		t.Fatal("no seed templates found under testdata")
	}
	return seeds
}

// FuzzPipeline runs the whole pipeline, every built-in Go and Rego rule on,
// on one file read from standard input. It checks that nothing panics (a
// panicking rule is reported as an internal error, which fails here too),
// that the run ends (a watchdog turns a hang into a failure the fuzzer
// keeps) and that every finding points inside the file.
func FuzzPipeline(f *testing.F) {
	for _, s := range pipelineSeeds(f) {
		f.Add(s)
	}
	builtinRules(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		out, hung := runBytes(t, "", data, watchdog)
		switch {
		case hung:
			t.Fatalf("the pipeline did not end within %s", watchdog)
		case out.panic != nil:
			t.Fatalf("panic: %v\n%s", out.panic, out.stack)
		case out.err != nil:
			t.Fatalf("Run: %v", out.err)
		}
		for _, e := range out.res.Errors {
			if strings.Contains(e.Error(), "internal error") {
				t.Fatalf("rule error: %v", e)
			}
		}
		if p := positionProblem(out.res); p != "" {
			t.Fatalf("finding outside the file: %s", p)
		}
	})
}
