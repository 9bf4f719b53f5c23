package hostile

import (
	"bytes"
	"flag"
	"fmt"
	"hash/fnv"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/armlint/armlint/analyzer/template"
)

var sweepAll = flag.Bool("sweep.all", false, "mutation sweep: every quickstart template instead of a sample (also ARMLINT_SWEEP=all)")

// sweepSampleEvery is the sampling of the default sweep: every 16th
// template of the corpus (sorted by path), about 120 templates.
const sweepSampleEvery = 16

// sweepSeed fixes the mutations: the same variants on every run.
const sweepSeed = 20240601

// deepNesting is the number of '[' the deep-nesting mutations insert.
const deepNesting = 100_000

// mutation derives one broken variant of a template. It returns nil when
// the template offers no place for it.
type mutation struct {
	name string
	fn   func(r *rand.Rand, src []byte) []byte
}

var mutations = []mutation{
	{"truncate", func(r *rand.Rand, src []byte) []byte {
		return bytes.Clone(src[:r.IntN(len(src))])
	}},
	{"flip-byte", func(r *rand.Rand, src []byte) []byte {
		out := bytes.Clone(src)
		i := r.IntN(len(out))
		out[i] ^= byte(1 + r.IntN(255))
		return out
	}},
	{"drop-brace", func(r *rand.Rand, src []byte) []byte { return dropOne(r, src, "{}[]") }},
	{"drop-quote", func(r *rand.Rand, src []byte) []byte { return dropOne(r, src, `"`) }},
	{"duplicate-key", func(r *rand.Rand, src []byte) []byte {
		// Repeat one "key": value line of an object (a member that fits on
		// its line and ends with a comma).
		lines := bytes.SplitAfter(src, []byte("\n"))
		var cands []int
		for i, l := range lines {
			t := bytes.TrimSpace(l)
			if bytes.HasPrefix(t, []byte(`"`)) && bytes.Contains(t, []byte(`":`)) && bytes.HasSuffix(t, []byte(",")) &&
				!bytes.HasSuffix(t, []byte("{,")) && !bytes.HasSuffix(t, []byte("[,")) {
				cands = append(cands, i)
			}
		}
		if len(cands) == 0 {
			return nil
		}
		i := cands[r.IntN(len(cands))]
		out := make([]byte, 0, len(src)+len(lines[i]))
		for j, l := range lines {
			out = append(out, l...)
			if j == i {
				out = append(out, l...)
			}
		}
		return out
	}},
	{"string-to-object", func(r *rand.Rand, src []byte) []byte {
		return replaceStringValue(r, src, []byte(`{"x": [1, {"y": null}]}`))
	}},
	{"huge-number", func(r *rand.Rand, src []byte) []byte {
		huge := []byte("1e400")
		if r.IntN(2) == 0 {
			huge = bytes.Repeat([]byte("9"), 400)
		}
		return replaceStringValue(r, src, huge)
	}},
	{"deep-open", func(r *rand.Rand, src []byte) []byte {
		return replaceStringValue(r, src, bytes.Repeat([]byte("["), deepNesting))
	}},
	{"deep-balanced", func(r *rand.Rand, src []byte) []byte {
		deep := append(bytes.Repeat([]byte("["), deepNesting), bytes.Repeat([]byte("]"), deepNesting)...)
		return replaceStringValue(r, src, deep)
	}},
}

// dropOne removes one randomly chosen byte among chars.
func dropOne(r *rand.Rand, src []byte, chars string) []byte {
	var at []int
	for i, c := range src {
		if strings.IndexByte(chars, c) >= 0 {
			at = append(at, i)
		}
	}
	if len(at) == 0 {
		return nil
	}
	i := at[r.IntN(len(at))]
	return append(bytes.Clone(src[:i]), src[i+1:]...)
}

// replaceStringValue replaces one randomly chosen member value that is a
// string ("key": "value") with repl.
func replaceStringValue(r *rand.Rand, src []byte, repl []byte) []byte {
	var at [][2]int
	for i := 0; i+3 < len(src); i++ {
		if src[i] != '"' || src[i+1] != ':' {
			continue
		}
		j := i + 2
		for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
			j++
		}
		if j >= len(src) || src[j] != '"' {
			continue
		}
		k := j + 1
		for k < len(src) && src[k] != '"' {
			if src[k] == '\\' {
				k++
			}
			k++
		}
		if k < len(src) {
			at = append(at, [2]int{j, k + 1})
		}
	}
	if len(at) == 0 {
		return nil
	}
	span := at[r.IntN(len(at))]
	out := make([]byte, 0, len(src)-(span[1]-span[0])+len(repl))
	out = append(out, src[:span[0]]...)
	out = append(out, repl...)
	return append(out, src[span[1]:]...)
}

// variant is one mutated template.
type variant struct {
	name string // path~mutation, for messages
	path string
	data []byte
}

