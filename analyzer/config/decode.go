package config

import (
	"reflect"
	"strings"

	"github.com/armlint/armlint/analyzer/template"
)

// This file locates encoding/json errors in the source tree: json reports
// unknown keys without an offset and type errors at the end of the value,
// but users want the line and column of the key or value to fix.

var configType = reflect.TypeFor[Config]()

// unknownKey is a member of an object whose Go type has no matching field.
type unknownKey struct {
	parent *template.Value
	member *template.Member
	known  []string // the JSON names the object accepts
}

// findUnknownKey walks v along Go type t, the way encoding/json decodes it,
// and returns the first member (in source order) that t does not accept.
// Field names match case-insensitively, as encoding/json does.
func findUnknownKey(v *template.Value, t reflect.Type) *unknownKey {
	if v == nil {
		return nil
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t.Kind() == reflect.Struct && v.Kind == template.Object:
		fields := jsonFields(t)
		for _, m := range v.Members() {
			ft, ok := lookupField(fields, m.Key)
			if !ok {
				names := make([]string, len(fields))
				for i, f := range fields {
					names[i] = f.name
				}
				return &unknownKey{parent: v, member: &m, known: names}
			}
			if u := findUnknownKey(m.Value, ft); u != nil {
				return u
			}
		}
	case t.Kind() == reflect.Map && v.Kind == template.Object:
		for _, m := range v.Members() {
			if u := findUnknownKey(m.Value, t.Elem()); u != nil {
				return u
			}
		}
	case (t.Kind() == reflect.Slice || t.Kind() == reflect.Array) && v.Kind == template.Array:
		for _, e := range v.Elems() {
			if u := findUnknownKey(e, t.Elem()); u != nil {
				return u
			}
		}
	}
	return nil
}

type jsonField struct {
	name string
	typ  reflect.Type
}

// jsonFields lists the exported fields of struct type t that encoding/json
// decodes, by JSON name, in declaration order.
func jsonFields(t reflect.Type) []jsonField {
	var out []jsonField
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		out = append(out, jsonField{name: name, typ: f.Type})
	}
	return out
}

func lookupField(fields []jsonField, key string) (reflect.Type, bool) {
	for _, f := range fields {
		if f.name == key {
			return f.typ, true
		}
	}
	for _, f := range fields {
		if strings.EqualFold(f.name, key) {
			return f.typ, true
		}
	}
	return nil, false
}

// valueAt returns the value an encoding/json type error at offset off is
// about: json reports a scalar at its end and an array or object just past
// its opening bracket.
func valueAt(root *template.Value, off int) *template.Value {
	if v := valueEndingAt(root, off); v != nil {
		return v
	}
	return containerOpenedAt(root, off-1)
}

// containerOpenedAt returns the array or object of the tree rooted at v
// that starts at off, or nil.
func containerOpenedAt(v *template.Value, off int) *template.Value {
	if v == nil || off < v.Start() || off >= v.End() {
		return nil
	}
	if v.Start() == off && (v.Kind == template.Array || v.Kind == template.Object) {
		return v
	}
	for _, e := range v.Elems() {
		if r := containerOpenedAt(e, off); r != nil {
			return r
		}
	}
	for _, m := range v.Members() {
		if r := containerOpenedAt(m.Value, off); r != nil {
			return r
		}
	}
	return nil
}

// valueEndingAt returns the innermost value of the tree rooted at v whose
// span ends at off, or nil.
func valueEndingAt(v *template.Value, off int) *template.Value {
	if v == nil || off < v.Start() || off > v.End() {
		return nil
	}
	for _, e := range v.Elems() {
		if r := valueEndingAt(e, off); r != nil {
			return r
		}
	}
	for _, m := range v.Members() {
		if r := valueEndingAt(m.Value, off); r != nil {
			return r
		}
	}
	if v.End() == off {
		return v
	}
	return nil
}

// typeName describes a Go type in JSON terms for error messages.
func typeName(t reflect.Type) string {
	if t == nil {
		return "a different type"
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Bool:
		return "a boolean"
	case reflect.String:
		return "a string"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return t.String()
}
