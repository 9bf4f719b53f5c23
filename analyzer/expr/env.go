package expr

import (
	"fmt"
	"sort"
	"strings"

	"github.com/armlint/armlint/analyzer/template"
)

// Placeholder deployment context (§2.4 of the ARM notes), used when
// Options leave a field empty.
const (
	PlaceholderSubscriptionID  = "00000000-0000-0000-0000-000000000000"
	PlaceholderTenantID        = "00000000-0000-0000-0000-000000000000"
	PlaceholderResourceGroup   = "placeholderResourceGroup"
	PlaceholderLocation        = "westus2"
	PlaceholderManagementGroup = "placeholderManagementGroup"
	PlaceholderDeploymentName  = "placeholderDeploymentName"
)

// DefaultMaxSteps is the default evaluation budget of an Env.
const DefaultMaxSteps = 1_000_000

// Options configure an Env: parameter values supplied by the user and the
// deployment context.
type Options struct {
	// Parameters are values from a parameters file, by parameter name
	// (case-insensitive): the node under "value". They are literal JSON:
	// strings that look like expressions are NOT evaluated. A nil node
	// means the file supplies the value through a Key Vault reference.
	Parameters map[string]*template.Value
	// ParameterValues are name=value pairs from the command line. The
	// value is converted according to the declared parameter type: int and
	// bool are parsed, array and object are parsed as JSON, anything else
	// is a string.
	ParameterValues map[string]string

	SubscriptionID  string
	ResourceGroup   string
	Location        string // location of the resource group and the deployment; "" leaves it unknown
	TenantID        string
	ManagementGroup string
	DeploymentName  string

	// MaxSteps bounds the work of one Env tree (0: DefaultMaxSteps).
	MaxSteps int

	// OnLimit, when set, is told when evaluation hits a limit or a cycle:
	// a variable or parameter that depends on itself, user-defined
	// functions that recurse, an exhausted step budget. node is the
	// template string being evaluated when it happened (nil when the
	// evaluation did not start from a node). Each reason is told once.
	OnLimit func(node *template.Value, reason string)

	// ResolveOutput, when set, is asked for the value of a nested
	// deployment's output read as reference(deployment).outputs.name.value
	// (ref.Path is ["outputs", name, "value"]). It returns false when it
	// cannot tell, and the read stays a symbolic unknown.
	ResolveOutput func(ref *Ref) (Value, bool)
	// Parses is the cache of parsed template strings the Env tree uses;
	// nil gives it its own. A caller that checks the file's strings
	// itself (ParseCache.Check, to report syntax errors) passes the same
	// cache, so that a string that does not parse is not parsed again
	// and each string the Env tree evaluates is parsed once.
	Parses *ParseCache
}

// ParseCache holds parsed template strings. It is not safe for
// concurrent use.
type ParseCache struct{ m map[string]exprParse }

// NewParseCache returns an empty cache.
func NewParseCache() *ParseCache { return &ParseCache{m: map[string]exprParse{}} }

// Check tells what ParseTemplateString would of a template string: isExpr
// reports whether it is an expression (not a literal nor an escaped "[["
// literal), err its syntax error. An expression that parses is checked
// without building its tree and is not kept: most of a template's
// expressions are never evaluated, and those that are get parsed then.
// A string that does not parse is kept with its error.
func (c *ParseCache) Check(s string) (isExpr bool, err error) {
	switch checkQuick(s) {
	case quickLiteral:
		return false, nil
	case quickParses:
		return true, nil
	}
	return true, c.expr(s).err
}

// literalText returns the value of a template string that is not an
// expression: s itself, or s without the first '[' of an escaped "[[...]".
func literalText(s string) (string, bool) {
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return s, true
	}
	if s[1] == '[' {
		return s[1:], true
	}
	return "", false
}

// expr parses an expression string "[...]" once.
func (c *ParseCache) expr(s string) exprParse {
	p, ok := c.m[s]
	if !ok {
		p.x, _, _, p.err = ParseTemplateString(s)
		if len(c.m) < maxParseCache {
			c.m[s] = p
		}
	}
	return p
}

// inner returns the parse of the expression text x, as the template
// string "[x]" parses, through the cache; ok is false when that string
// is not an expression that parses. The string is only built to be
// kept.
func (c *ParseCache) inner(x string) (Expr, bool) {
	if x == "" || x[0] == '[' {
		return nil, false // "[]" does not parse, "[[...]" is a literal
	}
	var buf [128]byte
	key := append(append(append(buf[:0], '['), x...), ']')
	p := c.expr(string(key))
	return p.x, p.err == nil
}

