//go:build unix

package analyzer

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/armlint/armlint/analyzer/expr"
	"github.com/armlint/armlint/analyzer/graph"
	"github.com/armlint/armlint/analyzer/template"
)

// benchTemplate is a corpus template with the values of its
// conventional parameter file, if any.
type benchTemplate struct {
	t      *template.Template
	params parameterSet
}

// benchTemplates loads and parses every deployment template of the
// quickstart corpus (skipping the benchmark when it is absent), with
// their parameter files as analyseFile finds them.
func benchTemplates(b *testing.B) ([]benchTemplate, int64) {
	b.Helper()
	const corpus = "../../shared/corpus/quickstart"
	if _, err := os.Stat(corpus); err != nil {
		b.Skip("the quickstart corpus is not available")
	}
	var out []benchTemplate
	var total int64
	err := filepath.WalkDir(corpus, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		f, err := template.ReadFile(p)
		if err != nil || f.Kind != template.KindTemplate {
			return nil //nolint:nilerr // not a template: skipped
		}
		t, err := template.Parse(f)
		if err != nil {
			return nil //nolint:nilerr // not a valid template: skipped
		}
		params, _ := parametersFor(job{path: p, diskPath: p}, &Options{}, nil)
		out = append(out, benchTemplate{t: t, params: params})
		total += int64(len(f.Src))
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return out, total
}

// cpuTime returns the CPU time (user and system) the process has used.
func cpuTime(b *testing.B) time.Duration {
	b.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loop runs body b.N times and reports, besides the wall time, the CPU
// time per operation (garbage collection included), less sensitive than
// the wall time to other processes on a shared machine.
func loop(b *testing.B, bytes int64, body func()) {
	b.Helper()
	b.ReportAllocs()
	b.SetBytes(bytes)
	start := cpuTime(b)
	n := 0
	for b.Loop() {
		body()
		n++
	}
	b.ReportMetric(float64(cpuTime(b)-start)/float64(n), "cpu-ns/op")
}

// BenchmarkCheckAndBuild measures, on every corpus template, the
// expression check alone, graph.Build alone, and both sharing one parse
// cache as analyseFile runs them (with parameter files; linked templates
// are loaded too).
func BenchmarkCheckAndBuild(b *testing.B) {
	ts, total := benchTemplates(b)
	b.Run("check", func(b *testing.B) {
		loop(b, total, func() {
			for _, bt := range ts {
				expressionNotes(bt.t.File, bt.t.File.Root, expr.NewParseCache())
			}
		})
	})
	b.Run("build", func(b *testing.B) {
		loop(b, total, func() {
			for _, bt := range ts {
				graph.Build(bt.t, graph.Options{Eval: expr.Options{Parameters: bt.params}, LoadLinked: (&Options{}).linkedLoader()})
			}
		})
	})
	b.Run("both", func(b *testing.B) {
		loop(b, total, func() {
			for _, bt := range ts {
				parses := expr.NewParseCache()
				expressionNotes(bt.t.File, bt.t.File.Root, parses)
				graph.Build(bt.t, graph.Options{Eval: expr.Options{Parameters: bt.params, Parses: parses}, LoadLinked: (&Options{}).linkedLoader()})
			}
		})
	})
}
