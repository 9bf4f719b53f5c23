package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestNeovimMake runs headless Neovim with the compiler plugin shipped in
// docs/editors/nvim (the documented makeprg and errorformat) and a freshly
// built armlint on PATH, runs :make on templates, and checks the quickfix
// list: file, line, column, type and the text with the rule ID (the
// entries given must be there; other rules may add more). The
// template's parameter file is found beside it and .armlint.json in the
// project, as on the command line.
func TestNeovimMake(t *testing.T) {
	nvim := needTool(t, "nvim", "apt-get install neovim")
	rtp, err := filepath.Abs(filepath.Join(repoRoot, "docs", "editors", "nvim"))
	if err != nil {
		t.Fatal(err)
	}
	binDir := t.TempDir()
	buildArmlint(t, binDir)

	work := t.TempDir()
	writeFiles(t, work, map[string]string{
		"infra/app.json":            repoTemplate(t, "app-identity.json"),
		"infra/app.parameters.json": repoTemplate(t, "app-identity.parameters.json"),
		"infra/vm.json":             repoTemplate(t, "vm-owner.json"),
		// The configuration of the project Neovim runs in makes AL1504 a note.
		".armlint.json": `{"rules": {"AL1504": {"severity": "note"}}}` + "\n",
	})

	for _, c := range []struct {
		file string
		want []string
	}{
		{"infra/app.json", []string{
			`infra/app.json:24:43:n:userAssignedIdentities key "id-orders" of sites "app-orders" is not a user-assigned identity resource ID [AL1504 invalid-identity-block]`,
		}},
		{"infra/vm.json", []string{
			`infra/vm.json:31:29:w:role assignment "87544367-9e48-5844-8440-4fc6365c1487" grants Owner to system-assigned identity of "vm-build" at resource group scope (with parameter 'vmName' at its default) [AL1201 privileged-role-to-identity]`,
		}},
	} {
		t.Run(filepath.Base(c.file), func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "qf.txt")
			cmd := exec.Command(nvim, "--headless", "--clean",
				"--cmd", "set runtimepath^="+rtp,
				"-c", "edit "+c.file,
				"-c", "compiler armlint",
				"-c", "silent make!",
				"-c", "call writefile(map(filter(getqflist(), {_, e -> e.valid}), "+
					"{_, e -> bufname(e.bufnr) . ':' . e.lnum . ':' . e.col . ':' . e.type . ':' . e.text}), '"+out+"')",
				"-c", "qall!")
			cmd.Dir = work
			cmd.Env = append(os.Environ(), "PATH="+binDir+string(os.PathListSeparator)+os.Getenv("PATH"))
			if msg, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("nvim: %v\n%s", err, msg)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatalf("no quickfix file: %v", err)
			}
			got := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
			for _, w := range c.want {
				if !slices.Contains(got, w) {
					t.Errorf("quickfix list lacks\n  %q\ngot\n  %s", w, strings.Join(got, "\n  "))
				}
			}
			entry := regexp.MustCompile(`^infra/[a-z]+\.json:[1-9][0-9]*:[1-9][0-9]*:[ewn]:.+ \[A[L0-9]+ [a-z0-9-]+\]$`)
			for _, g := range got {
				if !entry.MatchString(g) {
					t.Errorf("malformed quickfix entry %q", g)
				}
			}
		})
	}
}
