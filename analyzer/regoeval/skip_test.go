package regoeval

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/armlint/armlint/analyzer"
	"github.com/armlint/armlint/policies"
)

// TestSkippedFilesHaveNoFindings checks what the shortcuts of the
// built-in policies rest on: evaluated on every file with the complete
// input, they find nothing in the files that relevant says they can skip,
// nothing in the files without any of the facts they start from
// (custom.starts_from, see facts), and nothing else than with the input
// trimmed to what they read (buildInputFor). It runs every built-in policy
// over the rule fixtures, the examples and the quickstart corpus (when
// present), once with the shortcuts and once without, and compares the
// findings.
func TestSkippedFilesHaveNoFindings(t *testing.T) {
	paths := []string{"../../testdata"}
	corpus := filepath.Join("..", "..", "..", "shared", "corpus", "quickstart")
	if _, err := os.Stat(corpus); err == nil {
		paths = append(paths, corpus)
	} else {
		t.Logf("the quickstart corpus is not available (%v); it lives in ../shared beside the repository: checking the repository's templates only", err)
	}
	run := func(complete bool) (res *analyzer.Result, skippable, partly int) {
		t.Helper()
		rules, err := Load(policies.FS, Options{Root: "policies", Complete: complete})
		if err != nil {
			t.Fatal(err)
		}
		EvaluateTogether(rules)
		reg, err := analyzer.NewRegistry(append(analyzer.DiagnosticRules(), rules...)...)
		if err != nil {
			t.Fatal(err)
		}
		res, err = analyzer.Run(context.Background(), paths, analyzer.Options{Rules: rules, Registry: reg, KeepGraphs: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Errors) > 0 {
			t.Fatalf("errors: %v", res.Errors)
		}
		for _, g := range res.Graphs {
			switch {
			case g == nil:
			case !relevant(g):
				skippable++
			case factsOf(g)&factRoleAssignments == 0:
				partly++ // the policies that start from role assignments are skipped
			}
		}
		return res, skippable, partly
	}
	all, skippable, partly := run(true)
	skipping, _, _ := run(false)
	if skippable == 0 || skippable == len(all.Graphs) {
		t.Fatalf("%d of %d graphs are skippable: the comparison says nothing", skippable, len(all.Graphs))
	}
	if partly == 0 {
		t.Fatal("no relevant graph without role assignments: the comparison says nothing of custom.starts_from")
	}
	if len(all.Findings) == 0 {
		t.Fatal("no findings at all: the comparison says nothing")
	}
	t.Logf("%d of %d templates skipped, %d without role assignments; %d findings", skippable, len(all.Graphs), partly, len(all.Findings))
	if !reflect.DeepEqual(all.Findings, skipping.Findings) {
		want := map[string]bool{}
		for _, f := range skipping.Findings {
			want[key(f)] = true
		}
		for _, f := range all.Findings {
			if k := key(f); !want[k] {
				t.Errorf("only without the shortcuts: %s", k)
			}
		}
		t.Fatalf("the shortcuts change the findings: %d without, %d with", len(all.Findings), len(skipping.Findings))
	}
}

func key(f analyzer.Finding) string {
	return fmt.Sprintf("%s:%d:%d %s %s", f.Location.File, f.Location.Start.Line, f.Location.Start.Col, f.RuleID, f.Message)
}
