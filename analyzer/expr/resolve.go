package expr

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/armlint/armlint/analyzer/template"
)

// This file resolves the names an expression reads: parameters,
// variables, user-defined functions and lambda variables.

// lambdaFrame binds lambda parameter names to values.
type lambdaFrame struct {
	names []string
	vals  []Value
	outer *lambdaFrame
}

// udfFrame is the activation of a user-defined function.
type udfFrame struct {
	name   string
	params []string
	vals   []Value
	depth  int
}

// maxUDFDepth bounds nested user-defined function calls.
const maxUDFDepth = 32

// numberValue converts a JSON number literal.
func numberValue(s string) Value {
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return Int(i)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return Null()
	}
	return Float(f)
}

// Literal converts a raw JSON node into a Value without evaluating
// anything: expression-like strings stay strings.
func Literal(v *template.Value) Value { return literal(v, 0) }

func literal(v *template.Value, depth int) Value {
	if v == nil || depth > maxValueDepth {
		return Null()
	}
	switch v.Kind {
	case template.Bool:
		return Bool(v.Str() == "true")
	case template.Number:
		return numberValue(v.Str())
	case template.String:
		return String(v.Str())
	case template.Array:
		out := make([]Value, len(v.Elems()))
		for i, e := range v.Elems() {
			out[i] = literal(e, depth+1)
		}
		return Array(out)
	case template.Object:
		b := newObjBuilder(len(v.Members()))
		for _, m := range v.Members() {
			b.set(m.Key, false, literal(m.Value, depth+1))
		}
		return b.value()
	}
	return Null()
}

// findParam returns the declaration of parameter name (case-insensitive)
// and its index in the template's parameters (-1 when not declared).
func (sc *scope) findParam(name string) (*template.Parameter, int) {
	if sc.t == nil {
		return nil, -1
	}
	for i, p := range sc.t.Parameters {
		if p != nil && p.Name == name {
			return p, i
		}
	}
	for i, p := range sc.t.Parameters {
		if p != nil && strings.EqualFold(p.Name, name) {
			return p, i
		}
	}
	return nil, -1
}

// parameter resolves parameters(name) in e.
func (e *Env) parameter(name string) Value {
	if e.udf != nil {
		for i, n := range e.udf.params {
			if strings.EqualFold(n, name) {
				return e.udf.vals[i]
			}
		}
		return NewUnknown(&Unknown{Expr: "parameters(" + quote(name) + ")", Reason: "function " + e.udf.name + " has no parameter '" + name + "'", Err: true})
	}
	sc := e.sc
	p, s := sc.paramSlot(name)
	if p == nil {
		return NewUnknown(&Unknown{Expr: "parameters(" + quote(name) + ")", Reason: "parameter '" + name + "' is not declared", Err: true})
	}
	switch s.state {
	case slotDone:
		return s.v
	case slotBusy:
		return e.limit(NewUnknown(&Unknown{Expr: "parameters(" + quote(p.Name) + ")", Reason: "parameter '" + p.Name + "' depends on itself (" + cycleText(sc.stack, frame{"parameters", p.Name}) + ")", Err: true}))
	}
	s.state = slotBusy
	sc.stack = append(sc.stack, frame{"parameters", p.Name})
	v := e.resolveParameter(p)
	sc.stack = sc.stack[:len(sc.stack)-1]
	s.v, s.state = v, slotDone
	return v
}

// maxNameCache bounds the names a scope remembers the declarations of.
const maxNameCache = 1 << 16

// paramRef is what a parameter name as written resolves to: the
// declaration and its memo slot (nil, nil when not declared).
type paramRef struct {
	p *template.Parameter
	s *slot
}

// paramSlot returns the declaration of parameter name and its memo slot,
// shared by every spelling of the declared name.
func (sc *scope) paramSlot(name string) (*template.Parameter, *slot) {
	r := remember(&sc.paramNames, name, func() paramRef {
		var r paramRef
		var i int
		if r.p, i = sc.findParam(name); r.p != nil {
			r.s = sc.paramSlotAt(i)
		}
		return r
	})
	return r.p, r.s
}

// remember returns (*m)[name], computing and storing it on first use
// while the map holds fewer than maxNameCache names.
func remember[V any](m *map[string]V, name string, compute func() V) V {
	if r, ok := (*m)[name]; ok {
		return r
	}
	r := compute()
	if len(*m) < maxNameCache {
		if *m == nil {
			*m = map[string]V{}
		}
		(*m)[name] = r
	}
	return r
}

