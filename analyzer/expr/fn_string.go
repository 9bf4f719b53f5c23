package expr

import (
	"strings"
	"unicode"
	"unicode/utf16"
)

// String functions. Lengths and positions count UTF-16 code units, as
// .NET strings do; startsWith, endsWith, indexOf and lastIndexOf ignore
// case (ordinal, case-insensitive), contains and replace do not.

func stringFunctions() []*function {
	return []*function{
		{name: "concat", minArgs: 0, maxArgs: -1, mode: modeKnown, eval: fnConcat, canon: concatText},
		{name: "toLower", minArgs: 1, maxArgs: 1, eval: strFn(strings.ToLower)},
		{name: "toUpper", minArgs: 1, maxArgs: 1, eval: strFn(strings.ToUpper)},
		{name: "trim", minArgs: 1, maxArgs: 1, eval: strFn(func(s string) string { return strings.TrimFunc(s, unicode.IsSpace) })},
		{name: "string", minArgs: 1, maxArgs: 1, eval: func(_ *call, a []Value) Value { return String(toString(a[0])) }},
		{name: "split", minArgs: 2, maxArgs: 2, eval: fnSplit},
		{name: "join", minArgs: 2, maxArgs: 2, eval: fnJoin},
		{name: "replace", minArgs: 3, maxArgs: 3, eval: fnReplace},
		{name: "substring", minArgs: 2, maxArgs: 3, eval: fnSubstring},
		{name: "startsWith", minArgs: 2, maxArgs: 2, eval: func(c *call, a []Value) Value {
			return strPair(c, a, func(s, t string) Value { return Bool(strings.HasPrefix(foldCase(s), foldCase(t))) })
		}},
		{name: "endsWith", minArgs: 2, maxArgs: 2, eval: func(c *call, a []Value) Value {
			return strPair(c, a, func(s, t string) Value { return Bool(strings.HasSuffix(foldCase(s), foldCase(t))) })
		}},
		{name: "indexOf", minArgs: 2, maxArgs: 2, eval: func(c *call, a []Value) Value { return fnIndexOf(c, a, false) }},
		{name: "lastIndexOf", minArgs: 2, maxArgs: 2, eval: func(c *call, a []Value) Value { return fnIndexOf(c, a, true) }},
		{name: "padLeft", minArgs: 2, maxArgs: 3, eval: fnPadLeft},
	}
}

// foldCase maps s for case-insensitive ordinal comparison.
func foldCase(s string) string { return strings.ToUpper(s) }

func strFn(f func(string) string) func(*call, []Value) Value {
	return func(c *call, a []Value) Value {
		s, ok := a[0].Str()
		if !ok {
			return c.typeErr(a, 0, "a string")
		}
		return String(f(s))
	}
}

func strPair(c *call, a []Value, f func(s, t string) Value) Value {
	s, ok := a[0].Str()
	if !ok {
		return c.typeErr(a, 0, "a string")
	}
	t, ok := a[1].Str()
	if !ok {
		return c.typeErr(a, 1, "a string")
	}
	return f(s, t)
}

// toString renders a value the way string() does: strings as they are,
// bools as True/False (.NET), numbers in decimal, null as "", arrays and
// objects as compact JSON.
func toString(v Value) string {
	switch v.k {
	case KString:
		return v.str()
	case KBool:
		if v.b {
			return "True"
		}
		return "False"
	case KNull:
		return ""
	case KInt, KFloat:
		return v.String()
	}
	return v.String()
}

// fnConcat concatenates strings (scalars are converted as by string()) or
// arrays (null arguments are skipped).
func fnConcat(c *call, a []Value) Value {
	if len(a) == 0 {
		return String("")
	}
	if a[0].k == KArray || a[0].k == KNull && len(a) > 1 && a[1].k == KArray {
		var out []Value
		for i, x := range a {
			switch x.k {
			case KArray:
				out = append(out, x.arr()...)
			case KNull:
			default:
				return c.typeErr(a, i, "an array")
			}
		}
		return Array(out)
	}
	if !allFullyKnown(a) {
		return c.unknown(a)
	}
	var b strings.Builder
	for i, x := range a {
		if x.k == KArray || x.k == KObject {
			return c.typeErr(a, i, "a string")
		}
		b.WriteString(toString(x))
		if b.Len() > maxStringLen {
			return c.fail("result is too long")
		}
	}
	return String(b.String())
}

// concatText is the canonical text of a concat() with unknown arguments:
// adjacent known string and number arguments are merged into one string
// literal and empty strings are dropped, so concat('a', 'b', x) and
// concat('ab', x) have the same text.
func concatText(_ *call, a []Value) string {
	var merged []Value
	var pending strings.Builder
	has := false
	flush := func() {
		if has && pending.Len() > 0 {
			merged = append(merged, String(pending.String()))
		}
		pending.Reset()
		has = false
	}
	for _, x := range a {
		switch x.k {
		case KString, KInt, KBool:
			pending.WriteString(toString(x))
			has = true
		default:
			flush()
			merged = append(merged, x)
		}
	}
	flush()
	return callText("concat", merged)
}

