package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/armlint/armlint/analyzer"
)

// fullExample uses every key, with comments and trailing commas.
const fullExample = `// armlint configuration
{
  "$schema": "./docs/armlint.schema.json",
  "failLevel": "warning", // note | warning | error
  "rules": {
    "AL1201": { "enabled": false },
    /* by name */ "role-assignment-escalation": {
      "severity": "error",
      "options": { "allowedRoles": ["Reader",], },
    },
  },
  "exclude": [{ "path": "samples/**", "reason": "vendored examples" },],
  "ignore": [
    { "rule": "AL1201", "path": "infra/legacy/**", "resource": "ra-owner", "reason": "tracked in #12" },
  ],
  "policies": ["./policy"],
  "parameters": { "infra/main.json": ["infra/main.dev.parameters.json"] },
  "context": { "subscriptionId": "00000000-0000-0000-0000-000000000001", "resourceGroup": "rg-app", "location": "westeurope" },
}
`

func TestParseJSONC(t *testing.T) {
	c, err := Parse("cfg/.armlint.json", []byte(fullExample))
	if err != nil {
		t.Fatal(err)
	}
	off := false
	want := Config{
		Schema:    "./docs/armlint.schema.json",
		FailLevel: "warning",
		Rules: map[string]RuleConfig{
			"AL1201": {Enabled: &off},
			"role-assignment-escalation": {
				Severity: "error",
				Options:  map[string]any{"allowedRoles": []any{"Reader"}},
			},
		},
		Exclude:    []Exclude{{Path: "samples/**", Reason: "vendored examples"}},
		Ignore:     []Ignore{{Rule: "AL1201", Path: "infra/legacy/**", Resource: "ra-owner", Reason: "tracked in #12"}},
		Policies:   []string{"./policy"},
		Parameters: map[string][]string{"infra/main.json": {"infra/main.dev.parameters.json"}},
		Context:    Context{SubscriptionID: "00000000-0000-0000-0000-000000000001", ResourceGroup: "rg-app", Location: "westeurope"},
		Path:       "cfg/.armlint.json",
		Dir:        "cfg",
	}
	for _, check := range []struct {
		name      string
		got, want any
	}{
		{"Schema", c.Schema, want.Schema},
		{"FailLevel", c.FailLevel, want.FailLevel},
		{"Rules", c.Rules, want.Rules},
		{"Exclude", c.Exclude, want.Exclude},
		{"Ignore", c.Ignore, want.Ignore},
		{"Policies", c.Policies, want.Policies},
		{"Parameters", c.Parameters, want.Parameters},
		{"Context", c.Context, want.Context},
		{"Path", c.Path, want.Path},
		{"Dir", c.Dir, want.Dir},
	} {
		if !reflect.DeepEqual(check.got, check.want) {
			t.Errorf("%s = %#v, want %#v", check.name, check.got, check.want)
		}
	}
	if err := c.Validate(testLookup(t)); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{
			name: "unknown top-level key",
			src:  "{\n  \"failLevel\": \"error\",\n  \"failLevle\": \"note\"\n}",
			want: `x.json:3:3: unknown key "failLevle" in the top level (known keys: $schema, failLevel, rules, exclude, ignore, policies, parameters, context)`,
		},
		{
			name: "unknown rule key after a comment",
			src:  "{\n  // AL1201 is noisy here\n  \"rules\": { \"AL1201\": {\n    \"enable\": false } }\n}",
			want: `x.json:4:5: unknown key "enable" in /rules/AL1201 (known keys: enabled, severity, options)`,
		},
		{
			name: "unknown ignore key",
			src:  `{"ignore": [{"rule": "AL1201", "reason": "x"}, {"rule": "AL1201", "justification": "x"}]}`,
			want: `x.json:1:67: unknown key "justification" in /ignore/1 (known keys: rule, path, resource, reason)`,
		},
		{
			name: "options accept anything",
			src:  `{"rules": {"AL1201": {"options": {"anything": {"nested": [1, 2]}}}}, "contxt": {}}`,
			want: `x.json:1:70: unknown key "contxt" in the top level`,
		},
		{
			name: "wrong type",
			src:  "{\n  \"rules\": {\"AL1201\": {\"enabled\": \"no\"}}\n}",
			want: `x.json:2:35: /rules/AL1201/enabled: expected a boolean, found string`,
		},
		{
			name: "wrong element type",
			src:  `{"parameters": {"main.json": ["a.json", 3]}}`,
			want: `x.json:1:41: /parameters/main.json/1: expected a string, found number`,
		},
		{
			name: "object expected",
			src:  `{"context": []}`,
			want: `x.json:1:13: /context: expected an object, found array`,
		},
		{
			name: "array where an object is expected",
			src:  `{"rules": {"AL1201": [1, 2]}}`,
			want: `x.json:1:22: /rules/AL1201: expected an object, found array`,
		},
		{
			name: "syntax error",
			src:  "{\n  \"failLevel\": \"error\"\n  \"rules\": {}\n}",
			want: `x.json:3:3: `,
		},
		{
			name: "not an object",
			src:  `["failLevel"]`,
			want: `x.json:1:1: the configuration must be a JSON object`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.json", []byte(tt.src))
			if err == nil {
				t.Fatalf("Parse succeeded, want error %q", tt.want)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error\n  %s\nwant prefix\n  %s", err, tt.want)
			}
		})
	}
}