// Declarations whose names are equal in lower case share one memo slot:
// that of the first of them. paramSlotAt, varSlotAt and copySlotFor
// find it without lower-casing the names.

// paramSlotAt returns the memo slot of the parameter declared at index i.
func (sc *scope) paramSlotAt(i int) *slot {
	ps := sc.t.Parameters
	if sc.paramSlots == nil {
		sc.paramSlots = make([]*slot, len(ps))
	}
	for j := range i {
		if ps[j] != nil && lowerEqual(ps[j].Name, ps[i].Name) {
			i = j
			break
		}
	}
	if sc.paramSlots[i] == nil {
		sc.paramSlots[i] = sc.slots.one()
	}
	return sc.paramSlots[i]
}

// varSlotAt returns the memo slot of the variable declared by member i of
// the template's variables.
func (sc *scope) varSlotAt(i int) *slot {
	ms := sc.t.Variables.Members()
	if sc.varSlots == nil {
		sc.varSlots = make([]*slot, len(ms))
	}
	for j := range i {
		if isVariableMember(&ms[j]) && lowerEqual(ms[j].Key, ms[i].Key) {
			i = j
			break
		}
	}
	if sc.varSlots[i] == nil {
		// A copy entry of the same name takes this slot too (copySlotFor
		// finds the member first), so it cannot have made its own.
		sc.varSlots[i] = sc.slots.one()
	}
	return sc.varSlots[i]
}

// copySlotFor returns the memo slot of the variable a copy entry named
// name declares: that of a member of the same name in lower case, if
// any.
func (sc *scope) copySlotFor(name string) *slot {
	for i, m := range sc.t.Variables.Members() {
		if isVariableMember(&m) && lowerEqual(m.Key, name) {
			return sc.varSlotAt(i)
		}
	}
	key := strings.ToLower(name)
	s := sc.copySlots[key]
	if s == nil {
		s = sc.slots.one()
		if sc.copySlots == nil {
			sc.copySlots = map[string]*slot{}
		}
		sc.copySlots[key] = s
	}
	return s
}

// isVariableMember reports whether a member of "variables" declares a
// variable (it is not the variables' copy array).
func isVariableMember(m *template.Member) bool {
	return !strings.EqualFold(m.Key, "copy") || !isPropertyCopy(m.Value)
}

// lowerEqual reports whether strings.ToLower(a) == strings.ToLower(b),
// without building either. Most names that differ do so in their first
// bytes.
func lowerEqual(a, b string) bool {
	i := 0
	for ; i < len(a) && i < len(b) && a[i] < utf8.RuneSelf && b[i] < utf8.RuneSelf; i++ {
		if lowerASCII(a[i]) != lowerASCII(b[i]) {
			return false
		}
	}
	// The ASCII prefixes are equal in lower case. strings.ToLower maps
	// each rune of the rest (an invalid byte as utf8.RuneError) with
	// unicode.ToLower.
	a, b = a[i:], b[i:]
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if unicode.ToLower(ra) != unicode.ToLower(rb) {
			return false
		}
		a, b = a[na:], b[nb:]
	}
	return a == "" && b == ""
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

func (e *Env) resolveParameter(p *template.Parameter) Value {
	if v, ok := e.suppliedParameter(p); ok {
		return v
	}
	ref := func() string { return "parameters(" + quote(p.Name) + ")" }
	if p.Default != nil {
		v := e.base().EvalNode(p.Default)
		if v.k == KUnknown && v.u != nil && v.u.Marks != 0 {
			// newGuid()/utcNow(): one value per deployment, named after
			// the parameter rather than the call.
			nu := *v.u
			nu.Expr = ref()
			nu.Reason = "parameter '" + p.Name + "' defaults to " + v.u.Expr
			v = NewUnknown(&nu).withDefaultsOf(v.defaults)
		}
		return v.WithDefaults(p.Name)
	}
	if p.Nullable {
		return Null().WithDefaults(p.Name)
	}
	return NewUnknown(&Unknown{Expr: ref(), Reason: "parameter '" + p.Name + "' has no value"})
}

