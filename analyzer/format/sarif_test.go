package format

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/armlint/armlint/analyzer"
)

// validateSARIF validates a SARIF log against the OASIS 2.1.0 schema.
func validateSARIF(t *testing.T, out []byte) {
	t.Helper()
	schemaPath := sharedFile(t, "schemas", "sarif-schema-2.1.0.json")
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	schemaDoc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft4) // the schema's "$schema" is draft-04
	c.AssertFormat()                  // uri and uri-reference formats
	const url = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	if err := c.AddResource(url, schemaDoc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("SARIF output does not validate: %v", err)
	}
}

func decodeSARIF(t *testing.T, out []byte) sarifLog {
	t.Helper()
	var log sarifLog
	dec := json.NewDecoder(bytes.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&log); err != nil {
		t.Fatal(err)
	}
	return log
}

func TestSARIF(t *testing.T) {
	r := fixture(t)
	out := render(t, "sarif", r, fixtureOptions())
	validateSARIF(t, out)

	log := decodeSARIF(t, out)
	if len(log.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(log.Runs))
	}
	run := log.Runs[0]
	if run.ColumnKind != "unicodeCodePoints" {
		t.Errorf("columnKind = %q", run.ColumnKind)
	}
	d := run.Tool.Driver
	if d.Name != "armlint" || d.Version != "1.2.3" || d.SemanticVersion != "1.2.3" {
		t.Errorf("driver = %s %s %s", d.Name, d.Version, d.SemanticVersion)
	}
	if len(d.Rules) != len(r.Rules) {
		t.Fatalf("%d rules, want %d", len(d.Rules), len(r.Rules))
	}
	for i, rule := range d.Rules {
		if rule.ID != r.Rules[i].ID {
			t.Errorf("rules[%d] = %s, want %s", i, rule.ID, r.Rules[i].ID)
		}
		want := ""
		if slices.Contains(rule.Properties.Tags, "security") {
			want = securitySeverity[r.Rules[i].Severity]
		}
		if rule.Properties.SecuritySeverity != want {
			t.Errorf("%s: security-severity = %q, want %q", rule.ID, rule.Properties.SecuritySeverity, want)
		}
	}
	// security-severity must be a JSON string, not a number.
	var generic map[string]any
	if err := json.Unmarshal(out, &generic); err != nil {
		t.Fatal(err)
	}
	rules := generic["runs"].([]any)[0].(map[string]any)["tool"].(map[string]any)["driver"].(map[string]any)["rules"].([]any)
	var seen int
	for _, x := range rules {
		props := x.(map[string]any)["properties"].(map[string]any)
		if v, ok := props["security-severity"]; ok {
			seen++
			if _, isString := v.(string); !isString {
				t.Errorf("security-severity %v is %T, want string", v, v)
			}
		}
	}
	if seen != 2 {
		t.Errorf("%d rules with security-severity, want 2", seen)
	}

	if len(run.Results) != len(r.Findings) {
		t.Fatalf("%d results, want %d", len(run.Results), len(r.Findings))
	}
	for i, res := range run.Results {
		f := r.Findings[i]
		if res.RuleIndex == nil || d.Rules[*res.RuleIndex].ID != res.RuleID || res.RuleID != f.RuleID {
			t.Errorf("result %d: ruleId %s, ruleIndex %v inconsistent", i, res.RuleID, res.RuleIndex)
		}
		al := res.Locations[0].PhysicalLocation.ArtifactLocation
		if strings.Contains(al.URI, ":") || strings.HasPrefix(al.URI, "/") || al.URIBaseID != "%SRCROOT%" {
			t.Errorf("result %d: artifact location %+v is not relative to %%SRCROOT%%", i, al)
		}
		if !strings.Contains(res.PartialFingerprints["primaryLocationLineHash"], ":") {
			t.Errorf("result %d: no primaryLocationLineHash: %v", i, res.PartialFingerprints)
		}
		if (f.Suppressed != nil) != (len(res.Suppressions) == 1) {
			t.Errorf("result %d: suppressions %v for %v", i, res.Suppressions, f.Suppressed)
		}
	}
	if got := run.Results[2].Locations[0].PhysicalLocation.ArtifactLocation.URI; got != "templates/web%20app/site.json" {
		t.Errorf("escaped URI = %q", got)
	}
	if len(run.Invocations) != 1 || !run.Invocations[0].ExecutionSuccessful ||
		run.Invocations[0].WorkingDirectory.URI != "file:///home/runner/work/infra/infra/" {
		t.Errorf("invocations = %+v", run.Invocations)
	}
}