// Env is the evaluation environment of one template. Derived
// environments (WithCopyIndex, Nested) share the budget, the caches and
// the records of the Env they come from. An Env is not safe for
// concurrent use.
type Env struct {
	sh      *shared
	sc      *scope
	loops   *loopFrame
	lambdas *lambdaFrame
	udf     *udfFrame
}

// shared is the state common to an Env tree.
type shared struct {
	opts        Options
	limits      []string        // limit reasons not yet told to OnLimit
	limitSeen   map[string]bool // every limit reason met
	budgetTold  bool
	steps       int
	maxSteps    int
	unsupported map[string]bool
	errors      map[string]bool
	parses      *ParseCache
	frames      []*callFrame // call records free for reuse (see Env.newCall)
}

// exprParse is the parse of an expression "[...]", as the cache keeps it.
type exprParse struct {
	x   Expr
	err error
}

const maxParseCache = 1 << 16

func (s *shared) addError(msg string) {
	if len(s.errors) < 10000 {
		s.errors[msg] = true
	}
}

// loopFrame is one active copy loop instance.
type loopFrame struct {
	name  string
	index int
	outer *loopFrame
}

// context is the deployment context of a scope.
type context struct {
	scope    template.Scope
	sub      Value // subscription ID
	rg       Value // resource group name
	mg       Value // management group name
	tenant   string
	location string
	name     string // deployment name
}

// scope holds the parameters and variables of one template evaluation
// scope: the root template, or an inner-scoped nested template.
type scope struct {
	t      *template.Template
	parent *Env // inner nested: the parent environment (deployment resource)
	ctx    context
	stack  []frame // parameters and variables being evaluated, for cycle messages

	// paramSlots and varSlots hold the memo slot of each declaration, by
	// its index in t.Parameters and t.Variables.Members() (see
	// scope.paramSlotAt and scope.varSlotAt; nil until the first name of
	// their kind is resolved). copySlots holds those of variables
	// declared by the variables' copy array that no member owns, by their
	// name in lower case.
	paramSlots, varSlots []*slot
	copySlots            map[string]*slot

	// paramNames and varNames remember what each name as written
	// resolves to.
	paramNames map[string]paramRef
	varNames   map[string]varRef

	// resourceGroup, subscription and deployment are the objects the
	// functions of the same names return in this scope (nil until first
	// called).
	resourceGroup, subscription, deployment *Value

	slots slab[slot] // memo slots, a few at a time

	// base is the scope's environment without loops, lambdas or UDF
	// parameters (see Env.base), made on first use.
	base *Env
}

type slotState uint8

const (
	slotEmpty slotState = iota
	slotBusy
	slotDone
)

type slot struct {
	state slotState
	v     Value
}

// NewEnv returns the environment of template t (which may be nil: then
// only context functions and literals evaluate).
func NewEnv(t *template.Template, opts Options) *Env {
	if opts.SubscriptionID == "" {
		opts.SubscriptionID = PlaceholderSubscriptionID
	}
	if opts.TenantID == "" {
		opts.TenantID = PlaceholderTenantID
	}
	if opts.ResourceGroup == "" {
		opts.ResourceGroup = PlaceholderResourceGroup
	}
	if opts.ManagementGroup == "" {
		opts.ManagementGroup = PlaceholderManagementGroup
	}
	if opts.DeploymentName == "" {
		opts.DeploymentName = PlaceholderDeploymentName
	}
	sh := &shared{
		opts:        opts,
		maxSteps:    opts.MaxSteps,
		unsupported: map[string]bool{},
		errors:      map[string]bool{},
		parses:      opts.Parses,
	}
	if sh.parses == nil {
		sh.parses = NewParseCache()
	}
	if sh.maxSteps <= 0 {
		sh.maxSteps = DefaultMaxSteps
	}
	ctx := context{
		scope:    template.ScopeResourceGroup,
		sub:      String(opts.SubscriptionID),
		rg:       String(opts.ResourceGroup),
		mg:       String(opts.ManagementGroup),
		tenant:   opts.TenantID,
		location: opts.Location,
		name:     opts.DeploymentName,
	}
	if t != nil && t.Scope != template.ScopeUnknown {
		ctx.scope = t.Scope
	}
	return &Env{sh: sh, sc: newScope(t, nil, ctx)}
}