// suppliedParameter returns the value given for p from outside the
// template: user options for the root template, the deployment
// resource's parameters for an inner nested template.
func (e *Env) suppliedParameter(p *template.Parameter) (Value, bool) {
	sc := e.sc
	kv := func() Value {
		return NewUnknown(&Unknown{Expr: "parameters(" + quote(p.Name) + ")", Reason: "parameter '" + p.Name + "' comes from a Key Vault reference"})
	}
	if sc.parent != nil {
		var params *template.Value
		if sc.t.Deployment != nil {
			params = sc.t.Deployment.Properties.Get("parameters")
		}
		if params == nil {
			return Value{}, false
		}
		entry := params.Get(p.Name)
		if entry == nil {
			return Value{}, false
		}
		if entry.Get("reference") != nil {
			return kv(), true
		}
		val := entry.Get("value")
		if val == nil {
			return Value{}, false
		}
		return sc.parent.EvalNode(val), true
	}
	if sc.t == nil || sc.t.Parent != nil && sc.t.EvalScope == template.EvalInner {
		return Value{}, false
	}
	opts := &e.sh.opts
	given := func(v *template.Value) (Value, bool) {
		if v == nil {
			return kv(), true
		}
		return Literal(v), true
	}
	if v, ok := opts.Parameters[p.Name]; ok { // the usual spelling: no scan
		return given(v)
	}
	for k, v := range opts.Parameters {
		if strings.EqualFold(k, p.Name) {
			return given(v)
		}
	}
	for k, s := range opts.ParameterValues {
		if strings.EqualFold(k, p.Name) {
			return convertParameterString(p.Type, s), true
		}
	}
	return Value{}, false
}

// convertParameterString converts a name=value string by declared type.
func convertParameterString(typ, s string) Value {
	switch strings.ToLower(typ) {
	case "int":
		if i, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
			return Int(i)
		}
	case "bool":
		if b, err := strconv.ParseBool(strings.TrimSpace(s)); err == nil {
			return Bool(b)
		}
	case "array", "object", "secureobject":
		if v, err := parseJSON(s); err == nil {
			return v
		}
	}
	return String(s)
}

// frame is a parameter or variable being evaluated: kind is "parameters"
// or "variables".
type frame struct {
	kind, name string
}

func cycleText(stack []frame, again frame) string {
	start := 0
	for i, f := range stack {
		if f == again {
			start = i
			break
		}
	}
	parts := make([]string, 0, len(stack)-start+1)
	for _, f := range stack[start:] {
		parts = append(parts, f.name)
	}
	parts = append(parts, again.name)
	return strings.Join(parts, " → ")
}

// variable resolves variables(name) in e's scope, lazily and memoised.
func (e *Env) variable(name string) Value {
	if e.udf != nil {
		return NewUnknown(&Unknown{Expr: "variables(" + quote(name) + ")", Reason: "user-defined functions cannot read variables", Err: true})
	}
	sc := e.sc
	r := sc.varSlot(name)
	if r.s == nil {
		return NewUnknown(&Unknown{Expr: "variables(" + quote(name) + ")", Reason: "variable '" + name + "' is not declared", Err: true})
	}
	s, canon := r.s, r.canon
	switch s.state {
	case slotDone:
		return s.v
	case slotBusy:
		return e.limit(NewUnknown(&Unknown{Expr: "variables(" + quote(canon) + ")", Reason: "variable '" + canon + "' depends on itself (" + cycleText(sc.stack, frame{"variables", canon}) + ")", Err: true}))
	}
	s.state = slotBusy
	sc.stack = append(sc.stack, frame{"variables", canon})
	var v Value
	if r.node != nil {
		v = e.base().EvalNode(r.node)
	} else {
		v = e.base().expandPropertyCopy(r.copyEntry, 0)
	}
	sc.stack = sc.stack[:len(sc.stack)-1]
	s.v, s.state = v, slotDone
	return v
}

// varRef is what a variable name as written resolves to: the declaration
// (a member's value or a copy entry), the declared name and the memo slot
// (nil when not declared).
type varRef struct {
	node, copyEntry *template.Value
	canon           string
	s               *slot
}

// varSlot resolves variable name, remembering the answer by name.
func (sc *scope) varSlot(name string) varRef {
	return remember(&sc.varNames, name, func() varRef {
		var r varRef
		var i int
		r.node, r.copyEntry, r.canon, i = sc.findVariable(name)
		switch {
		case r.node != nil:
			r.s = sc.varSlotAt(i)
		case r.copyEntry != nil:
			r.s = sc.copySlotFor(r.canon)
		}
		return r
	})
}

