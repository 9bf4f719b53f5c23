package format

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/armlint/armlint/analyzer"
)

// TestJUnitWellFormed decodes the output with encoding/xml and checks the
// counts and the test cases, including text that XML must escape.
func TestJUnitWellFormed(t *testing.T) {
	r := fixture(t)
	r.Findings = append(r.Findings, analyzer.Finding{
		RuleID: "AL0001", Severity: analyzer.SeverityError,
		Message:  `unexpected "<" & ']]>' then` + "\x01",
		Location: analyzer.Location{File: "broken <1>.json", Start: analyzer.Pos{Line: 1, Col: 1}},
	})
	out := render(t, "junit", r, Options{ShowSuppressed: true})

	// Every token must decode.
	dec := xml.NewDecoder(bytes.NewReader(out))
	for {
		if _, err := dec.Token(); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, out)
		}
	}

	var doc junitTestSuites
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Tests != 6 || doc.Failures != 4 || doc.Skipped != 1 {
		t.Errorf("totals tests=%d failures=%d skipped=%d, want 6, 4, 1", doc.Tests, doc.Failures, doc.Skipped)
	}
	var names []string
	for _, s := range doc.Suites {
		names = append(names, s.Name)
		if s.Tests != len(s.Cases) {
			t.Errorf("suite %s: tests=%d but %d cases", s.Name, s.Tests, len(s.Cases))
		}
	}
	wantNames := []string{"broken <1>.json", cleanPath, mainPath, sitePath}
	if len(names) != len(wantNames) {
		t.Fatalf("suites %v, want %v", names, wantNames)
	}
	for i := range names {
		if names[i] != wantNames[i] {
			t.Errorf("suite %d = %q, want %q", i, names[i], wantNames[i])
		}
	}
	broken := doc.Suites[0].Cases[0]
	const wantMsg = `unexpected "<" & ']]>' then` + "\uFFFD"
	if broken.Failure == nil || broken.Failure.Message != wantMsg || !strings.Contains(broken.Failure.Text, wantMsg) {
		t.Errorf("broken case = %+v", broken)
	}
	if c := doc.Suites[1].Cases; len(c) != 1 || c[0].Failure != nil || c[0].Name != cleanPath {
		t.Errorf("clean file should have one passing case, got %+v", c)
	}
}