// testRules are the rules the validation tests know.
func testRules(t *testing.T) *analyzer.Registry {
	t.Helper()
	mk := func(id, name string) *analyzer.Rule {
		return &analyzer.Rule{
			ID: id, Name: name, Title: "T", Description: "D", Severity: analyzer.SeverityWarning,
			Check: func(*analyzer.Pass) error { return nil },
		}
	}
	rules := append(analyzer.DiagnosticRules(),
		mk("AL1201", "privileged-role-to-identity"),
		mk("AL1202", "role-assignment-escalation"),
		mk("AL1301", "role-assignment-missing-dependency"),
	)
	reg, err := analyzer.NewRegistry(rules...)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// testLookup resolves keys through testRules, as cmd does with the
// registry.
func testLookup(t *testing.T) Lookup {
	reg := testRules(t)
	return func(key string) (string, bool) {
		r, ok := reg.Lookup(key)
		if !ok {
			return "", false
		}
		return r.ID, true
	}
}

func testNames(t *testing.T) []string {
	var names []string
	for _, r := range testRules(t).Rules() {
		names = append(names, r.ID, r.Name)
	}
	return names
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // substrings of the joined error, in order; none: valid
	}{
		{name: "valid", src: `{"failLevel": "ERROR", "rules": {"privileged-role-to-identity": {"severity": "Note"}}}`},
		{
			name: "bad fail level",
			src:  `{"failLevel": "fatal"}`,
			want: []string{`x.json:1:15: failLevel: invalid severity "fatal" (want note, warning or error)`},
		},
		{
			name: "bad severity",
			src:  "{\"rules\": {\n  \"AL1201\": {\"severity\": \"critical\"}}}",
			want: []string{`x.json:2:26: rules: AL1201: invalid severity "critical"`},
		},
		{
			name: "unknown rule name with suggestion",
			src:  "{\"rules\": {\n  \"privileged-role-to-identiy\": {\"enabled\": false}}}",
			want: []string{`x.json:2:3: rules: unknown rule "privileged-role-to-identiy"; did you mean "privileged-role-to-identity"?`},
		},
		{
			name: "unknown rule ID without suggestion",
			src:  `{"rules": {"AL1209": {"enabled": false}}}`,
			want: []string{`x.json:1:12: rules: unknown rule "AL1209"`},
		},
		{
			name: "unknown rule far from every name",
			src:  `{"rules": {"completely-different": {}}}`,
			want: []string{`rules: unknown rule "completely-different"`},
		},
		{
			name: "same rule twice",
			src:  `{"rules": {"AL1201": {}, "privileged-role-to-identity": {}}}`,
			want: []string{`x.json:1:26: rules: rule AL1201 is configured twice ("AL1201" and "privileged-role-to-identity")`},
		},
		{
			name: "tool diagnostic disabled",
			src:  `{"rules": {"AL0002": {"enabled": false}}}`,
			want: []string{`rules: AL0002 is a tool diagnostic and cannot be disabled`},
		},
		{
			name: "ignore without reason and rule",
			src:  `{"ignore": [{"rule": "", "reason": " "}]}`,
			want: []string{`x.json:1:13: ignore[0]: needs a rule`, `x.json:1:13: ignore[0]: needs a reason`},
		},
		{
			name: "ignore of an unknown rule",
			src:  `{"ignore": [{"rule": "role-assigment-escalation", "reason": "r"}]}`,
			want: []string{`x.json:1:22: ignore[0]: unknown rule "role-assigment-escalation"; did you mean "role-assignment-escalation"?`},
		},
		{
			name: "ignore of a tool diagnostic",
			src:  `{"ignore": [{"rule": "AL0001", "reason": "r"}, {"rule": "unused-ignore", "reason": "r"}]}`,
			want: []string{
				`ignore[0]: AL0001 is a tool diagnostic and cannot be ignored`,
				"ignore[1]: AL0002 can only be ignored inside the file, with `// armlint:ignore-file AL0002 -- why`",
			},
		},
		{
			name: "bad globs",
			src:  `{"exclude": [{"path": "a/[b"}], "ignore": [{"rule": "AL1201", "path": "../x", "reason": "r"}]}`,
			want: []string{`x.json:1:23: exclude[0]: glob "a/[b": malformed pattern segment "[b"`, `ignore[0]: glob "../x": ".." is not allowed`},
		},
		{
			name: "empty paths",
			src:  `{"policies": [""], "parameters": {"main.json": [""]}}`,
			want: []string{`x.json:1:15: policies[0]: empty path`, `parameters: main.json: empty parameter file path`},
		},
		{
			name: "errors come in source order",
			src:  `{"rules": {"zz-unknown": {}, "aa-unknown": {}}}`,
			want: []string{`"zz-unknown"`, `"aa-unknown"`},
		},
	}
	lookup := testLookup(t)
	names := testNames(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse("x.json", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			err = c.Validate(lookup, names...)
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate succeeded, want %q", tt.want)
			}
			msg := err.Error()
			at := 0
			for _, w := range tt.want {
				i := strings.Index(msg[at:], w)
				if i < 0 {
					t.Fatalf("error\n%s\nlacks (in order)\n%s", msg, w)
				}
				at += i + len(w)
			}
		})
	}
}

