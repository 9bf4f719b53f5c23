// Package analyzertest runs rules over fixture templates and checks their
// findings against `// want` expectations written in the fixtures, in the
// manner of golang.org/x/tools/go/analysis/analysistest.
//
// A fixture directory holds bad_*.json (at least one want each),
// good_*.json and unknown_*.json (no want: they must produce no finding),
// and optionally armlint.json with rule options, and rules to run besides
// the ones under test (the tool diagnostics' fixtures need a rule for an
// ignore to be unused):
//
//	{"rules": {"AL1201": {"options": {"allowedRoles": ["Owner"]}}}, "enable": ["AL1504"]}
//
// An expectation is a comment on the line the finding starts on:
//
//	"roleDefinitionId": "...", // want AL1201 "grants Owner"
//
// Several expectations may share a comment (`// want AL1201 AL0002`); the
// optional quoted text after an ID is a regular expression the message must
// match. Every finding must be claimed by a want on its line and every want
// must be claimed exactly once. Suppressed findings are not expected.
package analyzertest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/armlint/armlint/analyzer"
	"github.com/armlint/armlint/analyzer/template"
)

// Run checks every fixture of dir against the findings of the given rules.
// registry resolves rule names in ignore directives (may be nil).
func Run(t *testing.T, dir string, registry *analyzer.Registry, rules ...*analyzer.Rule) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("reading fixtures: %v", err)
	}
	opts, enable, err := readOptions(filepath.Join(dir, "armlint.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range enable {
		r, ok := registry.Lookup(name)
		if !ok {
			t.Fatalf("%s: armlint.json enables unknown rule %q", dir, name)
		}
		rules = append(rules[:len(rules):len(rules)], r)
	}
	n := 0
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".json") || name == "armlint.json" || strings.HasSuffix(name, ".parameters.json") {
			continue
		}
		kind, ok := fixtureKind(name)
		if !ok {
			t.Errorf("%s: fixture names start with bad_, good_ or unknown_", filepath.Join(dir, name))
			continue
		}
		n++
		path := filepath.Join(dir, name)
		t.Run(strings.TrimSuffix(name, ".json"), func(t *testing.T) {
			checkFile(t, path, kind, registry, rules, opts)
		})
	}
	if n == 0 {
		t.Errorf("%s: no fixtures", dir)
	}
}

func fixtureKind(name string) (string, bool) {
	for _, k := range []string{"bad", "good", "unknown"} {
		if strings.HasPrefix(name, k+"_") {
			return k, true
		}
	}
	return "", false
}

func readOptions(path string) (map[string]map[string]any, []string, error) {
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	var cfg struct {
		Rules map[string]struct {
			Options map[string]any `json:"options"`
		} `json:"rules"`
		Enable []string `json:"enable"`
	}
	if err := json.Unmarshal(data, &cfg); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	out := map[string]map[string]any{}
	for id, r := range cfg.Rules {
		out[id] = r.Options
	}
	return out, cfg.Enable, nil
}

// want is one expectation.
type want struct {
	line    int
	ruleID  string
	pattern *regexp.Regexp // nil: any message
	text    string
	claimed bool
}

var wantTok = regexp.MustCompile(`^\s*([A-Z][A-Z0-9]*\d{3,4})(?:\s+("(?:[^"\\]|\\.)*"))?`)

