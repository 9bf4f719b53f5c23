// Package format turns an [analyzer.Result] into output: human text, a
// compact editor format, a documented JSON document, SARIF 2.1.0, GitHub
// Actions workflow commands and JUnit XML.
//
// Formatters only read the result. They never decide exit codes and never
// touch the global colour switch of fatih/color: colour is an [Options]
// field, set by cmd.
package format

import (
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/armlint/armlint/analyzer"
)

// Options tunes a formatter. The zero value is valid: no colour, suppressed
// findings hidden, no version, no working directory.
type Options struct {
	Color          bool   // ANSI colour (text only)
	ShowSuppressed bool   // text/compact/github/junit: include suppressed findings (json/sarif always include them, marked)
	ToolVersion    string // "1.2.3" or "dev"
	WorkDir        string // for SARIF invocations[0].workingDirectory (absolute, optional; ignored when relative)
}

// Formatter writes a result to w in one output format.
type Formatter interface {
	Format(w io.Writer, r *analyzer.Result, o Options) error
}

// formatters is the registry. It is a plain literal: no init, no
// registration side effects.
var formatters = map[string]Formatter{
	"compact": compactFormatter{},
	"github":  githubFormatter{},
	"json":    jsonFormatter{},
	"junit":   junitFormatter{},
	"sarif":   sarifFormatter{},
	"text":    textFormatter{},
}

// Get returns the formatter with the given name.
func Get(name string) (Formatter, bool) {
	f, ok := formatters[name]
	return f, ok
}

// Names returns the names of all formatters, sorted.
func Names() []string {
	names := make([]string, 0, len(formatters))
	for n := range formatters {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// visible returns the findings a human-oriented format shows: unsuppressed
// ones, plus suppressed ones when o.ShowSuppressed is set. Order is kept.
func visible(r *analyzer.Result, o Options) []analyzer.Finding {
	out := make([]analyzer.Finding, 0, len(r.Findings))
	for _, f := range r.Findings {
		if f.Suppressed == nil || o.ShowSuppressed {
			out = append(out, f)
		}
	}
	return out
}

// ruleName returns the name of the rule with the given ID, or "" when the
// rule is not in the result.
func ruleName(r *analyzer.Result, id string) string {
	if rule := r.Rule(id); rule != nil {
		return rule.Name
	}
	return ""
}

// ruleLabel returns "AL1201 privileged-role-to-identity", or just the ID
// when the rule is unknown.
func ruleLabel(r *analyzer.Result, id string) string {
	if name := ruleName(r, id); name != "" {
		return id + " " + name
	}
	return id
}

// position returns "file:line:col" for a location; line and column are
// left out when unknown (zero).
func position(l analyzer.Location) string {
	var b strings.Builder
	b.WriteString(l.File)
	if l.Start.Line > 0 {
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(l.Start.Line))
		if l.Start.Col > 0 {
			b.WriteByte(':')
			b.WriteString(strconv.Itoa(l.Start.Col))
		}
	}
	return b.String()
}

// hasEnd reports whether l carries a usable end position, one that does
// not precede its start.
func hasEnd(l analyzer.Location) bool {
	s, e := l.Start, l.End
	if s.Line <= 0 || e.Line <= 0 || e.Col <= 0 {
		return false
	}
	return e.Line > s.Line || (e.Line == s.Line && e.Col >= s.Col)
}

// oneLine replaces line breaks with spaces, for formats that are parsed
// line by line.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", " ")
	return lineBreaks.Replace(s)
}

var lineBreaks = strings.NewReplacer("\r", " ", "\n", " ")

// suppressedNote is the marker shown after a suppressed finding.
func suppressedNote(s *analyzer.Suppression) string {
	if s.Justification == "" {
		return "(suppressed)"
	}
	return "(suppressed: " + oneLine(s.Justification) + ")"
}
