package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// graphFixtures are the templates of testdata/graph, repository-relative.
var graphFixtures = []string{"vm-system", "uai-shared", "symbolic"}

func graphFixture(name string) string { return filepath.Join("testdata", "graph", name+".json") }

// runGraphCmd runs armlint graph from the repository root.
func runGraphCmd(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Run(append([]string{"graph"}, args...), strings.NewReader(""), &stdout, &stderr)
	return stdout.String(), stderr.String(), code
}

// TestGraphGolden compares json, dot and mermaid output of each fixture
// with testdata/graph/<fixture>.<format>.golden (-update rewrites them).
func TestGraphGolden(t *testing.T) {
	t.Chdir(repoRoot)
	for _, name := range graphFixtures {
		for _, f := range []string{"json", "dot", "mermaid"} {
			t.Run(name+"/"+f, func(t *testing.T) {
				out, errOut, code := runGraphCmd(t, "--format", f, graphFixture(name))
				if code != exitOK || errOut != "" {
					t.Fatalf("exit %d, stderr %q", code, errOut)
				}
				golden(t, filepath.Join("testdata", "graph", name+"."+f+".golden"), []byte(out))
			})
		}
	}
}

// TestGraphJSONDocument checks the wrapper of the JSON output and that
// unknowns are {"$unknown": ...}.
func TestGraphJSONDocument(t *testing.T) {
	t.Chdir(repoRoot)
	args := []string{}
	for _, name := range graphFixtures {
		args = append(args, graphFixture(name))
	}
	out, errOut, code := runGraphCmd(t, args...)
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var doc struct {
		Version   int `json:"version"`
		Templates []struct {
			File     string                     `json:"file"`
			Template map[string]json.RawMessage `json:"template"`
			Graph    struct {
				Principals  []map[string]any `json:"principals"`
				Assignments []map[string]any `json:"assignments"`
			} `json:"graph"`
		} `json:"templates"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != 1 || len(doc.Templates) != len(graphFixtures) {
		t.Fatalf("version %d, %d templates", doc.Version, len(doc.Templates))
	}
	for i, name := range graphFixtures {
		if got, want := doc.Templates[i].File, filepath.ToSlash(graphFixture(name)); got != want {
			t.Errorf("templates[%d].file = %q, want %q", i, got, want)
		}
		if _, ok := doc.Templates[i].Template["resources"]; !ok {
			t.Errorf("templates[%d].template has no resources", i)
		}
	}
	if !strings.Contains(out, `"$unknown": "parameters('externalIdentityName')"`) &&
		!strings.Contains(out, `"$unknown": "resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', parameters('externalIdentityName'))"`) {
		t.Error("no unknown value in the output of uai-shared.json")
	}
}

// TestGraphDotRenders feeds the dot output to Graphviz. Without dot the
// test is skipped, except in CI (CI=true), where graphviz must be
// installed.
func TestGraphDotRenders(t *testing.T) {
	dot, err := exec.LookPath("dot")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("Graphviz dot is not installed (CI must install the graphviz package)")
		}
		t.Skip("Graphviz dot is not installed")
	}
	t.Chdir(repoRoot)
	cases := map[string][]string{"all": nil}
	for _, name := range graphFixtures {
		cases[name] = []string{graphFixture(name)}
		cases["all"] = append(cases["all"], graphFixture(name))
	}
	if p := filepath.Join("..", "shared", "corpus", "quickstart", "quickstarts", "microsoft.compute", "vm-msi", "azuredeploy.json"); fileExists(p) {
		cases["vm-msi"] = []string{p}
	}
	for name, paths := range cases {
		t.Run(name, func(t *testing.T) {
			out, errOut, code := runGraphCmd(t, append([]string{"-f", "dot"}, paths...)...)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			cmd := exec.Command(dot, "-Tsvg")
			cmd.Stdin = strings.NewReader(out)
			var svg, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &svg, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("dot -Tsvg: %v\n%s\ninput:\n%s", err, stderr.String(), out)
			}
			if stderr.Len() > 0 {
				t.Errorf("dot warns: %s", stderr.String())
			}
			if !bytes.Contains(svg.Bytes(), []byte("<svg")) {
				t.Error("dot produced no SVG")
			}
		})
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// TestGraphStats checks the evaluation report over the fixtures, exactly.
func TestGraphStats(t *testing.T) {
	t.Chdir(repoRoot)
	out, errOut, code := runGraphCmd(t, "--stats", "--format", "json", filepath.Join("testdata", "graph"))
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	want := `{
  "templates": 3,
  "invalid_templates": 0,
  "resources": {"total": 17, "deployed": 14, "not_deployed": 1, "maybe": 2},
  "identities": {
    "system_assigned": 4, "system_assigned_maybe": 0, "user_assigned": 2,
    "user_assigned_refs": 4, "user_assigned_refs_resolved": 2,
    "user_assigned_refs_external": 1, "user_assigned_refs_unresolved": 1
  },
  "role_assignments": {
    "total": 8, "known_principal": 7,
    "principal_kinds": {"system_assigned": 4, "user_assigned": 2, "resource_managed": 0, "parameter": 1, "literal": 0, "deployer": 0, "unknown": 1},
    "known_role": 8, "known_scope": 8, "known_scope_target": 8, "fully_known": 7, "privileged": 3
  },
  "unknown_causes": [
    {"cause": "reference() of a resource whose ID is unknown", "count": 1, "principal": 1, "role": 0, "scope": 0,
     "example": "reference(resourceId('userAssignedIdentities', parameters('externalIdentityName'))).principalId"}
  ]
}`
	var wantDoc map[string]any
	if err := json.Unmarshal([]byte(want), &wantDoc); err != nil {
		t.Fatal(err)
	}
	g, _ := json.MarshalIndent(got, "", "  ")
	w, _ := json.MarshalIndent(wantDoc, "", "  ")
	if !bytes.Equal(g, w) {
		t.Errorf("stats =\n%s\nwant\n%s", g, w)
	}

	text, _, code := runGraphCmd(t, "--stats", filepath.Join("testdata", "graph"))
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	golden(t, filepath.Join("testdata", "graph", "stats.txt.golden"), []byte(text))
}

func TestGraphOutputFile(t *testing.T) {
	t.Chdir(repoRoot)
	out := filepath.Join(t.TempDir(), "sub", "g.dot")
	stdout, errOut, code := runGraphCmd(t, "-f", "dot", "-o", out, graphFixture("vm-system"))
	if code != exitOK || stdout != "" || errOut != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, errOut)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("digraph armlint {")) {
		t.Errorf("%s is not a dot file:\n%s", out, data)
	}
}

func TestGraphUsageErrors(t *testing.T) {
	t.Chdir(repoRoot)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "no path given"},
		{[]string{"-f", "svg", graphFixture("vm-system")}, `unknown format "svg"`},
		{[]string{"--stats", "-f", "dot", graphFixture("vm-system")}, `unknown format "dot"`},
		{[]string{"--parameters", "nope", graphFixture("vm-system")}, "not NAME=VALUE"},
		{[]string{"testdata/graph/missing.json"}, "missing.json"},
	} {
		_, errOut, code := runGraphCmd(t, tc.args...)
		if code != exitError || !strings.Contains(errOut, tc.want) {
			t.Errorf("graph %v: exit %d, stderr %q; want exit 2 and %q", tc.args, code, errOut, tc.want)
		}
	}
}

// TestGraphParameters checks that --parameters and the deployment context
// flags reach the evaluator.
func TestGraphParameters(t *testing.T) {
	t.Chdir(repoRoot)
	out, errOut, code := runGraphCmd(t, "-f", "mermaid", "--parameters", "externalIdentityName=id-ext",
		"--resource-group", "rg-orders", graphFixture("uai-shared"))
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, want := range []string{"id-ext", "resource group<br>rg-orders"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "principal?") {
		t.Errorf("the principal is still unknown with the parameter given:\n%s", out)
	}
}
