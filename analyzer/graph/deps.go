package graph

import (
	"strings"

	"github.com/armlint/armlint/analyzer/expr"
	"github.com/armlint/armlint/analyzer/template"
)

// dependencies are what a resource waits for before it is created.
type dependencies struct {
	on      []*Resource // explicit dependsOn and implicit reference()/list*() dependencies
	unknown []string    // dependsOn entries that could not be resolved (unknown values)
}

// DependsOn returns the resources r waits for directly: the resolved
// entries of its dependsOn (names, resource IDs, relative IDs, loop names,
// symbolic names, sym[i], parent::child) and the implicit dependencies ARM
// creates for reference()/references()/list*() of a resource of the same
// template by name or symbolic name (not by resource ID).
func (g *Graph) DependsOn(r *Resource) []*Resource { return g.deps(r).on }

// UnresolvedDependsOn returns the dependsOn entries of r that could not be
// evaluated. A rule that asks whether r waits for something should not
// report when r has any: the unknown entry may be it.
func (g *Graph) UnresolvedDependsOn(r *Resource) []string { return g.deps(r).unknown }

// DependsOnPath reports whether ARM creates b before it starts a: a path
// of dependencies leads from a (or a nested deployment that encloses a)
// to b or to a deployment that encloses b.
func (g *Graph) DependsOnPath(a, b *Resource) bool {
	seen := map[*Resource]bool{a: true}
	queue := []*Resource{a}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		for c := x; c != nil; c = c.Deployment {
			for _, d := range g.DependsOn(c) {
				if d == b || encloses(d, b) {
					return true
				}
				if !seen[d] {
					seen[d] = true
					queue = append(queue, d)
				}
			}
		}
	}
	return false
}

// encloses reports whether r is inside the nested deployment d.
func encloses(d, r *Resource) bool {
	for c := r.Deployment; c != nil; c = c.Deployment {
		if c == d {
			return true
		}
	}
	return false
}

// deps computes the dependencies of r once.
func (g *Graph) deps(r *Resource) *dependencies {
	if r.deps != nil {
		return r.deps
	}
	d := &dependencies{}
	r.deps = d
	if g.resolver == nil {
		return d
	}
	b := g.resolver
	add := func(rs []*Resource) {
		for _, x := range rs {
			if x != r && !contains(d.on, x) {
				d.on = append(d.on, x)
			}
		}
	}
	if dn := r.Res.DependsOn; dn != nil {
		v := r.env.EvalNode(dn)
		elems, ok := v.Elems()
		if !ok {
			d.unknown = append(d.unknown, v.Expr())
		}
		for _, e := range elems {
			rs := b.lookup(e, r)
			if len(rs) == 0 && !e.IsKnown() {
				d.unknown = append(d.unknown, e.Expr())
			}
			add(rs)
		}
	}
	for _, n := range []*template.Value{r.Res.Properties, r.Res.Node.Get("sku"), r.Res.Node.Get("tags")} {
		ForEachExpression(n, func(v *template.Value) {
			forEachRuntimeRead(r.env, v.Str(), func(target expr.Expr) {
				v := expr.Eval(target, r.env)
				if s, ok := v.Str(); ok && !strings.HasPrefix(s, "/") {
					add(b.lookup(v, r)) // by name or symbolic name: an implicit dependency
				}
			})
		})
	}
	return d
}

func contains(rs []*Resource, x *Resource) bool {
	for _, r := range rs {
		if r == x {
			return true
		}
	}
	return false
}

// ForEachExpression calls fn for every expression string under n, in
// document order; a nested deployment's template (whose resources are
// resources of their own) is skipped.
func ForEachExpression(n *template.Value, fn func(*template.Value)) {
	if n == nil {
		return
	}
	switch n.Kind {
	case template.String:
		if n.IsExpression() {
			fn(n)
		}
	case template.Array:
		for _, e := range n.Elems() {
			ForEachExpression(e, fn)
		}
	case template.Object:
		for _, m := range n.Members() {
			if m.Key == "template" && m.Value.Get("resources") != nil {
				continue
			}
			ForEachExpression(m.Value, fn)
		}
	}
}

// forEachRuntimeRead calls fn with the first argument of every
// reference(), references() and list*() call in the expression string s,
// parsed through env's cache (shared with the evaluator, which may have
// parsed it already). An ASCII string that does not spell "reference"
// or "list" in any case calls none of them (a function's name is written
// in it, and the name is compared in lower case) and is not parsed.
func forEachRuntimeRead(env *expr.Env, s string, fn func(target expr.Expr)) {
	if template.IsASCII(s) && !template.ContainsFold(s, "list") && !template.ContainsFold(s, "reference") {
		return
	}
	x, ok := env.Parse(s)
	if !ok {
		return
	}
	expr.Inspect(x, func(n expr.Expr) bool {
		if c, ok := n.(*expr.Call); ok && c.Namespace == "" && len(c.Args) > 0 {
			name := strings.ToLower(c.Name)
			if name == "reference" || name == "references" || strings.HasPrefix(name, "list") {
				fn(c.Args[0])
			}
		}
		return true
	})
}

// WaitsFor says whether ARM creates b before it starts a: Yes when a
// dependency path leads there (as DependsOnPath), No when none does and
// every dependsOn entry of every resource on the way (and of the nested
// deployments that enclose them) was resolved, Maybe when an unresolved
// entry on the way might be the missing link.
func (g *Graph) WaitsFor(a, b *Resource) Tri {
	if g.DependsOnPath(a, b) {
		return Yes
	}
	seen := map[*Resource]bool{a: true}
	queue := []*Resource{a}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		for c := x; c != nil; c = c.Deployment {
			if len(g.UnresolvedDependsOn(c)) > 0 {
				return Maybe
			}
			for _, d := range g.DependsOn(c) {
				if !seen[d] {
					seen[d] = true
					queue = append(queue, d)
				}
			}
		}
	}
	return No
}
