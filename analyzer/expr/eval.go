package expr

import (
	"fmt"
	"strconv"
	"strings"
)

// Eval evaluates x in env. It never panics and never fails: what cannot be
// computed statically comes back as an Unknown (see the package doc).
func Eval(x Expr, env *Env) Value {
	if x == nil || env == nil {
		return Null()
	}
	return env.eval(x)
}

// eval evaluates one node, charging one step of the budget.
func (e *Env) eval(x Expr) Value {
	if !e.step(1) {
		return budgetUnknown(x.String())
	}
	switch n := x.(type) {
	case *StringLit:
		return String(n.Value)
	case *IntLit:
		return Int(n.Value)
	case *PropAccess:
		return e.note(e.output(e.eval(n.X).Prop(n.Name)))
	case *IndexAccess:
		base := e.eval(n.X)
		return e.note(e.output(base.At(e.eval(n.Index))))
	case *Call:
		return e.call(n)
	}
	return Null()
}

// output replaces a read of a nested deployment's output,
// reference(d).outputs.name.value, by the output's value when
// Options.ResolveOutput knows it.
func (e *Env) output(v Value) Value {
	ref := v.Ref()
	if ref == nil || e.sh.opts.ResolveOutput == nil || ref.Func != "reference" || len(ref.Path) != 3 {
		return v
	}
	first, _ := ref.Path[0].Str()
	third, _ := ref.Path[2].Str()
	if !strings.EqualFold(first, "outputs") || !strings.EqualFold(third, "value") {
		return v
	}
	if out, ok := e.sh.opts.ResolveOutput(ref); ok {
		return out.withDefaultsOf(v.defaults)
	}
	return v
}

func budgetUnknown(expr string) Value {
	return NewUnknown(&Unknown{Expr: clipExpr(expr), Reason: "evaluation budget exceeded"})
}

// argMode says how a function wants its arguments.
type argMode uint8

const (
	// modeFull: every argument must be fully known; otherwise the call is
	// unknown.
	modeFull argMode = iota
	// modeKnown: every argument must be known at the top level; arrays and
	// objects may contain unknowns.
	modeKnown
	// modeAny: arguments are passed as they are, unknown or not.
	modeAny
	// modeLazy: the function evaluates its argument expressions itself.
	modeLazy
)

// function is one entry of the function table.
type function struct {
	name    string // documented spelling, used in canonical texts
	minArgs int
	maxArgs int // -1: variadic
	mode    argMode
	eval    func(c *call, args []Value) Value
	lazy    func(c *call) Value
	// byName, when set, is eval of a call whose one argument is a string
	// literal (parameters('x'), variables('x')): the call then needs no
	// call record nor argument slice.
	byName func(e *Env, name string) Value
	// canon, when set, renders the canonical text of a call with unknown
	// arguments (used by concat to merge adjacent known strings).
	canon func(c *call, args []Value) string
}

// functions maps lower-case names to functions. It is filled once, from
// the per-family tables, before any evaluation.
var functions = map[string]*function{}

// documented maps each function's documented spelling to it: calls
// written that way (nearly all) find their function without lower-casing
// the name.
var documented = map[string]*function{}

// The table cannot be a variable initializer: function bodies refer back
// to it (through canonicalName), which Go rejects as an initialization
// cycle.
func init() { //nolint:gochecknoinits // see above: a var initializer would be an initialization cycle
	for _, fam := range [][]*function{
		deploymentFunctions(), logicalFunctions(), stringFunctions(), formatFunctions(),
		arrayFunctions(), objectFunctions(), numericFunctions(), resourceIDFunctions(),
		hashFunctions(), lambdaFunctions(), runtimeFunctions(), encodingFunctions(),
		dateFunctions(), cidrFunctions(),
	} {
		for _, f := range fam {
			functions[strings.ToLower(f.name)] = f
		}
	}
	for _, f := range functions {
		documented[f.name] = f
	}
	fnParametersEntry, fnVariablesEntry = functions["parameters"], functions["variables"]
}

// fnParametersEntry and fnVariablesEntry are the table entries of
// parameters() and variables() (see byNameString).
var fnParametersEntry, fnVariablesEntry *function

// lookupFunction returns the table entry of a built-in function name
// (case-insensitive), or nil.
func lookupFunction(name string) *function {
	if f, ok := documented[name]; ok {
		return f
	}
	return functions[strings.ToLower(name)]
}

