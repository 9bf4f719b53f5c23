package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestCorpus runs the whole pipeline, every rule on, over the quickstart
// corpus: every template and parameter file must load, nothing may panic
// and no template may be reported invalid (AL0001). Every template in the
// corpus was deployed by its authors.
func TestCorpus(t *testing.T) {
	corpus := filepath.Join(repoRoot, "..", "shared", "corpus", "quickstart")
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("the quickstart corpus is not available (%v); it lives in ../shared beside the repository", err)
	}
	var stdout, stderr bytes.Buffer
	code := Run([]string{"-f", "json", corpus}, nil, &stdout, &stderr)
	if code != exitOK && code != exitFindings {
		t.Fatalf("exit code %d; stderr:\n%s", code, stderr.String())
	}
	if stderr.Len() > 0 {
		t.Errorf("stderr:\n%s", stderr.String())
	}
	var out struct {
		Findings []struct {
			RuleID  string `json:"rule_id"`
			File    string `json:"file"`
			Message string `json:"message"`
		} `json:"findings"`
		Stats struct {
			Templates, Parameters, Skipped int
		} `json:"stats"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatal(err)
	}
	if out.Stats.Templates != 1922 || out.Stats.Parameters != 1479 || out.Stats.Skipped != 0 {
		t.Errorf("loaded %d templates, %d parameter files, skipped %d; want 1922, 1479, 0",
			out.Stats.Templates, out.Stats.Parameters, out.Stats.Skipped)
	}
	perRule := map[string]int{}
	for _, f := range out.Findings {
		perRule[f.RuleID]++
		if f.RuleID == "AL0001" {
			t.Errorf("%s: AL0001 %s", f.File, f.Message)
		}
	}
	t.Logf("findings per rule: %v", perRule)
}
