package expr

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"unsafe"
)

// Kind is the kind of a Value.
type Kind uint8

// Value kinds. KUnknown is a value that cannot be known before deployment
// (or that the evaluator cannot compute).
const (
	KNull Kind = iota
	KBool
	KInt
	KFloat
	KString
	KArray
	KObject
	KUnknown
)

func (k Kind) String() string {
	switch k {
	case KNull:
		return "null"
	case KBool:
		return "bool"
	case KInt:
		return "int"
	case KFloat:
		return "float"
	case KString:
		return "string"
	case KArray:
		return "array"
	case KObject:
		return "object"
	case KUnknown:
		return "unknown"
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Value is the result of evaluating an expression or a JSON node. The zero
// Value is a known null. Values are immutable: functions return new values
// and never modify their arguments, so values can be shared freely.
type Value struct {
	k Kind
	b bool

	// size is the number of nodes of an array or object, counted as a
	// tree (shared elements count each time they appear), saturating at
	// maxValueNodes+1; 0 for scalars. It bounds every walk of the value.
	size int32

	// i is an int's value, a float's IEEE 754 bits (see float), or the
	// length of a string or an array, whose bytes or elements p points to
	// (see str and arr).
	i int64
	p unsafe.Pointer
	o *Object
	u *Unknown

	// defaults lists the parameters whose default values this value was
	// computed from (no parameter file gave them), so that a finding can
	// say "with parameter 'location' at its default"; nil for none.
	defaults *defaultSet
}

// Object is an ARM object: keys keep their order; lookups are
// case-insensitive, as ARM property access is.
type Object struct {
	Keys []string
	Vals []Value

	// UnknownKeys lists, in increasing order, the indexes of keys that
	// stand for values unknown before deployment (an expression key such
	// as "[resourceId(..., parameters('uai'))]" whose value is unknown).
	// Such a key holds the unknown's canonical Expr text. An object with
	// unknown keys is never fully known: a missing key may be one of them.
	UnknownKeys []int
}

// KeyIsUnknown reports whether key i stands for an unknown value.
func (o *Object) KeyIsUnknown(i int) bool {
	if o == nil {
		return false
	}
	for _, k := range o.UnknownKeys {
		if k == i {
			return true
		}
	}
	return false
}

// Get returns the value of key (exact match first, then case-insensitive).
func (o *Object) Get(key string) (Value, bool) {
	if o == nil {
		return Value{}, false
	}
	for i, k := range o.Keys {
		if k == key {
			return o.Vals[i], true
		}
	}
	for i, k := range o.Keys {
		if strings.EqualFold(k, key) {
			return o.Vals[i], true
		}
	}
	return Value{}, false
}

// Len returns the number of members.
func (o *Object) Len() int {
	if o == nil {
		return 0
	}
	return len(o.Keys)
}

// Mark records a property of an unknown value that rules may care about.
type Mark uint8

// Marks on unknown values.
const (
	// MarkNewGUID: the value comes from newGuid() (a parameter default):
	// different on every deployment.
	MarkNewGUID Mark = 1 << iota
	// MarkUtcNow: the value comes from utcNow() (a parameter default).
	MarkUtcNow
)

// Unknown describes a value that is not known statically.
type Unknown struct {
	// Expr is the canonical text of the expression the value stands for,
	// with every known argument folded into a literal. Two unknowns built
	// by the same expression from the same inputs have the same Expr, so
	// they denote the same deployment-time value.
	Expr string
	// Reason says in a few words why the value is unknown, e.g.
	// "parameter 'vmName' has no value" or "reference() is read at deployment".
	Reason string
	// Ref is set for runtime functions (reference, references, list*,
	// resourceInfo): what they read, symbolically.
	Ref   *Ref
	Marks Mark
	// Err is set when the expression is known to fail at deployment (a
	// type error, a missing property, a syntax error): the value is not
	// merely unknown, it does not exist.
	Err bool
}

// Ref is a symbolic runtime read: Func applied to Target, followed by the
// property path Path. For example
// reference(resourceId('Microsoft.Compute/virtualMachines','vm'),'2023-03-01','Full').identity.principalId
// is Ref{Func: "reference", Target: "/subscriptions/.../virtualMachines/vm", Full: true,
// Path: ["identity", "principalId"]}.
type Ref struct {
	Func       string // lower case: "reference", "references", "listkeys", "resourceinfo", ...
	Target     Value  // first argument, evaluated: resource ID, name or symbolic name (may be unknown)
	APIVersion string // "" when not given or unknown
	Full       bool   // reference(..., 'Full')
	Path       []Value
}

// Constructors.

// Null returns a known null.
func Null() Value { return Value{} }

// Bool returns a known bool.
func Bool(b bool) Value { return Value{k: KBool, b: b} }

// Int returns a known integer.
func Int(i int64) Value { return Value{k: KInt, i: i} }

// Float returns a known floating-point number.
func Float(f float64) Value {
	return Value{k: KFloat, i: int64(math.Float64bits(f))} //nolint:gosec // G115: the bits, read back by float
}

// float returns the number of a KFloat value.
func (v Value) float() float64 {
	return math.Float64frombits(uint64(v.i)) //nolint:gosec // G115: the bits Float stored
}

// String returns a known string.
func String(s string) Value {
	return Value{k: KString, p: unsafe.Pointer(unsafe.StringData(s)), i: int64(len(s))} //nolint:gosec // G103: str reads it back
}

// str returns the string of a KString value, "" for any other.
func (v Value) str() string {
	if v.k != KString {
		return ""
	}
	return unsafe.String((*byte)(v.p), int(v.i)) //nolint:gosec // G103: p and i are a string's data and length (see String)
}

// arr returns the elements of a KArray value, nil for any other.
func (v Value) arr() []Value {
	if v.k != KArray {
		return nil
	}
	return unsafe.Slice((*Value)(v.p), int(v.i)) //nolint:gosec // G103: p and i are a slice's data and length (see Array)
}

// Array returns a known array. A nil slice is an empty array.
func Array(elems []Value) Value {
	if elems == nil {
		elems = []Value{}
	}
	n := 1
	for _, e := range elems {
		n = addNodes(n, e.nodes())
	}
	return Value{k: KArray, p: unsafe.Pointer(unsafe.SliceData(elems)), i: int64(len(elems)), size: int32(n)} //nolint:gosec // G103: arr reads it back
}

// maxValueNodes bounds the tree size of any array or object the evaluator
// builds: values share their elements, so a few steps can build a tree
// with 2^30 leaves that no walk (IsFullyKnown, String, Equal) finishes.
const maxValueNodes = 1 << 20

// nodes returns the tree size of v: 1 for a scalar.
func (v Value) nodes() int {
	if v.size == 0 {
		return 1
	}
	return int(v.size)
}

func addNodes(a, b int) int {
	if a+b > maxValueNodes {
		return maxValueNodes + 1
	}
	return a + b
}

// NewObject returns a known object.
func NewObject(o *Object) Value {
	if o == nil {
		o = &Object{}
	}
	n := 1
	for _, e := range o.Vals {
		n = addNodes(n, e.nodes())
	}
	return Value{k: KObject, o: o, size: int32(n)}
}

// NewUnknown returns an unknown value.
func NewUnknown(u *Unknown) Value { return Value{k: KUnknown, u: u} }

// Accessors.

// Kind returns the value's kind.
func (v Value) Kind() Kind { return v.k }

// IsKnown reports whether the value is known. A known array or object may
// still contain unknown elements; see IsFullyKnown.
func (v Value) IsKnown() bool { return v.k != KUnknown }

// IsFullyKnown reports whether the value and everything inside it is known.
func (v Value) IsFullyKnown() bool {
	switch v.k {
	case KUnknown:
		return false
	case KArray:
		for _, e := range v.arr() {
			if !e.IsFullyKnown() {
				return false
			}
		}
	case KObject:
		if len(v.o.UnknownKeys) > 0 {
			return false
		}
		for _, e := range v.o.Vals {
			if !e.IsFullyKnown() {
				return false
			}
		}
	}
	return true
}

// Str returns the string and true when v is a known string.
func (v Value) Str() (string, bool) { return v.str(), v.k == KString }

// BoolVal returns the bool and true when v is a known bool.
func (v Value) BoolVal() (bool, bool) { return v.b, v.k == KBool }

// IntVal returns the integer and true when v is a known int.
func (v Value) IntVal() (int64, bool) {
	if v.k != KInt {
		return 0, false
	}
	return v.i, true
}

// FloatVal returns the number as float64 and true when v is a known number.
func (v Value) FloatVal() (float64, bool) {
	switch v.k {
	case KInt:
		return float64(v.i), true
	case KFloat:
		return v.float(), true
	}
	return 0, false
}

// Elems returns the elements and true when v is a known array.
func (v Value) Elems() ([]Value, bool) { return v.arr(), v.k == KArray }

// Obj returns the object and true when v is a known object.
func (v Value) Obj() (*Object, bool) { return v.o, v.k == KObject }

// Unknown returns the description of an unknown value, or nil.
func (v Value) Unknown() *Unknown { return v.u }

// Ref returns the symbolic runtime read behind an unknown value, or nil.
func (v Value) Ref() *Ref {
	if v.u == nil {
		return nil
	}
	return v.u.Ref
}

// Defaults returns the names of the parameters whose default values this
// value rests on.
func (v Value) Defaults() []string { return v.defaults.list() }

// WithDefaults returns v marked as resting on the defaults of the given
// parameters (merged with those it already rests on).
func (v Value) WithDefaults(names ...string) Value {
	if len(names) == 0 || containsAll(v.defaults.list(), names) {
		return v
	}
	v.defaults = newDefaultSet(mergeNames(v.defaults.list(), names))
	return v
}

// withDefaultsOf returns v marked as resting on the defaults d as well.
func (v Value) withDefaultsOf(d *defaultSet) Value {
	v.defaults = mergeDefaults(v.defaults, d)
	return v
}

// defaultSet is an immutable list of parameter names without
// duplicates, shared by the values that rest on the same defaults.
type defaultSet struct {
	names []string
}

func (d *defaultSet) list() []string {
	if d == nil {
		return nil
	}
	return d.names
}

// newDefaultSet returns the set of names (a list without duplicates), in
// one allocation for a single name.
func newDefaultSet(names []string) *defaultSet {
	if len(names) == 1 {
		d := &struct {
			defaultSet
			one [1]string
		}{}
		d.one[0] = names[0]
		d.names = d.one[:]
		return &d.defaultSet
	}
	return &defaultSet{names: names}
}

// mergeDefaults returns the names of a followed by those of b that a
// lacks, sharing a or b when one holds every name.
func mergeDefaults(a, b *defaultSet) *defaultSet {
	switch {
	case b == nil || a == b:
		return a
	case a == nil:
		return b
	case containsAll(a.names, b.names):
		return a
	}
	return newDefaultSet(mergeNames(a.names, b.names))
}

// mergeNames returns the names of a followed by those of b that a lacks.
func mergeNames(a, b []string) []string {
	out := append([]string(nil), a...)
	for _, n := range b {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// containsAll reports whether every name of b is in a.
func containsAll(a, b []string) bool {
	for _, n := range b {
		if !slices.Contains(a, n) {
			return false
		}
	}
	return true
}