// canonicalName returns the documented spelling of a built-in function
// name, or name itself when it is not a known function.
func canonicalName(name string) string {
	if f := lookupFunction(name); f != nil {
		return f.name
	}
	if isListFunction(name) {
		return name
	}
	return name
}

// call is the context of one function call.
type call struct {
	env  *Env
	node *Call
	fn   *function
	args []Value // evaluated arguments (nil for lazy functions until set)
}

// call evaluates a function call node.
func (e *Env) call(n *Call) Value {
	if n.Namespace != "" {
		return e.callUDF(n)
	}
	f := n.fn
	if f == nil {
		f = lookupFunction(n.Name)
	}
	if f == nil && isListFunction(strings.ToLower(n.Name)) {
		f = listFunction(n.Name)
	}
	if f == nil {
		args := make([]Value, len(n.Args))
		for i, a := range n.Args {
			args[i] = e.eval(a)
		}
		e.sh.unsupported[strings.ToLower(n.Name)] = true
		c := &call{env: e, node: n, args: args}
		return NewUnknown(&Unknown{Expr: c.text(args), Reason: "function " + n.Name + " is not supported"}).withDefaultsOf(unionDefaults(args))
	}
	if len(n.Args) < f.minArgs || f.maxArgs >= 0 && len(n.Args) > f.maxArgs {
		c := &call{env: e, node: n, fn: f}
		c.args = e.evalArgs(n.Args)
		return e.note(c.fail("%s", arityMessage(f, len(n.Args))))
	}
	if f.mode == modeLazy {
		return e.note(f.lazy(&call{env: e, node: n, fn: f}))
	}
	if f.byName != nil && len(n.Args) == 1 {
		if lit, ok := n.Args[0].(*StringLit); ok {
			return e.callByName(n, f, lit)
		}
	}
	c, args, fr := e.newCall(n, f)
	for i, a := range n.Args {
		args[i] = e.eval(a)
	}
	out := e.finish(c, args)
	e.freeCall(fr)
	return out
}

// callByName evaluates f(lit) as call and finish do, without building
// the call: the literal's step, f.byName, the value's charge.
func (e *Env) callByName(n *Call, f *function, lit *StringLit) Value {
	if !e.step(1) {
		c, args, fr := e.newCall(n, f)
		args[0] = budgetUnknown(lit.String())
		out := e.finish(c, args)
		e.freeCall(fr)
		return out
	}
	// A literal argument is fully known and rests on no defaults.
	out := f.byName(e, lit.Value)
	if !e.chargeValue(out) {
		return budgetUnknown((&call{env: e, node: n, fn: f}).text([]Value{String(lit.Value)}))
	}
	return e.note(out)
}

// finish applies f to the evaluated arguments of c.
func (e *Env) finish(c *call, args []Value) Value {
	f := c.fn
	c.args = args
	var out Value
	switch {
	case f.name == "format" && isIdentityFormat(args):
		// format('{0}', x) of a string is x itself (Bicep writes
		// userAssignedIdentities keys this way): keep the same unknown, so
		// that it still denotes the same value as x written elsewhere.
		out = args[1]
	case f.mode == modeFull && !allFullyKnown(args), f.mode == modeKnown && !allKnown(args):
		out = c.unknown(args)
	default:
		out = f.eval(c, args)
	}
	out = out.withDefaultsOf(unionDefaults(args))
	if !e.chargeValue(out) {
		return budgetUnknown(c.text(args))
	}
	return e.note(out)
}

// callFrame is a call record with room for up to three evaluated arguments.
// Frames are reused (see Env.newCall): what a function returns never
// holds its call record or its argument slice (values are copied out of
// it), so the record is free once finish returns.
type callFrame struct {
	c call
	a [3]Value
}

// newCall returns the call of f at n with room for its evaluated
// arguments: a frame from the Env tree's free list for one to three
// arguments (fr, to give back with freeCall once finish has returned),
// else a record of its own (fr is nil).
func (e *Env) newCall(n *Call, f *function) (c *call, args []Value, fr *callFrame) {
	if len(n.Args) > len(fr.a) {
		return &call{env: e, node: n, fn: f}, make([]Value, len(n.Args)), nil
	}
	if k := len(e.sh.frames); k > 0 {
		fr = e.sh.frames[k-1]
		e.sh.frames = e.sh.frames[:k-1]
	} else {
		fr = &callFrame{}
	}
	fr.c = call{env: e, node: n, fn: f}
	return &fr.c, fr.a[:len(n.Args)], fr
}

