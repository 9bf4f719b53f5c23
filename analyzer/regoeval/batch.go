package regoeval

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"
	"weak"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"

	"github.com/armlint/armlint/analyzer"
	"github.com/armlint/armlint/analyzer/graph"
)

// state is what the rules of one Load share: the compiled policies (ready
// once done is closed), the input cache, and the batch, if any.
type state struct {
	done     chan struct{}
	err      error // compiling or preparing
	compiler *ast.Compiler
	evals    []*evaluator // by rule index
	store    storage.Store
	timeout  time.Duration
	inputs   *inputCache
	index    sync.Map // *analyzer.Rule → its index
	// skippable[i] is true when rule i is a built-in policy, skipped on
	// files that do not have any of the facts needs[i] (see facts).
	skippable    []bool
	anySkippable bool
	needs        []facts
	start        func() // starts the background compilation, once (a no-op when compiled by Load)
	parsedLate   bool   // Load parsed the modules' headers at most; the background parses (or decodes) them
	precompiled  bool   // compiled from precompiled.bin (see compilePrecompiled)

	mu    sync.Mutex
	batch *batch
}

// check is the Check of rule i: it waits for the policies to be compiled,
// then takes the rule's findings from its batch or evaluates its own
// query.
func (st *state) check(i int, pass *analyzer.Pass) error {
	if pass.Graph != nil && !st.needed(i, st.facts(pass.Graph)) {
		return nil
	}
	if pass.Graph != nil {
		// Every rule needs the input: build it (once per file) while the
		// policies may still be compiling.
		st.inputs.get(pass.Template, pass.Graph)
	}
	st.start()
	<-st.done
	if st.err != nil {
		return st.err
	}
	e := st.evals[i]
	st.mu.Lock()
	b := st.batch
	st.mu.Unlock()
	if b == nil || pass.Graph == nil || e.otherOptions(pass) {
		return e.check(pass)
	}
	k, ok := b.pos[i]
	if !ok {
		return e.check(pass)
	}
	vals, err := b.results(st, pass)
	if err != nil {
		// Evaluate the rule alone: the error, or the budget exceeded, is
		// then reported exactly as without the batch, for the rule it
		// concerns.
		return e.check(pass)
	}
	return e.report(pass, vals[k])
}

// facts returns the facts of a file (see factsOf), or every fact when no
// rule is skippable.
func (st *state) facts(g *graph.Graph) facts {
	if !st.anySkippable {
		return everyFact
	}
	if !relevant(g) { // most files: not worth a cache entry
		return 0
	}
	return st.inputs.facts(g)
}

// needed reports whether rule i is evaluated on a file with facts f: a
// built-in policy only when the file has one of the facts it starts from,
// any other rule always.
func (st *state) needed(i int, f facts) bool {
	return !st.skippable[i] || st.needs[i]&f != 0
}

// EvaluateTogether makes the given rules, those of them that Load
// returned, evaluate their findings in one query per file instead of one
// each: the input is converted once anyway, and library rules shared by
// several policies are evaluated once. The batch has the budget of one
// rule; if it fails or exceeds it, each rule is evaluated alone, so that
// errors name the rule they concern. Call it before the rules run; rules
// not named are still evaluated alone.
//
// It also starts the background compilation of the policies with a rule
// among those given: with every policy rule disabled, nothing is
// compiled.
func EvaluateTogether(rules []*analyzer.Rule) {
	byState := map[*state][]int{}
	for _, r := range rules {
		for st := range states.All() {
			if i, ok := st.index.Load(r); ok {
				byState[st] = append(byState[st], i.(int))
			}
		}
	}
	for st, idx := range byState {
		if len(idx) >= 2 {
			b := newBatch(st, idx)
			st.mu.Lock()
			st.batch = b
			st.mu.Unlock()
		}
		st.start()
	}
}

// states holds the state of every Load, weakly, for EvaluateTogether.
var states = &weakSet[state]{}

// weakSet is a set of weak pointers, safe for concurrent use.
type weakSet[T any] struct {
	m sync.Map // weak.Pointer[T] → struct{}
}

func (s *weakSet[T]) add(p *T) {
	key := weak.Make(p)
	s.m.Store(key, struct{}{})
	runtime.AddCleanup(p, func(k weak.Pointer[T]) { s.m.Delete(k) }, key)
}

// All yields the live members.
func (s *weakSet[T]) All() func(func(*T) bool) {
	return func(yield func(*T) bool) {
		s.m.Range(func(k, _ any) bool {
			if p := k.(weak.Pointer[T]).Value(); p != nil {
				return yield(p)
			}
			return true
		})
	}
}