func newScope(t *template.Template, parent *Env, ctx context) *scope {
	sc := &scope{t: t, parent: parent, ctx: ctx}
	if t != nil {
		sc.slots.left = len(t.Parameters)
		if t.Variables != nil {
			sc.slots.left += len(t.Variables.Members())
		}
	}
	return sc
}

// Template returns the template whose parameters and variables the Env
// resolves (for an outer-scoped nested template: the parent's).
func (e *Env) Template() *template.Template { return e.sc.t }

// WithCopyIndex returns an Env in which copyIndex(loopName) is i. An
// empty loopName is the resource's own loop. It shares all caches with e.
func (e *Env) WithCopyIndex(loopName string, i int) *Env {
	ne := &struct {
		env   Env
		frame loopFrame
	}{env: *e, frame: loopFrame{name: loopName, index: i, outer: e.loops}}
	ne.env.loops = &ne.frame
	return &ne.env
}

// Nested returns the environment of the inline nested template t. With
// EvalOuter (the default) t's expressions are evaluated in the parent's
// scope: e's parameters, variables and copy loops. With EvalInner t gets
// its own parameters and variables; parameter values come from the
// deployment resource's properties.parameters, evaluated in e.
func (e *Env) Nested(t *template.Template) *Env {
	if t == nil || t.EvalScope != template.EvalInner {
		return e
	}
	ctx := e.sc.ctx
	if t.Scope != template.ScopeUnknown && t.Scope != template.ScopeResourceGroup {
		ctx.scope = t.Scope
	}
	if d := t.Deployment; d != nil && d.Node != nil {
		if n := d.Node.Get("subscriptionId"); n != nil {
			ctx.sub = e.EvalNode(n)
			if ctx.scope != template.ScopeResourceGroup {
				ctx.scope = template.ScopeSubscription
			}
		}
		if n := d.Node.Get("resourceGroup"); n != nil {
			ctx.rg = e.EvalNode(n)
			ctx.scope = template.ScopeResourceGroup
		}
	}
	return &Env{sh: e.sh, sc: newScope(t, e, ctx)}
}

// base returns the environment in which the scope's parameter defaults
// and variables are evaluated: no loops, lambdas or UDF parameters.
func (e *Env) base() *Env {
	if e.sc.base == nil {
		e.sc.base = &Env{sh: e.sh, sc: e.sc}
	}
	return e.sc.base
}

// Unsupported returns the lower-case names of the functions met that the
// evaluator does not support, sorted.
func (e *Env) Unsupported() []string { return sortedKeys(e.sh.unsupported) }

// Errors returns the evaluation errors met so far (expressions that fail
// at deployment), sorted, as "expression: reason".
func (e *Env) Errors() []string { return sortedKeys(e.sh.errors) }

// Steps returns the number of evaluation steps used so far.
func (e *Env) Steps() int { return e.sh.steps }

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// step charges n steps; it reports false once the budget is exhausted.
func (e *Env) step(n int) bool {
	e.sh.steps += n
	return e.sh.steps <= e.sh.maxSteps
}

// chargeValue charges for the size of a freshly built value, so that
// repeated doubling of strings or arrays runs out of budget.
func (e *Env) chargeValue(v Value) bool {
	switch v.k {
	case KString:
		if len(v.str()) > maxStringLen {
			e.sh.steps = e.sh.maxSteps + 1
			return false
		}
		return e.step(len(v.str()) / 256)
	case KArray, KObject:
		if v.size > maxValueNodes {
			e.sh.steps = e.sh.maxSteps + 1
			return false
		}
		return e.step(int(v.size) / 16)
	}
	return true
}

// maxStringLen bounds the length of any string the evaluator builds.
const maxStringLen = 4 << 20

// EvalString evaluates one template string: an expression "[...]", an
// escaped literal "[[...]" or a plain literal.
func (e *Env) EvalString(s string) Value {
	if lit, ok := literalText(s); ok {
		return String(lit)
	}
	if f, name, ok := byNameString(s); ok && e.sh.steps+2 <= e.sh.maxSteps {
		return e.evalByName(f, name)
	}
	return e.evalParsed(s)
}

