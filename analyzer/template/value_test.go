package template

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
)

func mustLoad(t *testing.T, src string) *File {
	t.Helper()
	f, err := Load("t.json", []byte(src))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return f
}

func TestPointer(t *testing.T) {
	f := mustLoad(t, `{
  "a/b": {"m~n": [0, {"": 1, "~1": 2}]},
  "x": [[true], {"y": null}],
  "Dup": 1, "Dup": 2
}`)
	tests := []struct {
		path []string // steps from the root, exact keys or indexes
		ptr  string
		pos  string
	}{
		{nil, "", "1:1"},
		{[]string{"a/b"}, "/a~1b", "2:10"},
		{[]string{"a/b", "m~n"}, "/a~1b/m~0n", "2:18"},
		{[]string{"a/b", "m~n", "1"}, "/a~1b/m~0n/1", "2:22"},
		{[]string{"a/b", "m~n", "1", ""}, "/a~1b/m~0n/1/", "2:27"},
		{[]string{"a/b", "m~n", "1", "~1"}, "/a~1b/m~0n/1/~01", "2:36"},
		{[]string{"x", "0", "0"}, "/x/0/0", "3:10"},
		{[]string{"x", "1", "y"}, "/x/1/y", "3:23"},
	}
	for _, tt := range tests {
		v := f.Root.Path(tt.path...)
		if v == nil {
			t.Errorf("Path(%q) = nil", tt.path)
			continue
		}
		if got := v.Pointer(); got != tt.ptr {
			t.Errorf("Pointer of %q = %q, want %q", tt.path, got, tt.ptr)
		}
		if got := f.Root.Lookup(tt.ptr); got != v {
			t.Errorf("Lookup(%q) did not return the node", tt.ptr)
		}
		if got := posOf(f, tt.ptr); got != tt.pos {
			t.Errorf("position of %q = %s, want %s", tt.ptr, got, tt.pos)
		}
	}
	// Duplicate keys are all kept, in order; Get and Lookup take the last,
	// as ARM's JSON reader does.
	var keys []string
	for _, m := range f.Root.Members() {
		keys = append(keys, m.Key)
	}
	if want := []string{"a/b", "x", "Dup", "Dup"}; !reflect.DeepEqual(keys, want) {
		t.Errorf("keys = %q, want %q", keys, want)
	}
	if f.Root.Get("Dup").Str() != "2" || f.Root.Lookup("/Dup").Str() != "2" || f.Root.Members()[3].Value.Pointer() != "/Dup" {
		t.Error("duplicate keys: Get/Lookup should return the last, Pointer name the key")
	}
	// Case-insensitive Get, case-sensitive Lookup.
	if f.Root.Get("dup") == nil || f.Root.Lookup("/dup") != nil {
		t.Error("Get should ignore case and Lookup should not")
	}
	if f.Root.Lookup("x/0") != nil || f.Root.Lookup("/x/01") != nil || f.Root.Lookup("/x/2") != nil || f.Root.Lookup("/x/0/0/0") != nil {
		t.Error("Lookup accepted a malformed or absent pointer")
	}
	// Parent links.
	leaf := f.Root.Lookup("/a~1b/m~0n/1/~01")
	if leaf.Parent() != f.Root.Lookup("/a~1b/m~0n/1") || f.Root.Parent() != nil || leaf.File() != f {
		t.Error("bad Parent or File links")
	}
}

