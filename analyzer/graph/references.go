package graph

import (
	"strings"

	"github.com/armlint/armlint/analyzer/expr"
	"github.com/armlint/armlint/analyzer/template"
)

// Use is one place of the deployment that refers to a resource.
type Use struct {
	By   *Resource     // the resource that refers to it; nil for an output
	Node template.Node // the property (or output) that holds the reference
	What string        // what refers: "identity", "properties", "output 'x'", "role assignment", ...
	// Maybe is set when the place may refer to the resource but the
	// values involved are not known (an unresolved userAssignedIdentities
	// key): a rule that reports unused resources must count it as a use.
	Maybe bool
}

// mention is one evaluated value of the deployment, for References.
type mention struct {
	by    *Resource
	node  template.Node
	what  string
	v     expr.Value
	atoms []atom // v flattened, for matching against each resource
}

// atom is one string of an evaluated value that may mention a resource,
// lower-cased once for every resource References is asked about.
type atom struct {
	text string // lower-case: a known string or key, or an unknown's canonical expression
	expr bool   // text is an unknown's expression (or an unknown key)
	// target is the resource a runtime read (reference(), list*()) of an
	// unknown resolves to, or nil.
	target *Resource
}

// References returns the places of the deployment that refer to r: a
// resource or output whose evaluated properties, identity block, tags,
// dependsOn, scope or value mention r's resource ID (a known string, or
// an unknown whose canonical expression contains r's ID expression),
// read it with reference()/resourceInfo() (by resource ID, name or
// symbolic name), or equal its name; a role assignment whose principal
// is r's identity; a userAssignedIdentities entry whose target is r; a
// child resource of r. The deployment's values are evaluated once, on
// the first call. It is not safe for concurrent use.
func (g *Graph) References(r *Resource) []Use {
	if g == nil || r == nil {
		return nil
	}
	if g.structural == nil {
		g.structural = g.structuralUses()
	}
	return g.references(r, g.structural.of(r))
}

// Referenced reports whether References(r) has a use. It asks the
// graph's structure first (a child resource, a userAssignedIdentities
// entry, a role assignment's principal): References evaluates every value
// of the deployment on its first call, which a resource used that way
// does without. It is not safe for concurrent use.
func (g *Graph) Referenced(r *Resource) bool {
	if g == nil || r == nil {
		return false
	}
	if g.structural == nil {
		g.structural = g.structuralUses()
	}
	if out := g.structural.of(r); len(out) > 0 {
		return true
	}
	return len(g.references(r, nil)) > 0
}

// references returns out and the mentions of r in the deployment's values.
func (g *Graph) references(r *Resource, out []Use) []Use {
	if g.mentions == nil {
		g.mentions = g.collectMentions()
		for i := range g.mentions {
			g.mentions[i].atoms = g.atoms(nil, g.mentions[i].v, g.mentions[i].by, 0)
		}
	}
	m := newMatcher(g, r)
	g.refQueries++
	if g.refs == nil && g.refQueries >= refIndexAfter {
		g.refs = newRefIndex(g.mentions)
	}
	if g.refs != nil {
		for _, i := range g.refs.matching(m) {
			if mn := &g.mentions[i]; mn.by != r {
				out = append(out, Use{By: mn.by, Node: mn.node, What: mn.what})
			}
		}
		return out
	}
	for _, mn := range g.mentions {
		if mn.by == r {
			continue
		}
		if m.match(mn.atoms) {
			out = append(out, Use{By: mn.by, Node: mn.node, What: mn.what})
		}
	}
	return out
}

// structuralUses are the uses References finds in the graph's structure
// (children, userAssignedIdentities entries, role assignments), found in
// one pass and filed by the resource they are uses of, so that asking for
// each resource costs its own uses, not a pass over the graph. Each use
// keeps its place in the pass, and of returns them in that order.
type structuralUses struct {
	byTarget map[*Resource][]seqUse
	anyone   []seqUse // uses of every resource (an unknown identity block or key)
	// unknownUAI are uses of every user-assigned identity whose ID is not
	// known (an unresolved userAssignedIdentities key)
	unknownUAI []seqUse
}

// seqUse is a use and its place in the pass.
type seqUse struct {
	seq int
	use Use
}

