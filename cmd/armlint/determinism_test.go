package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// lintOutputs runs armlint on args with --jobs jobs and returns its text
// output (stdout), its SARIF and JSON output and stderr.
func lintOutputs(t *testing.T, jobs string, args []string) map[string][]byte {
	t.Helper()
	dir := t.TempDir()
	sarif, js := filepath.Join(dir, "out.sarif"), filepath.Join(dir, "out.json")
	full := append([]string{"--jobs", jobs, "--no-color", "--skip-non-templates", "-f", "text", "-f", "sarif=" + sarif, "-f", "json=" + js}, args...)
	var stdout, stderr bytes.Buffer
	code := Run(full, nil, &stdout, &stderr)
	if code != exitOK && code != exitFindings {
		t.Fatalf("armlint %s: exit %d\n%s", strings.Join(full, " "), code, stderr.String())
	}
	out := map[string][]byte{"text": stdout.Bytes(), "stderr": stderr.Bytes()}
	for name, p := range map[string]string{"sarif": sarif, "json": js} {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = b
	}
	return out
}

// checkDeterministic lints args with one job, with eight, and with eight
// again, and requires byte-identical outputs.
func checkDeterministic(t *testing.T, args []string) {
	t.Helper()
	want := lintOutputs(t, "1", args)
	if len(want["text"]) == 0 || len(want["sarif"]) == 0 {
		t.Fatal("empty output")
	}
	for i, jobs := range []string{"8", "8"} {
		got := lintOutputs(t, jobs, args)
		for _, name := range []string{"text", "sarif", "json", "stderr"} {
			if !bytes.Equal(got[name], want[name]) {
				t.Errorf("run %d, --jobs %s: %s output differs from --jobs 1 (%d vs %d bytes)", i+2, jobs, name, len(got[name]), len(want[name]))
			}
		}
	}
}

// TestDeterministicOutputTestdata: the repository's testdata (examples,
// rule fixtures, end-to-end cases, broken files among them).
func TestDeterministicOutputTestdata(t *testing.T) {
	t.Chdir(repoRoot)
	checkDeterministic(t, []string{"testdata"})
}

// TestDeterministicOutputCorpus: every 8th template of the quickstart
// corpus, named explicitly, when the corpus is present.
func TestDeterministicOutputCorpus(t *testing.T) {
	corpus := filepath.Join(repoRoot, "..", "shared", "corpus", "quickstart")
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("the quickstart corpus is not available (%v); it lives in ../shared beside the repository", err)
	}
	var paths []string
	err := filepath.WalkDir(corpus, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && strings.HasSuffix(p, ".json") && !strings.HasSuffix(p, ".parameters.json") {
			paths = append(paths, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(paths)
	var sample []string
	for i := 0; i < len(paths); i += 8 {
		sample = append(sample, paths[i])
	}
	checkDeterministic(t, sample)
}
