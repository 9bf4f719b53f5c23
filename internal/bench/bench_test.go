// Package bench holds armlint's per-stage benchmarks: load (scanner and
// tree), parse (model), graph (evaluation of every resource, identities,
// role assignments and every resource's properties), Go rules, Rego rules
// (input conversion included), formats, policy compilation, and the whole
// engine (analyzer.Run). Compare runs with benchstat:
//
//	go test ./internal/bench -run '^$' -bench . -count 6 > old.txt
//	... change ...
//	go test ./internal/bench -run '^$' -bench . -count 6 > new.txt
//	benchstat old.txt new.txt
//
// The inputs are vm-msi (a typical template), a sample of every 20th
// template of the quickstart corpus, and a synthetic 5 MB template with
// 2,000 resources (package synth). Without ../shared the examples of
// testdata/examples stand in for the corpus. Templates are evaluated with
// their parameters' default values (parameter files: see BenchmarkRun).
package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/armlint/armlint/analyzer"
	"github.com/armlint/armlint/analyzer/format"
	"github.com/armlint/armlint/analyzer/graph"
	"github.com/armlint/armlint/analyzer/regoeval"
	"github.com/armlint/armlint/analyzer/template"
	"github.com/armlint/armlint/internal/synth"
	"github.com/armlint/armlint/policies"
	"github.com/armlint/armlint/rules"
)

const corpus = "../../../shared/corpus/quickstart"

// input is a named set of template files.
type input struct {
	name  string
	files []source
	bytes int64
}

type source struct {
	path string
	data []byte
}

var (
	inputsOnce sync.Once
	inputs     []input
)

// benchInputs returns the inputs: vm-msi, the corpus sample and the
// synthetic template, or the examples when the corpus is absent.
func benchInputs(b *testing.B) []input {
	b.Helper()
	inputsOnce.Do(func() {
		if _, err := os.Stat(corpus); err == nil {
			vm := filepath.Join(corpus, "quickstarts/microsoft.compute/vm-msi/azuredeploy.json")
			inputs = append(inputs, read(b, "vm-msi", []string{vm}))
			inputs = append(inputs, read(b, "sample", templates(b, corpus, 20)))
		} else {
			b.Logf("the quickstart corpus is not available (%v); benchmarking testdata/examples", err)
			inputs = append(inputs, read(b, "examples", templates(b, "../../testdata/examples", 1)))
		}
		data := synth.Template(2000, 5_000_000)
		inputs = append(inputs, input{name: "synthetic", files: []source{{path: "synthetic.json", data: data}}, bytes: int64(len(data))})
	})
	return inputs
}

// templates returns every n-th deployment template under dir, in path
// order.
func templates(b *testing.B, dir string, n int) []string {
	b.Helper()
	var all []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if f, err := template.Load(p, data); err == nil && f.Kind == template.KindTemplate {
			all = append(all, p)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	sort.Strings(all)
	var out []string
	for i := 0; i < len(all); i += n {
		out = append(out, all[i])
	}
	return out
}

func read(b *testing.B, name string, paths []string) input {
	b.Helper()
	in := input{name: name}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			b.Fatal(err)
		}
		in.files = append(in.files, source{path: p, data: data})
		in.bytes += int64(len(data))
	}
	return in
}

// parsed is one template of an input, loaded and parsed.
type parsed struct {
	file *template.File
	tmpl *template.Template
}

func parseAll(b *testing.B, in input) []parsed {
	b.Helper()
	out := make([]parsed, 0, len(in.files))
	for _, s := range in.files {
		f, err := template.Load(s.path, s.data)
		if err != nil {
			b.Fatal(err)
		}
		t, err := template.Parse(f)
		if err != nil {
			b.Fatal(err)
		}
		out = append(out, parsed{file: f, tmpl: t})
	}
	return out
}

// build builds the graph of t and evaluates every resource's properties
// (what the rules read, lazily, between them).
func build(t *template.Template) *graph.Graph {
	g, _ := graph.Build(t, graph.Options{})
	for _, r := range g.Resources {
		r.Properties()
	}
	return g
}

var (
	regoOnce  sync.Once
	regoRules []*analyzer.Rule
	regoErr   error
)

func loadRego(b *testing.B) []*analyzer.Rule {
	b.Helper()
	regoOnce.Do(func() {
		regoRules, regoErr = regoeval.Load(policies.FS, regoeval.Options{Root: "policies"})
		regoeval.EvaluateTogether(regoRules) // as armlint does
	})
	if regoErr != nil {
		b.Fatal(regoErr)
	}
	return regoRules
}

