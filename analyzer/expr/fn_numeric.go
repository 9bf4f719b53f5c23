package expr

import (
	"math"
	"strconv"
	"strings"
)

// Numeric functions: add, sub, mul, div, mod (64-bit integers, as ARM),
// min, max, int, float.

func numericFunctions() []*function {
	arith := func(name string, op func(c *call, x, y int64) Value) *function {
		return &function{name: name, minArgs: 2, maxArgs: 2, eval: func(c *call, a []Value) Value {
			x, ok := a[0].IntVal()
			if !ok {
				return c.typeErr(a, 0, "an int")
			}
			y, ok := a[1].IntVal()
			if !ok {
				return c.typeErr(a, 1, "an int")
			}
			return op(c, x, y)
		}}
	}
	return []*function{
		arith("add", func(_ *call, x, y int64) Value { return Int(x + y) }),
		arith("sub", func(_ *call, x, y int64) Value { return Int(x - y) }),
		arith("mul", func(_ *call, x, y int64) Value { return Int(x * y) }),
		arith("div", func(c *call, x, y int64) Value {
			if y == 0 {
				return c.fail("division by zero")
			}
			if x == math.MinInt64 && y == -1 {
				return c.fail("integer overflow")
			}
			return Int(x / y)
		}),
		arith("mod", func(c *call, x, y int64) Value {
			if y == 0 {
				return c.fail("division by zero")
			}
			if y == -1 {
				return Int(0)
			}
			return Int(x % y)
		}),
		{name: "min", minArgs: 1, maxArgs: -1, eval: func(c *call, a []Value) Value { return minMax(c, a, false) }},
		{name: "max", minArgs: 1, maxArgs: -1, eval: func(c *call, a []Value) Value { return minMax(c, a, true) }},
		{name: "int", minArgs: 1, maxArgs: 1, eval: fnInt},
		{name: "float", minArgs: 1, maxArgs: 1, eval: fnFloat},
	}
}

// minMax accepts numbers, or a single array of numbers.
func minMax(c *call, a []Value, isMax bool) Value {
	xs := a
	if len(a) == 1 && a[0].k == KArray {
		xs = a[0].arr()
	}
	if len(xs) == 0 {
		return c.fail("no values")
	}
	best := xs[0]
	for i, x := range xs {
		fx, ok := x.FloatVal()
		if !ok {
			return c.typeErr(xs, i, "a number")
		}
		fb, _ := best.FloatVal()
		if isMax && fx > fb || !isMax && fx < fb || x.k == KInt && best.k == KInt && (isMax && x.i > best.i || !isMax && x.i < best.i) {
			best = x
		}
	}
	return best.WithDefaults()
}

func fnInt(c *call, a []Value) Value {
	switch a[0].k {
	case KInt:
		return a[0]
	case KFloat:
		f := math.Trunc(a[0].float())
		if f > math.MaxInt64 || f < math.MinInt64 {
			return c.fail("value out of range")
		}
		return Int(int64(f))
	case KString:
		i, err := strconv.ParseInt(strings.TrimSpace(a[0].str()), 10, 64)
		if err != nil {
			return c.fail("cannot convert %s to an int", quote(a[0].str()))
		}
		return Int(i)
	case KBool:
		if a[0].b {
			return Int(1)
		}
		return Int(0)
	}
	return c.typeErr(a, 0, "a string or a number")
}

func fnFloat(c *call, a []Value) Value {
	switch a[0].k {
	case KInt:
		return Float(float64(a[0].i))
	case KFloat:
		return a[0]
	case KString:
		f, err := strconv.ParseFloat(strings.TrimSpace(a[0].str()), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return c.fail("cannot convert %s to a float", quote(a[0].str()))
		}
		return Float(f)
	}
	return c.typeErr(a, 0, "a string or a number")
}
