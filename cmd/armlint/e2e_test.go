package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the e2e golden files")

// repoRoot is where e2e cases run, so that paths in arguments and output
// are repository-relative.
const repoRoot = "../.."

// TestE2E runs each case of testdata/e2e: `args` (one argument per line),
// optional `stdin`, and the expected `stdout.golden`, `stderr.golden` and
// `exitcode`.
func TestE2E(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join(repoRoot, "testdata", "e2e", "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no e2e cases: %v", err)
	}
	t.Chdir(repoRoot)
	for _, dir := range dirs {
		dir, _ = filepath.Rel(repoRoot, dir)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			argData, err := os.ReadFile(filepath.Join(dir, "args"))
			if err != nil {
				t.Fatal(err)
			}
			var args []string
			for _, l := range strings.Split(strings.TrimRight(string(argData), "\n"), "\n") {
				if l != "" {
					args = append(args, l)
				}
			}
			var stdin []byte
			if data, err := os.ReadFile(filepath.Join(dir, "stdin")); err == nil {
				stdin = data
			}
			var stdout, stderr bytes.Buffer
			code := Run(args, bytes.NewReader(stdin), &stdout, &stderr)
			golden(t, filepath.Join(dir, "stdout.golden"), stdout.Bytes())
			golden(t, filepath.Join(dir, "stderr.golden"), stderr.Bytes())
			golden(t, filepath.Join(dir, "exitcode"), []byte(strconv.Itoa(code)+"\n"))
		})
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/armlint -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs:\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}