func (g *Graph) structuralUses() *structuralUses {
	s := &structuralUses{byTarget: map[*Resource][]seqUse{}}
	seq := 0
	add := func(list *[]seqUse, u Use) {
		*list = append(*list, seqUse{seq, u})
		seq++
	}
	target := func(r *Resource, u Use) {
		l := s.byTarget[r]
		add(&l, u)
		s.byTarget[r] = l
	}
	for _, x := range g.Resources {
		if x.Parent != nil {
			target(x.Parent, Use{By: x, Node: x.Res, What: "child resource"})
		}
		if x.Identity == nil {
			continue
		}
		for _, u := range x.Identity.UserAssigned {
			use := Use{By: x, Node: nodeOrKey(u, x.Identity.Node), What: "identity"}
			switch {
			case u.Target != nil:
				target(u.Target, use)
			case !u.ID.IsKnown():
				use.Maybe = true
				add(&s.anyone, use)
			default:
				use.Maybe = true
				add(&s.unknownUAI, use)
			}
		}
		if _, ok := x.Identity.Value.Obj(); !ok && !x.Identity.Value.IsKnown() {
			add(&s.anyone, Use{By: x, Node: x.Identity.Node, What: "identity", Maybe: true})
		}
	}
	for _, a := range g.Assignments {
		if a.Principal != nil && a.Principal.Owner != nil {
			target(a.Principal.Owner, Use{By: a.Resource, Node: a.PrincipalNode, What: "role assignment"})
		}
	}
	return s
}

// of returns the structural uses of r by other resources, in the order of
// the pass.
func (s *structuralUses) of(r *Resource) []Use {
	lists := [][]seqUse{s.byTarget[r], s.anyone}
	if !r.ID.IsKnown() && isUserAssignedIdentity(r) {
		lists = append(lists, s.unknownUAI)
	}
	var out []Use
	pos := make([]int, len(lists))
	for {
		best := -1
		for i, l := range lists {
			if pos[i] < len(l) && (best < 0 || l[pos[i]].seq < lists[best][pos[best]].seq) {
				best = i
			}
		}
		if best < 0 {
			return out
		}
		su := lists[best][pos[best]]
		pos[best]++
		if su.use.By != r {
			out = append(out, su.use)
		}
	}
}

func nodeOrKey(u *UserAssignedRef, fallback *template.Value) template.Node {
	if u.KeyNode != nil {
		return u.KeyNode
	}
	return fallback
}

// resourceFieldsSkipped are the members of a resource declaration that
// do not refer to other resources (or are scanned separately).
var resourceFieldsSkipped = map[string]bool{
	"type": true, "apiversion": true, "name": true, "location": true, "condition": true,
	"copy": true, "comments": true, "existing": true, "identity": true, "properties": true,
	"import": true,
}

// collectMentions evaluates every value of the deployment that may refer
// to a resource: each resource's properties (for a nested deployment,
// everything but its template, whose resources are scanned on their
// own), identity block and other members, and the outputs of the root
// template and of every resolved nested template.
func (g *Graph) collectMentions() []mention {
	out := []mention{}
	for _, x := range g.Resources {
		if x.env == nil || x.Res == nil || x.Res.Node == nil {
			continue
		}
		if x.Identity != nil {
			out = append(out, mention{by: x, node: x.Identity.Node, what: "identity", v: x.Identity.Value})
		}
		if p := x.Res.Properties; p != nil {
			if x.Res.Nested != nil || x.NestedTemplate != nil || p.Get("templateLink") != nil {
				for _, mb := range p.Members() {
					if mb.Key == "template" {
						continue
					}
					out = append(out, mention{by: x, node: mb.Value, what: "properties." + mb.Key, v: x.env.EvalNode(mb.Value)})
				}
			} else {
				out = append(out, mention{by: x, node: p, what: "properties", v: x.Properties()})
			}
		}
		for _, mb := range x.Res.Node.Members() {
			if resourceFieldsSkipped[strings.ToLower(mb.Key)] {
				continue
			}
			out = append(out, mention{by: x, node: mb.Value, what: mb.Key, v: x.env.EvalNode(mb.Value)})
		}
	}
	if g.resolver != nil && len(g.resolver.envs) > 0 {
		out = appendOutputs(out, g.Template, g.resolver.envs[0], nil)
	}
	for _, d := range g.Resources {
		if d.NestedTemplate != nil && d.nestedEnv != nil {
			out = appendOutputs(out, d.NestedTemplate, d.nestedEnv, d)
		}
	}
	return out
}

