package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestVersionBuilds builds armlint the two ways it is shipped and checks
// `armlint version`: from a git checkout, the commit comes from the vcs
// information Go embeds; a release build sets the version with
// -ldflags "-X main.version=...".
func TestVersionBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped with -short: builds armlint twice")
	}
	dir := t.TempDir()
	build := func(name string, flags ...string) string {
		t.Helper()
		bin := filepath.Join(dir, name)
		args := append([]string{"build", "-o", bin}, flags...)
		cmd := exec.Command("go", append(args, ".")...)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		out, err := exec.Command(bin, "version").Output()
		if err != nil {
			t.Fatalf("%s version: %v", name, err)
		}
		return string(out)
	}

	t.Run("ldflags", func(t *testing.T) {
		out := build("release", "-trimpath", "-buildvcs=false", "-ldflags", "-s -w -buildid= -X main.version=1.2.3")
		want := "armlint 1.2.3\ncommit: unknown\ngo: " + runtime.Version() + "\n"
		if out != want {
			t.Errorf("version:\n got %q\nwant %q", out, want)
		}
	})

	t.Run("git checkout", func(t *testing.T) {
		if _, err := exec.LookPath("git"); err != nil {
			t.Skip("skipped: git is not installed")
		}
		head, err := exec.Command("git", "rev-parse", "HEAD").Output()
		if err != nil {
			t.Skip("skipped: not a git checkout")
		}
		out := build("vcs", "-buildvcs=true")
		lines := strings.Split(out, "\n")
		// Go stamps a pseudo-version from the commit
		// (v0.0.0-<time>-<commit>[+dirty]).
		short := strings.TrimSpace(string(head))[:12]
		if len(lines) < 3 || !strings.HasPrefix(lines[0], "armlint v0.0.0-") || !strings.Contains(lines[0], short) {
			t.Fatalf("version output:\n%s", out)
		}
		if commit := strings.TrimPrefix(lines[1], "commit: "); !strings.HasPrefix(commit, strings.TrimSpace(string(head))) {
			t.Errorf("commit line %q does not name HEAD %s", lines[1], head)
		}
	})
}
