package graph

import (
	"strconv"
	"strings"

	"github.com/armlint/armlint/analyzer/expr"
)

// lookup finds the resources of the deployment that a reference denotes:
// a resource ID (full or relative "{ns}/{type}/{name}"), a symbolic name
// ("sym", "sym[2]", "parent::child"), a copy loop name (every instance) or
// a resource name. An unknown matches resources whose ID or name is the
// same unknown (the same expression over the same inputs). Names resolve
// in the template of from first, then anywhere in the file.
func (b *builder) lookup(v expr.Value, from *Resource) []*Resource {
	ix := b.lookupIndex()
	s, ok := v.Str()
	if !ok {
		u := v.Unknown()
		if u == nil {
			return nil
		}
		if out := filter(ix.unknownID[u.Expr], nil); len(out) > 0 {
			return out
		}
		return local(ix.unknownName, u.Expr, from, nil)
	}
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "/") {
		return filter(ix.id[foldKey(s)], nil)
	}
	// Symbolic names, with an optional instance index.
	sym, index := s, -1
	if i := strings.LastIndexByte(s, '['); i > 0 && strings.HasSuffix(s, "]") {
		if n, err := strconv.Atoi(s[i+1 : len(s)-1]); err == nil {
			sym, index = s[:i], n
		}
	}
	var instance func(*Resource) bool
	if index >= 0 {
		instance = func(r *Resource) bool { return r.Instance == index }
	}
	if out := local(ix.symbolic, sym, from, instance); len(out) > 0 {
		return out
	}
	if strings.Count(s, "/") >= 2 && strings.Contains(s[:strings.IndexByte(s, '/')], ".") {
		if out := filter(ix.provider[strings.ToLower(s)], nil); len(out) > 0 {
			return out
		}
	}
	if out := local(ix.loop, foldKey(s), from, nil); len(out) > 0 {
		return out
	}
	return local(ix.name, foldKey(s), from, nil)
}

// resolve returns the one resource a reference denotes, or nil when it
// denotes none or several. Declarations that share one resource ID (a
// template that deploys a resource and later updates it) are one Azure
// resource: the first declaration in file order stands for it.
func (b *builder) resolve(v expr.Value, from *Resource) *Resource {
	rs := b.lookup(v, from)
	if len(rs) == 0 {
		return nil
	}
	first, ok := rs[0].ID.Str()
	for _, r := range rs[1:] {
		id, ok2 := r.ID.Str()
		if !ok || !ok2 || !strings.EqualFold(id, first) {
			return nil
		}
	}
	return rs[0]
}

// maxDeref bounds how deep outputs are followed through nested
// deployments whose outputs read other deployments' outputs.
const maxDeref = 16

// output is the evaluator's ResolveOutput hook: the value a nested
// deployment of this file computes for one of its outputs, evaluated in
// the nested template's own scope. Deployments are resolved as they are
// added, so a reference to a deployment declared later in the file stays
// unknown.
func (b *builder) output(ref *expr.Ref) (expr.Value, bool) {
	if b.derefDepth >= maxDeref {
		return expr.Value{}, false
	}
	name, ok := ref.Path[1].Str()
	if !ok {
		return expr.Value{}, false
	}
	d := b.resolve(ref.Target, nil)
	if d == nil || d.NestedTemplate == nil || d.nestedEnv == nil {
		return expr.Value{}, false
	}
	out := d.NestedTemplate.Outputs.Get(name)
	if out == nil || out.Get("copy") != nil || out.Get("value") == nil {
		return expr.Value{}, false
	}
	b.derefDepth++
	defer func() { b.derefDepth-- }()
	return d.nestedEnv.EvalNode(out.Get("value")), true
}

// deref follows a value that is a read of a nested deployment's output to
// the output's value; values read before the deployment was known (a
// deployment declared later in the file) are resolved here.
func (b *builder) deref(v expr.Value, depth int) expr.Value {
	ref := v.Ref()
	if ref == nil || ref.Func != "reference" || depth >= maxDeref || len(ref.Path) < 3 {
		return v
	}
	out, ok := b.output(&expr.Ref{Func: ref.Func, Target: ref.Target, Path: ref.Path[:3]})
	if !ok {
		return v
	}
	for _, step := range ref.Path[3:] {
		out = out.At(step)
	}
	return b.deref(out, depth+1)
}

// Lookup returns the one resource of the deployment that v (a resource ID,
// relative ID, name or symbolic name, as read by reference() from the
// resource from) denotes, or nil when it denotes none or several.
func (g *Graph) Lookup(v expr.Value, from *Resource) *Resource {
	if g == nil || g.resolver == nil {
		return nil
	}
	return g.resolver.resolve(v, from)
}

// EvalExpr evaluates a parsed expression in r's environment (its copy
// index, its template's parameters and variables).
func (r *Resource) EvalExpr(x expr.Expr) expr.Value {
	if r == nil || r.env == nil || x == nil {
		return expr.Null()
	}
	return expr.Eval(x, r.env)
}