func TestValueSpansAndKinds(t *testing.T) {
	f := mustLoad(t, `{"s": "a\"b", "n": -1.5e3, "i": 42, "t": true, "f": false, "z": null, "o": {}, "a": []}`)
	tests := []struct {
		ptr  string
		kind Kind
		str  string
		span string
		want any
	}{
		{"/s", String, `a"b`, `"a\"b"`, `a"b`},
		{"/n", Number, "-1.5e3", "-1.5e3", -1500.0},
		{"/i", Number, "42", "42", int64(42)},
		{"/t", Bool, "true", "true", true},
		{"/f", Bool, "false", "false", false},
		{"/z", Null, "", "null", nil},
		{"/o", Object, "", "{}", map[string]any{}},
		{"/a", Array, "", "[]", []any{}},
	}
	for _, tt := range tests {
		v := f.Root.Lookup(tt.ptr)
		if v == nil {
			t.Fatalf("no node at %s", tt.ptr)
		}
		start, end := v.Span()
		if v.Kind != tt.kind || v.Str() != tt.str || string(f.Src[start:end]) != tt.span {
			t.Errorf("%s: kind %v str %q span %q, want %v %q %q", tt.ptr, v.Kind, v.Str(), f.Src[start:end], tt.kind, tt.str, tt.span)
		}
		if got := v.Interface(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: Interface() = %#v, want %#v", tt.ptr, got, tt.want)
		}
	}
	m := f.Root.Member("S")
	if m == nil || string(f.Src[m.KeyStart():m.KeyEnd()]) != `"s"` {
		t.Errorf("Member key span wrong: %+v", m)
	}
	if start, end := f.Root.Span(); start != 0 || end != len(f.Src) {
		t.Errorf("root span = %d,%d", start, end)
	}
}

func TestRootSpanExcludesTrailingComments(t *testing.T) {
	f := mustLoad(t, "// head\n[1, 2] /* tail */\n")
	if got := string(f.Src[f.Root.Start():f.Root.End()]); got != "[1, 2]" {
		t.Errorf("root span = %q", got)
	}
}

func TestPointerDeepAndEscaped(t *testing.T) {
	deep := strings.Repeat(`{"a/b~c": [`, 10) + strings.Repeat(`0, `, 11) + `"x"` + strings.Repeat(`]}`, 10)
	f, err := Load("t.json", []byte(deep))
	if err != nil {
		t.Fatal(err)
	}
	v := f.Root
	for v.Kind == Object {
		v = v.Members()[0].Value
		v = v.Elems()[len(v.Elems())-1]
	}
	want := strings.Repeat("/a~1b~0c/0", 9) + "/a~1b~0c/11"
	if got := v.Pointer(); got != want {
		t.Errorf("Pointer() = %q, want %q", got, want)
	}
	if f.Root.Lookup(want) != v {
		t.Error("Lookup(Pointer()) does not find the value")
	}
	// Below 16 levels the result is the only allocation.
	shallow := f.Root.Members()[0].Value.Elems()[0].Members()[0].Value
	if n := testing.AllocsPerRun(10, func() { shallow.Pointer() }); n != 1 || shallow.Pointer() != "/a~1b~0c/0/a~1b~0c" {
		t.Errorf("Pointer() = %q, %v allocations, want 1", shallow.Pointer(), n)
	}
	if f.Root.Pointer() != "" || (*Value)(nil).Pointer() != "" {
		t.Error("root or nil pointer not empty")
	}
}

// TestMayFold checks Member's quick test against strings.EqualFold on
// pairs built from every ASCII byte and runes that fold across ASCII.
func TestMayFold(t *testing.T) {
	var atoms []string
	for c := range 128 {
		atoms = append(atoms, string(rune(c)))
	}
	atoms = append(atoms, "", "\u212a", "\u017f", "é", "É", "\u0130", "\u0131", "\xff")
	for _, a := range atoms {
		for _, b := range atoms {
			for _, tail := range []string{"", "x", "K"} {
				x, y := a+tail, b+tail
				if strings.EqualFold(x, y) && !mayFold(x, y) {
					t.Errorf("mayFold(%q, %q) = false, but they fold", x, y)
				}
			}
		}
	}
	if mayFold("type", "name") || mayFold("@", "`") || !mayFold("Type", "type") {
		t.Error("mayFold misjudges plain keys")
	}
	v := mustLoad(t, `{"\u212aind": 1, "Name": 2, "name": 3, "NAME": 4}`).Root
	if v.Get("kind") == nil || v.Get("name").Str() != "3" || v.Get("nAme").Str() != "4" || v.Get("type") != nil {
		t.Error("Get with folding")
	}
}

