package format

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/armlint/armlint/analyzer"
	"github.com/armlint/armlint/analyzer/regoeval"
	"github.com/armlint/armlint/policies"
	"github.com/armlint/armlint/rules"
)

// realRun runs the whole pipeline, with the built-in Go rules and Rego
// policies, over testdata/examples from the repository root, so that paths
// are relative as they are in CI.
func realRun(t *testing.T) *analyzer.Result {
	t.Helper()
	t.Chdir(repoRoot(t))
	rego, err := regoeval.Load(policies.FS, regoeval.Options{Root: "policies"})
	if err != nil {
		t.Fatal(err)
	}
	checks := append(rules.All(), rego...)
	reg, err := analyzer.NewRegistry(append(analyzer.DiagnosticRules(), checks...)...)
	if err != nil {
		t.Fatal(err)
	}
	res, err := analyzer.Run(context.Background(), []string{"testdata/examples"}, analyzer.Options{Rules: checks, Registry: reg, Jobs: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) == 0 {
		t.Fatal("no findings over testdata/examples: the test would check nothing")
	}
	return res
}

// TestSARIFForGitHub checks the SARIF of a real run against what GitHub
// code scanning requires (shared/reference/arm-semantics.md §8): a valid
// SARIF 2.1.0 log, primaryLocationLineHash on every result, a string
// security-severity in (0, 10] on every security rule, relative artifact
// URIs, and at most 25,000 results.
func TestSARIFForGitHub(t *testing.T) {
	res := realRun(t)
	var buf bytes.Buffer
	if err := (sarifFormatter{}).Format(&buf, res, Options{ToolVersion: "1.2.3", WorkDir: "/home/runner/work/infra/infra"}); err != nil {
		t.Fatal(err)
	}
	out := buf.Bytes()

	t.Run("schema", func(t *testing.T) { validateSARIF(t, out) })

	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID         string
						Properties map[string]any
					}
				}
			}
			Results []struct {
				RuleID              string
				Level               string
				PartialFingerprints map[string]string
				Locations           []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI       string
							URIBaseID string `json:"uriBaseId"`
						}
					}
				}
				RelatedLocations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(out, &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(log.Runs))
	}
	run := log.Runs[0]

	if n := len(run.Results); n == 0 || n > 25000 || n != len(res.Findings) {
		t.Errorf("%d results for %d findings; want all of them, at most 25,000", n, len(res.Findings))
	}

	security := 0
	for _, r := range run.Tool.Driver.Rules {
		tags, _ := r.Properties["tags"].([]any)
		tagged := false
		for _, tag := range tags {
			tagged = tagged || tag == "security"
		}
		v, has := r.Properties["security-severity"]
		if !tagged {
			if has {
				t.Errorf("rule %s has security-severity but no security tag", r.ID)
			}
			continue
		}
		security++
		s, isString := v.(string)
		if !isString {
			t.Errorf("rule %s: security-severity %v is %T, want a string", r.ID, v, v)
			continue
		}
		score, err := strconv.ParseFloat(s, 64)
		if err != nil || score <= 0 || score > 10 {
			t.Errorf("rule %s: security-severity %q is not a score in (0, 10]", r.ID, s)
		}
	}
	if security == 0 {
		t.Error("no rule is tagged security: the security-severity check checked nothing")
	}

	lineHash := regexp.MustCompile(`^[0-9a-f]+:[1-9][0-9]*$`)
	relative := func(uri string) bool {
		return uri != "" && !strings.HasPrefix(uri, "/") && !regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`).MatchString(uri)
	}
	levels, withRelated := map[string]bool{}, 0
	for _, r := range run.Results {
		levels[r.Level] = true
		if len(r.RelatedLocations) > 0 {
			withRelated++
		}
	}
	for _, l := range []string{"error", "warning", "note"} {
		if !levels[l] {
			t.Errorf("no %s result: the examples should have findings of every severity", l)
		}
	}
	if withRelated == 0 {
		t.Error("no result carries relatedLocations")
	}
	for i, r := range run.Results {
		if h := r.PartialFingerprints["primaryLocationLineHash"]; !lineHash.MatchString(h) {
			t.Errorf("result %d (%s): primaryLocationLineHash %q is not <hex>:<n>", i, r.RuleID, h)
		}
		if len(r.Locations) != 1 {
			t.Errorf("result %d: %d locations, want 1", i, len(r.Locations))
			continue
		}
		al := r.Locations[0].PhysicalLocation.ArtifactLocation
		if !relative(al.URI) || al.URIBaseID != "%SRCROOT%" {
			t.Errorf("result %d: artifact URI %q (base %q) is not relative to %%SRCROOT%%", i, al.URI, al.URIBaseID)
		}
		for _, rel := range r.RelatedLocations {
			if u := rel.PhysicalLocation.ArtifactLocation.URI; !relative(u) {
				t.Errorf("result %d: related artifact URI %q is not relative", i, u)
			}
		}
	}
}