// TestSARIFMinimal checks the edge cases: no findings, no rules, no
// version, no working directory, an absolute path, a finding without a
// region and a tool error.
func TestSARIFMinimal(t *testing.T) {
	r := &analyzer.Result{
		Findings: []analyzer.Finding{
			{RuleID: "AL0001", Severity: analyzer.SeverityError, Message: "cannot parse", Location: analyzer.Location{File: "/abs/dir/x y.json"}},
		},
		Errors: []error{errors.New("open missing.json: no such file or directory")},
	}
	out := render(t, "sarif", r, Options{ToolVersion: "dev"})
	validateSARIF(t, out)
	run := decodeSARIF(t, out).Runs[0]
	if run.Tool.Driver.SemanticVersion != "" || run.Tool.Driver.Rules == nil {
		t.Errorf("driver = %+v", run.Tool.Driver)
	}
	res := run.Results[0]
	if res.RuleIndex != nil || res.Locations[0].PhysicalLocation.Region != nil {
		t.Errorf("result = %+v", res)
	}
	if al := res.Locations[0].PhysicalLocation.ArtifactLocation; al.URI != "file:///abs/dir/x%20y.json" || al.URIBaseID != "" {
		t.Errorf("absolute artifact location = %+v", al)
	}
	if run.OriginalURIBaseIDs != nil || len(run.Invocations) != 1 || run.Invocations[0].ExecutionSuccessful ||
		run.Invocations[0].WorkingDirectory != nil || len(run.Invocations[0].ToolExecutionNotifications) != 1 {
		t.Errorf("invocations = %+v", run.Invocations)
	}

	empty := render(t, "sarif", &analyzer.Result{}, Options{})
	validateSARIF(t, empty)
	if !bytes.Contains(empty, []byte(`"results": []`)) || !bytes.Contains(empty, []byte(`"rules": []`)) {
		t.Errorf("empty result: arrays must be present:\n%s", empty)
	}
}

func TestCapResults(t *testing.T) {
	sup := &analyzer.Suppression{Kind: "external"}
	fs := []analyzer.Finding{
		{RuleID: "0", Severity: analyzer.SeverityNote},
		{RuleID: "1", Severity: analyzer.SeverityError, Suppressed: sup},
		{RuleID: "2", Severity: analyzer.SeverityWarning},
		{RuleID: "3", Severity: analyzer.SeverityError},
		{RuleID: "4", Severity: analyzer.SeverityWarning},
	}
	if got := capResults(fs, 10); !slices.Equal(got, []int{0, 1, 2, 3, 4}) {
		t.Errorf("uncapped = %v", got)
	}
	// Unsuppressed error, then the earlier warnings, in source order.
	if got := capResults(fs, 3); !slices.Equal(got, []int{2, 3, 4}) {
		t.Errorf("cap 3 = %v, want [2 3 4]", got)
	}
	if got := capResults(fs, 4); !slices.Equal(got, []int{0, 2, 3, 4}) {
		t.Errorf("cap 4 = %v, want [0 2 3 4]", got)
	}
}

func TestSARIFTruncated(t *testing.T) {
	fs := make([]analyzer.Finding, maxSARIFResults+2)
	for i := range fs {
		fs[i] = analyzer.Finding{RuleID: "AL9001", Severity: analyzer.SeverityNote, Message: "m",
			Location: analyzer.Location{File: "a.json", Start: analyzer.Pos{Line: 1, Col: 1}}}
	}
	fs[len(fs)-1].Severity = analyzer.SeverityError
	run := decodeSARIF(t, render(t, "sarif", &analyzer.Result{Findings: fs}, Options{})).Runs[0]
	if len(run.Results) != maxSARIFResults {
		t.Fatalf("%d results, want %d", len(run.Results), maxSARIFResults)
	}
	if run.Results[len(run.Results)-1].Level != "error" {
		t.Error("the error finding was dropped by the cap")
	}
	if run.Properties == nil || !run.Properties.Truncated || run.Properties.TotalResults != len(fs) {
		t.Errorf("properties = %+v", run.Properties)
	}
	if len(run.Invocations) != 1 || len(run.Invocations[0].ToolExecutionNotifications) != 1 {
		t.Errorf("no truncation notification: %+v", run.Invocations)
	}
}

func TestArtifactURI(t *testing.T) {
	tests := []struct {
		in, want string
		relative bool
	}{
		{"templates/main.json", "templates/main.json", true},
		{"web app/ünï.json", "web%20app/%C3%BCn%C3%AF.json", true},
		{"a:b/c#d?e%f.json", "a%3Ab/c%23d%3Fe%25f.json", true},
		{"../up/x.json", "../up/x.json", true},
		{"-", "-", true},
		{"/abs/x.json", "file:///abs/x.json", false},
		{"C:/src/x y.json", "file:///C:/src/x%20y.json", false},
		{"//host/share/x.json", "file://host/share/x.json", false},
	}
	for _, tt := range tests {
		got, rel := artifactURI(tt.in)
		if got != tt.want || rel != tt.relative {
			t.Errorf("artifactURI(%q) = %q, %v; want %q, %v", tt.in, got, rel, tt.want, tt.relative)
		}
	}
	for in, want := range map[string]string{"/work/dir": "file:///work/dir/", "/": "file:///", "rel/dir": "", "": ""} {
		if got := dirURI(in); got != want {
			t.Errorf("dirURI(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTruncateRunes(t *testing.T) {
	s := strings.Repeat("é", 1030)
	got := truncateRunes(s)
	if n := utf8.RuneCountInString(got); n != maxDescription || !utf8.ValidString(got) || !strings.HasSuffix(got, "…") {
		t.Errorf("truncated to %d runes, valid %v", n, utf8.ValidString(got))
	}
	if got := truncateRunes("short"); got != "short" {
		t.Errorf("short string changed: %q", got)
	}
}

func TestSemver(t *testing.T) {
	for v, want := range map[string]bool{
		"1.2.3": true, "v0.4.0": true, "1.0.0-rc.1+build.5": true,
		"dev": false, "(devel)": false, "1.2": false, "01.2.3": false, "": false,
	} {
		if got := semver.MatchString(v); got != want {
			t.Errorf("semver(%q) = %v, want %v", v, got, want)
		}
	}
}
