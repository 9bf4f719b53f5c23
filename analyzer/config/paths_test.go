package config

import (
	"path/filepath"
	"reflect"
	"testing"

	"github.com/armlint/armlint/analyzer"
)

// parseIn parses src as the config file of dir.
func parseIn(t *testing.T, dir, src string) *Config {
	t.Helper()
	c, err := Parse(filepath.Join(dir, FileName), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(testLookup(t)); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestExcluded(t *testing.T) {
	dir := t.TempDir()
	c := parseIn(t, dir, `{"exclude": [
		{"path": "samples/**", "reason": "vendored examples"},
		{"path": "infra/legacy"},
		{"path": "**/*.generated.json", "reason": "generated"},
	]}`)
	tests := []struct {
		path   string
		want   bool
		reason string
	}{
		{filepath.Join(dir, "samples"), true, "vendored examples"},
		{filepath.Join(dir, "samples", "a", "b.json"), true, "vendored examples"},
		{filepath.Join(dir, "infra", "legacy"), true, ""},
		{filepath.Join(dir, "infra", "legacy", "main.json"), true, ""}, // below an excluded directory
		{filepath.Join(dir, "infra", "legacy2", "main.json"), false, ""},
		{filepath.Join(dir, "infra", "main.json"), false, ""},
		{filepath.Join(dir, "x", "y", "z.generated.json"), true, "generated"},
		{filepath.ToSlash(filepath.Join(dir, "samples", "c.json")), true, "vendored examples"},
		{filepath.Join(filepath.Dir(dir), "samples", "a.json"), false, ""}, // outside the config's directory
		{"-", false, ""},
		{"", false, ""},
	}
	for _, tt := range tests {
		got, reason := c.Excluded(tt.path)
		if got != tt.want || reason != tt.reason {
			t.Errorf("Excluded(%q) = %v, %q; want %v, %q", tt.path, got, reason, tt.want, tt.reason)
		}
	}
}

func TestExcludedRelativeToWorkingDirectory(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	c := parseIn(t, "sub", `{"exclude": [{"path": "samples/**"}]}`)
	if got, _ := c.Excluded("sub/samples/a.json"); !got {
		t.Error(`Excluded("sub/samples/a.json") = false: globs must be relative to the config file's directory`)
	}
	if got, _ := c.Excluded("samples/a.json"); got {
		t.Error(`Excluded("samples/a.json") = true for a path outside the config file's directory`)
	}
}

func TestIgnores(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	c := parseIn(t, ".", `{
  "ignore": [
    {"rule": "privileged-role-to-identity", "path": "infra/legacy/**", "resource": "ra-owner", "reason": "tracked"},
    {"rule": "AL1202", "reason": "everywhere"}
  ]
}`)
	ig := c.Ignores()
	if len(ig) != 2 {
		t.Fatalf("Ignores() has %d entries, want 2", len(ig))
	}
	first := ig[0]
	if first.Rule != "AL1201" || first.Resource != "ra-owner" || first.Reason != "tracked" {
		t.Errorf("Ignores()[0] = %+v: want rule resolved to AL1201", first)
	}
	wantAt := analyzer.Location{File: FileName, Path: "/ignore/0",
		Start: analyzer.Pos{Line: 3, Col: 5, Offset: 20}, End: analyzer.Pos{Line: 3, Col: 116, Offset: 131}}
	if !reflect.DeepEqual(first.At, wantAt) {
		t.Errorf("Ignores()[0].At = %+v, want %+v", first.At, wantAt)
	}
	for path, want := range map[string]bool{
		"infra/legacy/main.json":     true,
		"infra/legacy/sub/main.json": true,
		"infra/main.json":            false,
	} {
		if got := first.PathGlob(path); got != want {
			t.Errorf("PathGlob(%q) = %v, want %v", path, got, want)
		}
	}
	if ig[1].PathGlob != nil {
		t.Error("an ignore without path must cover every file (nil PathGlob)")
	}

	for _, tt := range []struct {
		rule, path, resource string
		want                 bool
		reason               string
	}{
		{"AL1201", "infra/legacy/main.json", "ra-owner", true, "tracked"},
		{"AL1201", "infra/legacy/main.json", "RA-OWNER", true, "tracked"},
		{"AL1201", "infra/legacy/main.json", "ra-other", false, ""},
		{"AL1201", "infra/main.json", "ra-owner", false, ""},
		{"AL1202", "anywhere/x.json", "", true, "everywhere"},
		{"AL1301", "infra/legacy/main.json", "ra-owner", false, ""},
	} {
		got, reason := c.IgnoreMatches(tt.rule, tt.path, tt.resource)
		if got != tt.want || reason != tt.reason {
			t.Errorf("IgnoreMatches(%s, %s, %s) = %v, %q; want %v, %q", tt.rule, tt.path, tt.resource, got, reason, tt.want, tt.reason)
		}
	}
}

func TestResolvedPaths(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	c := parseIn(t, "cfg", `{
		"policies": ["./policy", "/abs/policy"],
		"parameters": {"infra/main.json": ["infra/main.dev.parameters.json", "shared.parameters.json"]}
	}`)
	wantPolicies := []string{filepath.Join("cfg", "policy"), filepath.Clean("/abs/policy")}
	if got := c.PolicyDirs(); !reflect.DeepEqual(got, wantPolicies) {
		t.Errorf("PolicyDirs() = %q, want %q", got, wantPolicies)
	}
	wantParams := []string{filepath.Join("cfg", "infra", "main.dev.parameters.json"), filepath.Join("cfg", "shared.parameters.json")}
	for _, tmpl := range []string{"cfg/infra/main.json", "./cfg/infra/../infra/main.json", filepath.Join(dir, "cfg", "infra", "main.json")} {
		if got := c.ParameterFiles(tmpl); !reflect.DeepEqual(got, wantParams) {
			t.Errorf("ParameterFiles(%q) = %q, want %q", tmpl, got, wantParams)
		}
	}
	if got := c.ParameterFiles("infra/main.json"); got != nil {
		t.Errorf("ParameterFiles of another template = %q, want nil", got)
	}
	wantMap := map[string][]string{"cfg/infra/main.json": wantParams}
	if got := c.TemplateParameters(); !reflect.DeepEqual(got, wantMap) {
		t.Errorf("TemplateParameters() = %q, want %q", got, wantMap)
	}
}
