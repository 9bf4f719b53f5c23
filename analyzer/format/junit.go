package format

import (
	"bytes"
	"encoding/xml"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/armlint/armlint/analyzer"
)

// junitFormatter writes JUnit XML for CI test report UIs: one <testsuite>
// per file, one <testcase> per finding with a <failure>, and one passing
// <testcase> for a file without findings so that it shows up as checked.
// A suppressed finding (ShowSuppressed) is a <skipped> test case.
type junitFormatter struct{}

type junitTestSuites struct {
	XMLName  xml.Name         `xml:"testsuites"`
	Name     string           `xml:"name,attr"`
	Tests    int              `xml:"tests,attr"`
	Failures int              `xml:"failures,attr"`
	Errors   int              `xml:"errors,attr"`
	Skipped  int              `xml:"skipped,attr"`
	Suites   []junitTestSuite `xml:"testsuite"`
}

type junitTestSuite struct {
	Name     string          `xml:"name,attr"`
	Tests    int             `xml:"tests,attr"`
	Failures int             `xml:"failures,attr"`
	Errors   int             `xml:"errors,attr"`
	Skipped  int             `xml:"skipped,attr"`
	Cases    []junitTestCase `xml:"testcase"`
}

type junitTestCase struct {
	ClassName string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"` // readable: newlines and quotes stay as they are
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// Format implements [Formatter].
func (junitFormatter) Format(w io.Writer, r *analyzer.Result, o Options) error {
	byFile := map[string][]analyzer.Finding{}
	for _, f := range visible(r, o) {
		byFile[f.Location.File] = append(byFile[f.Location.File], f)
	}
	files := make([]string, 0, len(r.Files)+len(byFile))
	for _, f := range r.Files {
		files = append(files, f.Path)
	}
	for name := range byFile {
		files = append(files, name)
	}
	slices.Sort(files)
	files = slices.Compact(files)

	doc := junitTestSuites{Name: toolName, Suites: make([]junitTestSuite, 0, len(files))}
	for _, name := range files {
		s := junitTestSuite{Name: name}
		for _, f := range byFile[name] {
			s.Cases = append(s.Cases, junitCase(r, f))
			if f.Suppressed != nil {
				s.Skipped++
			} else {
				s.Failures++
			}
		}
		if len(s.Cases) == 0 {
			s.Cases = []junitTestCase{{ClassName: toolName, Name: name}}
		}
		s.Tests = len(s.Cases)
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Skipped += s.Skipped
		doc.Suites = append(doc.Suites, s)
	}

	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	b.WriteString("\n")
	_, err := w.Write(b.Bytes())
	return err
}

// junitCase turns a finding into a test case named "path:line:col rule-name".
func junitCase(r *analyzer.Result, f analyzer.Finding) junitTestCase {
	name := position(f.Location)
	if rn := ruleName(r, f.RuleID); rn != "" {
		name += " " + rn
	}
	tc := junitTestCase{ClassName: f.RuleID, Name: name}
	if f.Suppressed != nil {
		tc.Skipped = &junitSkipped{Message: suppressedNote(f.Suppressed)}
		return tc
	}
	text := position(f.Location) + ": " + f.Severity.String() + ": " + f.Message + " [" + ruleLabel(r, f.RuleID) + "]"
	for _, rel := range f.Related {
		text += "\n  " + position(rel.Location) + ": " + rel.Message
	}
	if rule := r.Rule(f.RuleID); rule != nil && rule.HelpURI != "" {
		text += "\n" + rule.HelpURI
	}
	tc.Failure = &junitFailure{Message: f.Message, Type: f.Severity.String(), Text: xmlSafe(text)}
	return tc
}

// xmlSafe replaces the characters XML 1.0 cannot hold with U+FFFD.
// encoding/xml does so for attributes and character data but not for
// CDATA sections.
func xmlSafe(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r',
			r >= 0x20 && r <= 0xD7FF,
			r >= 0xE000 && r <= 0xFFFD,
			r >= 0x10000 && r <= 0x10FFFF:
			return r
		}
		return utf8.RuneError
	}, s)
}