func fnSplit(c *call, a []Value) Value {
	s, ok := a[0].Str()
	if !ok {
		return c.typeErr(a, 0, "a string")
	}
	var seps []string
	switch a[1].k {
	case KString:
		seps = []string{a[1].str()}
	case KArray:
		for _, d := range a[1].arr() {
			if d.k != KString {
				return c.typeErr(a, 1, "a string or an array of strings")
			}
			seps = append(seps, d.str())
		}
	default:
		return c.typeErr(a, 1, "a string or an array of strings")
	}
	var out []Value
	for {
		if !c.charge(len(seps)) {
			return c.overBudget()
		}
		best, bestLen := -1, 0
		for _, d := range seps {
			if d == "" {
				continue
			}
			if i := strings.Index(s, d); i >= 0 && (best < 0 || i < best) {
				best, bestLen = i, len(d)
			}
		}
		if best < 0 {
			out = append(out, String(s))
			return Array(out)
		}
		out = append(out, String(s[:best]))
		s = s[best+bestLen:]
	}
}

func fnJoin(c *call, a []Value) Value {
	if a[0].k != KArray {
		return c.typeErr(a, 0, "an array")
	}
	sep, ok := a[1].Str()
	if !ok {
		return c.typeErr(a, 1, "a string")
	}
	parts := make([]string, len(a[0].arr()))
	for i, x := range a[0].arr() {
		if x.k == KArray || x.k == KObject {
			return c.fail("array elements must be strings, numbers or bools")
		}
		parts[i] = toString(x)
	}
	return String(strings.Join(parts, sep))
}

func fnReplace(c *call, a []Value) Value {
	for i := range a {
		if a[i].k != KString {
			return c.typeErr(a, i, "a string")
		}
	}
	if a[1].str() == "" {
		return c.fail("the string to replace must not be empty")
	}
	n := strings.Count(a[0].str(), a[1].str())
	if len(a[0].str())+n*(len(a[2].str())-len(a[1].str())) > maxStringLen {
		return c.fail("result is too long")
	}
	return String(strings.ReplaceAll(a[0].str(), a[1].str(), a[2].str()))
}

// utf16Of and fromUTF16 convert between Go strings and .NET's UTF-16.
func utf16Of(s string) []uint16 { return utf16.Encode([]rune(s)) }

// utf16Len is len(utf16Of(s)): runes beyond the Basic Multilingual Plane
// take two UTF-16 units (a string's runes are never surrogates).
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

func fromUTF16(u []uint16) string { return string(utf16.Decode(u)) }

func intArg(a []Value, i int) (int64, bool) {
	if i >= len(a) {
		return 0, false
	}
	return a[i].IntVal()
}

func fnSubstring(c *call, a []Value) Value {
	s, ok := a[0].Str()
	if !ok {
		return c.typeErr(a, 0, "a string")
	}
	u := utf16Of(s)
	start, ok := intArg(a, 1)
	if !ok {
		return c.typeErr(a, 1, "an int")
	}
	length := int64(len(u)) - start
	if len(a) == 3 {
		if length, ok = intArg(a, 2); !ok {
			return c.typeErr(a, 2, "an int")
		}
	}
	if start < 0 || start > int64(len(u)) {
		return c.fail("start index %d is out of range (length %d)", start, len(u))
	}
	if length < 0 || start+length > int64(len(u)) {
		return c.fail("length %d is out of range", length)
	}
	return String(fromUTF16(u[start : start+length]))
}

func fnIndexOf(c *call, a []Value, last bool) Value {
	if !c.charge(len(a[0].arr())/32 + len(a[0].str())/256 + 1) {
		return c.overBudget()
	}
	if a[0].k == KArray {
		idx := -1
		for i, x := range a[0].arr() {
			if Equal(x, a[1]) {
				idx = i
				if !last {
					break
				}
			}
		}
		return Int(int64(idx))
	}
	return strPair(c, a, func(s, t string) Value {
		hs, nd := foldCase(s), foldCase(t)
		i := strings.Index(hs, nd)
		if last {
			i = strings.LastIndex(hs, nd)
		}
		if i < 0 {
			return Int(-1)
		}
		return Int(int64(utf16Len(hs[:i])))
	})
}

// fnPadLeft pads a string (or an integer's decimal text) on the left.
func fnPadLeft(c *call, a []Value) Value {
	var s string
	switch a[0].k {
	case KString:
		s = a[0].str()
	case KInt:
		s = toString(a[0])
	default:
		return c.typeErr(a, 0, "a string or an int")
	}
	total, ok := intArg(a, 1)
	if !ok {
		return c.typeErr(a, 1, "an int")
	}
	if total > 16384 {
		return c.fail("total length %d is too large", total)
	}
	pad := " "
	if len(a) == 3 {
		p, ok := a[2].Str()
		if !ok || utf16Len(p) != 1 {
			return c.fail("padding must be a single character")
		}
		pad = p
	}
	n := int(total) - utf16Len(s)
	if n <= 0 {
		return String(s)
	}
	return String(strings.Repeat(pad, n) + s)
}
