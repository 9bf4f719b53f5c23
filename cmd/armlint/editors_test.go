package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestVSCodeProblemMatcher checks the problem matchers of the shipped
// docs/editors/vscode/tasks.json against real compact output: every line
// matches, with the file, line, column, severity, message and rule ID in
// the groups the matcher names.
func TestVSCodeProblemMatcher(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "docs", "editors", "vscode", "tasks.json"))
	if err != nil {
		t.Fatal(err)
	}
	// The file is JSONC: drop the whole-line comments.
	var plain []string
	for _, l := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "//") {
			plain = append(plain, l)
		}
	}
	var tasks struct {
		Tasks []struct {
			Label          string
			Command        string
			Args           []string
			ProblemMatcher struct {
				Owner        string
				FileLocation []string
				Pattern      struct {
					Regexp                                      string
					File, Line, Column, Severity, Message, Code int
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(strings.Join(plain, "\n")), &tasks); err != nil {
		t.Fatalf("tasks.json: %v", err)
	}
	if len(tasks.Tasks) != 2 {
		t.Fatalf("%d tasks, want 2", len(tasks.Tasks))
	}

	t.Chdir(repoRoot)
	var out bytes.Buffer
	Run([]string{"-f", "compact", "--no-color", "testdata/examples"}, nil, &out, &bytes.Buffer{})
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) < 3 {
		t.Fatalf("too little compact output:\n%s", out.String())
	}
	for _, task := range tasks.Tasks {
		if task.Command != "armlint" || !strings.Contains(strings.Join(task.Args, " "), "-f compact") {
			t.Errorf("%s: command %s %v does not run the compact format", task.Label, task.Command, task.Args)
		}
		pm := task.ProblemMatcher
		re, err := regexp.Compile(pm.Pattern.Regexp)
		if err != nil {
			t.Fatalf("%s: %v", task.Label, err)
		}
		p := pm.Pattern
		for _, l := range lines {
			m := re.FindStringSubmatch(l)
			if m == nil {
				t.Errorf("%s: the problem matcher does not match %q", task.Label, l)
				continue
			}
			if !strings.HasPrefix(l, m[p.File]+":"+m[p.Line]+":"+m[p.Column]+": "+m[p.Severity]+": "+m[p.Message]) ||
				!strings.HasSuffix(l, "["+m[p.Code]+" "+ruleNameOf(l)+"]") || !strings.HasPrefix(m[p.Code], "AL") {
				t.Errorf("%s: groups of %q: file %q line %q col %q severity %q message %q code %q", task.Label, l,
					m[p.File], m[p.Line], m[p.Column], m[p.Severity], m[p.Message], m[p.Code])
			}
		}
	}
}

// ruleNameOf returns the rule name of a compact line, "... [ID name]".
func ruleNameOf(line string) string {
	i := strings.LastIndex(line, "[")
	f := strings.Fields(strings.TrimSuffix(line[i+1:], "]"))
	if len(f) != 2 {
		return ""
	}
	return f[1]
}
