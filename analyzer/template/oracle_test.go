package template

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// TestCorpusTreeMatchesEncodingJSON checks the tree against encoding/json
// on every corpus file whose cleaned text is strict JSON, and checks the
// spans of every node on every file.
func TestCorpusTreeMatchesEncodingJSON(t *testing.T) {
	files := corpusFiles(t)
	var compared, multiline int
	for _, path := range files {
		f, err := ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		clean, _, err := Clean(f.Src)
		if err != nil {
			t.Fatal(err)
		}
		checkSpans(t, f, f.Root, true)
		multiline += countMultilineEscaped(f.Root)
		if !json.Valid(clean) {
			continue
		}
		compared++
		var want any
		dec := json.NewDecoder(bytes.NewReader(clean))
		dec.UseNumber()
		if err := dec.Decode(&want); err != nil {
			t.Fatal(err)
		}
		if got := normalize(f.Root.Interface()); !reflect.DeepEqual(got, normalize(want)) {
			t.Errorf("%s: tree differs from encoding/json", path)
		}
	}
	t.Logf("compared %d of %d files with encoding/json; %d strings with raw line breaks and escapes", compared, len(files), multiline)
}

// checkSpans verifies that each node's span holds exactly that node, and
// that Lookup(Pointer()) finds it again when reachable (no shadowing
// duplicate key on its path).
func checkSpans(t *testing.T, f *File, v *Value, reachable bool) {
	t.Helper()
	src := f.Src[v.Start():v.End()]
	switch v.Kind {
	case String:
		if got := unquote(string(src)); got != v.Str() {
			t.Fatalf("%s %s: span %q does not unquote to %q", f.Path, v.Pointer(), src, v.Str())
		}
	case Number, Bool:
		if string(src) != v.Str() {
			t.Fatalf("%s %s: span %q, Str %q", f.Path, v.Pointer(), src, v.Str())
		}
	case Null:
		if string(src) != "null" {
			t.Fatalf("%s %s: span %q", f.Path, v.Pointer(), src)
		}
	case Array:
		if src[0] != '[' || src[len(src)-1] != ']' {
			t.Fatalf("%s %s: span %q", f.Path, v.Pointer(), src)
		}
		for i, e := range v.Elems() {
			if e.Parent() != v || (reachable && f.Root.Lookup(e.Pointer()) != e) {
				t.Fatalf("%s %s: bad parent or pointer at %d", f.Path, v.Pointer(), i)
			}
			checkSpans(t, f, e, reachable)
		}
	case Object:
		if src[0] != '{' || src[len(src)-1] != '}' {
			t.Fatalf("%s %s: span %q", f.Path, v.Pointer(), src)
		}
		last := map[string]int{} // the last duplicate is the one Lookup finds
		for i, m := range v.Members() {
			last[m.Key] = i
		}
		for i, m := range v.Members() {
			ok := reachable && last[m.Key] == i
			if m.Value.Parent() != v || (ok && f.Root.Lookup(m.Value.Pointer()) != m.Value) {
				t.Fatalf("%s %s: bad parent or pointer for %q", f.Path, v.Pointer(), m.Key)
			}
			if got := unquote(string(f.Src[m.KeyStart():m.KeyEnd()])); got != m.Key {
				t.Fatalf("%s %s: key span %q, key %q", f.Path, v.Pointer(), f.Src[m.KeyStart():m.KeyEnd()], m.Key)
			}
			checkSpans(t, f, m.Value, ok)
		}
	}
}

func countMultilineEscaped(v *Value) int {
	n := 0
	if v.Kind == String && bytes.ContainsAny(v.File().Src[v.Start():v.End()], "\n\r") && bytes.ContainsRune(v.File().Src[v.Start():v.End()], '\\') {
		n++
	}
	for _, e := range v.Elems() {
		n += countMultilineEscaped(e)
	}
	for _, m := range v.Members() {
		n += countMultilineEscaped(m.Value)
	}
	return n
}

// normalize maps numbers to their float64 value so that the two trees
// compare equal.
func normalize(x any) any {
	switch x := x.(type) {
	case json.Number:
		f, _ := x.Float64()
		return f
	case int64:
		return float64(x)
	case []any:
		for i := range x {
			x[i] = normalize(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = normalize(x[k])
		}
	}
	return x
}