// freeCall clears a frame newCall returned and puts it back on the free
// list.
func (e *Env) freeCall(fr *callFrame) {
	if fr == nil {
		return
	}
	*fr = callFrame{}
	e.sh.frames = append(e.sh.frames, fr)
}

func arityMessage(f *function, n int) string {
	want := strconv.Itoa(f.minArgs)
	switch {
	case f.maxArgs < 0:
		want = "at least " + want
	case f.maxArgs != f.minArgs:
		want = "between " + want + " and " + strconv.Itoa(f.maxArgs)
	}
	return "expects " + want + " arguments, got " + strconv.Itoa(n)
}

func (e *Env) evalArgs(xs []Expr) []Value {
	args := make([]Value, len(xs))
	for i, a := range xs {
		args[i] = e.eval(a)
	}
	return args
}

// note records an error unknown in the environment's error list.
func (e *Env) note(v Value) Value {
	if v.k == KUnknown && v.u != nil && v.u.Err {
		e.sh.addError(v.u.Expr + ": " + v.u.Reason)
	}
	return v
}

func allKnown(args []Value) bool {
	for _, a := range args {
		if a.k == KUnknown {
			return false
		}
	}
	return true
}

func allFullyKnown(args []Value) bool {
	for _, a := range args {
		if !a.IsFullyKnown() {
			return false
		}
	}
	return true
}

func unionDefaults(args []Value) *defaultSet {
	var out *defaultSet
	for _, a := range args {
		out = mergeDefaults(out, a.defaults)
	}
	return out
}

// name returns the canonical name of the called function.
func (c *call) name() string {
	if c.fn != nil {
		return c.fn.name
	}
	return c.node.FullName()
}

// text returns the canonical text of the call with its arguments folded:
// known arguments as literals, unknown ones as their Expr.
func (c *call) text(args []Value) string {
	if c.fn != nil && c.fn.canon != nil {
		return clipExpr(c.fn.canon(c, args))
	}
	return clipExpr(callText(c.name(), args))
}

func callText(name string, args []Value) string {
	var b strings.Builder
	size := len(name) + 2
	for _, a := range args {
		size += literalSize(a) + 2
	}
	b.Grow(size)
	b.WriteString(name)
	b.WriteByte('(')
	for i, a := range args {
		if i > 0 {
			b.WriteString(", ")
		}
		writeLiteral(&b, a, 0)
	}
	b.WriteByte(')')
	return b.String()
}

// unknown returns the unknown result of the call: its Expr is the folded
// call text, its reason and marks come from the unknown arguments.
func (c *call) unknown(args []Value) Value {
	u := &Unknown{Expr: c.text(args)}
	for _, a := range args {
		pu := firstUnknownDesc(a)
		if pu == nil {
			continue
		}
		if u.Reason == "" || pu.Err && !u.Err {
			u.Reason = pu.Reason
		}
		u.Marks |= pu.Marks
		u.Err = u.Err || pu.Err
	}
	if u.Reason == "" {
		u.Reason = "an argument is unknown"
	}
	return NewUnknown(u)
}

// fail returns an error unknown for the call: the expression fails at
// deployment with the given reason.
func (c *call) fail(format string, a ...any) Value {
	msg := format
	if len(a) > 0 {
		msg = fmt.Sprintf(format, a...)
	}
	return NewUnknown(&Unknown{Expr: c.text(c.args), Reason: c.name() + ": " + msg, Err: true})
}

// unsupported returns an unknown for a form of the function the evaluator
// does not implement (not an error in the template).
func (c *call) unsupported(what string) Value {
	return NewUnknown(&Unknown{Expr: c.text(c.args), Reason: c.name() + ": " + what + " is not supported"})
}

// charge charges n steps of work done inside a function (comparisons,
// scans); false means the budget is exhausted and the caller should
// return c.overBudget().
func (c *call) charge(n int) bool { return c.env.step(n) }

