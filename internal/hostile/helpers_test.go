// Package hostile holds the tests that feed armlint broken and hostile
// input end to end, with every built-in rule (Go and Rego) on: the
// pipeline fuzz target, the mutation sweep over the quickstart corpus and
// the limit tests. It is a test-only package so that it can import both
// the engine and the rules.
package hostile

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/armlint/armlint/analyzer"
	"github.com/armlint/armlint/analyzer/regoeval"
	"github.com/armlint/armlint/policies"
	"github.com/armlint/armlint/rules"
)

// corpusDir is the quickstart corpus, beside the repository.
var corpusDir = filepath.Join("..", "..", "..", "shared", "corpus", "quickstart")

// testdataDir is the repository's testdata.
var testdataDir = filepath.Join("..", "..", "testdata")

var (
	allOnce  sync.Once
	allRules []*analyzer.Rule
	allReg   *analyzer.Registry
	allErr   error
)

// builtinRules returns every built-in rule, Go and Rego, and a registry of
// them; they are loaded once per test binary.
func builtinRules(t testing.TB) ([]*analyzer.Rule, *analyzer.Registry) {
	t.Helper()
	allOnce.Do(func() {
		rego, err := regoeval.Load(policies.FS, regoeval.Options{Root: "policies"})
		if err != nil {
			allErr = err
			return
		}
		allRules = append(rules.All(), rego...)
		allReg, allErr = analyzer.NewRegistry(append(analyzer.DiagnosticRules(), allRules...)...)
	})
	if allErr != nil {
		t.Fatal(allErr)
	}
	return allRules, allReg
}

// options returns run options with every built-in rule on, one job.
func options(t testing.TB) analyzer.Options {
	rs, reg := builtinRules(t)
	return analyzer.Options{Rules: rs, Registry: reg, Jobs: 1, SkipNonTemplates: true}
}

// watchdog is how long one input may take before it counts as a hang. It
// is not a speed assertion: inputs take milliseconds, and only work that
// nothing bounds runs this long.
const watchdog = 60 * time.Second

// outcome is what one pipeline run on one input produced.
type outcome struct {
	res   *analyzer.Result
	err   error
	panic any
	stack string
}

// runBytes runs the whole pipeline on data given as standard input (named
// name, "" for "-") in a goroutine, and reports a hang instead of blocking
// for ever: hung is true when the run did not end within limit.
func runBytes(t testing.TB, name string, data []byte, limit time.Duration) (out outcome, hung bool) {
	opts := options(t)
	opts.Stdin = bytes.NewReader(data)
	opts.StdinFilename = name
	done := make(chan outcome, 1)
	go func() {
		var o outcome
		defer func() {
			if p := recover(); p != nil {
				buf := make([]byte, 64<<10)
				o.panic, o.stack = p, string(buf[:runtime.Stack(buf, false)])
			}
			done <- o
		}()
		o.res, o.err = analyzer.Run(context.Background(), []string{"-"}, opts)
	}()
	select {
	case o := <-done:
		return o, false
	case <-time.After(limit):
		return outcome{}, true
	}
}

// positionProblem returns a description of the first finding whose
// location is not inside its file, or "".
func positionProblem(res *analyzer.Result) string {
	srcLen := map[string]int{}
	for _, f := range res.Files {
		srcLen[f.Path] = len(f.Src)
	}
	for _, f := range res.Findings {
		for _, p := range []analyzer.Pos{f.Location.Start, f.Location.End} {
			n, ok := srcLen[f.Location.File]
			if p.Line < 1 || p.Col < 1 || p.Offset < 0 || ok && p.Offset > n {
				return fmt.Sprintf("%s %s at %d:%d (offset %d of %d): %s", f.RuleID, f.Location.File, p.Line, p.Col, p.Offset, n, f.Message)
			}
		}
	}
	return ""
}

// hasRule reports whether res has a finding of rule id.
func hasRule(res *analyzer.Result, id string) bool {
	for _, f := range res.Findings {
		if f.RuleID == id {
			return true
		}
	}
	return false
}

// skipWithoutCorpus skips t when the quickstart corpus is absent.
func skipWithoutCorpus(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("the quickstart corpus is not available (%v); it lives in ../shared beside the repository", err)
	}
}
