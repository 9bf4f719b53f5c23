package format

import (
	"maps"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// lineHashes returns the hash of every line of src, asked for from the
// first line on.
func lineHashes(src []byte) map[int]string {
	h := newLineHasher(src)
	out := map[int]string{}
	for n := 1; ; n++ {
		s := h.line(n)
		if s == "" {
			return out
		}
		out[n] = s
	}
}

// TestLineHashesClosedForm checks the arithmetic against the definition:
// the hash of the only line of "a" covers the window 'a', EOF (65535) and
// 98 zeros, so it is 97·37^99 + 65535·37^98 mod 2^64.
func TestLineHashesClosedForm(t *testing.T) {
	p := func(n int64) *big.Int { return new(big.Int).Exp(big.NewInt(37), big.NewInt(n), nil) }
	sum := new(big.Int).Mul(big.NewInt(97), p(99))
	sum.Add(sum, new(big.Int).Mul(big.NewInt(65535), p(98)))
	sum.Mod(sum, new(big.Int).Lsh(big.NewInt(1), 64))
	want := sum.Text(16) + ":1"
	if got := lineHashes([]byte("a"))[1]; got != want {
		t.Errorf("hash of %q = %s, want %s", "a", got, want)
	}
}

// TestLineHashes compares with values computed by a line-by-line BigInt
// transcription of github/codeql-action src/fingerprints.ts hash() run
// under Node (Long arithmetic emulated with BigInt.asIntN(64, …)).
func TestLineHashes(t *testing.T) {
	long := strings.Repeat("a", 120)
	tests := []struct {
		name string
		src  string
		want map[int]string
	}{
		{"one char", "a", map[int]string{1: "53b5d4aabe50d64:1"}},
		{"trailing newline", "hello\nworld\n", map[int]string{
			1: "a2b8faa8c5a43ef3:1", 2: "53f9e022cffbf0f1:1", 3: "c129715d7a2bc9a3:1",
		}},
		// Leading blanks are skipped, CRLF and CR are LF, a blank line and a
		// line of spaces around a CR still count as lines.
		{"line ends and blanks", "  x\r\n\ty\rz\n\nx\n \r \nx", map[int]string{
			1: "fca89e6ec9d29328:1", 2: "d1d52608cb766ea6:1", 3: "9d4c26522d8b7c1f:1", 4: "7d0288764cf4d0db:1",
			5: "193d931320419d3d:1", 6: "aa6568db034358f3:1", 7: "a88801a1799b48b5:1", 8: "638816509450efbf:1",
		}},
		// Only the first 100 characters count, so two long lines that
		// differ later collide and are told apart by the occurrence count.
		{"occurrences", long + "\n" + long + "\nb\n", map[int]string{
			1: "871f6af4d0d4dd7c:1", 2: "871f6af4d0d4dd7c:2", 3: "ade70578248be16f:1", 4: "c129715d7a2bc9a3:1",
		}},
		// Characters are UTF-16 code units: 🚀 is a surrogate pair.
		{"non-ASCII", "é🚀 x\n☕\n", map[int]string{
			1: "5e5379a74252b2b2:1", 2: "8cc9f1b7d7d05576:1", 3: "c129715d7a2bc9a3:1",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := lineHashes([]byte(tt.src)); !maps.Equal(got, tt.want) {
				t.Errorf("lineHashes(%q) =\n%v\nwant\n%v", tt.src, got, tt.want)
			}
		})
	}
}

func TestFirstMod(t *testing.T) {
	want := new(big.Int).Exp(big.NewInt(37), big.NewInt(100), new(big.Int).Lsh(big.NewInt(1), 64))
	if got := strconv.FormatUint(fpFirstMod, 16); got != want.Text(16) {
		t.Errorf("37^100 mod 2^64 = %s, want %s", got, want.Text(16))
	}
}

// A line's hash does not depend on the lines asked for before it: asked
// for backwards, at random, twice, or past the end, every line of the
// example templates gets the hash it gets when all are asked for in order.
func TestLineHasherAnyOrder(t *testing.T) {
	paths, err := filepath.Glob("../../testdata/examples/*.json")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no example templates: %v", err)
	}
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		src = append(src, "\r\n  \r\n"+strings.Repeat("x", 150)+"\n"+strings.Repeat("x", 150)...)
		want := lineHashes(src)
		n := len(want)
		orders := map[string][]int{"backwards": {}, "shuffled": rand.New(rand.NewPCG(1, uint64(n))).Perm(n + 3)}
		for i := n + 2; i >= 0; i-- {
			orders["backwards"] = append(orders["backwards"], i)
		}
		for name, order := range orders {
			h := newLineHasher(src)
			for _, i := range append(order, order...) {
				if got := h.line(i); got != want[i] {
					t.Errorf("%s, %s: line %d is %q, want %q", p, name, i, got, want[i])
				}
			}
		}
	}
}