// overBudget is the result of a call that ran out of budget.
func (c *call) overBudget() Value { return budgetUnknown(c.text(c.args)) }

func (c *call) typeErr(args []Value, i int, want string) Value {
	got := "nothing"
	if i < len(args) {
		got = args[i].k.String()
	}
	return c.fail("argument %d must be %s, got %s", i+1, want, got)
}

// stringResultPrefixes start the canonical text of calls whose result is
// always a string: an unknown they return is an unknown string.
var stringResultPrefixes = []string{
	"resourceId(", "subscriptionResourceId(", "tenantResourceId(", "extensionResourceId(",
	"managementGroupResourceId(", "format(", "concat('", "toLower(", "toUpper(", "uniqueString(", "guid(",
}

// isIdentityFormat reports whether a format() call is format('{0}', x)
// with x an unknown string.
func isIdentityFormat(args []Value) bool {
	if len(args) != 2 {
		return false
	}
	f, ok := args[0].Str()
	u := args[1].Unknown()
	if !ok || f != "{0}" || u == nil || u.Ref != nil {
		return false
	}
	for _, p := range stringResultPrefixes {
		if strings.HasPrefix(u.Expr, p) {
			return true
		}
	}
	return false
}

// EvalCall evaluates the call fn(args...) in e as EvalString evaluates
// its text "[fn(<args as literals>)]", where a known string is written
// as a quoted literal and any other value as its literal text (an
// unknown's canonical expression), without building that text: known
// strings become literal nodes, and the literal text of any other value
// is parsed on its own, through the parse cache (the same unknown names
// many resources). When the call cannot be split so (its text may be
// over MaxExpressionLength, or an argument's text does not parse on its
// own one level down) the text is built and evaluated.
func (e *Env) EvalCall(fn string, args ...Value) Value {
	n, lits := newCallNode(fn, len(args))
	size := len(fn) + 4 // "[fn(" and ")]"
	for i, a := range args {
		size += 2 // ", " (one too many)
		if s, ok := a.Str(); ok {
			size += len(s) + 2 + strings.Count(s, "'")
			lits[i].Value = s
			n.Args[i] = &lits[i]
			continue
		}
		text := a.Expr()
		size += len(text)
		if size > MaxExpressionLength {
			break
		}
		x, ok := e.sh.parses.inner(text)
		if !ok || nestingDepth(x, 0) >= MaxNestingDepth {
			return e.EvalString(templateCallText(fn, args))
		}
		n.Args[i] = x
	}
	if size > MaxExpressionLength {
		// The text may be too long to parse: let the parser say so.
		return e.EvalString(templateCallText(fn, args))
	}
	return e.eval(n)
}

// newCallNode returns a call node of fn with room for n arguments, and n
// string literals for them: in one allocation for two or three
// arguments (resourceId and its kin, as graph builds them).
func newCallNode(fn string, n int) (*Call, []StringLit) {
	switch n {
	case 2:
		node := &struct {
			call Call
			args [2]Expr
			lits [2]StringLit
		}{call: Call{Name: fn}}
		node.call.Args = node.args[:]
		return &node.call, node.lits[:]
	case 3:
		node := &struct {
			call Call
			args [3]Expr
			lits [3]StringLit
		}{call: Call{Name: fn}}
		node.call.Args = node.args[:]
		return &node.call, node.lits[:]
	}
	return &Call{Name: fn, Args: make([]Expr, n)}, make([]StringLit, n)
}

// templateCallText is the template string "[fn(<args as literals>)]".
func templateCallText(fn string, args []Value) string {
	var b strings.Builder
	b.WriteString("[" + fn + "(")
	for i, a := range args {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(a.Expr())
	}
	b.WriteString(")]")
	return b.String()
}

// nestingDepth returns the deepest nesting level the parser reaches in x
// when x is parsed at level depth: call arguments and indexes are one
// level down (parser.expr's depth).
func nestingDepth(x Expr, depth int) int {
	out := depth
	switch n := x.(type) {
	case *Call:
		for _, a := range n.Args {
			out = max(out, nestingDepth(a, depth+1))
		}
	case *PropAccess:
		out = max(out, nestingDepth(n.X, depth))
	case *IndexAccess:
		out = max(out, nestingDepth(n.X, depth), nestingDepth(n.Index, depth+1))
	}
	return out
}
