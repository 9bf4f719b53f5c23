package analyzer

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// benchCorpus is the quickstart corpus, when it is there.
var benchCorpus = filepath.Join("..", "..", "shared", "corpus", "quickstart")

// BenchmarkCollect is the walk of the corpus and the jobs it makes, as a
// Run makes them (no file read).
func BenchmarkCollect(b *testing.B) {
	if _, err := os.Stat(benchCorpus); err != nil {
		b.Skip("no corpus")
	}
	b.ReportAllocs()
	for b.Loop() {
		opts := Options{}
		opts.getwd = sync.OnceValues(os.Getwd)
		opts.sources = newSourceCache()
		n := 0
		if _, err := collect([]string{benchCorpus}, opts, func(job) { n++ }); err != nil || n == 0 {
			b.Fatal(n, err)
		}
	}
}
