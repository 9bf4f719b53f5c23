package template

import (
	"os"
	"testing"
)

// benchSample reads every 20th corpus file (skipping the benchmark when the
// corpus is absent) and returns the raw bytes and their total size.
func benchSample(b *testing.B) ([][]byte, int64) {
	b.Helper()
	files := corpusFiles(b)
	var raws [][]byte
	var total int64
	for i := 0; i < len(files); i += 20 {
		raw, err := os.ReadFile(files[i])
		if err != nil {
			b.Fatal(err)
		}
		raws = append(raws, raw)
		total += int64(len(raw))
	}
	return raws, total
}

// BenchmarkStages measures the stages of Load on a corpus sample: the
// lenient scanner alone (Clean), and the whole of Load.
func BenchmarkStages(b *testing.B) {
	raws, total := benchSample(b)
	b.Run("clean", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(total)
		for b.Loop() {
			for _, raw := range raws {
				src, _ := decode(raw)
				if _, _, err := Clean(src); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("load", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(total)
		for b.Loop() {
			for _, raw := range raws {
				if _, err := Load("x.json", raw); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
