package expr

import (
	"math"
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
