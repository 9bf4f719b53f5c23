package expr

import (
	"math"
	"strings"
	"testing"
)

// Floats share the int field (their IEEE 754 bits): every float comes
// back bit for bit, and a float is never taken for an int.
func TestFloatValues(t *testing.T) {
	for _, f := range []float64{0, math.Copysign(0, -1), 1.5, -2.25, 1e300, math.SmallestNonzeroFloat64, math.Inf(1), math.Inf(-1), math.NaN()} {
		v := Float(f)
		got, ok := v.FloatVal()
		if !ok || math.Float64bits(got) != math.Float64bits(f) {
			t.Errorf("Float(%v).FloatVal() = %v, %v", f, got, ok)
		}
		if i, ok := v.IntVal(); ok || i != 0 {
			t.Errorf("Float(%v).IntVal() = %d, %v; want 0, false", f, i, ok)
		}
		if v.Kind() != KFloat {
			t.Errorf("Float(%v).Kind() = %v", f, v.Kind())
		}
	}
	if got, _ := Int(-7).FloatVal(); got != -7 {
		t.Errorf("Int(-7).FloatVal() = %v", got)
	}
	if !Equal(Float(2), Int(2)) || Equal(Float(2.5), Int(2)) || !Equal(Float(-0.5), Float(-0.5)) {
		t.Error("Equal of floats and ints")
	}
	if got := Float(-2.5).Expr(); got != "json('-2.5')" {
		t.Errorf("Float(-2.5).Expr() = %s", got)
	}
}

// Strings and arrays are held as a pointer and a length: they come back
// whole, an empty array is not nil, and neither is taken for the other.
func TestStringAndArrayValues(t *testing.T) {
	for _, s := range []string{"", "a", "vmName", strings.Repeat("é", 1000)} {
		v := String(s)
		if got, ok := v.Str(); !ok || got != s {
			t.Errorf("String(%q).Str() = %q, %v", s, got, ok)
		}
		if el, ok := v.Elems(); ok || el != nil {
			t.Errorf("String(%q).Elems() = %v, %v", s, el, ok)
		}
		if i, ok := v.IntVal(); ok || i != 0 {
			t.Errorf("String(%q).IntVal() = %d, %v", s, i, ok)
		}
	}
	for _, elems := range [][]Value{nil, {}, {Int(1)}, {String("a"), Array([]Value{Null(), Bool(true)})}} {
		v := Array(elems)
		got, ok := v.Elems()
		if !ok || got == nil || len(got) != len(elems) {
			t.Fatalf("Array(%v).Elems() = %v, %v", elems, got, ok)
		}
		for i := range elems {
			if !sameValue(got[i], elems[i]) {
				t.Errorf("Array(%v).Elems()[%d] = %v", elems, i, got[i])
			}
		}
		if s, ok := v.Str(); ok || s != "" {
			t.Errorf("Array(%v).Str() = %q, %v", elems, s, ok)
		}
	}
	if !sameValue(String("ab"), String(strings.Repeat("ab", 1)+"")) || sameValue(String("ab"), String("ba")) ||
		sameValue(Array([]Value{Int(1)}), Array([]Value{Int(2)})) || sameValue(Int(1), Float(1)) {
		t.Error("sameValue")
	}
}

// Property and index steps on a runtime read extend its text and path,
// from one to six steps (extendUnknown keeps up to three with the
// Unknown), and two reads extended from the same base do not share
// their paths.
func TestExtendUnknownPaths(t *testing.T) {
	env := envForTest(t)
	base := evalExpr(env, "reference('x', '2023-01-01', 'Full')")
	steps := []string{"identity", "a b", "c", "d", "e", "f"} // Prop, At, Prop, ...
	v := base
	text := "reference('x', '2023-01-01', 'Full')"
	for i, s := range steps {
		if i%2 == 0 {
			v = v.Prop(s)
		} else {
			v = v.At(String(s))
		}
		if i%2 == 0 {
			text += "." + s
		} else {
			text += "['" + s + "']" // an index keeps its form
		}
		if got := v.Unknown().Expr; got != text {
			t.Errorf("step %d: Expr %q, want %q", i+1, got, text)
		}
		path := v.Ref().Path
		if len(path) != i+1 {
			t.Fatalf("step %d: path %v", i+1, path)
		}
		for j, p := range path {
			if s, _ := p.Str(); s != steps[j] {
				t.Errorf("step %d: path[%d] = %q, want %q", i+1, j, s, steps[j])
			}
		}
	}
	for _, n := range []int{0, 2, 3} {
		b := base
		for _, s := range steps[:n] {
			b = b.Prop(s)
		}
		x, y := b.Prop("x").At(Int(1)), b.Prop("y").At(Int(2))
		px, py := x.Ref().Path, y.Ref().Path
		if s, _ := px[n].Str(); s != "x" {
			t.Errorf("after %d steps: x's path %v", n, px)
		}
		if s, _ := py[n].Str(); s != "y" {
			t.Errorf("after %d steps: y's path %v", n, py)
		}
		if i, _ := px[n+1].IntVal(); i != 1 {
			t.Errorf("after %d steps: x's path %v", n, px)
		}
		if got := x.Unknown().Expr; !strings.HasSuffix(got, ".x[1]") {
			t.Errorf("after %d steps: Expr %q", n, got)
		}
		if len(b.Ref().Path) != n {
			t.Errorf("after %d steps: base path changed to %v", n, b.Ref().Path)
		}
	}
}