// TestFileAndParent checks that every node finds its file through the
// root's anchor, and that the anchor never shows as a parent.
func TestFileAndParent(t *testing.T) {
	f := mustLoad(t, `{"a": [1, {"b": null}], "c": "x"}`)
	n := 0
	walk(f.Root, func(v *Value) {
		n++
		if v.File() != f {
			t.Errorf("%s: File() = %p, want %p", v.Pointer(), v.File(), f)
		}
	})
	if n != 6 {
		t.Errorf("walked %d nodes", n)
	}
	if f.Root.Parent() != nil || f.Root.Get("a").Parent() != f.Root || f.Root.Path("a", "1", "b").Parent().Parent() != f.Root.Get("a") {
		t.Error("Parent chain")
	}
	// The copy without the tree leaves the nodes with the loaded File.
	c := f.WithoutTree()
	if c.Root != nil || f.Root.Get("c").File() != f {
		t.Error("WithoutTree changed the nodes' file")
	}
	var hand Value
	if hand.File() != nil || hand.Parent() != nil || (*Value)(nil).File() != nil {
		t.Error("a Value built by hand has a file or parent")
	}
	obj := &Value{Kind: Object}
	child := &Value{Kind: Null, parent: obj}
	obj.setMembers([]Member{{Key: "k", Value: child}})
	if child.File() != nil || obj.File() != nil || child.Parent() != obj {
		t.Error("hand-built tree has a file")
	}
}

// TestSourceTooLarge checks that Load refuses a text whose offsets would
// not fit the tree's 32 bits (with the bound lowered for the test) and
// accepts one at the bound.
func TestSourceTooLarge(t *testing.T) {
	if maxSource > math.MaxUint32 {
		t.Fatalf("maxSource %d: offsets past it do not fit in 32 bits", maxSource)
	}
	defer func(old uint64) { maxSource = old }(maxSource)
	maxSource = 8
	if f, err := Load("a.json", []byte(`[1,2,30]`)); err != nil || f.Root == nil || f.Root.End() != 8 {
		t.Fatalf("at the bound: %v", err)
	}
	f, err := Load("b.json", []byte(`[1,2,300]`))
	var se *SyntaxError
	if !errors.As(err, &se) || se.Offset != 0 || !strings.Contains(se.Msg, "too large") || f.Root != nil {
		t.Fatalf("beyond the bound: %v", err)
	}
}

// TestChildrenAccessors checks that Elems and Members answer for their
// own kind only, and that a member found by Member is the tree's own.
func TestChildrenAccessors(t *testing.T) {
	f := mustLoad(t, `{"a": [1, {"b": 2}], "c": {}, "d": []}`)
	a := f.Root.Get("a")
	if len(f.Root.Members()) != 3 || f.Root.Elems() != nil || len(a.Elems()) != 2 || a.Members() != nil {
		t.Fatalf("root: %d members, %d elems; a: %d elems, %d members",
			len(f.Root.Members()), len(f.Root.Elems()), len(a.Elems()), len(a.Members()))
	}
	if f.Root.Get("c").Members() != nil || f.Root.Get("d").Elems() != nil || a.Elems()[0].Elems() != nil {
		t.Error("empty containers and scalars have children")
	}
	if m := f.Root.Member("c"); m != &f.Root.Members()[1] || m.Value.Parent() != f.Root || m.KeyStart() != 21 || m.KeyEnd() != 24 {
		t.Errorf("Member(c) = %+v", m)
	}
	if b := a.Elems()[1].Get("b"); b.Parent() != a.Elems()[1] || b.Start() != 16 || b.End() != 17 {
		t.Errorf("a/1/b at %d:%d", b.Start(), b.End())
	}
	// Str shares its storage with the children: containers have none.
	if f.Root.Str() != "" || a.Str() != "" || a.Elems()[1].Str() != "" || f.Root.Get("c").Str() != "" || a.Elems()[0].Str() != "1" {
		t.Errorf("Str: root %q, a %q, a/1 %q, c %q, a/0 %q", f.Root.Str(), a.Str(), a.Elems()[1].Str(), f.Root.Get("c").Str(), a.Elems()[0].Str())
	}
	g := mustLoad(t, `[null, true, false, "", "x\u00e9", -1.5e3]`)
	var got []string
	for _, e := range g.Root.Elems() {
		got = append(got, e.Kind.String()+":"+e.Str())
	}
	if want := []string{"null:", "bool:true", "bool:false", "string:", "string:xé", "number:-1.5e3"}; !reflect.DeepEqual(got, want) {
		t.Errorf("scalars %q, want %q", got, want)
	}
}

