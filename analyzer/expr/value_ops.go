package expr

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"strconv"
	"strings"
)

// maxExprText bounds the length of an Unknown's Expr text. Longer texts are
// cut and suffixed with a hash of the full text, so that equal texts stay
// equal and different texts stay (practically) different.
const maxExprText = 2048

// clipExpr shortens an expression text longer than maxExprText.
func clipExpr(s string) string {
	if len(s) <= maxExprText {
		return s
	}
	sum := sha256.Sum256([]byte(s))
	cut := maxExprText - 32
	for cut > 0 && !utf8Start(s[cut]) {
		cut--
	}
	return s[:cut] + "…#" + hex.EncodeToString(sum[:8])
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// Equal reports whether a and b are the same value. Strings compare
// case-sensitively (as ARM's equals does), numbers by value (1 equals 1.0),
// objects by key set (keys case-insensitive) and member values, arrays
// element-wise. Two unknowns are equal when their canonical Expr texts
// are equal: they denote the same deployment-time value. Provenance
// (Defaults) is ignored.
func Equal(a, b Value) bool { return equalDepth(a, b, 0) }

func equalDepth(a, b Value, depth int) bool {
	if depth > maxValueDepth {
		return false
	}
	if a.k == KUnknown || b.k == KUnknown {
		return a.k == b.k && a.u != nil && b.u != nil && a.u.Expr == b.u.Expr && !a.u.Err && !b.u.Err
	}
	if fa, ok := a.FloatVal(); ok {
		fb, ok := b.FloatVal()
		if a.k == KInt && b.k == KInt {
			return a.i == b.i
		}
		return ok && fa == fb
	}
	if a.k != b.k {
		return false
	}
	switch a.k {
	case KNull:
		return true
	case KBool:
		return a.b == b.b
	case KString:
		return a.str() == b.str()
	case KArray:
		if len(a.arr()) != len(b.arr()) {
			return false
		}
		for i := range a.arr() {
			if !equalDepth(a.arr()[i], b.arr()[i], depth+1) {
				return false
			}
		}
		return true
	case KObject:
		if a.o.Len() != b.o.Len() || len(a.o.UnknownKeys) != len(b.o.UnknownKeys) {
			return false
		}
		for i, k := range a.o.Keys {
			bv, ok := b.o.Get(k)
			if !ok || !equalDepth(a.o.Vals[i], bv, depth+1) {
				return false
			}
		}
		return true
	}
	return false
}

// maxValueDepth bounds recursion over nested values.
const maxValueDepth = 256

// Expr returns the canonical expression text of v: for an unknown its
// Expr, for a known value a literal that evaluates to it. Literals are
// written 'text' (quotes doubled), 12, true(), false(), null(),
// json('1.5'), createArray(...) and createObject('key', value, ...).
func (v Value) Expr() string {
	switch v.k {
	case KString:
		return quote(v.str())
	case KUnknown:
		if v.u == nil {
			return ""
		}
		return v.u.Expr
	}
	var b strings.Builder
	writeLiteral(&b, v, 0)
	return b.String()
}

// literalSize is the length of the literal text of a string or unknown,
// or a guess for other values: room to reserve before writing it.
func literalSize(v Value) int {
	switch v.k {
	case KString:
		return len(v.str()) + 2
	case KUnknown:
		if v.u != nil {
			return len(v.u.Expr)
		}
	}
	return 8
}

func writeLiteral(b *strings.Builder, v Value, depth int) {
	if depth > maxValueDepth {
		b.WriteString("null()")
		return
	}
	switch v.k {
	case KNull:
		b.WriteString("null()")
	case KBool:
		if v.b {
			b.WriteString("true()")
		} else {
			b.WriteString("false()")
		}
	case KInt:
		b.WriteString(strconv.FormatInt(v.i, 10))
	case KFloat:
		b.WriteString("json(")
		b.WriteString(quote(formatFloat(v.float())))
		b.WriteString(")")
	case KString:
		b.WriteString(quote(v.str()))
	case KArray:
		b.WriteString("createArray(")
		for i, e := range v.arr() {
			if i > 0 {
				b.WriteString(", ")
			}
			writeLiteral(b, e, depth+1)
		}
		b.WriteString(")")
	case KObject:
		b.WriteString("createObject(")
		for i, k := range v.o.Keys {
			if i > 0 {
				b.WriteString(", ")
			}
			if v.o.KeyIsUnknown(i) {
				b.WriteString(k)
			} else {
				b.WriteString(quote(k))
			}
			b.WriteString(", ")
			writeLiteral(b, v.o.Vals[i], depth+1)
		}
		b.WriteString(")")
	case KUnknown:
		if v.u != nil {
			b.WriteString(v.u.Expr)
		}
	}
}

// quote writes s as an expression string literal.
func quote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

func formatFloat(f float64) string {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return "0"
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// String returns v as compact JSON, the way ARM's string() renders arrays
// and objects. An unknown is rendered as the template expression string
// "[<Expr>]"; so is an unknown object key.
func (v Value) String() string {
	var b strings.Builder
	writeJSON(&b, v, 0)
	return b.String()
}

// MarshalJSON implements json.Marshaler with the rendering of String.
func (v Value) MarshalJSON() ([]byte, error) { return []byte(v.String()), nil }

func writeJSON(b *strings.Builder, v Value, depth int) {
	if depth > maxValueDepth {
		b.WriteString("null")
		return
	}
	switch v.k {
	case KNull:
		b.WriteString("null")
	case KBool:
		b.WriteString(strconv.FormatBool(v.b))
	case KInt:
		b.WriteString(strconv.FormatInt(v.i, 10))
	case KFloat:
		b.WriteString(formatFloat(v.float()))
	case KString:
		writeJSONString(b, v.str())
	case KArray:
		b.WriteByte('[')
		for i, e := range v.arr() {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSON(b, e, depth+1)
		}
		b.WriteByte(']')
	case KObject:
		b.WriteByte('{')
		for i, k := range v.o.Keys {
			if i > 0 {
				b.WriteByte(',')
			}
			if v.o.KeyIsUnknown(i) {
				k = "[" + k + "]"
			}
			writeJSONString(b, k)
			b.WriteByte(':')
			writeJSON(b, v.o.Vals[i], depth+1)
		}
		b.WriteByte('}')
	case KUnknown:
		e := ""
		if v.u != nil {
			e = v.u.Expr
		}
		writeJSONString(b, "["+e+"]")
	}
}

const hexDigits = "0123456789abcdef"

func writeJSONString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := range len(s) {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&0xF])
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
}

