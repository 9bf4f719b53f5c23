package expr

import (
	"strings"
	"unicode"
)

// Logical and comparison functions: if, coalesce, and, or, not, equals,
// less, greater, ..., true, false, null, bool.

func logicalFunctions() []*function {
	return []*function{
		{name: "if", minArgs: 3, maxArgs: 3, mode: modeLazy, lazy: fnIf},
		{name: "coalesce", minArgs: 1, maxArgs: -1, mode: modeLazy, lazy: fnCoalesce},
		{name: "and", minArgs: 1, maxArgs: -1, mode: modeLazy, lazy: func(c *call) Value { return fnAndOr(c, false) }},
		{name: "or", minArgs: 1, maxArgs: -1, mode: modeLazy, lazy: func(c *call) Value { return fnAndOr(c, true) }},
		{name: "not", minArgs: 1, maxArgs: 1, eval: fnNot},
		{name: "equals", minArgs: 2, maxArgs: 2, eval: func(_ *call, a []Value) Value { return Bool(Equal(a[0], a[1])) }},
		{name: "less", minArgs: 2, maxArgs: 2, eval: func(c *call, a []Value) Value { return compare(c, a, func(n int) bool { return n < 0 }) }},
		{name: "lessOrEquals", minArgs: 2, maxArgs: 2, eval: func(c *call, a []Value) Value { return compare(c, a, func(n int) bool { return n <= 0 }) }},
		{name: "greater", minArgs: 2, maxArgs: 2, eval: func(c *call, a []Value) Value { return compare(c, a, func(n int) bool { return n > 0 }) }},
		{name: "greaterOrEquals", minArgs: 2, maxArgs: 2, eval: func(c *call, a []Value) Value { return compare(c, a, func(n int) bool { return n >= 0 }) }},
		{name: "true", eval: func(*call, []Value) Value { return Bool(true) }},
		{name: "false", eval: func(*call, []Value) Value { return Bool(false) }},
		{name: "null", eval: func(*call, []Value) Value { return Null() }},
		{name: "bool", minArgs: 1, maxArgs: 1, eval: fnBool},
	}
}

// fnIf evaluates only the selected branch. With an unknown condition the
// result is known only when both branches evaluate to equal known values;
// when both are the same unknown, that unknown.
func fnIf(c *call) Value {
	e := c.env
	cond := e.eval(c.node.Args[0])
	if b, ok := cond.BoolVal(); ok {
		i := 2
		if b {
			i = 1
		}
		return e.eval(c.node.Args[i]).withDefaultsOf(cond.defaults)
	}
	if cond.k != KUnknown {
		c.args = []Value{cond}
		return c.fail("condition must be a bool, got %s", cond.k)
	}
	a, b := e.eval(c.node.Args[1]), e.eval(c.node.Args[2])
	if Equal(a, b) && a.IsFullyKnown() == b.IsFullyKnown() {
		return a.withDefaultsOf(cond.defaults).withDefaultsOf(b.defaults)
	}
	args := []Value{cond, a, b}
	c.args = args
	u := c.unknown(args[:1])
	u.u.Expr = c.text(args)
	u.u.Marks |= marksOf(a) | marksOf(b)
	return u.withDefaultsOf(unionDefaults(args))
}

func marksOf(v Value) Mark {
	if u := firstUnknownDesc(v); u != nil {
		return u.Marks
	}
	return 0
}

// fnCoalesce returns the first argument that is not null. An unknown
// argument before the first known non-null one makes the result unknown;
// arguments after it are not evaluated.
func fnCoalesce(c *call) Value {
	var seen []Value
	for _, x := range c.node.Args {
		v := c.env.eval(x)
		seen = append(seen, v)
		if v.k == KNull {
			continue
		}
		if v.k != KUnknown {
			if len(seen) == 1 || allKnown(seen) {
				return v.withDefaultsOf(unionDefaults(seen))
			}
			break
		}
	}
	if allKnown(seen) {
		return Null().withDefaultsOf(unionDefaults(seen))
	}
	// Evaluate the rest for a faithful canonical text.
	for _, x := range c.node.Args[len(seen):] {
		seen = append(seen, c.env.eval(x))
	}
	c.args = seen
	return c.unknown(seen).withDefaultsOf(unionDefaults(seen))
}

