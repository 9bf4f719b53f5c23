package rules_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/armlint/armlint/analyzer"
	"github.com/armlint/armlint/analyzer/analyzertest"
	"github.com/armlint/armlint/analyzer/format"
	"github.com/armlint/armlint/analyzer/regoeval"
	"github.com/armlint/armlint/policies"
	"github.com/armlint/armlint/rules"
)

var update = flag.Bool("update", false, "rewrite rules/README.md")

const testdataDir = "../testdata/rules"

// allRules returns the built-in Go and Rego rules and a registry of them
// with the tool diagnostics.
func allRules(t *testing.T) ([]*analyzer.Rule, *analyzer.Registry) {
	t.Helper()
	rego, err := regoeval.Load(policies.FS, regoeval.Options{Root: "policies"})
	if err != nil {
		t.Fatalf("loading policies: %v", err)
	}
	checks := append(rules.All(), rego...)
	reg, err := analyzer.NewRegistry(append(analyzer.DiagnosticRules(), checks...)...)
	if err != nil {
		t.Fatalf("registry: %v", err)
	}
	return checks, reg
}

// TestFixtures runs every rule over its fixtures in testdata/rules/<ID>.
func TestFixtures(t *testing.T) {
	checks, reg := allRules(t)
	for _, r := range checks {
		t.Run(r.ID, func(t *testing.T) {
			analyzertest.Run(t, filepath.Join(testdataDir, r.ID), reg, r)
		})
	}
	// Tool diagnostics run in every pass; their fixtures run with no rule.
	for _, r := range analyzer.DiagnosticRules() {
		dir := filepath.Join(testdataDir, r.ID)
		if _, err := os.Stat(dir); err != nil {
			continue
		}
		t.Run(r.ID, func(t *testing.T) { analyzertest.Run(t, dir, reg) })
	}
}

// TestEveryRuleHasFixtures fails when a check lacks a fixture directory
// with bad_, good_ and unknown_ fixtures, or a directory has no rule.
func TestEveryRuleHasFixtures(t *testing.T) {
	checks, reg := allRules(t)
	for _, r := range checks {
		entries, err := os.ReadDir(filepath.Join(testdataDir, r.ID))
		if err != nil {
			t.Errorf("rule %s (%s) has no fixtures: %v", r.ID, r.Name, err)
			continue
		}
		have := map[string]int{}
		for _, e := range entries {
			for _, k := range []string{"bad_", "good_", "unknown_"} {
				if strings.HasPrefix(e.Name(), k) && strings.HasSuffix(e.Name(), ".json") &&
					!strings.HasSuffix(e.Name(), ".parameters.json") {
					have[k]++
				}
			}
		}
		for _, k := range []string{"bad_", "good_", "unknown_"} {
			if have[k] == 0 {
				t.Errorf("rule %s (%s): no %s*.json fixture in %s", r.ID, r.Name, k, filepath.Join(testdataDir, r.ID))
			}
		}
	}
	dirs, err := os.ReadDir(testdataDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if _, ok := reg.Lookup(d.Name()); !ok || !d.IsDir() {
			t.Errorf("%s: no rule with ID %s", filepath.Join(testdataDir, d.Name()), d.Name())
		}
	}
}

// TestRuleDocs checks that every rule explains why and how to fix.
func TestRuleDocs(t *testing.T) {
	_, reg := allRules(t)
	for _, r := range reg.Rules() {
		if !strings.Contains(r.Description, "**Fix:**") {
			t.Errorf("rule %s (%s): description has no **Fix:** section", r.ID, r.Name)
		}
		if strings.HasSuffix(r.Title, ".") || len(r.Title) > 60 {
			t.Errorf("rule %s: title %q must be under 60 characters without a final period", r.ID, r.Title)
		}
		if r.ID >= "AL1000" && !hasTag(r, "security") {
			t.Errorf("rule %s: identity and RBAC rules carry the security tag (GitHub code scanning)", r.ID)
		}
	}
}

func hasTag(r *analyzer.Rule, tag string) bool {
	for _, t := range r.Tags {
		if t == tag {
			return true
		}
	}
	return false
}

// TestReadmeUpToDate fails when rules/README.md or the rule pages in
// docs/rules differ from what the metadata generates; `go test ./rules
// -update` rewrites them (as `make generate` does).
func TestReadmeUpToDate(t *testing.T) {
	_, reg := allRules(t)
	var buf bytes.Buffer
	if err := format.RulesMarkdown(&buf, reg.Rules()); err != nil {
		t.Fatal(err)
	}
	const pagesDir = "../docs/rules"
	pages := format.RulePages(reg.Rules())
	if *update {
		if err := os.WriteFile("README.md", buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(pagesDir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, data := range pages {
			if err := os.WriteFile(filepath.Join(pagesDir, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	got, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatalf("rules/README.md: %v (generate it with `make generate`)", err)
	}
	if !bytes.Equal(got, buf.Bytes()) {
		t.Errorf("rules/README.md is stale: run `make generate` (or go test ./rules -update)")
	}
	for name, want := range pages {
		got, err := os.ReadFile(filepath.Join(pagesDir, name))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("docs/rules/%s is missing or stale: run `make generate` (or go test ./rules -update)", name)
		}
	}
	entries, err := os.ReadDir(pagesDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if _, ok := pages[e.Name()]; !ok {
			t.Errorf("docs/rules/%s is not a page of a rule: remove it (`make generate` removes generated ones)", e.Name())
		}
	}
}