// Interface converts v into plain Go values: nil, bool, int64, float64,
// string, []any and map[string]any. An unknown becomes its *Unknown.
func (v Value) Interface() any { return v.iface(0) }

func (v Value) iface(depth int) any {
	if depth > maxValueDepth {
		return nil
	}
	switch v.k {
	case KBool:
		return v.b
	case KInt:
		return v.i
	case KFloat:
		return v.float()
	case KString:
		return v.str()
	case KArray:
		out := make([]any, len(v.arr()))
		for i, e := range v.arr() {
			out[i] = e.iface(depth + 1)
		}
		return out
	case KObject:
		out := make(map[string]any, len(v.o.Keys))
		for i, k := range v.o.Keys {
			out[k] = v.o.Vals[i].iface(depth + 1)
		}
		return out
	case KUnknown:
		return v.u
	}
	return nil
}

// Prop returns property name of v, as the expression v.name does. On an
// unknown it returns an unknown whose Expr is extended and, for a runtime
// read, whose Ref.Path gets name appended. Reading a property that does
// not exist, or a property of a non-object, is an error at deployment and
// yields an unknown with Err set.
func (v Value) Prop(name string) Value {
	switch v.k {
	case KUnknown:
		if isPlainName(name) {
			return v.extendUnknown(".", name, "", String(name))
		}
		return v.extendUnknown("[", quote(name), "]", String(name))
	case KObject:
		if r, ok := v.o.Get(name); ok {
			return r.withDefaultsOf(v.defaults)
		}
		if len(v.o.UnknownKeys) > 0 {
			return NewUnknown(&Unknown{
				Expr:   clipExpr(v.Expr() + propSuffix(name)),
				Reason: "the object has keys unknown before deployment",
			}).withDefaultsOf(v.defaults)
		}
		return v.fail(propSuffix(name), "property '"+name+"' does not exist")
	}
	return v.fail(propSuffix(name), "cannot read property '"+name+"' of a "+v.k.String())
}

// Index returns element i of an array, as v[i] does. Out of range indexes
// and non-arrays yield an unknown with Err set.
func (v Value) Index(i int) Value { return v.At(Int(int64(i))) }

