package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// These tests keep docs/cli.md and the other documentation in step with
// the flags the commands really have, both ways.

var (
	helpCommand = regexp.MustCompile(`(?m)^  armlint ([a-z]+)\b`)
	helpFlag    = regexp.MustCompile(`^\s+(?:-([a-zA-Z]), )?--([a-z][a-z0-9-]*)`)
	docSection  = regexp.MustCompile("^## `armlint(?: ([a-z]+))?")
	docLongFlag = regexp.MustCompile("--([a-z][a-z0-9-]*)")
	docShort    = regexp.MustCompile("`-([a-zA-Z])`")
	docCodeSpan = regexp.MustCompile("`[^`\n]+`")
	docInvoke   = regexp.MustCompile(`(?:^|[\s/($"'])armlint(?:\.exe)?((?:[ \t]+[^\s|;&#>)` + "`" + `]+)*)`)
)

// helpFlags returns the subcommands named in `armlint --help` and, for the
// main command ("") and each subcommand, the flags its --help lists: long
// names, and "-x" for shorthands.
func helpFlags(t *testing.T) map[string]map[string]bool {
	t.Helper()
	out := map[string]map[string]bool{}
	var stdout bytes.Buffer
	if code := Run([]string{"--help"}, nil, &stdout, &bytes.Buffer{}); code != exitOK {
		t.Fatalf("armlint --help: exit %d", code)
	}
	commands := []string{""}
	for _, m := range helpCommand.FindAllStringSubmatch(stdout.String(), -1) {
		if !slices.Contains(commands, m[1]) {
			commands = append(commands, m[1])
		}
	}
	if len(commands) < 4 {
		t.Fatalf("armlint --help names too few commands: %v\n%s", commands, stdout.String())
	}
	for _, c := range commands {
		args := []string{"--help"}
		if c != "" {
			args = []string{c, "--help"}
		}
		var o bytes.Buffer
		Run(args, nil, &o, &bytes.Buffer{})
		flags := map[string]bool{}
		_, list, ok := strings.Cut(o.String(), "\nFlags:\n")
		if ok {
			for _, line := range strings.Split(list, "\n") {
				if m := helpFlag.FindStringSubmatch(line); m != nil {
					flags[m[2]] = true
					if m[1] != "" {
						flags["-"+m[1]] = true
					}
				}
			}
		}
		out[c] = flags
	}
	if len(out[""]) < 10 {
		t.Fatalf("parsed only %d flags from armlint --help", len(out[""]))
	}
	return out
}

// TestCLIDocsMatchHelp checks that docs/cli.md documents, in the flag table
// of each command's section, exactly the flags that command's --help
// lists.
func TestCLIDocsMatchHelp(t *testing.T) {
	help := helpFlags(t)
	data, err := os.ReadFile(filepath.Join(repoRoot, "docs", "cli.md"))
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]map[string]bool{}
	section := "-" // before the first command section
	for _, line := range strings.Split(string(data), "\n") {
		if m := docSection.FindStringSubmatch(line); m != nil {
			section = m[1]
			documented[section] = map[string]bool{}
			continue
		}
		if strings.HasPrefix(line, "## ") {
			section = "-"
			continue
		}
		if section == "-" || !strings.HasPrefix(line, "| `-") {
			continue
		}
		cell := strings.SplitN(line, "|", 3)[1]
		for _, m := range docLongFlag.FindAllStringSubmatch(cell, -1) {
			documented[section][m[1]] = true
		}
		for _, m := range docShort.FindAllStringSubmatch(cell, -1) {
			documented[section]["-"+m[1]] = true
		}
	}
	for cmd, flags := range help {
		name := strings.TrimSpace("armlint " + cmd)
		docs, ok := documented[cmd]
		if !ok {
			t.Errorf("docs/cli.md has no section \"## `%s ...`\"", name)
			continue
		}
		for _, f := range sortedKeys(flags) {
			if !docs[f] {
				t.Errorf("%s: flag %s is in --help but not in the flag table of docs/cli.md", name, flagText(f))
			}
		}
		for _, f := range sortedKeys(docs) {
			if !flags[f] {
				t.Errorf("%s: docs/cli.md documents %s, which --help does not list", name, flagText(f))
			}
		}
	}
	for cmd := range documented {
		if _, ok := help[cmd]; !ok {
			t.Errorf("docs/cli.md documents a command %q that armlint --help does not name", cmd)
		}
	}
}

// TestDocsUseExistingFlags scans the code in the documentation (code
// blocks and `code spans` of docs/**/*.md and README.md) for armlint
// invocations and checks that every flag they pass exists on that command.
func TestDocsUseExistingFlags(t *testing.T) {
	help := helpFlags(t)
	var files []string
	err := filepath.WalkDir(filepath.Join(repoRoot, "docs"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, filepath.Join(repoRoot, "README.md"))
	invocations := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(repoRoot, file)
		for _, code := range codeOf(string(data)) {
			for _, m := range docInvoke.FindAllStringSubmatch(code.text, -1) {
				args := strings.Fields(m[1])
				cmd := ""
				if len(args) > 0 {
					if _, ok := help[args[0]]; ok && args[0] != "" {
						cmd, args = args[0], args[1:]
					}
				}
				invocations++
				for _, a := range args {
					for _, f := range flagsIn(a) {
						if f != "help" && !help[cmd][f] {
							t.Errorf("%s:%d: `%s` uses %s, which it does not have (code: %q)",
								rel, code.line, strings.TrimSpace("armlint "+cmd), flagText(f), strings.TrimSpace(code.text))
						}
					}
				}
			}
		}
	}
	if invocations < 20 {
		t.Errorf("found only %d armlint invocations in the documentation: is the scanner broken?", invocations)
	}
}

type codeText struct {
	line int
	text string
}

// codeOf returns the lines of fenced code blocks and the inline code spans
// of a Markdown document, with their line numbers.
func codeOf(md string) []codeText {
	var out []codeText
	fenced := false
	for i, line := range strings.Split(md, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "```") {
			fenced = !fenced
			continue
		}
		if fenced {
			out = append(out, codeText{i + 1, line})
			continue
		}
		for _, span := range docCodeSpan.FindAllString(line, -1) {
			out = append(out, codeText{i + 1, strings.Trim(span, "`")})
		}
	}
	return out
}

// flagsIn returns the flags an argument passes: "--name" or "--name=value"
// gives "name"; "-x" gives "-x".
func flagsIn(arg string) []string {
	arg = strings.TrimLeft(arg, "([\"'")
	switch {
	case strings.HasPrefix(arg, "--"):
		if m := docLongFlag.FindStringSubmatch(arg); m != nil && strings.HasPrefix(arg, "--"+m[1]) {
			return []string{m[1]}
		}
	case len(arg) == 2 && arg[0] == '-' && (arg[1] >= 'a' && arg[1] <= 'z' || arg[1] >= 'A' && arg[1] <= 'Z'):
		return []string{arg}
	}
	return nil
}

func flagText(f string) string {
	if strings.HasPrefix(f, "-") {
		return f
	}
	return "--" + f
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