// sweepTemplates returns the corpus templates of the sweep, sorted.
func sweepTemplates(t *testing.T, all bool) []string {
	var paths []string
	err := filepath.WalkDir(corpusDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() && strings.HasSuffix(p, ".json") && !strings.HasSuffix(p, ".parameters.json") {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(paths)
	var out []string
	for i, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if f, err := template.Load(p, data); err != nil || f.Kind != template.KindTemplate {
			continue
		}
		if all || i%sweepSampleEvery == 0 {
			out = append(out, p)
		}
	}
	return out
}

// variantsOf returns the variants of one template, with a random source
// seeded by the sweep seed and the path (the same variants on every run,
// whatever the sample).
func variantsOf(path string, src []byte) []variant {
	h := fnv.New64a()
	h.Write([]byte(filepath.ToSlash(path)))
	r := rand.New(rand.NewPCG(sweepSeed, h.Sum64()))
	var out []variant
	for _, m := range mutations {
		if len(src) == 0 {
			break
		}
		if data := m.fn(r, src); data != nil && !bytes.Equal(data, src) {
			out = append(out, variant{name: filepath.ToSlash(path) + "~" + m.name, path: path, data: data})
		}
	}
	return out
}

// sweepStats are the figures of a sweep.
type sweepStats struct {
	templates, variants, broken, reported, clean, panics, hangs, failures int
}

// TestMutationSweep breaks corpus templates in the ways editors, generators
// and attackers do, runs the whole pipeline over each variant and checks
// that nothing panics or hangs and that every variant that is no longer a
// valid template gets an AL0001 whose position lies inside the file. By
// default it takes a sample of the corpus; -sweep.all (or ARMLINT_SWEEP=all)
// takes every template.
func TestMutationSweep(t *testing.T) {
	skipWithoutCorpus(t)
	all := *sweepAll || os.Getenv("ARMLINT_SWEEP") == "all"
	if testing.Short() && !all {
		t.Skip("-short: the mutation sweep is skipped")
	}
	builtinRules(t)
	paths := sweepTemplates(t, all)

	var mu sync.Mutex
	var st sweepStats
	fail := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		st.failures++
		if st.failures <= 50 {
			t.Errorf(format, args...)
		}
	}
	work := make(chan variant)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for v := range work {
				checkVariant(t, v, &mu, &st, fail)
			}
		})
	}
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		st.templates++
		for _, v := range variantsOf(p, src) {
			mu.Lock()
			stop := st.hangs >= 3
			mu.Unlock()
			if stop {
				break
			}
			work <- v
		}
	}
	close(work)
	wg.Wait()
	pct := 100.0
	if st.broken > 0 {
		pct = 100 * float64(st.reported) / float64(st.broken)
	}
	t.Logf("mutation sweep: %d templates, %d variants: %d broken (%d = %.1f%% reported by AL0001 with a position inside the file), %d valid; %d panics, %d hangs, %d failures",
		st.templates, st.variants, st.broken, st.reported, pct, st.clean, st.panics, st.hangs, st.failures)
}

// checkVariant runs the pipeline on one variant and records the outcome.
func checkVariant(t *testing.T, v variant, mu *sync.Mutex, st *sweepStats, fail func(string, ...any)) {
	broken := false
	if f, err := template.Load(v.path, v.data); err != nil {
		broken = true
	} else if f.Kind == template.KindTemplate {
		if _, err := template.Parse(f); err != nil {
			broken = true
		}
	}
	out, hung := runBytes(t, v.path, v.data, watchdog)
	mu.Lock()
	st.variants++
	if broken {
		st.broken++
	} else {
		st.clean++
	}
	switch {
	case hung:
		st.hangs++
	case out.panic != nil:
		st.panics++
	}
	mu.Unlock()
	switch {
	case hung:
		fail("%s: the pipeline did not end within %s", v.name, watchdog)
		return
	case out.panic != nil:
		fail("%s: panic: %v\n%s", v.name, out.panic, out.stack)
		return
	case out.err != nil:
		fail("%s: Run: %v", v.name, out.err)
		return
	}
	for _, e := range out.res.Errors {
		fail("%s: %v", v.name, e)
	}
	if p := positionProblem(out.res); p != "" {
		fail("%s: finding outside the file: %s", v.name, p)
		return
	}
	if broken {
		if !hasRule(out.res, "AL0001") {
			fail("%s: broken variant without AL0001 (%s)", v.name, describe(out))
			return
		}
		mu.Lock()
		st.reported++
		mu.Unlock()
	}
}

func describe(o outcome) string {
	var b strings.Builder
	fmt.Fprintf(&b, "stats %+v", o.res.Stats)
	for _, f := range o.res.Findings {
		fmt.Fprintf(&b, "; %s %s", f.RuleID, f.Message)
	}
	return b.String()
}