// At applies the index expression v[key]: an integer index into an array,
// or a string key into an object.
func (v Value) At(key Value) Value {
	if key.k == KUnknown {
		if v.k == KArray && len(v.arr()) == 0 {
			return v.fail("["+key.Expr()+"]", "index into an empty array")
		}
		u := v.extendUnknown("[", key.Expr(), "]", key)
		if v.k != KUnknown {
			u.u.Reason = key.u.Reason
			u.u.Marks |= key.u.Marks
			u.u.Ref = nil
		}
		return u.withDefaultsOf(key.defaults)
	}
	if s, ok := key.Str(); ok {
		if v.k == KUnknown || v.k == KObject {
			r := v.Prop(s)
			if r.k == KUnknown && r.u != nil && (v.k == KUnknown || r.u.Err) {
				// Keep the index form in the text.
				nu := *r.u
				nu.Expr = clipExpr(v.Expr() + "[" + quote(s) + "]")
				r.u = &nu
			}
			return r.withDefaultsOf(key.defaults)
		}
		return v.fail("["+quote(s)+"]", "cannot index a "+v.k.String()+" with a string").withDefaultsOf(key.defaults)
	}
	f, ok := key.FloatVal()
	if !ok || f != math.Trunc(f) {
		return v.fail("["+key.Expr()+"]", "index must be an integer or a string, got "+key.k.String())
	}
	i := int64(f)
	index := strconv.FormatInt(i, 10)
	suffix := "[" + index + "]"
	switch v.k {
	case KUnknown:
		return v.extendUnknown("[", index, "]", Int(i)).withDefaultsOf(key.defaults)
	case KArray:
		if i < 0 || i >= int64(len(v.arr())) {
			return v.fail(suffix, "index "+strconv.FormatInt(i, 10)+" is out of range (length "+strconv.Itoa(len(v.arr()))+")")
		}
		return v.arr()[i].withDefaultsOf(v.defaults).withDefaultsOf(key.defaults)
	}
	return v.fail(suffix, "cannot index a "+v.k.String()+" with an integer")
}

// extendUnknown returns the unknown v (or a fresh one when v is known)
// with before+text+after appended to its Expr and step appended to its Ref
// path. The new Unknown, its Ref and a path of up to three steps take one
// allocation (extendedRef), and the Expr another.
func (v Value) extendUnknown(before, text, after string, step Value) Value {
	if v.k != KUnknown || v.u == nil {
		return NewUnknown(&Unknown{Expr: clipExpr(v.Expr() + before + text + after)}).withDefaultsOf(v.defaults)
	}
	var nu *Unknown
	if ref := v.u.Ref; ref == nil {
		c := *v.u
		nu = &c
	} else if n := len(ref.Path) + 1; n <= len(extendedRef{}.path) {
		x := &extendedRef{u: *v.u, r: *ref}
		copy(x.path[:], ref.Path)
		x.path[n-1] = step
		x.r.Path = x.path[:n:n] // an append to it copies
		x.u.Ref = &x.r
		nu = &x.u
	} else {
		c, r := *v.u, *ref
		r.Path = append(append(make([]Value, 0, n), ref.Path...), step)
		c.Ref = &r
		nu = &c
	}
	nu.Expr = clipExpr(v.u.Expr + before + text + after)
	out := NewUnknown(nu)
	out.defaults = v.defaults
	return out
}

// extendedRef is an Unknown with its Ref and the Ref's path, allocated
// together by extendUnknown: runtime reads are followed by a few
// property names (identity.principalId, outputs.name.value).
type extendedRef struct {
	u    Unknown
	r    Ref
	path [3]Value
}

// fail returns the error unknown for applying suffix to v.
func (v Value) fail(suffix, reason string) Value {
	return NewUnknown(&Unknown{Expr: clipExpr(v.Expr() + suffix), Reason: reason, Err: true}).withDefaultsOf(v.defaults)
}

// propSuffix renders a property access: ".name" when name is a plain
// identifier, "['name']" otherwise.
func propSuffix(name string) string {
	if isPlainName(name) {
		return "." + name
	}
	return "[" + quote(name) + "]"
}

func isPlainName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || r == '$' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
		case i > 0 && (r >= '0' && r <= '9' || r == '-'):
		default:
			return false
		}
	}
	return true
}

// firstUnknown returns the first unknown found in v (depth first), or nil.
func firstUnknown(v Value) *Value {
	if u, ok := findUnknown(v, 0); ok {
		return &u
	}
	return nil
}

// firstUnknownDesc returns the description of the first unknown found in
// v (depth first), or nil.
func firstUnknownDesc(v Value) *Unknown {
	if u, ok := findUnknown(v, 0); ok {
		return u.u
	}
	return nil
}

func findUnknown(v Value, depth int) (Value, bool) {
	switch v.k {
	case KUnknown:
		return v, true
	case KArray:
		if depth > maxValueDepth {
			return Value{}, false
		}
		for _, e := range v.arr() {
			if u, ok := findUnknown(e, depth+1); ok {
				return u, true
			}
		}
	case KObject:
		if depth > maxValueDepth {
			return Value{}, false
		}
		if len(v.o.UnknownKeys) > 0 {
			return NewUnknown(&Unknown{Expr: v.o.Keys[v.o.UnknownKeys[0]], Reason: "the object has keys unknown before deployment"}), true
		}
		for _, e := range v.o.Vals {
			if u, ok := findUnknown(e, depth+1); ok {
				return u, true
			}
		}
	}
	return Value{}, false
}
