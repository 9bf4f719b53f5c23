package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestPreCommit runs the hooks of .pre-commit-hooks.yaml with the real
// pre-commit over a throw-away repository holding a bad and a good
// template: the hook fails with armlint's message naming the bad line, and
// passes once the template is fixed.
//
// pre-commit clones the hook repository at a revision, so only committed
// files count: the test points the configuration at this repository's
// HEAD (`git rev-parse HEAD`). Commit .pre-commit-hooks.yaml and the code
// before relying on this test.
//
// armlint-system runs a freshly built armlint put first on PATH.
// armlint (language: golang) makes pre-commit `go install` this module;
// it needs the Go module proxy (GOPROXY, GOFLAGS and the module cache pass
// through from the environment) and is skipped with -short.
func TestPreCommit(t *testing.T) {
	needTool(t, "git", "apt-get install git")
	needTool(t, "pre-commit", "apt-get install pre-commit")

	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	top := gitCmd(t, root, "rev-parse", "--show-toplevel")
	head := gitCmd(t, root, "rev-parse", "HEAD")
	if err := exec.Command("git", "-C", top, "cat-file", "-e", head+":.pre-commit-hooks.yaml").Run(); err != nil {
		msg := ".pre-commit-hooks.yaml is not committed at HEAD " + head + "; pre-commit only sees committed files"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip("skipped: " + msg)
	}

	binDir := t.TempDir()
	buildArmlint(t, binDir)
	modCache := strings.TrimSpace(goEnv(t, "GOMODCACHE"))

	for _, hook := range []string{"armlint-system", "armlint"} {
		t.Run(hook, func(t *testing.T) {
			if hook == "armlint" && testing.Short() {
				t.Skip("skipped with -short: the golang hook builds armlint from source")
			}
			work := t.TempDir()
			env := append(os.Environ(),
				"PRE_COMMIT_HOME="+filepath.Join(work, "cache"),
				"PRE_COMMIT_COLOR=never",
				"GOMODCACHE="+modCache, // pre-commit sets GOPATH to its own directory
			)
			if hook == "armlint-system" {
				env = append(env, "PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"))
			}
			repo := filepath.Join(work, "repo")
			writeFiles(t, repo, map[string]string{
				"infra/vm.json":      repoTemplate(t, "vm-owner.json"),
				"infra/storage.json": repoTemplate(t, "storage-reader.json"),
				"package.json":       `{"name": "not-a-template", "version": "1.0.0"}` + "\n",
				".pre-commit-config.yaml": "repos:\n" +
					"  - repo: " + top + "\n" +
					"    rev: " + head + "\n" +
					"    hooks:\n" +
					"      - id: " + hook + "\n",
			})
			gitCmd(t, repo, "init", "-q")
			gitCmd(t, repo, "add", ".")

			out, code := preCommit(t, repo, env)
			t.Logf("pre-commit run --all-files over a bad template:\n%s", out)
			if code == 0 {
				t.Fatalf("pre-commit passed over a bad template:\n%s", out)
			}
			want := "infra/vm.json:31:29: warning: role assignment"
			if !strings.Contains(out, want) || !strings.Contains(out, "[AL1201 privileged-role-to-identity]") {
				t.Fatalf("pre-commit output lacks %q and the rule:\n%s", want, out)
			}
			if strings.Contains(out, "storage.json:") || strings.Contains(out, "package.json") {
				t.Errorf("the good template or the non-template was reported:\n%s", out)
			}

			// Fix: grant Reader instead of Owner.
			vm := filepath.Join(repo, "infra", "vm.json")
			data, err := os.ReadFile(vm)
			if err != nil {
				t.Fatal(err)
			}
			fixed := strings.Replace(string(data), "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "acdd72a7-3385-48ef-bd42-f606fba81ae7", 1)
			if err := os.WriteFile(vm, []byte(fixed), 0o644); err != nil {
				t.Fatal(err)
			}
			gitCmd(t, repo, "add", ".")
			out, code = preCommit(t, repo, env)
			if code != 0 || !strings.Contains(out, "Passed") {
				t.Fatalf("pre-commit failed over fixed templates (exit %d):\n%s", code, out)
			}
		})
	}
}

func preCommit(t *testing.T, dir string, env []string) (string, int) {
	t.Helper()
	cmd := exec.Command("pre-commit", "run", "--all-files")
	cmd.Dir = dir
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return string(out), 0
	case errors.As(err, &ee):
		return string(out), ee.ExitCode()
	}
	t.Fatalf("pre-commit: %v\n%s", err, out)
	return "", -1
}

func goEnv(t *testing.T, name string) string {
	t.Helper()
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		t.Fatalf("go env %s: %v", name, err)
	}
	return string(out)
}
