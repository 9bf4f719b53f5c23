package config

import (
	"fmt"
	"path"
	"strings"
)

// Glob is a compiled path pattern. Patterns are slash-separated and are
// matched against whole slash-separated relative paths, segment by segment:
//
//   - "*" matches any run of characters within one segment (never '/');
//   - "?" matches one character within one segment;
//   - "[a-z]" is a character class, as in path.Match ("[!a-z]" or "[^a-z]"
//     negates), and a backslash escapes the next character;
//   - "**" as a whole segment matches zero or more segments ("samples/**",
//     "**/*.parameters.json", "infra/**/legacy").
//
// A leading "./" or "/" is dropped: patterns are always relative. A "**"
// that is part of a longer segment ("a**b") behaves like "*".
type Glob struct {
	pattern string
	segs    []string
}

// CompileGlob parses pattern. It rejects empty patterns, malformed
// character classes and ".." segments (a pattern cannot reach outside the
// directory it is relative to).
func CompileGlob(pattern string) (*Glob, error) {
	p := strings.TrimPrefix(pattern, "./")
	p = strings.TrimLeft(p, "/")
	p = strings.TrimSuffix(p, "/")
	if p == "" {
		return nil, fmt.Errorf("empty glob pattern %q", pattern)
	}
	segs := strings.Split(p, "/")
	out := segs[:0]
	for _, s := range segs {
		switch s {
		case "", ".":
			continue // "a//b" and "a/./b" mean "a/b"
		case "..":
			return nil, fmt.Errorf("glob %q: \"..\" is not allowed; patterns are relative to the config file's directory", pattern)
		}
		s = negateBang(s)
		if _, err := path.Match(s, ""); err != nil {
			return nil, fmt.Errorf("glob %q: malformed pattern segment %q", pattern, s)
		}
		// Collapse runs of "**": they mean the same as one.
		if s == "**" && len(out) > 0 && out[len(out)-1] == "**" {
			continue
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("empty glob pattern %q", pattern)
	}
	return &Glob{pattern: pattern, segs: out}, nil
}

// String returns the pattern as written.
func (g *Glob) String() string { return g.pattern }

// Match reports whether the slash-separated relative path name matches the
// whole pattern. Empty and "." segments of name are ignored.
func (g *Glob) Match(name string) bool {
	var segs []string
	for s := range strings.SplitSeq(name, "/") {
		if s != "" && s != "." {
			segs = append(segs, s)
		}
	}
	return matchSegments(g.segs, segs)
}

// matchSegments matches path segments against pattern segments where "**"
// matches any number of segments. It is the classic wildcard algorithm
// lifted to segments: on a mismatch it backtracks only to the most recent
// "**", which is enough because "**" matches any sequence. It runs in
// O(len(pat)*len(name)) segment comparisons at worst and never recurses.
func matchSegments(pat, name []string) bool {
	p, n := 0, 0
	star, mark := -1, 0 // index of the last "**" in pat, and the name index it was tried at
	for n < len(name) {
		switch {
		case p < len(pat) && pat[p] == "**":
			star, mark = p, n
			p++
		case p < len(pat) && matchSegment(pat[p], name[n]):
			p++
			n++
		case star >= 0:
			// Let the last "**" swallow one more segment and retry.
			mark++
			p, n = star+1, mark
		default:
			return false
		}
	}
	for p < len(pat) && pat[p] == "**" {
		p++
	}
	return p == len(pat)
}

// matchSegment matches one segment; patterns were validated by CompileGlob.
func matchSegment(pat, name string) bool {
	ok, err := path.Match(pat, name)
	return ok && err == nil
}

// negateBang rewrites the shell-style class negation "[!" to path.Match's
// "[^" (outside escapes), so that both spellings work.
func negateBang(seg string) string {
	if !strings.Contains(seg, "[!") {
		return seg
	}
	b := []byte(seg)
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++ // skip the escaped byte
		case '[':
			if i+1 < len(b) && b[i+1] == '!' {
				b[i+1] = '^'
			}
		}
	}
	return string(b)
}