func TestRuleSettings(t *testing.T) {
	c, err := Parse("x.json", []byte(`{"failLevel": "note", "rules": {
		"role-assignment-escalation": {"severity": "error", "options": {"n": 1}},
		"al1201": {"enabled": false}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if c.RuleSettings() != nil || c.FailSeverity() != 0 {
		t.Fatal("settings available before Validate")
	}
	if err := c.Validate(testLookup(t)); err != nil {
		t.Fatal(err)
	}
	off := false
	want := []RuleSetting{
		{ID: "AL1201", Key: "al1201", Enabled: &off},
		{ID: "AL1202", Key: "role-assignment-escalation", Severity: analyzer.SeverityError, Options: map[string]any{"n": float64(1)}},
	}
	if got := c.RuleSettings(); !reflect.DeepEqual(got, want) {
		t.Errorf("RuleSettings() = %+v, want %+v", got, want)
	}
	if got := c.FailSeverity(); got != analyzer.SeverityNote {
		t.Errorf("FailSeverity() = %v, want note", got)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, FileName)
	if err := os.WriteFile(path, []byte("\xEF\xBB\xBF{\"failLevel\": \"error\",}"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.FailLevel != "error" || c.Path != path || c.Dir != dir {
		t.Errorf("Load = {FailLevel %q, Path %q, Dir %q}", c.FailLevel, c.Path, c.Dir)
	}
	if _, err := Load(filepath.Join(dir, "missing.json")); !os.IsNotExist(err) {
		t.Errorf("Load(missing) error = %v, want not-exist", err)
	}
}

func TestFind(t *testing.T) {
	root := t.TempDir()
	deep := filepath.Join(root, "a", "b", "c")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	// No config in the tree: Find goes on above it, to whatever the
	// machine has (normally nothing).
	var above string
	for d := filepath.Dir(root); above == ""; d = filepath.Dir(d) {
		if info, err := os.Stat(filepath.Join(d, FileName)); err == nil && info.Mode().IsRegular() {
			above = filepath.Join(d, FileName)
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	if got, err := Find(deep); err != nil || got != above {
		t.Errorf("Find in an empty tree = %q, %v; want %q", got, err, above)
	}

	want := filepath.Join(root, "a", FileName)
	if err := os.WriteFile(want, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, FileName), []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, start := range []string{deep, filepath.Join(root, "a", "b"), filepath.Join(root, "a")} {
		got, err := Find(start)
		if err != nil || got != want {
			t.Errorf("Find(%q) = %q, %v; want %q (the nearest)", start, got, err, want)
		}
	}
	if got, err := Find(root); err != nil || got != filepath.Join(root, FileName) {
		t.Errorf("Find(root) = %q, %v", got, err)
	}

	// A directory named .armlint.json is an error, not a config.
	odd := filepath.Join(root, "odd")
	if err := os.MkdirAll(filepath.Join(odd, FileName), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := Find(odd); err == nil {
		t.Error("Find with a directory named .armlint.json succeeded")
	}
}

func TestFindWorkingDirectory(t *testing.T) {
	root := t.TempDir()
	want := filepath.Join(root, FileName)
	if err := os.WriteFile(want, []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(root, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(sub)
	got, err := Find("")
	if err != nil {
		t.Fatal(err)
	}
	// The working directory may be reported without the symlinks of root.
	gotReal, err1 := filepath.EvalSymlinks(got)
	wantReal, err2 := filepath.EvalSymlinks(want)
	if err1 != nil || err2 != nil || gotReal != wantReal {
		t.Errorf("Find(\"\") = %q, want %q", got, want)
	}
}
