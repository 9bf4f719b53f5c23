package expr

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/armlint/armlint/analyzer/template"
)

// TestCorpus evaluates every resource and output of the quickstart corpus
// (when present): no panics, and every function the corpus uses is
// supported.
func TestCorpus(t *testing.T) {
	root := filepath.Join("..", "..", "..", "shared", "corpus", "quickstart")
	if _, err := os.Stat(root); err != nil {
		root = "/work/shared/corpus/quickstart"
		if _, err := os.Stat(root); err != nil {
			t.Skip("corpus not available")
		}
	}
	if testing.Short() {
		t.Skip("corpus test skipped in -short mode")
	}
	n := 0
	_ = filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(p, ".json") {
			return nil
		}
		f, err := template.ReadFile(p)
		if err != nil || f.Kind != template.KindTemplate {
			return nil
		}
		tp, err := template.Parse(f)
		if err != nil {
			return nil
		}
		n++
		env := NewEnv(tp, Options{})
		for _, r := range tp.Resources {
			env.EvalNode(r.Node)
		}
		env.EvalNode(tp.Outputs)
		if u := env.Unsupported(); len(u) > 0 {
			t.Errorf("%s: unsupported functions %q", p, u)
		}
		return nil
	})
	if n == 0 {
		t.Skip("no templates in the corpus")
	}
}
