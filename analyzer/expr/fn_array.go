package expr

import "strings"

// Array functions (several also accept strings or objects, as in ARM).

func arrayFunctions() []*function {
	return []*function{
		{name: "createArray", minArgs: 0, maxArgs: -1, mode: modeAny, eval: func(_ *call, a []Value) Value {
			return Array(append([]Value(nil), a...))
		}},
		{name: "array", minArgs: 1, maxArgs: 1, mode: modeKnown, eval: func(_ *call, a []Value) Value {
			if a[0].k == KArray {
				return a[0]
			}
			return Array([]Value{a[0]})
		}},
		{name: "length", minArgs: 1, maxArgs: 1, mode: modeKnown, eval: fnLength},
		{name: "empty", minArgs: 1, maxArgs: 1, mode: modeKnown, eval: fnEmpty},
		{name: "contains", minArgs: 2, maxArgs: 2, mode: modeKnown, eval: fnContains},
		{name: "first", minArgs: 1, maxArgs: 1, mode: modeKnown, eval: func(c *call, a []Value) Value { return firstLast(c, a, false) }},
		{name: "last", minArgs: 1, maxArgs: 1, mode: modeKnown, eval: func(c *call, a []Value) Value { return firstLast(c, a, true) }},
		{name: "take", minArgs: 2, maxArgs: 2, mode: modeKnown, eval: func(c *call, a []Value) Value { return takeSkip(c, a, true) }},
		{name: "skip", minArgs: 2, maxArgs: 2, mode: modeKnown, eval: func(c *call, a []Value) Value { return takeSkip(c, a, false) }},
		{name: "range", minArgs: 2, maxArgs: 2, eval: fnRange},
		{name: "flatten", minArgs: 1, maxArgs: 1, mode: modeKnown, eval: fnFlatten},
		{name: "indexFromEnd", minArgs: 2, maxArgs: 2, mode: modeKnown, eval: func(c *call, a []Value) Value { return fromEnd(c, a, false) }},
		{name: "tryIndexFromEnd", minArgs: 2, maxArgs: -1, mode: modeAny, eval: fnTryIndexFromEnd},
		{name: "union", minArgs: 1, maxArgs: -1, mode: modeKnown, eval: fnUnion},
		{name: "intersection", minArgs: 1, maxArgs: -1, eval: fnIntersection},
	}
}

func fnLength(c *call, a []Value) Value {
	switch a[0].k {
	case KString:
		return Int(int64(utf16Len(a[0].str())))
	case KArray:
		return Int(int64(len(a[0].arr())))
	case KObject:
		return Int(int64(a[0].o.Len()))
	case KNull:
		return Int(0)
	}
	return c.typeErr(a, 0, "a string, array or object")
}

func fnEmpty(c *call, a []Value) Value {
	switch a[0].k {
	case KString:
		return Bool(a[0].str() == "")
	case KArray:
		return Bool(len(a[0].arr()) == 0)
	case KObject:
		return Bool(a[0].o.Len() == 0)
	case KNull:
		return Bool(true)
	}
	return c.typeErr(a, 0, "a string, array or object")
}

// fnContains: substring (case-sensitive) for strings, element equality
// for arrays, key presence (case-insensitive) for objects. With unknowns
// inside the container the answer is still known when it does not
// depend on them: a known equal element, or a known key.
func fnContains(c *call, a []Value) Value {
	switch a[0].k {
	case KString:
		if !a[1].IsFullyKnown() {
			return c.unknown(a)
		}
		if a[1].k == KArray || a[1].k == KObject {
			return c.typeErr(a, 1, "a string or a number")
		}
		return Bool(strings.Contains(a[0].str(), toString(a[1])))
	case KArray:
		if !c.charge(len(a[0].arr())/32 + 1) {
			return c.overBudget()
		}
		if !a[1].IsFullyKnown() {
			return c.unknown(a)
		}
		open := false
		for _, x := range a[0].arr() {
			if !x.IsFullyKnown() {
				open = true
				continue
			}
			if Equal(x, a[1]) {
				return Bool(true)
			}
		}
		if open {
			return c.unknown(a)
		}
		return Bool(false)
	case KObject:
		k, ok := a[1].Str()
		if !ok {
			return c.typeErr(a, 1, "a string")
		}
		if _, found := a[0].o.Get(k); found {
			return Bool(true)
		}
		if len(a[0].o.UnknownKeys) > 0 {
			return c.unknown(a)
		}
		return Bool(false)
	case KNull:
		return Bool(false)
	}
	return c.typeErr(a, 0, "a string, array or object")
}

func firstLast(c *call, a []Value, last bool) Value {
	switch a[0].k {
	case KString:
		u := utf16Of(a[0].str())
		if len(u) == 0 {
			return String("")
		}
		if last {
			return String(fromUTF16(u[len(u)-1:]))
		}
		return String(fromUTF16(u[:1]))
	case KArray:
		if len(a[0].arr()) == 0 {
			return Null()
		}
		if last {
			return a[0].arr()[len(a[0].arr())-1]
		}
		return a[0].arr()[0]
	}
	return c.typeErr(a, 0, "a string or an array")
}

func takeSkip(c *call, a []Value, take bool) Value {
	n, ok := a[1].IntVal()
	if !ok {
		return c.typeErr(a, 1, "an int")
	}
	clamp := func(l int) int {
		switch {
		case n < 0:
			return 0
		case n > int64(l):
			return l
		}
		return int(n)
	}
	switch a[0].k {
	case KString:
		u := utf16Of(a[0].str())
		k := clamp(len(u))
		if take {
			return String(fromUTF16(u[:k]))
		}
		return String(fromUTF16(u[k:]))
	case KArray:
		k := clamp(len(a[0].arr()))
		if take {
			return Array(append([]Value(nil), a[0].arr()[:k]...))
		}
		return Array(append([]Value(nil), a[0].arr()[k:]...))
	case KNull:
		return Null()
	}
	return c.typeErr(a, 0, "a string or an array")
}

