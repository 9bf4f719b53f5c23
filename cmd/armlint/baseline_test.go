package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// copyExamples copies testdata/examples into a temporary directory, makes
// it the working directory and returns it.
func copyExamples(t *testing.T) string {
	t.Helper()
	src, err := filepath.Abs(filepath.Join(repoRoot, "testdata", "examples"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "infra"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "infra", e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	return dir
}

// editFile replaces old by new in path, failing when old is absent.
func editFile(t *testing.T, path, old, repl string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), old) {
		t.Fatalf("%s does not contain %q", path, old)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(data), old, repl, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}

func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var o, e bytes.Buffer
	code = Run(args, strings.NewReader(""), &o, &e)
	return o.String(), e.String(), code
}

// TestBaseline is the adoption story: record the findings of a repository,
// keep them hidden through unrelated edits, report only new ones, and
// report and drop entries whose finding is gone.
func TestBaseline(t *testing.T) {
	copyExamples(t)
	const base = "armlint-baseline.json"

	// Write the baseline: every finding is recorded, and so hidden.
	before, _, _ := runCLI(t, "-f", "compact", "infra")
	nFindings := strings.Count(before, "\n")
	out, errOut, code := runCLI(t, "-f", "compact", "--write-baseline", base, "infra")
	if code != exitOK || out != "" || errOut != "" {
		t.Fatalf("--write-baseline: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	var doc struct {
		Version  int
		Findings []struct{ Rule, File, Fingerprint string }
	}
	data, err := os.ReadFile(base)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Version != 1 || len(doc.Findings) != nFindings || nFindings < 3 {
		t.Fatalf("baseline has %d findings (version %d), want the %d of the examples:\n%s", len(doc.Findings), doc.Version, nFindings, data)
	}
	// Without the baseline the findings are there.
	if _, _, code := runCLI(t, "-f", "compact", "infra"); code != exitFindings {
		t.Fatalf("without --baseline: exit %d, want 1", code)
	}

	// Unrelated edits above the finding: comment lines, and a resource
	// inserted before the role assignment (its array index moves).
	editFile(t, "infra/vm-owner.json", `  "resources": [
    {`, `  // Build agents.
  // They deploy into this resource group.

  "resources": [
    {
      "type": "Microsoft.Network/publicIPAddresses",
      "apiVersion": "2023-04-01",
      "name": "pip-build",
      "location": "[parameters('location')]"
    },
    {`)
	out, errOut, code = runCLI(t, "-f", "compact", "--baseline", base, "infra")
	if code != exitOK || out != "" || errOut != "" {
		t.Fatalf("after moving lines: exit %d, stdout %q, stderr %q", code, out, errOut)
	}

	// A new problem: the storage reader becomes an Owner. Only it is reported.
	editFile(t, "infra/storage-reader.json", "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635")
	out, _, code = runCLI(t, "-f", "compact", "--baseline", base, "infra")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != exitFindings || !strings.Contains(out, "AL1201 privileged-role-to-identity") {
		t.Fatalf("new problem: exit %d, want 1 and an AL1201 finding in storage-reader.json:\n%s", code, out)
	}
	for _, l := range lines {
		if !strings.HasPrefix(l, "infra/storage-reader.json:") {
			t.Errorf("a baselined finding is reported again: %s", l)
		}
	}

	// SARIF keeps the baselined findings, as externally suppressed.
	if _, _, code := runCLI(t, "-f", "sarif=out.sarif", "--baseline", base, "infra"); code != exitFindings {
		t.Fatalf("sarif run: exit %d", code)
	}
	sarif, err := os.ReadFile("out.sarif")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(sarif), `"justification": "baseline"`); n != nFindings {
		t.Errorf("SARIF has %d results suppressed by the baseline, want %d", n, nFindings)
	}
	if n := strings.Count(string(sarif), `"kind": "external"`); n != nFindings {
		t.Errorf("SARIF has %d external suppressions, want %d", n, nFindings)
	}

	// A problem goes away: its entry is stale, reported but not failing.
	editFile(t, "infra/policy-remediation.json", "b24988ac-6180-42a0-ab88-20f7382dd24c", "acdd72a7-3385-48ef-bd42-f606fba81ae7")
	editFile(t, "infra/storage-reader.json", "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1")
	// The edit may raise other findings in the edited file (new, so
	// reported), but not the fixed one, and nothing elsewhere.
	out, errOut, code = runCLI(t, "-f", "compact", "--baseline", base, "infra")
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if l != "" && (!strings.HasPrefix(l, "infra/policy-remediation.json:") || strings.Contains(l, "AL1201")) {
			t.Errorf("after a fix: unexpected finding (exit %d): %s", code, l)
		}
	}
	stale := regexp.MustCompile(`^armlint: baseline armlint-baseline.json: [1-9][0-9]* (entry matches|entries match) no finding ` +
		`\(fixed or changed\); update it with --write-baseline armlint-baseline.json\n$`)
	if !stale.MatchString(errOut) {
		t.Errorf("stale report: got %q, want one line matching %s", errOut, stale)
	}

	// Rewriting drops the stale entry.
	if _, errOut, code := runCLI(t, "-f", "compact", "--baseline", base, "--write-baseline", base, "infra"); code != exitOK {
		t.Fatalf("rewrite: exit %d, stderr %q", code, errOut)
	}
	data, _ = os.ReadFile(base)
	if strings.Contains(string(data), "AL1201\",\n      \"file\": \"infra/policy-remediation.json") ||
		!strings.Contains(string(data), "infra/vm-owner.json") || !strings.Contains(string(data), "infra/app-identity.json") {
		t.Errorf("rewritten baseline still has the stale entry or lost others:\n%s", data)
	}
	if _, errOut, code := runCLI(t, "-f", "compact", "--baseline", base, "infra"); code != exitOK || errOut != "" {
		t.Errorf("after rewrite: exit %d, stderr %q", code, errOut)
	}

	// Linting one file (as pre-commit does) leaves the other files'
	// entries alone: they are neither stale nor dropped.
	if _, errOut, code := runCLI(t, "--baseline", base, "--write-baseline", base, "infra/vm-owner.json"); code != exitOK || errOut != "" {
		t.Fatalf("one file: exit %d, stderr %q", code, errOut)
	}
	if again, _ := os.ReadFile(base); !bytes.Equal(again, data) {
		t.Errorf("rewriting from one file changed the baseline:\n%s\nwas\n%s", again, data)
	}
}

// TestBaselineErrors covers the usage errors of the baseline flags.
func TestBaselineErrors(t *testing.T) {
	copyExamples(t)
	if _, errOut, code := runCLI(t, "--baseline", "missing.json", "infra"); code != exitError || !strings.Contains(errOut, "--baseline") {
		t.Errorf("missing baseline: exit %d, stderr %q", code, errOut)
	}
	if err := os.WriteFile("bad.json", []byte(`{"version": 1, "rules": []}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errOut, code := runCLI(t, "--baseline", "bad.json", "infra"); code != exitError || !strings.Contains(errOut, "not a baseline file") {
		t.Errorf("bad baseline: exit %d, stderr %q", code, errOut)
	}
	// The same missing file for both flags is an empty baseline.
	if _, errOut, code := runCLI(t, "--baseline", "new.json", "--write-baseline", "new.json", "infra"); code != exitOK {
		t.Errorf("new baseline: exit %d, stderr %q", code, errOut)
	}
}
