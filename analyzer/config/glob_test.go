package config

import "testing"

func TestGlobMatch(t *testing.T) {
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"samples/**", "samples", true},
		{"samples/**", "samples/a.json", true},
		{"samples/**", "samples/x/y/z.json", true},
		{"samples/**", "other/samples/a.json", false},
		{"samples/**", "samplesx/a.json", false},
		{"**", "a/b/c", true},
		{"**/*.json", "a.json", true},
		{"**/*.json", "a/b/c.json", true},
		{"**/*.json", "a/b/c.jsonc", false},
		{"**/legacy/**", "infra/legacy/main.json", true},
		{"**/legacy/**", "legacy", true},
		{"infra/**/main.json", "infra/main.json", true},
		{"infra/**/main.json", "infra/a/b/main.json", true},
		{"infra/**/main.json", "infra/a/b/main.jsonx", false},
		{"a/**/b/**/c", "a/x/b/y/b/c", true},
		{"a/**/b/**/c", "a/x/y/c", false},
		{"*.json", "main.json", true},
		{"*.json", "infra/main.json", false}, // * never crosses '/'
		{"infra/*.json", "infra/main.json", true},
		{"infra/*", "infra/a/b.json", false},
		{"infra/main.?son", "infra/main.json", true},
		{"infra/main.?son", "infra/main.jjson", false},
		{"infra/[ab].json", "infra/a.json", true},
		{"infra/[ab].json", "infra/c.json", false},
		{"infra/[!ab].json", "infra/c.json", true},
		{"infra/[a-c]*.json", "infra/b-main.json", true},
		{"./infra/main.json", "infra/main.json", true},
		{"/infra/main.json", "infra/main.json", true},
		{"infra//main.json", "infra/main.json", true},
		{"infra/", "infra", true},
		{"infra/main.json", "./infra/main.json", true},
		{"infra/main.json", "infra/main.json/", true},
		{`infra/\*.json`, "infra/*.json", true},
		{`infra/\*.json`, "infra/a.json", false},
		{"a**b", "axxb", true}, // "**" inside a segment is "*"
		{"a**b", "ax/xb", false},
		{"**/**/x", "x", true},
	}
	for _, tt := range tests {
		g, err := CompileGlob(tt.pattern)
		if err != nil {
			t.Errorf("CompileGlob(%q): %v", tt.pattern, err)
			continue
		}
		if got := g.Match(tt.name); got != tt.want {
			t.Errorf("Glob(%q).Match(%q) = %v, want %v", tt.pattern, tt.name, got, tt.want)
		}
	}
}

func TestCompileGlobErrors(t *testing.T) {
	for _, p := range []string{"", "/", "./", "infra/[a-.json", "../outside/**", "a/../b", `infra/\`} {
		if g, err := CompileGlob(p); err == nil {
			t.Errorf("CompileGlob(%q) = %v, want an error", p, g)
		}
	}
}

func TestGlobString(t *testing.T) {
	g, err := CompileGlob("./samples/**")
	if err != nil {
		t.Fatal(err)
	}
	if g.String() != "./samples/**" {
		t.Errorf("String() = %q, want the pattern as written", g.String())
	}
}

// TestMatchSegmentsExhaustive compares the backtracking matcher with a
// plain recursive definition of "**" on every short pattern and path over
// a small alphabet.
func TestMatchSegmentsExhaustive(t *testing.T) {
	var ref func(pat, name []string) bool
	ref = func(pat, name []string) bool {
		if len(pat) == 0 {
			return len(name) == 0
		}
		if pat[0] == "**" {
			for i := 0; i <= len(name); i++ {
				if ref(pat[1:], name[i:]) {
					return true
				}
			}
			return false
		}
		return len(name) > 0 && matchSegment(pat[0], name[0]) && ref(pat[1:], name[1:])
	}
	seqs := func(alphabet []string, maxLen int) [][]string {
		out := [][]string{{}}
		last := [][]string{{}}
		for range maxLen {
			var next [][]string
			for _, s := range last {
				for _, a := range alphabet {
					next = append(next, append(append([]string(nil), s...), a))
				}
			}
			out = append(out, next...)
			last = next
		}
		return out
	}
	pats := seqs([]string{"a", "b", "*", "**"}, 4)
	names := seqs([]string{"a", "b"}, 5)
	for _, p := range pats {
		for _, n := range names {
			if got, want := matchSegments(p, n), ref(p, n); got != want {
				t.Fatalf("matchSegments(%q, %q) = %v, want %v", p, n, got, want)
			}
		}
	}
}