// maxRange is ARM's limit on range()'s count.
const maxRange = 10000

func fnRange(c *call, a []Value) Value {
	start, ok := a[0].IntVal()
	if !ok {
		return c.typeErr(a, 0, "an int")
	}
	count, ok := a[1].IntVal()
	if !ok {
		return c.typeErr(a, 1, "an int")
	}
	if count < 0 || count > maxRange {
		return c.fail("count %d is outside 0..%d", count, maxRange)
	}
	if start+count > 1<<31-1 || start < -(1<<31) {
		return c.fail("start and count exceed the int32 range")
	}
	out := make([]Value, count)
	for i := range out {
		out[i] = Int(start + int64(i))
	}
	return Array(out)
}

func fnFlatten(c *call, a []Value) Value {
	if a[0].k != KArray {
		return c.typeErr(a, 0, "an array")
	}
	var out []Value
	for _, x := range a[0].arr() {
		switch x.k {
		case KArray:
			out = append(out, x.arr()...)
		case KUnknown:
			return c.unknown(a)
		default:
			return c.fail("elements must be arrays, got %s", x.k)
		}
	}
	return Array(out)
}

// fnTryIndexFromEnd is tryIndexFromEnd(array, n, steps...): the n-th
// element from the end or null, followed (as Bicep emits for
// a[?^n].b) by tryGet steps.
func fnTryIndexFromEnd(c *call, a []Value) Value {
	if a[0].k == KUnknown || !a[1].IsFullyKnown() {
		return c.unknown(a)
	}
	v := fromEnd(c, a[:2], true)
	if v.k == KUnknown && v.u != nil && v.u.Err {
		return v
	}
	if len(a) == 2 {
		return v
	}
	return tryPath(c, a, v, 2)
}

func fromEnd(c *call, a []Value, try bool) Value {
	if a[0].k != KArray {
		if try && a[0].k == KNull {
			return Null()
		}
		return c.typeErr(a, 0, "an array")
	}
	n, ok := a[1].IntVal()
	if !ok {
		return c.typeErr(a, 1, "an int")
	}
	l := int64(len(a[0].arr()))
	if n < 1 || n > l {
		if try {
			return Null()
		}
		return c.fail("index from end %d is out of range (length %d)", n, l)
	}
	return a[0].arr()[l-n]
}

// fnUnion: arrays give the distinct elements in order of appearance;
// objects are merged, later keys winning, nested objects merged
// recursively.
func fnUnion(c *call, a []Value) Value {
	switch a[0].k {
	case KArray:
		var out []Value
		for i, x := range a {
			if x.k != KArray {
				return c.typeErr(a, i, "an array")
			}
			if !x.IsFullyKnown() {
				return c.unknown(a)
			}
		next:
			for _, el := range x.arr() {
				if !c.charge(len(out)/32 + 1) {
					return c.overBudget()
				}
				for _, o := range out {
					if Equal(o, el) {
						continue next
					}
				}
				out = append(out, el)
			}
		}
		return Array(out)
	case KObject:
		acc := a[0]
		for i, x := range a[1:] {
			if x.k == KNull {
				continue
			}
			if x.k != KObject {
				return c.typeErr(a, i+1, "an object")
			}
			acc = mergeObjects(acc, x, true, 0)
		}
		return acc
	}
	return c.typeErr(a, 0, "an array or an object")
}

// mergeObjects returns a with b's members set over it; deep merges nested
// objects.
func mergeObjects(a, b Value, deep bool, depth int) Value {
	ob := &objBuilder{}
	for i, k := range a.o.Keys {
		ob.set(k, a.o.KeyIsUnknown(i), a.o.Vals[i])
	}
	for i, k := range b.o.Keys {
		v := b.o.Vals[i]
		if deep && v.k == KObject && depth < maxValueDepth && !b.o.KeyIsUnknown(i) {
			if old, ok := ob.o.Get(k); ok && old.k == KObject {
				v = mergeObjects(old, v, true, depth+1)
			}
		}
		ob.set(k, b.o.KeyIsUnknown(i), v)
	}
	return ob.value()
}

// fnIntersection: arrays give the elements present in every argument
// (distinct, in first-argument order); objects the members present with
// equal values in every argument.
func fnIntersection(c *call, a []Value) Value {
	switch a[0].k {
	case KArray:
		var out []Value
	elems:
		for _, el := range a[0].arr() {
			if !c.charge((len(out)+len(a[0].arr())*(len(a)-1))/32 + 1) {
				return c.overBudget()
			}
			for _, o := range out {
				if Equal(o, el) {
					continue elems
				}
			}
			for i, x := range a[1:] {
				if x.k != KArray {
					return c.typeErr(a, i+1, "an array")
				}
				found := false
				for _, y := range x.arr() {
					if Equal(y, el) {
						found = true
						break
					}
				}
				if !found {
					continue elems
				}
			}
			out = append(out, el)
		}
		return Array(out)
	case KObject:
		ob := &objBuilder{}
	keys:
		for i, k := range a[0].o.Keys {
			for j, x := range a[1:] {
				if x.k != KObject {
					return c.typeErr(a, j+1, "an object")
				}
				y, ok := x.o.Get(k)
				if !ok || !Equal(y, a[0].o.Vals[i]) {
					continue keys
				}
			}
			ob.set(k, false, a[0].o.Vals[i])
		}
		return ob.value()
	}
	return c.typeErr(a, 0, "an array or an object")
}