// parseWants extracts the `want` expectations from a file's comments.
// The loader stops at the first syntax error, so the comments after it
// (the want of an AL0001 fixture usually trails the broken line) are
// found by scanning the rest of the source.
func parseWants(f *template.File) ([]*want, error) {
	var out []*want
	comments := f.Comments
	from := 0
	if n := len(comments); n > 0 {
		from = comments[n-1].End
	}
	comments = append(comments[:len(comments):len(comments)], scanComments(f.Src, from)...)
	for _, c := range comments {
		text := strings.TrimSpace(c.Text)
		if !strings.HasPrefix(text, "want ") {
			continue
		}
		line := f.Position(c.Start).Line
		rest := strings.TrimPrefix(text, "want ")
		for strings.TrimSpace(rest) != "" {
			m := wantTok.FindStringSubmatchIndex(rest)
			if m == nil {
				return nil, fmt.Errorf("%s:%d: malformed want %q", f.Path, line, text)
			}
			w := &want{line: line, ruleID: rest[m[2]:m[3]]}
			if m[4] >= 0 {
				lit, err := strconv.Unquote(rest[m[4]:m[5]])
				if err != nil {
					return nil, fmt.Errorf("%s:%d: %w", f.Path, line, err)
				}
				re, err := regexp.Compile(lit)
				if err != nil {
					return nil, fmt.Errorf("%s:%d: %w", f.Path, line, err)
				}
				w.pattern, w.text = re, lit
			}
			out = append(out, w)
			rest = rest[m[1]:]
		}
	}
	return out, nil
}

// scanComments returns the comments of src that start at or after offset
// from, outside strings, for sources the loader did not read to the end.
// It resynchronises on each line: a string left open by a syntax error
// ends at the end of its line.
func scanComments(src []byte, from int) []template.Comment {
	var out []template.Comment
	inString := false
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\n':
			inString = false
		case inString && c == '\\':
			i++
		case c == '"':
			inString = !inString
		case !inString && c == '/' && i+1 < len(src) && (src[i+1] == '/' || src[i+1] == '*'):
			block := src[i+1] == '*'
			end := bytes.IndexByte(src[i:], '\n')
			text := ""
			if block {
				end = bytes.Index(src[i+2:], []byte("*/"))
				if end < 0 {
					end = len(src) - i - 2
				}
				text = string(src[i+2 : i+2+end])
				end += 4
			} else {
				if end < 0 {
					end = len(src) - i
				}
				text = string(src[i+2 : i+end])
			}
			if i >= from {
				out = append(out, template.Comment{Start: i, End: min(i+end, len(src)), Text: text, Block: block})
			}
			i += end - 1
		}
	}
	return out
}

func checkFile(t *testing.T, path, kind string, registry *analyzer.Registry, rules []*analyzer.Rule, opts map[string]map[string]any) {
	t.Helper()
	res, err := analyzer.Run(context.Background(), []string{path}, analyzer.Options{
		Rules:       rules,
		Registry:    registry,
		RuleOptions: opts,
		Jobs:        1,
	})
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	for _, e := range res.Errors {
		t.Errorf("tool error: %v", e)
	}
	f := res.File(filepath.ToSlash(path))
	if f == nil {
		t.Fatalf("%s was not loaded", path)
	}
	wants, err := parseWants(f)
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case kind == "bad" && len(wants) == 0:
		t.Errorf("%s: a bad_ fixture needs at least one // want", path)
	case kind != "bad" && len(wants) > 0:
		t.Errorf("%s: a %s_ fixture must not expect findings", path, kind)
	}
	var unexpected []string
	for _, fd := range res.Findings {
		if fd.Suppressed != nil {
			continue
		}
		if !claim(wants, fd) {
			unexpected = append(unexpected, fmt.Sprintf("%s:%d:%d: unexpected %s: %s",
				fd.Location.File, fd.Location.Start.Line, fd.Location.Start.Col, fd.RuleID, fd.Message))
		}
	}
	sort.Strings(unexpected)
	for _, u := range unexpected {
		t.Error(u)
	}
	for _, w := range wants {
		if !w.claimed {
			msg := ""
			if w.pattern != nil {
				msg = fmt.Sprintf(" matching %q", w.text)
			}
			t.Errorf("%s:%d: no %s finding%s", path, w.line, w.ruleID, msg)
		}
	}
}

func claim(wants []*want, fd analyzer.Finding) bool {
	for _, w := range wants {
		if w.claimed || w.line != fd.Location.Start.Line || w.ruleID != fd.RuleID {
			continue
		}
		if w.pattern != nil && !w.pattern.MatchString(fd.Message) {
			continue
		}
		w.claimed = true
		return true
	}
	return false
}
