// Package testcorpus walks the JSON files that tests check a property
// over: the repository's testdata, and the quickstart corpus when it is
// beside the repository (../shared) and the tests do not run with -short.
package testcorpus

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/armlint/armlint/analyzer/template"
)

// Roots returns the directories to walk, given the path of the
// repository's root from the test's package (e.g. "../.."): its testdata,
// and the quickstart corpus when it is there and -short is not set.
func Roots(repo string) []string {
	roots := []string{filepath.Join(repo, "testdata")}
	corpus := filepath.Join(repo, "..", "shared", "corpus", "quickstart")
	if _, err := os.Stat(corpus); err == nil && !testing.Short() {
		roots = append(roots, corpus)
	}
	return roots
}

// Files calls fn with every *.json file under Roots(repo) that loads,
// and returns how many there were. Files that cannot be read or loaded
// are not the tests' concern; a walk that fails is fatal.
func Files(tb testing.TB, repo string, fn func(path string, f *template.File)) int {
	tb.Helper()
	n := 0
	for _, root := range Roots(repo) {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
				return nil //nolint:nilerr // unreadable entries are not the tests' concern
			}
			f, err := template.ReadFile(p)
			if err != nil {
				return nil //nolint:nilerr // not JSON
			}
			n++
			fn(p, f)
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	return n
}

// Templates calls fn with every deployment template under Roots(repo)
// that parses, and returns how many there were.
func Templates(tb testing.TB, repo string, fn func(path string, t *template.Template)) int {
	tb.Helper()
	n := 0
	Files(tb, repo, func(p string, f *template.File) {
		if f.Kind != template.KindTemplate {
			return
		}
		t, err := template.Parse(f)
		if err != nil {
			return
		}
		n++
		fn(p, t)
	})
	return n
}
