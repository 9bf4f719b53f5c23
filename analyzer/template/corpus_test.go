package template

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sharedDir returns ../shared/<elem...> relative to the repository root (the
// directory holding go.mod), or skips the test when it is absent.
func sharedDir(tb testing.TB, elem ...string) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		up := filepath.Dir(dir)
		if up == dir {
			tb.Skip("go.mod not found above the package directory; cannot locate ../shared")
		}
		dir = up
	}
	p := filepath.Join(append([]string{dir, "..", "shared"}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("%s not available (%v); skipping corpus test", p, err)
	}
	return p
}

// corpusFiles lists every *.json below the quickstart corpus, sorted.
func corpusFiles(tb testing.TB) []string {
	tb.Helper()
	root := sharedDir(tb, "corpus", "quickstart")
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".json") {
			files = append(files, path)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return files
}

func TestCorpusLoads(t *testing.T) {
	files := corpusFiles(t)
	var templates, params, other, nested, symbolic, comments int
	for _, path := range files {
		f, err := ReadFile(path)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		comments += len(f.Comments)
		switch f.Kind {
		case KindTemplate:
			templates++
			tm, err := Parse(f)
			if err != nil {
				t.Errorf("Parse: %v", err)
				continue
			}
			all := tm.Templates()
			nested += len(all) - 1
			if tm.Symbolic() {
				symbolic++
			}
		case KindParameters:
			params++
			if _, err := ParseParameters(f); err != nil {
				t.Errorf("ParseParameters: %v", err)
			}
		default:
			other++
			t.Errorf("%s: neither a template nor a parameter file", path)
		}
	}
	t.Logf("%d files: %d templates (%d symbolic, %d inline nested templates), %d parameter files, %d other, %d comments",
		len(files), templates, symbolic, nested, params, other, comments)
	if templates != 1922 || params != 1479 {
		t.Errorf("got %d templates and %d parameter files, want 1922 and 1479", templates, params)
	}
}

func BenchmarkLoadCorpus(b *testing.B) {
	files := corpusFiles(b)
	raws := make([][]byte, len(files))
	var total int64
	for i, path := range files {
		raw, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		raws[i] = raw
		total += int64(len(raw))
	}
	b.SetBytes(total)
	for b.Loop() {
		for i, raw := range raws {
			f, err := Load(files[i], raw)
			if err != nil {
				b.Fatal(err)
			}
			if f.Kind == KindTemplate {
				if _, err := Parse(f); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
}