func appendOutputs(out []mention, t *template.Template, env *expr.Env, dep *Resource) []mention {
	if t == nil || t.Outputs == nil || env == nil {
		return out
	}
	for _, mb := range t.Outputs.Members() {
		out = append(out, mention{by: dep, node: mb.Value, what: "output '" + mb.Key + "'", v: env.EvalNode(mb.Value)})
	}
	return out
}

// matcher tells whether a value mentions one resource.
type matcher struct {
	g       *Graph
	r       *Resource
	id      string   // lower-case known ID, or ""
	name    string   // lower-case known name, or ""
	needles []string // lower-case texts whose presence in an unknown's expression is a mention
	nameExp string   // lower-case expression of an unknown name, or ""
}

func newMatcher(g *Graph, r *Resource) *matcher {
	m := &matcher{g: g, r: r}
	if s, ok := r.ID.Str(); ok {
		m.id = strings.ToLower(s)
	} else if u := r.ID.Unknown(); u != nil && u.Expr != "" && !strings.Contains(u.Expr, "?") {
		m.needles = append(m.needles, strings.ToLower(u.Expr))
	}
	if s, ok := r.Name.Str(); ok && s != "" {
		m.name = strings.ToLower(s)
	}
	if u := r.Name.Unknown(); u != nil {
		m.nameExp = strings.ToLower(u.Expr)
	}
	if r.Name.IsKnown() || r.Name.Unknown() != nil {
		nameText := strings.ToLower(r.Name.Expr())
		for _, fn := range []string{"reference(", "resourceinfo("} {
			m.needles = append(m.needles, fn+nameText)
			if r.Res.Symbolic != "" {
				m.needles = append(m.needles, fn+strings.ToLower(quote(r.Res.Symbolic)))
			}
		}
	}
	return m
}

// maxMatchDepth bounds the walk over nested values.
const maxMatchDepth = 64

// atoms appends to out the strings of v that may mention a resource, in
// depth-first order: known strings and object keys, and the canonical
// expressions of unknowns (with the resource a runtime read resolves to,
// seen from the resource from).
func (g *Graph) atoms(out []atom, v expr.Value, from *Resource, depth int) []atom {
	if depth > maxMatchDepth {
		return out
	}
	switch v.Kind() {
	case expr.KString:
		s, _ := v.Str()
		out = append(out, atom{text: strings.ToLower(s)})
	case expr.KUnknown:
		u := v.Unknown()
		a := atom{text: strings.ToLower(u.Expr), expr: true}
		if u.Ref != nil && g.resolver != nil {
			a.target = g.resolver.resolve(u.Ref.Target, from)
		}
		out = append(out, a)
	case expr.KArray:
		elems, _ := v.Elems()
		for _, e := range elems {
			out = g.atoms(out, e, from, depth+1)
		}
	case expr.KObject:
		o, _ := v.Obj()
		for i, k := range o.Keys {
			out = append(out, atom{text: strings.ToLower(k), expr: o.KeyIsUnknown(i)})
			out = g.atoms(out, o.Vals[i], from, depth+1)
		}
	}
	return out
}

// match reports whether a mention's atoms mention r.
func (m *matcher) match(atoms []atom) bool {
	for _, a := range atoms {
		switch {
		case a.target != nil && a.target == m.r:
			return true
		case a.expr:
			if m.matchExpr(a.text) {
				return true
			}
		case m.matchString(a.text):
			return true
		}
	}
	return false
}

// matchString reports whether a known (lower-case) string is r's name or
// contains r's resource ID as a whole path segment sequence.
func (m *matcher) matchString(s string) bool {
	if m.name != "" && s == m.name {
		return true
	}
	return m.containsID(s)
}

// containsID reports whether s contains r's known resource ID, not
// followed by more of a name (".../id-app" is not in ".../id-app2").
func (m *matcher) containsID(s string) bool {
	if m.id == "" {
		return false
	}
	for i := 0; ; {
		j := strings.Index(s[i:], m.id)
		if j < 0 {
			return false
		}
		end := i + j + len(m.id)
		if end == len(s) || !isNameChar(s[end]) {
			return true
		}
		i += j + 1
	}
}

// matchExpr reports whether an unknown's (lower-case) canonical
// expression mentions r.
func (m *matcher) matchExpr(e string) bool {
	if m.r.Name.Unknown() != nil && e == m.nameExp || m.containsID(e) {
		return true
	}
	for _, n := range m.needles {
		if strings.Contains(e, n) {
			return true
		}
	}
	return false
}

func isNameChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.'
}
