package format

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/armlint/armlint/analyzer"
)

func TestNames(t *testing.T) {
	want := []string{"compact", "github", "json", "junit", "sarif", "text"}
	if got := Names(); !slices.Equal(got, want) {
		t.Errorf("Names() = %v, want %v", got, want)
	}
	for _, n := range want {
		if _, ok := Get(n); !ok {
			t.Errorf("Get(%q) not found", n)
		}
	}
	if _, ok := Get("xml"); ok {
		t.Error(`Get("xml") found a formatter`)
	}
}

func render(t *testing.T, name string, r *analyzer.Result, o Options) []byte {
	t.Helper()
	f, ok := Get(name)
	if !ok {
		t.Fatalf("no formatter %q", name)
	}
	var b bytes.Buffer
	if err := f.Format(&b, r, o); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return b.Bytes()
}

func TestGolden(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			r := fixture(t)
			got := render(t, name, r, fixtureOptions())
			checkGolden(t, name, got)
			// Deterministic: a second run gives the same bytes.
			if again := render(t, name, r, fixtureOptions()); !bytes.Equal(got, again) {
				t.Error("output differs between two runs")
			}
		})
	}
}

func TestJSONEmpty(t *testing.T) {
	out := render(t, "json", &analyzer.Result{}, Options{})
	var doc map[string]any
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"findings", "rules"} {
		if _, ok := doc[key].([]any); !ok {
			t.Errorf("%s = %v, want an empty array", key, doc[key])
		}
	}
	if doc["version"] != float64(1) {
		t.Errorf("version = %v", doc["version"])
	}
}

func TestTextColor(t *testing.T) {
	r := fixture(t)
	o := fixtureOptions()
	if got := render(t, "text", r, o); bytes.Contains(got, []byte("\x1b[")) {
		t.Errorf("colour off: output has ANSI escapes:\n%q", got)
	}
	o.Color = true
	got := string(render(t, "text", r, o))
	for _, want := range []string{
		"\x1b[31;1merror\x1b[",                             // red bold severity
		"\x1b[33;1mwarning\x1b[",                           // yellow bold
		"\x1b[36;1mnote\x1b[",                              // cyan bold
		"\x1b[2m[AL1201 privileged-role-to-identity]\x1b[", // dim rule
	} {
		if !strings.Contains(got, want) {
			t.Errorf("colour on: output lacks %q:\n%q", want, got)
		}
	}
}

// TestNoColorEnvIgnored checks that Options.Color wins over NO_COLOR: cmd
// has already decided, and color.New alone would honour the variable.
func TestNoColorEnvIgnored(t *testing.T) {
	t.Setenv("NO_COLOR", "1")
	o := fixtureOptions()
	o.Color = true
	if got := render(t, "text", fixture(t), o); !bytes.Contains(got, []byte("\x1b[")) {
		t.Error("Color: true with NO_COLOR set: no ANSI escapes")
	}
}

func TestShowSuppressed(t *testing.T) {
	const marker = "public endpoint fronted by Front Door"
	for _, name := range []string{"text", "compact", "github", "junit"} {
		t.Run(name, func(t *testing.T) {
			r := fixture(t)
			o := fixtureOptions()
			if got := render(t, name, r, o); bytes.Contains(got, []byte(marker)) {
				t.Errorf("suppressed finding shown without ShowSuppressed:\n%s", got)
			}
			o.ShowSuppressed = true
			if got := render(t, name, r, o); !bytes.Contains(got, []byte(marker)) {
				t.Errorf("suppressed finding missing with ShowSuppressed:\n%s", got)
			}
		})
	}
	for _, name := range []string{"json", "sarif"} {
		if got := render(t, name, fixture(t), fixtureOptions()); !bytes.Contains(got, []byte(marker)) {
			t.Errorf("%s: suppressed finding missing", name)
		}
	}
}

func TestSummary(t *testing.T) {
	tests := []struct {
		name string
		r    *analyzer.Result
		want string
	}{
		{"empty", &analyzer.Result{Stats: analyzer.Stats{Templates: 5}}, "no problems in 5 templates"},
		{"one template", &analyzer.Result{Stats: analyzer.Stats{Templates: 1}}, "no problems in 1 template"},
		{"only suppressed", &analyzer.Result{
			Findings: []analyzer.Finding{{RuleID: "AL1", Severity: analyzer.SeverityError, Location: analyzer.Location{File: "a.json"}, Suppressed: &analyzer.Suppression{Kind: "external"}}},
			Stats:    analyzer.Stats{Templates: 2},
		}, "no problems in 2 templates, 1 suppressed"},
		{"non-template file", &analyzer.Result{
			Findings: []analyzer.Finding{{RuleID: "AL0001", Severity: analyzer.SeverityError, Location: analyzer.Location{File: "broken.json"}}},
		}, "1 problem (1 error, 0 warnings, 0 notes) in 1 of 1 template"},
		{"fixture", fixture(t), "3 problems (1 error, 1 warning, 1 note) in 2 of 3 templates, 1 suppressed"},
	}
	for _, tt := range tests {
		if got := summary(tt.r); got != tt.want {
			t.Errorf("%s: summary = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestExcerpt(t *testing.T) {
	tests := []struct {
		src       string
		col       int
		line, ind string
		ok        bool
	}{
		{"\t\t\"a\": 1", 3, "\t\t\"a\": 1", "\t\t", true},
		{"  é🚀 x", 6, "  é🚀 x", "     ", true},
		{"   ", 1, "", "", false},
		{"ab", 9, "ab", "  ", true}, // column past the end: caret after the text
		{"a\x1b[31mb", 3, "a\uFFFD[31mb", "  ", true},
		{strings.Repeat("x", 100) + "HERE" + strings.Repeat("y", 300), 101,
			"…" + strings.Repeat("x", 40) + "HERE" + strings.Repeat("y", 116) + "…", strings.Repeat(" ", 41), true},
	}
	for _, tt := range tests {
		line, ind, ok := excerpt([]byte(tt.src), tt.col)
		if line != tt.line || ind != tt.ind || ok != tt.ok {
			t.Errorf("excerpt(%q, %d) = %q, %q, %v; want %q, %q, %v", tt.src, tt.col, line, ind, ok, tt.line, tt.ind, tt.ok)
		}
	}
}

func TestCompactOneLine(t *testing.T) {
	r := &analyzer.Result{Findings: []analyzer.Finding{{
		RuleID: "AL9999", Severity: analyzer.SeverityWarning, Message: "two\nlines\r\nhere",
		Location: analyzer.Location{File: "a.json", Start: analyzer.Pos{Line: 3, Col: 7}},
	}}}
	want := "a.json:3:7: warning: two lines here [AL9999]\n"
	if got := string(render(t, "compact", r, Options{})); got != want {
		t.Errorf("compact = %q, want %q", got, want)
	}
}