// batch is rules evaluated in one query per file: of those rules, the
// query of a file evaluates the ones needed on it (state.needed), so each
// set of facts has its query (one for each distinct set of rules, prepared
// on first use). Expression j of a query is xj := data.<package of a
// rule>.findings when the rule's findings is a multi-value rule (never
// undefined: the empty set at least), else
// [x | x := data.<package of a rule>.findings], empty when the rule's
// findings are undefined.
type batch struct {
	members []int       // rule indexes
	pos     map[int]int // rule index → position in members
	byFacts [numFactSets]*subBatch

	cache sync.Map // weak.Pointer[graph.Graph] → *batchEntry
}

// subBatch is the query of some members of a batch.
type subBatch struct {
	members []int    // positions in batch.members, in expression order
	vars    []string // for each expression: the variable that holds the findings, or "" (a comprehension)

	once  sync.Once
	query rego.PreparedEvalQuery
	err   error
}

// newBatch returns the batch of the given rules of st, with the query of
// each set of facts (queries shared by sets that need the same rules).
func newBatch(st *state, idx []int) *batch {
	b := &batch{members: idx, pos: make(map[int]int, len(idx))}
	for k, i := range idx {
		b.pos[i] = k
	}
	subs := map[string]*subBatch{}
	for f := range numFactSets {
		var members []int
		for k, i := range idx {
			if st.needed(i, f) {
				members = append(members, k)
			}
		}
		key := fmt.Sprint(members)
		if subs[key] == nil {
			subs[key] = &subBatch{members: members}
		}
		b.byFacts[f] = subs[key]
	}
	return b
}

type batchEntry struct {
	once sync.Once
	vals []*ast.Term
	err  error
}

// results returns the findings of each member of the batch on the file of
// pass (nil for the members not needed on it, and when undefined),
// evaluating the query of its facts once per graph.
func (b *batch) results(st *state, pass *analyzer.Pass) ([]*ast.Term, error) {
	g := pass.Graph
	key := weak.Make(g)
	v, loaded := b.cache.LoadOrStore(key, &batchEntry{})
	if !loaded {
		runtime.AddCleanup(g, func(k weak.Pointer[graph.Graph]) { b.cache.Delete(k) }, key)
	}
	e := v.(*batchEntry)
	e.once.Do(func() {
		sub := b.byFacts[st.facts(g)]
		sub.once.Do(func() { sub.query, sub.err = b.prepare(st, sub) })
		if sub.err != nil {
			e.err = sub.err
			return
		}
		e.vals, e.err = b.eval(st, sub, pass)
	})
	return e.vals, e.err
}

func (b *batch) prepare(st *state, sub *subBatch) (rego.PreparedEvalQuery, error) {
	body := make(ast.Body, len(sub.members))
	sub.vars = make([]string, len(sub.members))
	for j, k := range sub.members {
		ref := st.evals[b.members[k]].ref
		x := ast.VarTerm(fmt.Sprintf("x%d", j))
		if multiValue(st.compiler, ref) {
			// No comprehension to build: about a tenth of the
			// allocations of an evaluation.
			body[j] = ast.Assign.Expr(x, ast.NewTerm(ref))
			sub.vars[j] = string(x.Value.(ast.Var))
		} else {
			body[j] = ast.NewExpr(ast.ArrayComprehensionTerm(x, ast.NewBody(ast.Assign.Expr(x, ast.NewTerm(ref)))))
		}
		body[j].Index = j
	}
	return rego.New(
		rego.ParsedQuery(body),
		rego.Compiler(st.compiler),
		rego.Store(st.store),
		rego.StrictBuiltinErrors(true),
	).PrepareForEval(context.Background())
}

func (b *batch) eval(st *state, sub *subBatch, pass *analyzer.Pass) ([]*ast.Term, error) {
	ctx, cancel := context.WithTimeout(context.Background(), st.timeout)
	defer cancel()
	in := st.inputs.get(pass.Template, pass.Graph)
	rs, err := sub.query.Eval(ctx, evalOptions(in)...)
	if err != nil {
		return nil, err
	}
	if len(rs) != 1 || len(rs[0].Expressions) != len(sub.members) {
		return nil, errors.New("batch: unexpected result shape")
	}
	vals := make([]*ast.Term, len(b.members))
	for j, e := range rs[0].Expressions {
		if x := sub.vars[j]; x != "" {
			vals[sub.members[j]] = rs[0].Bindings[x].(*ast.Term)
			continue
		}
		// [findings], or [] when undefined
		if arr, ok := e.Value.(*ast.Term).Value.(*ast.Array); ok && arr.Len() > 0 {
			vals[sub.members[j]] = arr.Elem(0)
		}
	}
	return vals, nil
}

// multiValue reports whether every rule at ref is a multi-value rule
// (findings contains x if ...), whose value is a set, empty when no
// body succeeds.
func multiValue(c *ast.Compiler, ref ast.Ref) bool {
	rules := c.GetRulesExact(ref)
	for _, r := range rules {
		if r.Head.RuleKind() != ast.MultiValue {
			return false
		}
	}
	return len(rules) > 0
}