// evalParsed evaluates the expression string s through its parse.
func (e *Env) evalParsed(s string) Value {
	p := e.sh.parses.expr(s)
	if p.err != nil {
		msg := "syntax error: " + p.err.Error()
		e.sh.addError(clipExpr(s) + ": " + msg)
		return NewUnknown(&Unknown{Expr: clipExpr(strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")), Reason: msg, Err: true})
	}
	return e.eval(p.x)
}

// byNameString recognises the template strings "[parameters('name')]"
// and "[variables('name')]" (two fifths of the strings the evaluator
// parses in the quickstart corpus), written so, in lower case, without
// spaces and with no quote in the name. Such a string parses to a call of
// f with one string literal argument, name (ParseTemplateString's length
// limit is in runes, so a string no longer than it in bytes is within
// it).
func byNameString(s string) (f *function, name string, ok bool) {
	const (
		params = "[parameters('"
		vars   = "[variables('"
		end    = "')]"
	)
	if len(s) > MaxExpressionLength || len(s) < len(vars)+len(end) || s[len(s)-3:] != end {
		return nil, "", false
	}
	switch {
	case strings.HasPrefix(s, params):
		f, name = fnParametersEntry, s[len(params):len(s)-len(end)]
	case strings.HasPrefix(s, vars):
		f, name = fnVariablesEntry, s[len(vars):len(s)-len(end)]
	default:
		return nil, "", false
	}
	if strings.IndexByte(name, '\'') >= 0 {
		return nil, "", false
	}
	return f, name, true
}

// evalByName evaluates f('name') as eval does the parse of its string
// (Env.call, then Env.callByName), without parsing it: the call's step and
// the literal's (the caller has checked that both are within the budget),
// f.byName, the value's charge.
func (e *Env) evalByName(f *function, name string) Value {
	e.sh.steps += 2
	out := f.byName(e, name)
	if !e.chargeValue(out) {
		return budgetUnknown((&call{env: e, fn: f}).text([]Value{String(name)}))
	}
	return e.note(out)
}

// Parse returns the expression of a template string, parsed once for the
// whole Env tree (EvalString shares the cache); ok is false for a literal
// or a string that does not parse.
func (e *Env) Parse(s string) (x Expr, ok bool) {
	if _, lit := literalText(s); lit {
		return nil, false
	}
	p := e.sh.parses.expr(s)
	return p.x, p.err == nil
}

// EvalNode evaluates a raw JSON node of the template: expression strings
// are evaluated, "[[" literals unescaped, arrays and objects evaluated
// member by member. Object keys that are expressions are evaluated too;
// a key whose value is unknown keeps the unknown's Expr as its text and
// is listed in Object.UnknownKeys. A property-level "copy" array
// ([{name, count, input}]) is expanded into the named array properties.
func (e *Env) EvalNode(v *template.Value) Value { return e.evalNode(v, 0) }

func (e *Env) evalNode(v *template.Value, depth int) Value {
	if v == nil {
		return Null()
	}
	if depth > maxValueDepth {
		return NewUnknown(&Unknown{Expr: "null()", Reason: "JSON nests too deeply"})
	}
	if !e.step(1) {
		return budgetUnknown(v.Pointer())
	}
	switch v.Kind {
	case template.Null:
		return Null()
	case template.Bool:
		return Bool(v.Str() == "true")
	case template.Number:
		return numberValue(v.Str())
	case template.String:
		out := e.EvalString(v.Str())
		e.tellLimits(v)
		return out
	case template.Array:
		out := make([]Value, len(v.Elems()))
		for i, el := range v.Elems() {
			out[i] = e.evalNode(el, depth+1)
		}
		return Array(out)
	case template.Object:
		return e.evalObject(v, depth)
	}
	return Null()
}

func (e *Env) evalObject(v *template.Value, depth int) Value {
	ob := newObjBuilder(len(v.Members()))
	for _, m := range v.Members() {
		if strings.EqualFold(m.Key, "copy") && isPropertyCopy(m.Value) {
			for _, c := range m.Value.Elems() {
				name := c.Get("name").StringOr("")
				ob.set(name, false, e.expandPropertyCopy(c, depth))
			}
			continue
		}
		key := e.EvalString(m.Key)
		val := e.evalNode(m.Value, depth+1)
		switch key.k {
		case KString:
			ob.set(key.str(), false, val)
		case KUnknown:
			ob.set(key.u.Expr, true, val)
		default:
			ob.set(key.String(), false, val)
		}
	}
	return ob.value()
}

// isPropertyCopy reports whether v is a property-iteration copy array:
// objects with name, count and input.
func isPropertyCopy(v *template.Value) bool {
	if v == nil || v.Kind != template.Array || len(v.Elems()) == 0 {
		return false
	}
	for _, c := range v.Elems() {
		if c.Kind != template.Object || c.Get("name").StringOr("") == "" || c.Get("count") == nil || c.Get("input") == nil {
			return false
		}
	}
	return true
}

// maxCopyCount is ARM's limit on the iterations of a copy loop.
const maxCopyCount = 800

// expandPropertyCopy builds the array of one property or variable copy
// entry {name, count, input}.
func (e *Env) expandPropertyCopy(c *template.Value, depth int) Value {
	name := c.Get("name").StringOr("")
	count := e.evalNode(c.Get("count"), depth+1)
	n, ok := count.FloatVal()
	if !ok || n != float64(int64(n)) {
		if count.k == KUnknown {
			return NewUnknown(&Unknown{Expr: "copy(" + quote(name) + ")", Reason: "copy count is unknown: " + count.u.Reason, Marks: count.u.Marks}).withDefaultsOf(count.defaults)
		}
		return NewUnknown(&Unknown{Expr: "copy(" + quote(name) + ")", Reason: "copy count must be an integer", Err: true})
	}
	if n < 0 || n > maxCopyCount {
		return NewUnknown(&Unknown{Expr: "copy(" + quote(name) + ")", Reason: fmt.Sprintf("copy count %d is outside 0..%d", int64(n), maxCopyCount), Err: true})
	}
	out := make([]Value, int(n))
	input := c.Get("input")
	for i := range out {
		out[i] = e.WithCopyIndex(name, i).evalNode(input, depth+1)
	}
	return Array(out).withDefaultsOf(count.defaults)
}

// objBuilder builds an Object, replacing duplicate keys. The object is
// built in place: a builder is used for one object, whose value() is
// taken last.
type objBuilder struct {
	o *Object
}

// object1 and object2 are objects of one and two members with their keys
// and values in one allocation.
type (
	object1 struct {
		o    Object
		keys [1]string
		vals [1]Value
	}
	object2 struct {
		o    Object
		keys [2]string
		vals [2]Value
	}
)

// newObjBuilder returns a builder with room for n members.
func newObjBuilder(n int) objBuilder {
	switch n {
	case 0:
		return objBuilder{}
	case 1:
		so := &object1{}
		so.o.Keys, so.o.Vals = so.keys[:0], so.vals[:0]
		return objBuilder{o: &so.o}
	case 2:
		so := &object2{}
		so.o.Keys, so.o.Vals = so.keys[:0], so.vals[:0]
		return objBuilder{o: &so.o}
	}
	return objBuilder{o: &Object{Keys: make([]string, 0, n), Vals: make([]Value, 0, n)}}
}

func (b *objBuilder) set(key string, unknownKey bool, v Value) {
	if b.o == nil {
		b.o = &Object{}
	}
	if !unknownKey {
		for i, k := range b.o.Keys {
			if strings.EqualFold(k, key) && !b.o.KeyIsUnknown(i) {
				b.o.Vals[i] = v
				return
			}
		}
	}
	if unknownKey {
		b.o.UnknownKeys = append(b.o.UnknownKeys, len(b.o.Keys))
	}
	b.o.Keys = append(b.o.Keys, key)
	b.o.Vals = append(b.o.Vals, v)
}

func (b *objBuilder) value() Value { return NewObject(b.o) }

// limit records that evaluation hit a limit or a cycle (u.Reason) and
// returns u.
func (e *Env) limit(v Value) Value {
	if u := v.Unknown(); u != nil {
		if e.sh.limitSeen == nil {
			e.sh.limitSeen = map[string]bool{}
		}
		if !e.sh.limitSeen[u.Reason] {
			e.sh.limitSeen[u.Reason] = true
			e.sh.limits = append(e.sh.limits, u.Reason)
		}
	}
	return v
}

// tellLimits passes the limits met so far to Options.OnLimit, at node.
func (e *Env) tellLimits(node *template.Value) {
	if e.sh.steps > e.sh.maxSteps && !e.sh.budgetTold {
		e.sh.budgetTold = true
		e.sh.limits = append(e.sh.limits, fmt.Sprintf("evaluation budget of %d steps exceeded; values computed after this point are unknown", e.sh.maxSteps))
	}
	if len(e.sh.limits) == 0 || e.sh.opts.OnLimit == nil {
		return
	}
	for _, r := range e.sh.limits {
		e.sh.opts.OnLimit(node, r)
	}
	e.sh.limits = e.sh.limits[:0]
}