// fnAndOr short-circuits: and() stops at a known false, or() at a known
// true, even after unknown arguments.
func fnAndOr(c *call, isOr bool) Value {
	var seen []Value
	unknown := false
	for i, x := range c.node.Args {
		v := c.env.eval(x)
		seen = append(seen, v)
		if v.k == KUnknown {
			unknown = true
			continue
		}
		b, ok := v.BoolVal()
		if !ok {
			c.args = seen
			return c.typeErr(seen, i, "a bool")
		}
		if b == isOr {
			return Bool(isOr).withDefaultsOf(v.defaults)
		}
	}
	if unknown {
		c.args = seen
		return c.unknown(seen).withDefaultsOf(unionDefaults(seen))
	}
	return Bool(!isOr).withDefaultsOf(unionDefaults(seen))
}

func fnNot(c *call, a []Value) Value {
	b, ok := a[0].BoolVal()
	if !ok {
		return c.typeErr(a, 0, "a bool")
	}
	return Bool(!b)
}

// compare implements less/greater & co. on two numbers or two strings.
// Strings compare like .NET's culture-aware comparison (the documented
// examples give greater('A', 'a') = true): see cultureCompare.
func compare(c *call, a []Value, ok func(int) bool) Value {
	if x, isNum := a[0].FloatVal(); isNum {
		y, isNum := a[1].FloatVal()
		if !isNum {
			return c.typeErr(a, 1, "a number")
		}
		n := 0
		if a[0].k == KInt && a[1].k == KInt {
			switch {
			case a[0].i < a[1].i:
				n = -1
			case a[0].i > a[1].i:
				n = 1
			}
		} else {
			switch {
			case x < y:
				n = -1
			case x > y:
				n = 1
			}
		}
		return Bool(ok(n))
	}
	if x, isStr := a[0].Str(); isStr {
		y, isStr := a[1].Str()
		if !isStr {
			return c.typeErr(a, 1, "a string")
		}
		return Bool(ok(cultureCompare(x, y)))
	}
	return c.typeErr(a, 0, "an int or a string")
}

// fnBool converts a string ("true"/"false", any case), an integer (0 is
// false) or a bool.
func fnBool(c *call, a []Value) Value {
	switch a[0].k {
	case KBool:
		return a[0]
	case KInt:
		return Bool(a[0].i != 0)
	case KString:
		switch strings.ToLower(strings.TrimSpace(a[0].str())) {
		case "true":
			return Bool(true)
		case "false":
			return Bool(false)
		}
		return c.fail("cannot convert %s to a bool", quote(a[0].str()))
	}
	return c.typeErr(a, 0, "a string, int or bool")
}

// cultureCompare approximates .NET's invariant-culture string comparison:
// strings are first compared ignoring case (letter by letter), and only
// when they are equal that way does case decide, a lower-case letter
// sorting before its upper-case form. Unlike the real collation it
// does not ignore hyphens or apply other linguistic weights.
func cultureCompare(x, y string) int {
	xr, yr := []rune(x), []rune(y)
	for i := 0; i < len(xr) && i < len(yr); i++ {
		a, b := unicode.ToLower(xr[i]), unicode.ToLower(yr[i])
		if a != b {
			if a < b {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(xr) < len(yr):
		return -1
	case len(xr) > len(yr):
		return 1
	}
	for i := range xr {
		if xr[i] == yr[i] {
			continue
		}
		if unicode.IsLower(xr[i]) {
			return -1
		}
		return 1
	}
	return 0
}
