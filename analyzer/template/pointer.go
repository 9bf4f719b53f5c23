package template

import (
	"strconv"
	"strings"
)

// Lookup resolves the RFC 6901 JSON pointer ptr relative to v ("" is v
// itself) and returns the node, or nil when the pointer is malformed or a
// step is absent. Unlike Get, object keys match exactly (case-sensitive);
// with duplicate keys the last wins. It is the inverse of Pointer for
// every node that is not an earlier duplicate key.
func (v *Value) Lookup(ptr string) *Value {
	if ptr == "" {
		return v
	}
	if !strings.HasPrefix(ptr, "/") {
		return nil
	}
	cur := v
	for _, seg := range strings.Split(ptr[1:], "/") {
		if cur == nil {
			return nil
		}
		switch cur.Kind {
		case Object:
			key := unescapePointer(seg)
			var next *Value
			ms := cur.Members()
			for i := len(ms) - 1; i >= 0; i-- { // the last duplicate wins, as in Get
				if ms[i].Key == key {
					next = ms[i].Value
					break
				}
			}
			cur = next
		case Array:
			i, err := strconv.Atoi(seg)
			elems := cur.Elems()
			if err != nil || i < 0 || i >= len(elems) || (len(seg) > 1 && seg[0] == '0') || seg[0] == '+' {
				return nil
			}
			cur = elems[i]
		default:
			return nil
		}
	}
	return cur
}

// unescapePointer decodes "~1" to "/" and "~0" to "~", in that order of
// precedence as RFC 6901 requires ("~01" is "~1").
func unescapePointer(s string) string {
	if !strings.Contains(s, "~") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~1", "/"), "~0", "~")
}
