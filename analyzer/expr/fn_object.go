package expr

import (
	"sort"
	"strings"
)

// Object functions: createObject, json, objectKeys, items, shallowMerge,
// tryGet.

func objectFunctions() []*function {
	return []*function{
		{name: "createObject", minArgs: 0, maxArgs: -1, mode: modeAny, eval: fnCreateObject},
		{name: "json", minArgs: 1, maxArgs: 1, eval: fnJSON},
		{name: "objectKeys", minArgs: 1, maxArgs: 1, mode: modeKnown, eval: fnObjectKeys},
		{name: "items", minArgs: 1, maxArgs: 1, mode: modeKnown, eval: fnItems},
		{name: "shallowMerge", minArgs: 1, maxArgs: 1, mode: modeKnown, eval: fnShallowMerge},
		{name: "tryGet", minArgs: 2, maxArgs: -1, mode: modeAny, eval: fnTryGet},
	}
}

// fnCreateObject builds an object from key/value pairs; values may be
// unknown, and so may keys (recorded in Object.UnknownKeys).
func fnCreateObject(c *call, a []Value) Value {
	if len(a)%2 != 0 {
		return c.fail("expects an even number of arguments, got %d", len(a))
	}
	ob := &objBuilder{}
	for i := 0; i < len(a); i += 2 {
		switch a[i].k {
		case KString:
			ob.set(a[i].str(), false, a[i+1])
		case KUnknown:
			ob.set(a[i].u.Expr, true, a[i+1])
		default:
			return c.typeErr(a, i, "a string key")
		}
	}
	return ob.value()
}

func fnJSON(c *call, a []Value) Value {
	s, ok := a[0].Str()
	if !ok {
		return c.typeErr(a, 0, "a string")
	}
	v, err := parseLenientJSON(s)
	if err != nil {
		return c.fail("invalid JSON: %v", err)
	}
	return v
}

func fnObjectKeys(c *call, a []Value) Value {
	if a[0].k != KObject {
		return c.typeErr(a, 0, "an object")
	}
	if len(a[0].o.UnknownKeys) > 0 {
		return c.unknown(a)
	}
	out := make([]Value, len(a[0].o.Keys))
	for i, k := range a[0].o.Keys {
		out[i] = String(k)
	}
	return Array(out)
}

// fnItems converts an object to [{key, value}], sorted by key
// (case-insensitive ordinal), as ARM does.
func fnItems(c *call, a []Value) Value {
	if a[0].k != KObject {
		return c.typeErr(a, 0, "an object")
	}
	o := a[0].o
	if len(o.UnknownKeys) > 0 {
		return c.unknown(a)
	}
	idx := make([]int, len(o.Keys))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(x, y int) bool {
		return strings.ToUpper(o.Keys[idx[x]]) < strings.ToUpper(o.Keys[idx[y]])
	})
	out := make([]Value, len(idx))
	for i, j := range idx {
		out[i] = obj("key", o.Keys[j], "value", o.Vals[j])
	}
	return Array(out)
}

func fnShallowMerge(c *call, a []Value) Value {
	if a[0].k != KArray {
		return c.typeErr(a, 0, "an array of objects")
	}
	acc := NewObject(nil)
	for _, x := range a[0].arr() {
		switch x.k {
		case KObject:
			acc = mergeObjects(acc, x, false, 0)
		case KUnknown:
			return c.unknown(a)
		case KNull:
		default:
			return c.fail("elements must be objects, got %s", x.k)
		}
	}
	return acc
}

// fnTryGet reads keys or indexes in turn, giving null for anything
// missing. A step may also be an object {value: n, fromEnd: true}, as
// Bicep emits for a[^n] (n counted from the end, one-based). On a runtime
// read (reference(...)) it extends the Ref path like property access does.
func fnTryGet(c *call, a []Value) Value { return tryPath(c, a, a[0], 1) }

// tryPath applies the tryGet steps a[from:] to cur.
func tryPath(c *call, a []Value, cur Value, from int) Value {
	for i := from; i < len(a); i++ {
		k := a[i]
		if !k.IsFullyKnown() {
			return c.unknown(a)
		}
		if o, ok := k.Obj(); ok {
			n, fromEnd, ok := fromEndStep(o)
			if !ok {
				return c.typeErr(a, i, "a key, an index or {value, fromEnd}")
			}
			if fromEnd {
				switch cur.k {
				case KUnknown:
					return c.unknown(a)
				case KArray:
					l := int64(len(cur.arr()))
					if n < 1 || n > l {
						return Null()
					}
					cur = cur.arr()[l-n]
					continue
				}
				return Null()
			}
			k = Int(n)
		}
		switch cur.k {
		case KNull:
			return Null()
		case KUnknown:
			step := cur.At(k)
			if step.u != nil {
				nu := *step.u
				nu.Expr = c.text(a[:i+1])
				nu.Err = false
				step = NewUnknown(&nu).withDefaultsOf(step.defaults)
			}
			cur = step
		case KObject:
			s, ok := k.Str()
			if !ok {
				return c.typeErr(a, i, "a string key")
			}
			v, found := cur.o.Get(s)
			if !found {
				if len(cur.o.UnknownKeys) > 0 {
					return c.unknown(a)
				}
				return Null()
			}
			cur = v
		case KArray:
			n, ok := k.IntVal()
			if !ok {
				return c.typeErr(a, i, "an integer index")
			}
			if n < 0 || n >= int64(len(cur.arr())) {
				return Null()
			}
			cur = cur.arr()[n]
		default:
			return Null()
		}
	}
	return cur
}

// fromEndStep decodes a {value: n, fromEnd: bool} index step.
func fromEndStep(o *Object) (n int64, fromEnd, ok bool) {
	v, found := o.Get("value")
	if !found {
		return 0, false, false
	}
	if n, ok = v.IntVal(); !ok {
		return 0, false, false
	}
	if f, found := o.Get("fromEnd"); found {
		if fromEnd, ok = f.BoolVal(); !ok {
			return 0, false, false
		}
	}
	return n, fromEnd, true
}
