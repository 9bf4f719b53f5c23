package baseline

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/armlint/armlint/analyzer"
)

func finding(rule, file, ptr, msg string, line int, res *analyzer.ResourceRef) analyzer.Finding {
	return analyzer.Finding{
		RuleID:   rule,
		Severity: analyzer.SeverityWarning,
		Message:  msg,
		Location: analyzer.Location{File: file, Path: ptr, Start: analyzer.Pos{Line: line, Col: 3}},
		Resource: res,
	}
}

func TestFingerprintIgnoresPositions(t *testing.T) {
	ra := &analyzer.ResourceRef{Name: "ra-owner", Type: "Microsoft.Authorization/roleAssignments"}
	a := finding("AL1201", "a.json", "/resources/1/properties/roleDefinitionId", "grants Owner (line 12)", 16, ra)
	b := finding("AL1201", "a.json", "/resources/4/properties/roleDefinitionId", "grants Owner (line 40)", 42, ra)
	if Fingerprint(a) != Fingerprint(b) {
		t.Errorf("fingerprint changed with line and resource index: %s vs %s", Fingerprint(a), Fingerprint(b))
	}
	other := *ra
	other.Name = "ra-other"
	c := finding("AL1201", "a.json", "/resources/1/properties/roleDefinitionId", "grants Owner (line 12)", 16, &other)
	if Fingerprint(a) == Fingerprint(c) {
		t.Error("different resources share a fingerprint")
	}
	d := finding("AL1201", "a.json", "/resources/1/properties/principalId", "grants Owner (line 12)", 16, ra)
	if Fingerprint(a) == Fingerprint(d) {
		t.Error("different pointers within a resource share a fingerprint")
	}
	// Without a resource name: the symbolic name, else the pointer.
	s1 := finding("AL1504", "a.json", "/resources/site/identity", "bad", 3, nil)
	s2 := finding("AL1504", "a.json", "/resources/site/identity", "bad", 30, nil)
	if Fingerprint(s1) != Fingerprint(s2) {
		t.Error("symbolic-name resource: fingerprint depends on the line")
	}
	p1 := finding("AL1504", "a.json", "/resources/0/identity", "bad", 3, nil)
	p2 := finding("AL1504", "a.json", "/resources/1/identity", "bad", 3, nil)
	if Fingerprint(p1) == Fingerprint(p2) {
		t.Error("unnamed resources at different pointers share a fingerprint")
	}
}

func TestSplitPointer(t *testing.T) {
	for _, c := range []struct{ in, res, rest string }{
		{"/resources/3/properties/roleDefinitionId", "/resources/3", "/properties/roleDefinitionId"},
		{"/resources/0/properties/template/resources/2/identity", "/resources/0/properties/template/resources/2", "/identity"},
		{"/resources/vm/properties/ipRules/4/value", "/resources/vm", "/properties/ipRules/#/value"},
		{"/resources/3", "/resources/3", ""},
		{"/parameters/x", "", "/parameters/x"},
		{"", "", ""},
	} {
		res, rest := splitPointer(c.in)
		if res != c.res || rest != c.rest {
			t.Errorf("splitPointer(%q) = %q, %q; want %q, %q", c.in, res, rest, c.res, c.rest)
		}
	}
}

func TestApplyCountsStaleAndKept(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, name := range []string{"a.json", "b.json"} {
		if err := os.WriteFile(name, []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dup := finding("AL1102", "a.json", "/resources/0/location", "location mismatch", 5, nil)
	fixed := finding("AL1201", "a.json", "/resources/2/properties/roleDefinitionId", "grants Owner", 9, nil)
	elsewhere := finding("AL1201", "b.json", "/resources/0/properties/roleDefinitionId", "grants Owner", 9, nil)
	gone := finding("AL1201", "gone.json", "/resources/0/properties/roleDefinitionId", "grants Owner", 9, nil)
	b := New([]analyzer.Finding{dup, dup, fixed, elsewhere, gone}, Paths{})
	if len(b.Findings) != 4 || b.Findings[0].Count != 2 {
		t.Fatalf("New merged wrongly: %+v", b.Findings)
	}

	// The run sees a.json only: the duplicate now occurs three times and
	// the AL1201 finding was fixed.
	run := []analyzer.Finding{dup, dup, dup}
	out := b.Apply(run, []string{"a.json"}, Paths{})
	if out.Matched != 2 {
		t.Errorf("matched %d findings, want 2", out.Matched)
	}
	if run[0].Suppressed == nil || run[1].Suppressed == nil || run[2].Suppressed != nil {
		t.Errorf("want the first two suppressed and the third new: %+v", run)
	}
	if s := run[0].Suppressed; s.Kind != analyzer.SuppressionExternal || s.Justification != "baseline" {
		t.Errorf("suppression = %+v", s)
	}
	if out.StaleCount() != 2 || len(out.Stale) != 2 {
		t.Errorf("stale = %+v, want the fixed AL1201 of a.json and the entry of gone.json", out.Stale)
	}
	if len(out.Kept) != 1 || out.Kept[0].File != "b.json" {
		t.Errorf("kept = %+v, want the entry of b.json (not in the run, still on disk)", out.Kept)
	}
}

func TestWriteReadRoundTrip(t *testing.T) {
	b := New([]analyzer.Finding{
		finding("AL1201", "z/t.json", "/resources/0/properties/roleDefinitionId", "grants Owner", 9, nil),
		finding("AL1102", "a/t.json", "/resources/0/location", "location", 5, nil),
	}, Paths{})
	var buf bytes.Buffer
	if err := b.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "{\n  \"version\": 1,\n  \"findings\": [\n") {
		t.Errorf("unexpected layout:\n%s", buf.String())
	}
	if strings.Index(buf.String(), "a/t.json") > strings.Index(buf.String(), "z/t.json") {
		t.Error("entries are not sorted by file")
	}
	got, err := Read(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := got.Write(&again); err != nil {
		t.Fatal(err)
	}
	var first bytes.Buffer
	_ = b.Write(&first)
	if first.String() != again.String() {
		t.Errorf("round trip changed the file:\n%s\nvs\n%s", first.String(), again.String())
	}
	if _, err := Read(strings.NewReader(`{"version": 2, "findings": []}`)); err == nil {
		t.Error("version 2 accepted")
	}
	if _, err := Read(strings.NewReader(`{"version": 1, "results": []}`)); err == nil {
		t.Error("unknown field accepted")
	}
	empty := &File{}
	var e bytes.Buffer
	_ = empty.Write(&e)
	if !strings.Contains(e.String(), `"findings": []`) {
		t.Errorf("empty baseline: %s", e.String())
	}
}

func TestPathsKey(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.MkdirAll("infra/sub", 0o755); err != nil {
		t.Fatal(err)
	}
	p := Paths{Dir: "infra"}
	if got := p.Key("infra/sub/t.json"); got != "sub/t.json" {
		t.Errorf("Key = %q", got)
	}
	if got := p.Key(filepath.Join(dir, "infra", "t.json")); got != "t.json" {
		t.Errorf("Key(abs) = %q", got)
	}
	if got := (Paths{}).Key("-"); got != "-" {
		t.Errorf("Key(-) = %q", got)
	}
}

func TestNormalizeMessage(t *testing.T) {
	if a, b := NormalizeMessage("declared at line 12,  column 4"), NormalizeMessage("declared at line 130, column 40"); a != b {
		t.Errorf("%q != %q", a, b)
	}
}
