package regoeval

import (
	"fmt"
	"maps"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/armlint/armlint/analyzer"
	"github.com/armlint/armlint/policies"
)

func TestLoadEmbedded(t *testing.T) {
	rules, err := Load(policies.FS, Options{Root: "policies"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	var r *analyzer.Rule
	for _, rule := range rules {
		ids = append(ids, rule.ID)
		if rule.ID == "AL1201" {
			r = rule
		}
	}
	if r == nil || !slices.IsSorted(ids) {
		t.Fatalf("rule IDs = %v, want AL1201 among them, sorted", ids)
	}
	if r.Name != "privileged-role-to-identity" {
		t.Errorf("Name = %q", r.Name)
	}
	if r.Title != "Privileged role granted to a managed identity" {
		t.Errorf("Title = %q", r.Title)
	}
	if r.Severity != analyzer.SeverityWarning {
		t.Errorf("Severity = %v", r.Severity)
	}
	if want := []string{"identity", "rbac", "security"}; !reflect.DeepEqual(r.Tags, want) {
		t.Errorf("Tags = %v, want %v", r.Tags, want)
	}
	if r.Origin != "policies/rules/roles/privileged_role_to_identity.rego" {
		t.Errorf("Origin = %q", r.Origin)
	}
	if !strings.Contains(r.Description, "**Fix:**") || strings.HasPrefix(r.Description, " ") {
		t.Errorf("Description = %q: want why, then **Fix:**", r.Description)
	}
	if r.HelpURI != "" {
		t.Errorf("HelpURI = %q: built-in help URIs are set by the registry", r.HelpURI)
	}
	if _, err := analyzer.NewRegistry(rules...); err != nil {
		t.Errorf("registry rejects the embedded rules: %v", err)
	}
}

func TestLoadCustom(t *testing.T) {
	dir := writePolicies(t, map[string]string{
		"corp/storage_probe.rego": strings.Replace(customHeader, "armlint.custom.test.probe", "armlint.custom.corp.storage_probe", 1) +
			"findings contains x if { some x in [] }\n",
		"corp/lib.rego":                     "package armlint.custom.corp.lib\n\nanswer := 42\n",
		"corp/storage_probe_test.rego":      "package armlint.rules.identity.not_loaded\n", // tests are skipped
		"corp/notes.json":                   `{"ignored": true}`,
		"corp/nested/other_probe.rego":      strings.Replace(strings.Replace(customHeader, "XTEST001", "XTEST002", 1), "test.probe", "corp.other_probe", 1) + "findings := set()\n",
		"corp/nested/other_probe_test.rego": "not even rego",
	})
	rules, err := Load(policies.FS, Options{Root: "policies", Extra: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range rules {
		if r.ID == "AL1201" || strings.HasPrefix(r.ID, "XTEST") { // the other built-in rules vary
			got[r.ID] = r.Name + " " + r.Origin
		}
	}
	want := map[string]string{
		"AL1201":   "privileged-role-to-identity policies/rules/roles/privileged_role_to_identity.rego",
		"XTEST001": "storage-probe " + filepath.ToSlash(filepath.Join(dir, "corp/storage_probe.rego")),
		"XTEST002": "other-probe " + filepath.ToSlash(filepath.Join(dir, "corp/nested/other_probe.rego")),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rules = %v\nwant %v", got, want)
	}
	if _, err := analyzer.NewRegistry(rules...); err != nil {
		t.Errorf("registry rejects the rules: %v", err)
	}
}

func TestLoadRejectsNamespaces(t *testing.T) {
	tests := map[string]string{
		"built-in rules":   "package armlint.rules.identity.x\n",
		"built-in library": "package armlint.lib.result\n\nfinding(a, b, c) := 1\n",
		"outside armlint":  "package main\n",
		"bare custom":      "package armlint.custom\n",
	}
	for name, src := range tests {
		t.Run(name, func(t *testing.T) {
			dir := writePolicies(t, map[string]string{"bad.rego": src})
			_, err := Load(policies.FS, Options{Root: "policies", Extra: []string{dir}})
			wantErr(t, err, filepath.ToSlash(filepath.Join(dir, "bad.rego")), "armlint.custom")
		})
	}
}

func TestLoadRejectsBuiltinOutsideNamespace(t *testing.T) {
	fsys := fstest.MapFS{"rules/x/y.rego": {Data: []byte("package armlint.custom.x.y\n")}}
	_, err := Load(fsys, Options{Root: "policies"})
	wantErr(t, err, "policies/rules/x/y.rego", "not under armlint.rules or armlint.lib")
}

func TestSandboxRejectsImpureBuiltins(t *testing.T) {
	tests := map[string]string{
		"http.send":          `x := http.send({"method": "get", "url": "https://example.com"})`,
		"opa.runtime":        `x := opa.runtime().env`,
		"net.lookup_ip_addr": `x := net.lookup_ip_addr("example.com")`,
		"time.now_ns":        `x := time.now_ns()`,
		"rand.intn":          `x := rand.intn("seed", 10)`,
		"uuid.rfc4122":       `x := uuid.rfc4122("seed")`,
		"json.verify_schema": `x := json.verify_schema({})`,
	}
	for builtin, line := range tests {
		t.Run(builtin, func(t *testing.T) {
			dir := writePolicies(t, map[string]string{"evil.rego": customHeader + line + "\n\nfindings := set()\n"})
			_, err := Load(nil, Options{Extra: []string{dir}})
			// The call is on line 12, right after the 11-line header.
			wantErr(t, err, filepath.ToSlash(filepath.Join(dir, "evil.rego"))+":12", "undefined function "+builtin, "sandbox")
		})
	}
}

func TestSandboxKeepsPureBuiltins(t *testing.T) {
	src := `a := net.cidr_contains("10.0.0.0/8", "10.1.2.3")
b := uuid.parse("8e3af657-a8ff-443c-a75c-2fe8c4bcb635")
c := regex.match("^a", "abc")
d := time.parse_rfc3339_ns("2024-01-01T00:00:00Z")

findings := set()
`
	loadCustom(t, src, Options{})
}

func TestSandboxCapabilities(t *testing.T) {
	caps := sandboxCapabilities()
	if caps.AllowNet == nil || len(caps.AllowNet) != 0 {
		t.Errorf("AllowNet = %#v, want an empty non-nil list", caps.AllowNet)
	}
	for _, b := range caps.Builtins {
		if b.Nondeterministic || deniedBuiltins[b.Name] {
			t.Errorf("builtin %s is in the sandbox", b.Name)
		}
	}
}

func TestLoadMetadataErrors(t *testing.T) {
	body := "\nfindings := set()\n"
	tests := []struct {
		name, src, want string
	}{
		{"no metadata", "package armlint.custom.t.r\n" + body, "no package-scope METADATA"},
		{"no id", "# METADATA\n# title: T\n# description: D\n# custom:\n#   severity: note\npackage armlint.custom.t.r\n" + body, "no custom.id"},
		{"bad severity", strings.Replace(customHeader, "severity: note", "severity: critical", 1) + body, `invalid severity "critical"`},
		{"no severity", strings.Replace(customHeader, "#   severity: note\n", "", 1) + body, "no custom.severity"},
		{"no title", strings.Replace(customHeader, "# title: Test rule\n", "", 1) + body, "no title"},
		{"no description", "# METADATA\n# title: T\n# custom:\n#   id: XT001\n#   severity: note\npackage armlint.custom.t.r\n" + body, "no description"},
		{"tags not strings", strings.Replace(customHeader, "tags: [test]", "tags: [1]", 1) + body, "custom.tags"},
		{"reserved ID", strings.Replace(customHeader, "XTEST001", "AL9999", 1) + body, "reserved for built-in rules"},
		{"parse error", customHeader + "findings contains x if {", "rego_parse_error"},
		{"compile error", customHeader + "findings contains x if { x := y }", "rego_unsafe_var_error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writePolicies(t, map[string]string{"r.rego": tt.src})
			_, err := Load(nil, Options{Extra: []string{dir}})
			wantErr(t, err, filepath.ToSlash(filepath.Join(dir, "r.rego")), tt.want)
		})
	}
}

func TestLoadMissingDirectory(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nope")
	_, err := Load(nil, Options{Extra: []string{dir}})
	wantErr(t, err, dir)
}

func TestLoadCustomHelpURI(t *testing.T) {
	hdr := strings.Replace(customHeader, "# custom:", "# related_resources:\n#   - ref: https://corp.example/rules/xtest001\n# custom:", 1)
	dir := writePolicies(t, map[string]string{"r.rego": hdr + "findings := set()\n"})
	rules, err := Load(nil, Options{Extra: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	if got := rules[0].HelpURI; got != "https://corp.example/rules/xtest001" {
		t.Errorf("HelpURI = %q", got)
	}
}

// wantErr fails unless err is non-nil and its message contains every want.
func wantErr(t *testing.T, err error, wants ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one containing %q", wants)
	}
	for _, w := range wants {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not contain %q", err, w)
		}
	}
}

// The built-in policies are compiled without the compiler's check-only
// stages at run time; here they get every check, including the sandbox.
func TestBuiltinPoliciesPassEveryCheck(t *testing.T) {
	mods, err := readModules(policies.FS, Options{Root: "policies"})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*ast.Module{}
	for _, m := range mods {
		byName[m.origin] = m.mod
	}
	if len(byName) < 10 {
		t.Fatalf("%d built-in modules, want them all", len(byName))
	}
	if _, err := compile(byName, nil); err != nil {
		t.Fatal(err)
	}
	// This test is where such errors are caught: a type error passes the
	// run-time compilation and fails the full one.
	bad, err := parseModule("policies/rules/x/bad.rego", []byte("package armlint.rules.x.bad\n\nfindings contains f if { f := 1 + \"a\" }\n"), false)
	if err != nil {
		t.Fatal(err)
	}
	byName["policies/rules/x/bad.rego"] = bad
	if _, err := compile(byName, checkOnlyStages); err != nil {
		t.Errorf("run-time compilation: %v, want none (the type check is skipped)", err)
	}
	if _, err := compile(byName, nil); err == nil || !strings.Contains(err.Error(), "type") {
		t.Errorf("full compilation: error %v, want a type error", err)
	}
}

// The built-in policies are compiled without builtinNoOpStages at run
// time: compiled with every stage, they must come out the same.
func TestBuiltinNoOpStagesChangeNothing(t *testing.T) {
	srcs, err := readSources(policies.FS, Options{Root: "policies"})
	if err != nil {
		t.Fatal(err)
	}
	mods, err := parseSources(srcs, false) // as in the background
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*ast.Module{}
	for _, m := range mods {
		byName[m.origin] = m.mod
	}
	if got := skippedStages(policies.FS, Options{}); !reflect.DeepEqual(got, embeddedSkippedStages) {
		t.Fatalf("the embedded policies are compiled without %v, want %v", got, embeddedSkippedStages)
	}
	full, err := compile(byName, nil)
	if err != nil {
		t.Fatal(err)
	}
	run, err := compile(byName, embeddedSkippedStages)
	if err != nil {
		t.Fatal(err)
	}
	want, got := compiledText(full), compiledText(run)
	if got != want {
		t.Errorf("the built-in policies compiled without %v differ from their full compilation:\n got: %s\nwant: %s", builtinNoOpStages, got, want)
	}

	// The comparison sees a body that needs reordering.
	bad, err := parseModule("policies/rules/x/bad.rego", []byte("package armlint.rules.x.bad\n\nfindings contains f if {\n\tf = x + 1\n\tx = 1\n}\n"), false)
	if err != nil {
		t.Fatal(err)
	}
	byName["policies/rules/x/bad.rego"] = bad
	full, err = compile(byName, nil)
	if err != nil {
		t.Fatal(err)
	}
	run, err = compile(byName, embeddedSkippedStages)
	if err != nil {
		t.Fatal(err)
	}
	if compiledText(full) == compiledText(run) {
		t.Error("a body that needs reordering compiles the same without CheckSafetyRuleBodies")
	}
}

// compiledText is the compiled modules of c as text, with the index of
// every expression, in module order.
func compiledText(c *ast.Compiler) string {
	var b strings.Builder
	for _, name := range slices.Sorted(maps.Keys(c.Modules)) {
		m := c.Modules[name]
		b.WriteString(name + "\n" + m.String() + "\n")
		ast.WalkBodies(m, func(body ast.Body) bool {
			for _, e := range body {
				fmt.Fprintf(&b, "%d ", e.Index)
			}
			b.WriteString("\n")
			return false
		})
	}
	return b.String()
}

func TestHeaderLength(t *testing.T) {
	for _, c := range []struct {
		src  string
		want int
	}{
		{"package a.b\n\nx := 1\n", len("package a.b\n")},
		{"# METADATA\n# title: T\npackage a.b\nx := 1\n", len("# METADATA\n# title: T\npackage a.b\n")},
		{"# package in a comment\npackage a\n", len("# package in a comment\npackage a\n")},
		{"# comment\npackage a", len("# comment\npackage a")},
		{"x := 1\n", -1},
		{"", -1},
	} {
		if got := headerLength([]byte(c.src)); got != c.want {
			t.Errorf("headerLength(%q) = %d, want %d", c.src, got, c.want)
		}
	}
}

// The embedded policies are loaded from their headers; the modules parsed
// in the background must define the rule packages the headers announce.
func TestParseHeadersAndAnnounced(t *testing.T) {
	if !embedded(policies.FS) || embedded(fstest.MapFS{}) || embedded(nil) {
		t.Fatal("embedded does not recognise policies.FS alone")
	}
	srcs, err := readSources(policies.FS, Options{Root: "policies"})
	if err != nil {
		t.Fatal(err)
	}
	headers, ok, err := parseHeaders(srcs)
	if err != nil || !ok {
		t.Fatalf("parseHeaders: %v, %v", ok, err)
	}
	for _, m := range headers {
		if len(m.mod.Rules) != 0 {
			t.Errorf("%s: the header has %d rules", m.origin, len(m.mod.Rules))
		}
	}
	mods, err := readModules(policies.FS, Options{Root: "policies"})
	if err != nil {
		t.Fatal(err)
	}
	announced, parsed := rulePackages(headers, true), rulePackages(mods, false)
	if len(announced) != len(parsed) || len(parsed) < 10 {
		t.Fatalf("%d rule packages announced, %d parsed", len(announced), len(parsed))
	}
	byName, err := parseAnnounced(srcs, announced)
	if err != nil || len(byName) != len(srcs) {
		t.Fatalf("parseAnnounced: %d modules, %v", len(byName), err)
	}

	// A module of a rule package without findings is refused.
	lib := source{origin: "policies/rules/x/helper.rego", src: []byte("package armlint.rules.x.helper\n\nx := 1\n")}
	withLib := append(slices.Clone(srcs), lib)
	headers, ok, err = parseHeaders(withLib)
	if err != nil || !ok {
		t.Fatalf("parseHeaders: %v, %v", ok, err)
	}
	if _, err := parseAnnounced(withLib, rulePackages(headers, true)); err == nil {
		t.Error("parseAnnounced accepted a rule package without findings")
	}

	// A source without a package line has no header.
	if _, ok, _ := parseHeaders([]source{{origin: "x.rego", src: []byte("x := 1\n")}}); ok {
		t.Error("parseHeaders found a header without a package line")
	}
}