func BenchmarkLoad(b *testing.B) {
	for _, in := range benchInputs(b) {
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(in.bytes)
			for b.Loop() {
				for _, s := range in.files {
					if _, err := template.Load(s.path, s.data); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

func BenchmarkParse(b *testing.B) {
	for _, in := range benchInputs(b) {
		b.Run(in.name, func(b *testing.B) {
			ps := parseAll(b, in)
			b.ReportAllocs()
			b.SetBytes(in.bytes)
			for b.Loop() {
				for _, p := range ps {
					if _, err := template.Parse(p.file); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

// BenchmarkGraph is evaluation: graph.Build and every resource's
// properties.
func BenchmarkGraph(b *testing.B) {
	for _, in := range benchInputs(b) {
		b.Run(in.name, func(b *testing.B) {
			ps := parseAll(b, in)
			b.ReportAllocs()
			b.SetBytes(in.bytes)
			for b.Loop() {
				for _, p := range ps {
					build(p.tmpl)
				}
			}
		})
	}
}

// benchRules runs rs over every template of each input, on a fresh graph
// each time (built with the timer stopped): rules compute dependencies,
// references and the Rego input lazily, once per graph.
func benchRules(b *testing.B, rs []*analyzer.Rule) {
	for _, in := range benchInputs(b) {
		b.Run(in.name, func(b *testing.B) {
			ps := parseAll(b, in)
			b.ReportAllocs()
			b.SetBytes(in.bytes)
			for b.Loop() {
				for _, p := range ps {
					b.StopTimer()
					g := build(p.tmpl)
					b.StartTimer()
					for _, r := range rs {
						pass := analyzer.NewPass(r, p.tmpl, g, nil, func(analyzer.Finding) {})
						if err := r.Check(pass); err != nil {
							b.Fatalf("%s: %s: %v", p.file.Path, r.ID, err)
						}
					}
				}
			}
		})
	}
}

func BenchmarkGoRules(b *testing.B) { benchRules(b, rules.All()) }

func BenchmarkRegoRules(b *testing.B) { benchRules(b, loadRego(b)) }

// BenchmarkPolicyLoad is start-up: parsing, compiling and preparing the
// built-in policies.
func BenchmarkPolicyLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := regoeval.Load(policies.FS, regoeval.Options{Root: "policies"}); err != nil {
			b.Fatal(err)
		}
	}
}

// allRules returns every Go and Rego rule.
func allRules(b *testing.B) []*analyzer.Rule {
	return append(rules.All(), loadRego(b)...)
}

// writeInput writes an input's files to a temporary directory for
// analyzer.Run and returns their paths.
func writeInput(b *testing.B, in input) []string {
	b.Helper()
	dir := b.TempDir()
	paths := make([]string, len(in.files))
	for i, s := range in.files {
		paths[i] = filepath.Join(dir, strings.ReplaceAll(filepath.ToSlash(s.path), "/", "_"))
		if err := os.WriteFile(paths[i], s.data, 0o600); err != nil {
			b.Fatal(err)
		}
	}
	return paths
}

func runOptions(b *testing.B) analyzer.Options {
	reg, err := analyzer.NewRegistry(append(analyzer.DiagnosticRules(), allRules(b)...)...)
	if err != nil {
		b.Fatal(err)
	}
	return analyzer.Options{Rules: allRules(b), Registry: reg}
}

// BenchmarkRun is the whole engine in process (no policy compilation, no
// output): the inputs, and the whole corpus (parameter files included)
// when it is available.
func BenchmarkRun(b *testing.B) {
	opts := runOptions(b)
	type set struct {
		name  string
		paths []string
		bytes int64
	}
	var sets []set
	for _, in := range benchInputs(b) {
		sets = append(sets, set{in.name, writeInput(b, in), in.bytes})
	}
	if _, err := os.Stat(corpus); err == nil {
		var n int64
		_ = filepath.WalkDir(corpus, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".json") {
				if info, err := d.Info(); err == nil {
					n += info.Size()
				}
			}
			return nil
		})
		sets = append(sets, set{"corpus", []string{corpus}, n})
	}
	for _, s := range sets {
		b.Run(s.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(s.bytes)
			for b.Loop() {
				if _, err := analyzer.Run(context.Background(), s.paths, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFormat writes the result of the corpus sample (or examples)
// in each format.
func BenchmarkFormat(b *testing.B) {
	in := benchInputs(b)[0]
	if len(benchInputs(b)) > 2 {
		in = benchInputs(b)[1]
	}
	res, err := analyzer.Run(context.Background(), writeInput(b, in), runOptions(b))
	if err != nil {
		b.Fatal(err)
	}
	for _, name := range format.Names() {
		f, _ := format.Get(name)
		b.Run(name, func(b *testing.B) {
			var buf bytes.Buffer
			if err := f.Format(&buf, res, format.Options{ToolVersion: "bench"}); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.SetBytes(int64(buf.Len()))
			for b.Loop() {
				if err := f.Format(io.Discard, res, format.Options{ToolVersion: "bench"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkScaling is the whole engine in process on synthetic templates
// of 250 to 4,000 resources (2,500 bytes each): with cost linear in the
// input, MB/s stays about the same from one size to the next, and so do
// B/op divided by the size. Compare the sizes of one run:
//
//	go test ./internal/bench -run '^$' -bench Scaling -benchtime 3x
func BenchmarkScaling(b *testing.B) {
	opts := runOptions(b)
	for _, n := range []int{250, 500, 1000, 2000, 4000} {
		data := synth.Template(n, n*2500)
		in := input{name: "synthetic", files: []source{{path: "synthetic.json", data: data}}, bytes: int64(len(data))}
		paths := writeInput(b, in)
		b.Run(fmt.Sprintf("resources=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(in.bytes)
			for b.Loop() {
				if _, err := analyzer.Run(context.Background(), paths, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
