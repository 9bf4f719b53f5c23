package template

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLineStarts(t *testing.T) {
	tests := []struct {
		src  string
		want []int
	}{
		{"", []int{0}},
		{"a", []int{0}},
		{"a\n", []int{0, 2}},
		{"\n\n", []int{0, 1, 2}},
		{"a\r\nb\rc\nd", []int{0, 3, 5, 7}},
		{"\r\r\n\n", []int{0, 1, 3, 4}},
	}
	for _, tt := range tests {
		got := lineStarts([]byte(tt.src))
		if len(got) != len(tt.want) {
			t.Errorf("lineStarts(%q) = %v, want %v", tt.src, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("lineStarts(%q) = %v, want %v", tt.src, got, tt.want)
				break
			}
		}
	}
}

// FuzzLoad checks that Load, Parse and ParseParameters never panic, that
// every strict JSON document loads, that node spans stay in bounds, and
// that the tree agrees with encoding/json whenever the cleaned text is
// strict JSON.
func FuzzLoad(f *testing.F) {
	seeds := []string{
		`{"$schema": "` + rgSchema + `", "resources": [{"type": "a/b", "resources": [{"type": "c"}]}]}`,
		`{"resources": {"a": {"type": "Microsoft.Resources/deployments", "properties": {"template": {}}}}}`,
		"{/* c */ \"a\": [1, 2,], // x\n}",
		`["\ud83d\ude00", -0.5e-3, true, null]`,
		"\xef\xbb\xbf{}",
		"\xff\xfe{\x00}\x00",
		`{"parameters": {"a": {"value": 1}, "b": {"reference": {}}}}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		file, err := Load("fuzz.json", raw)
		if file == nil {
			t.Fatal("Load returned a nil file")
		}
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || file.Root != nil {
				t.Fatalf("Load error %v (%T) with root %v", err, err, file.Root)
			}
			if json.Valid(raw) && !strings.HasPrefix(se.Msg, "nesting too deep") && !bytes.HasPrefix(raw, bomUTF16LE) && !bytes.HasPrefix(raw, bomUTF16BE) {
				t.Fatalf("strict JSON %q rejected: %v", raw, err)
			}
			return
		}
		clean, _, cerr := Clean(file.Src)
		if cerr != nil || len(clean) != len(file.Src) {
			t.Fatalf("Clean disagrees with Load: %v", cerr)
		}
		members := 0
		walk(file.Root, func(v *Value) {
			if v.Start() < 0 || v.End() > len(file.Src) || v.Start() >= v.End() {
				t.Fatalf("span %d:%d out of bounds", v.Start(), v.End())
			}
			members += len(v.Members())
		})
		if b := memberBound(file.Src); members > b {
			t.Fatalf("%d members, above memberBound %d", members, b)
		}
		if json.Valid(clean) && utf8.Valid(clean) {
			var want any
			dec := json.NewDecoder(bytes.NewReader(clean))
			dec.UseNumber()
			if err := dec.Decode(&want); err != nil {
				t.Fatal(err)
			}
			if got := normalize(file.Root.Interface()); !reflect.DeepEqual(got, normalize(want)) {
				t.Fatalf("tree %#v differs from encoding/json %#v", got, want)
			}
		}
		_, _ = Parse(file)
		_, _ = ParseParameters(file)
	})
}

func walk(v *Value, fn func(*Value)) {
	fn(v)
	for _, e := range v.Elems() {
		walk(e, fn)
	}
	for _, m := range v.Members() {
		walk(m.Value, fn)
	}
}
