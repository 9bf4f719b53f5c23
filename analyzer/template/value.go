package template

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// Kind is the JSON kind of a Value.
type Kind uint8

// JSON kinds.
const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

func (k Kind) String() string {
	switch k {
	case Null:
		return "null"
	case Bool:
		return "bool"
	case Number:
		return "number"
	case String:
		return "string"
	case Array:
		return "array"
	case Object:
		return "object"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Node is anything a finding can be anchored on: a raw JSON value or a
// resource. It knows its file, its byte span and its JSON pointer.
type Node interface {
	File() *File
	Span() (start, end int)
	Pointer() string
}

// Value is one node of the raw JSON tree of a file, with its source span.
// Values are immutable once the file is parsed.
//
// Trees hold one Value per JSON value, so Value is kept small (32 bytes):
// offsets in 32 bits (see maxSource), one pointer and one count that hold
// either the string of a scalar or the children of an array or an object
// (see Str, Elems and Members), and no index in its parent (see index).
type Value struct {
	// Kind is the value's JSON kind. It must not be changed: Str, Elems
	// and Members read the node's data as the kind it was built with.
	Kind Kind

	// start and end are the byte offsets of the first byte of the value
	// and just past it (see Start and End). They fit in 32 bits: Load
	// refuses a source larger than maxSource.
	start, end uint32

	// n and data are, by Kind:
	//   - String, Number, Bool: the length of Str and its first byte (see
	//     Str); the string is a substring of the source or an unquoted
	//     copy, at most as long as the source;
	//   - Array: the number of elements and the first of n consecutive
	//     *Value (a [n]*Value);
	//   - Object: the number of members and the first of n consecutive
	//     Member (a [n]Member);
	//   - Null: 0 and nil.
	// data is one unsafe.Pointer rather than a string and two slices
	// (eight words for the three): Kind tells which type it points to, and
	// Str, Elems and Members turn it back into a string or a slice of the
	// type it was allocated as (so that the GC and checkptr see an
	// ordinary pointer into that allocation). n is 0 whenever data is nil.
	n    uint32
	data unsafe.Pointer

	// parent is the enclosing array or object; for the root of a loaded
	// file, the anchor of its File (see File).
	parent *Value
}

// Str returns the unescaped string for String, the raw literal for Number
// ("12", "-1.5e3") and "true"/"false" for Bool; "" for other kinds.
func (v *Value) Str() string {
	if v.Kind == Array || v.Kind == Object { // data are its children
		return ""
	}
	return unsafe.String((*byte)(v.data), v.n) //nolint:gosec // G103: data and n are a string's, set by setStr
}

// setStr makes s the Str of the scalar v.
func (v *Value) setStr(s string) {
	v.n = uint32(len(s))                          //nolint:gosec // G115: at most maxSource bytes
	v.data = unsafe.Pointer(unsafe.StringData(s)) //nolint:gosec // G103: read back by Str only
}

// Start returns the byte offset of the first byte of the value.
func (v *Value) Start() int { return int(v.start) }

// End returns the byte offset just past the value.
func (v *Value) End() int { return int(v.end) }

// Elems returns the elements of an array, nil for other kinds. The slice
// is the tree's own: callers must not modify it.
func (v *Value) Elems() []*Value {
	if v.Kind != Array || v.n == 0 {
		return nil
	}
	return unsafe.Slice((**Value)(v.data), v.n) //nolint:gosec // G103: data and n are a []*Value's, set by setElems
}

// Members returns the members of an object in source order, nil for other
// kinds. The slice is the tree's own: callers must not modify it.
func (v *Value) Members() []Member {
	if v.Kind != Object || v.n == 0 {
		return nil
	}
	return unsafe.Slice((*Member)(v.data), v.n) //nolint:gosec // G103: data and n are a []Member's, set by setMembers
}

// setElems makes elems the elements of the array v.
func (v *Value) setElems(elems []*Value) {
	v.n = uint32(len(elems))                         //nolint:gosec // G115: at most maxSource/2 elements
	v.data = unsafe.Pointer(unsafe.SliceData(elems)) //nolint:gosec // G103: read back by Elems only
}

// setMembers makes members the members of the object v.
func (v *Value) setMembers(members []Member) {
	v.n = uint32(len(members))                         //nolint:gosec // G115: at most maxSource/5 members
	v.data = unsafe.Pointer(unsafe.SliceData(members)) //nolint:gosec // G103: read back by Members only
}

// kindAnchor is the Kind of File.anchor, which no tree node has.
const kindAnchor Kind = 255

// Member is one key/value pair of an object. An object's members are
// stored side by side (see Value.Members), not each on its own.
type Member struct {
	Key   string
	Value *Value

	keyStart, keyEnd uint32 // see KeyStart and KeyEnd
}

// KeyStart returns the offset of the opening quote of the key.
func (m Member) KeyStart() int { return int(m.keyStart) }

// KeyEnd returns the offset just past the closing quote of the key.
func (m Member) KeyEnd() int { return int(m.keyEnd) }

// File returns the file the value was read from (nil for a Value built by
// hand). Values do not each keep a pointer to their file, which would be a
// word more per node: the root's parent is an anchor inside the File, and
// File walks up to it.
func (v *Value) File() *File {
	if v == nil {
		return nil
	}
	for v.parent != nil {
		v = v.parent
	}
	if v.Kind != kindAnchor {
		return nil
	}
	// v is the anchor field of a File: step back to the File's start.
	return (*File)(unsafe.Add(unsafe.Pointer(v), -int(unsafe.Offsetof(File{}.anchor)))) //nolint:gosec // G103: v is &f.anchor of a File f
}

// Span returns the byte offsets of the value.
func (v *Value) Span() (int, int) { return int(v.start), int(v.end) }

// Parent returns the enclosing array or object, nil for the root.
func (v *Value) Parent() *Value {
	if p := v.parent; p != nil && p.Kind != kindAnchor {
		return p
	}
	return nil
}

// Pointer returns the RFC 6901 JSON pointer of the value ("" for the root).
// It allocates the result only: the path is walked twice, once to size it.
func (v *Value) Pointer() string {
	if v == nil || v.Parent() == nil {
		return ""
	}
	type step struct {
		v *Value
		i int // index of v in its parent
	}
	var chain [16]step // the path from v up, for most depths
	path := chain[:0]
	n := 0
	for c := v; c.Parent() != nil; c = c.parent {
		i := c.index()
		path = append(path, step{c, i})
		if c.parent.Kind == Array {
			n += 1 + decimalLen(uint32(i)) //nolint:gosec // G115: an index is below maxSource
		} else {
			n += 1 + escapedLen(c.parent.Members()[i].Key)
		}
	}
	var b strings.Builder
	b.Grow(n)
	var digits [10]byte
	for j := len(path) - 1; j >= 0; j-- {
		c, i := path[j].v, path[j].i
		b.WriteByte('/')
		if c.parent.Kind == Array {
			b.Write(strconv.AppendInt(digits[:0], int64(i), 10))
			continue
		}
		key := c.parent.Members()[i].Key
		if escapedLen(key) == len(key) {
			b.WriteString(key)
			continue
		}
		for j := range len(key) {
			switch key[j] {
			case '~':
				b.WriteString("~0")
			case '/':
				b.WriteString("~1")
			default:
				b.WriteByte(key[j])
			}
		}
	}
	return b.String()
}

// index returns the index of v in its parent array, or its member index in
// its parent object. Values do not store it, which would make them 8 bytes
// larger, as Pointer is the only one to ask: the children of a loaded
// container are in source order and each starts at an offset of its own,
// so a binary search on their offsets finds v. A tree built by hand, whose
// offsets may all be 0, falls back on a scan.
func (v *Value) index() int {
	if i := v.searchIndex(); i >= 0 {
		return i
	}
	if elems := v.parent.Elems(); elems != nil {
		return slices.Index(elems, v)
	}
	return slices.IndexFunc(v.parent.Members(), func(m Member) bool { return m.Value == v })
}

// searchIndex is index's binary search on the offsets of v's siblings, or
// -1 when it does not find v (a tree built by hand).
func (v *Value) searchIndex() int {
	if elems := v.parent.Elems(); elems != nil {
		i := sort.Search(len(elems), func(i int) bool { return elems[i].start >= v.start })
		if i < len(elems) && elems[i] == v {
			return i
		}
		return -1
	}
	ms := v.parent.Members()
	i := sort.Search(len(ms), func(i int) bool { return ms[i].Value.start >= v.start })
	if i < len(ms) && ms[i].Value == v {
		return i
	}
	return -1
}

// decimalLen returns the number of decimal digits of n.
func decimalLen(n uint32) int {
	d := 1
	for n >= 10 {
		n /= 10
		d++
	}
	return d
}

// escapedLen returns the length of key as a JSON pointer segment: '~' and
// '/' take two bytes ("~0", "~1").
func escapedLen(key string) int {
	n := len(key)
	for i := range len(key) {
		if key[i] == '~' || key[i] == '/' {
			n++
		}
	}
	return n
}

// Get returns the member named key, or nil. An exact match wins over an
// ASCII case-insensitive one (ARM property names are case-insensitive).
// When a key appears more than once, the last one wins, as in ARM's JSON
// reader.
func (v *Value) Get(key string) *Value {
	if m := v.Member(key); m != nil {
		return m.Value
	}
	return nil
}

// Member returns the member entry named key, with the same matching rules
// as Get, or nil.
func (v *Value) Member(key string) *Member {
	if v == nil {
		return nil
	}
	ms := v.Members()
	for i := len(ms) - 1; i >= 0; i-- {
		if ms[i].Key == key {
			return &ms[i]
		}
	}
	for i := len(ms) - 1; i >= 0; i-- {
		if k := ms[i].Key; mayFold(k, key) && strings.EqualFold(k, key) {
			return &ms[i]
		}
	}
	return nil
}

// mayFold is a quick test before strings.EqualFold(a, b), false only when
// that is false: when both first bytes are ASCII and differ beyond ASCII
// case. (An ASCII letter folds to a non-ASCII one in a few cases, 'k' to
// the Kelvin sign for one, but never to another ASCII byte.) Keys that do
// not match mostly differ at their first byte.
func mayFold(a, b string) bool {
	if a == "" || b == "" {
		return true
	}
	x, y := a[0], b[0]
	if x == y || x >= utf8.RuneSelf || y >= utf8.RuneSelf {
		return true
	}
	lx := x | 0x20
	return lx == y|0x20 && 'a' <= lx && lx <= 'z'
}

// Path follows a sequence of object keys (case-insensitive) and array
// indexes written as decimal strings; it returns nil when any step is absent.
func (v *Value) Path(steps ...string) *Value {
	cur := v
	for _, s := range steps {
		if cur == nil {
			return nil
		}
		switch cur.Kind {
		case Object:
			cur = cur.Get(s)
		case Array:
			i, err := strconv.Atoi(s)
			elems := cur.Elems()
			if err != nil || i < 0 || i >= len(elems) {
				return nil
			}
			cur = elems[i]
		default:
			return nil
		}
	}
	return cur
}

// IsString reports whether v is a string.
func (v *Value) IsString() bool { return v != nil && v.Kind == String }

// StringOr returns the string value or def when v is not a string.
func (v *Value) StringOr(def string) string {
	if v == nil || v.Kind != String {
		return def
	}
	return v.Str()
}

// IsExpression reports whether v is a string holding an ARM expression:
// it starts with "[" and ends with "]" and does not start with "[[".
func (v *Value) IsExpression() bool {
	return v != nil && v.Kind == String && IsExpression(v.Str())
}

// IsExpression reports whether s is an ARM template expression string.
func IsExpression(s string) bool {
	return len(s) >= 2 && s[0] == '[' && s[len(s)-1] == ']' && !strings.HasPrefix(s, "[[")
}

// Interface converts v into plain Go values: nil, bool, float64 or int64
// (numbers), string, []any and map[string]any. It does not evaluate
// expressions.
func (v *Value) Interface() any {
	if v == nil {
		return nil
	}
	switch v.Kind {
	case Bool:
		return v.Str() == "true"
	case Number:
		if i, err := strconv.ParseInt(v.Str(), 10, 64); err == nil {
			return i
		}
		f, _ := strconv.ParseFloat(v.Str(), 64)
		return f
	case String:
		return v.Str()
	case Array:
		elems := v.Elems()
		out := make([]any, len(elems))
		for i, e := range elems {
			out[i] = e.Interface()
		}
		return out
	case Object:
		members := v.Members()
		out := make(map[string]any, len(members))
		for _, m := range members {
			out[m.Key] = m.Value.Interface()
		}
		return out
	}
	return nil
}