// TestPointerIndex checks the index Pointer finds for every node of wide
// arrays and objects (a binary search on offsets), and on a tree built by
// hand whose offsets are all 0 (a scan).
func TestPointerIndex(t *testing.T) {
	var sb strings.Builder
	sb.WriteString(`{"a": [`)
	for i := range 100 {
		if i > 0 {
			sb.WriteString(", ")
		}
		fmt.Fprintf(&sb, `{"k%d": %d, "x/~%d": [[], {}, "s"]}`, i, i, i)
	}
	sb.WriteString(`], "b": {`)
	for i := range 50 {
		if i > 0 {
			sb.WriteString(",")
		}
		fmt.Fprintf(&sb, `"m%d": [%d]`, i, i)
	}
	sb.WriteString(`}}`)
	f := mustLoad(t, sb.String())
	n := 0
	walk(f.Root, func(v *Value) {
		n++
		if got := f.Root.Lookup(v.Pointer()); got != v {
			t.Fatalf("Lookup(%q) is not the node", v.Pointer())
		}
		if v.Parent() != nil && v.searchIndex() < 0 {
			t.Fatalf("the binary search misses %q", v.Pointer())
		}
	})
	if n < 700 {
		t.Fatalf("walked %d nodes", n)
	}
	if p := f.Root.Path("a", "42", "x/~42", "1").Pointer(); p != "/a/42/x~1~042/1" {
		t.Errorf("Pointer = %q", p)
	}

	obj := &Value{Kind: Object}
	arr := &Value{Kind: Array, parent: obj}
	e0, e1 := &Value{Kind: Null, parent: arr}, &Value{Kind: Null, parent: arr}
	arr.setElems([]*Value{e0, e1})
	obj.setMembers([]Member{{Key: "k", Value: &Value{Kind: Null, parent: obj}}, {Key: "l", Value: arr}})
	if p := e1.Pointer(); p != "/l/1" {
		t.Errorf("hand-built Pointer = %q", p)
	}
}

func TestContainsFold(t *testing.T) {
	for _, tc := range []struct {
		s, sub string
		want   bool
	}{
		{"[listKeys(x)]", "list", true},
		{"[LISTKEYS(x)]", "list", true},
		{"[lis]", "list", false},
		{"list", "list", true},
		{"", "list", false},
		{"[REFERENCE('x')]", "reference", true},
		{"[referenc('x')]", "reference", false},
	} {
		if got := ContainsFold(tc.s, tc.sub); got != tc.want {
			t.Errorf("ContainsFold(%q, %q) = %v, want %v", tc.s, tc.sub, got, tc.want)
		}
	}
}

// HasPrefixFold and HasSuffixFold fold ASCII letters only: the Kelvin sign
// (which strings.ToLower makes a k) and bytes of longer characters do not
// match an ASCII letter.
func TestHasPrefixSuffixFold(t *testing.T) {
	for _, tc := range []struct {
		s, affix       string
		prefix, suffix bool
	}{
		{"HTTPS://x", "https://", true, false},
		{"a.Parameters", ".parameters", false, true},
		{"", "", true, true},
		{"ab", "abc", false, false},
		{"\u212Ax", "kx", false, false},
		{"x\u212A", "xk", false, false},
		{"\u017Fx", "sx", false, false},
		{"é.json", ".JSON", false, true},
	} {
		if got := HasPrefixFold(tc.s, tc.affix); got != tc.prefix {
			t.Errorf("HasPrefixFold(%q, %q) = %v", tc.s, tc.affix, got)
		}
		if got := HasSuffixFold(tc.s, tc.affix); got != tc.suffix {
			t.Errorf("HasSuffixFold(%q, %q) = %v", tc.s, tc.affix, got)
		}
	}
}