// findVariable finds a variable declaration: a member of "variables" (i
// is its index), or an entry of the variables' "copy" array. canon is the
// declared name.
func (sc *scope) findVariable(name string) (node, copyEntry *template.Value, canon string, i int) {
	if sc.t == nil || sc.t.Variables == nil {
		return nil, nil, "", -1
	}
	vars := sc.t.Variables
	found := -1
	for j, mm := range vars.Members() {
		if strings.EqualFold(mm.Key, "copy") && isPropertyCopy(mm.Value) {
			continue
		}
		if mm.Key == name {
			found = j
			break
		}
		if found < 0 && strings.EqualFold(mm.Key, name) {
			found = j
		}
	}
	if found >= 0 {
		m := vars.Members()[found]
		return m.Value, nil, m.Key, found
	}
	if c := vars.Get("copy"); isPropertyCopy(c) {
		for _, el := range c.Elems() {
			if n := el.Get("name").StringOr(""); strings.EqualFold(n, name) {
				return nil, el, n, -1
			}
		}
	}
	return nil, nil, "", -1
}

// callUDF evaluates a user-defined function call namespace.member(args).
func (e *Env) callUDF(n *Call) Value {
	args := e.evalArgs(n.Args)
	c := &call{env: e, node: n, args: args}
	decl, params := e.findUDF(n.Namespace, n.Name)
	if decl == nil {
		return e.note(c.fail("user-defined function %s.%s is not declared", n.Namespace, n.Name))
	}
	if len(params) != len(args) {
		return e.note(c.fail("expects %d arguments, got %d", len(params), len(args)))
	}
	depth := 1
	if e.udf != nil {
		depth = e.udf.depth + 1
	}
	if depth > maxUDFDepth {
		return e.limit(NewUnknown(&Unknown{Expr: c.text(args), Err: true, Reason: fmt.Sprintf(
			"user-defined function %s.%s nests deeper than %d calls (does it call itself?)", n.Namespace, n.Name, maxUDFDepth)}))
	}
	out := decl.Get("output")
	if out == nil || out.Get("value") == nil {
		return e.note(c.fail("function has no output value"))
	}
	fe := &Env{sh: e.sh, sc: e.sc, udf: &udfFrame{name: n.Namespace + "." + n.Name, params: params, vals: args, depth: depth}}
	return fe.EvalNode(out.Get("value")).withDefaultsOf(unionDefaults(args))
}

// findUDF finds the declaration of namespace.member in the scope's
// template (or, failing that, its ancestors) and its parameter names.
func (e *Env) findUDF(ns, member string) (*template.Value, []string) {
	for t := e.sc.t; t != nil; t = t.Parent {
		if t.Functions == nil || t.Functions.Kind != template.Array {
			continue
		}
		for _, f := range t.Functions.Elems() {
			if !strings.EqualFold(f.Get("namespace").StringOr(""), ns) {
				continue
			}
			m := f.Get("members").Get(member)
			if m == nil {
				continue
			}
			var names []string
			if ps := m.Get("parameters"); ps != nil {
				for _, p := range ps.Elems() {
					names = append(names, p.Get("name").StringOr(""))
				}
			}
			return m, names
		}
	}
	return nil, nil
}

// parseJSON parses JSON text into a Value, keeping key order.
func parseJSON(s string) (Value, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	v, err := decodeJSON(dec, 0)
	if err != nil {
		return Value{}, err
	}
	if _, err := dec.Token(); err == nil {
		return Value{}, errTrailing
	}
	return v, nil
}

type jsonError string

func (e jsonError) Error() string { return string(e) }

const (
	errTrailing = jsonError("unexpected data after the JSON value")
	errDeep     = jsonError("JSON nests too deeply")
)

func decodeJSON(dec *json.Decoder, depth int) (Value, error) {
	if depth > maxValueDepth {
		return Value{}, errDeep
	}
	tok, err := dec.Token()
	if err != nil {
		return Value{}, err
	}
	switch t := tok.(type) {
	case nil:
		return Null(), nil
	case bool:
		return Bool(t), nil
	case json.Number:
		return numberValue(t.String()), nil
	case string:
		return String(t), nil
	case json.Delim:
		switch t {
		case '[':
			var out []Value
			for dec.More() {
				v, err := decodeJSON(dec, depth+1)
				if err != nil {
					return Value{}, err
				}
				out = append(out, v)
			}
			if _, err := dec.Token(); err != nil {
				return Value{}, err
			}
			return Array(out), nil
		case '{':
			b := &objBuilder{}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return Value{}, err
				}
				k, _ := kt.(string)
				v, err := decodeJSON(dec, depth+1)
				if err != nil {
					return Value{}, err
				}
				b.set(k, false, v)
			}
			if _, err := dec.Token(); err != nil {
				return Value{}, err
			}
			return b.value(), nil
		}
	}
	return Value{}, jsonError("unexpected JSON token")
}
