package graph

import (
	"strings"
	"unicode"

	"github.com/armlint/armlint/analyzer/template"
)

// index maps the keys lookup resolves references by to the resources of
// the deployment, in file order, so that a reference costs a few map
// reads instead of a scan of every resource. It is filled on demand
// (builder.lookupIndex), from the resources added so far: a lookup
// during the build sees those, as a scan of Graph.Resources would, and a
// template whose build looks nothing up does not pay for it.
type index struct {
	unknownID   map[string][]*Resource // by the canonical expression of an unknown ID
	unknownName map[scoped][]*Resource // by the canonical expression of an unknown name, per template instance and in all (scope zero)
	id          map[string][]*Resource // by foldKey of a known ID
	provider    map[string][]*Resource // by the lower-case text after each "/providers/" of a known ID
	symbolic    map[scoped][]*Resource // by symbolic name
	loop        map[scoped][]*Resource // by foldKey of the copy loop name
	name        map[scoped][]*Resource // by foldKey of a known name
}

// scope is one template instance: the deployment that holds it and the
// template. The zero scope stands for the whole file.
type scope struct {
	dep *Resource
	t   *template.Template
}

type scoped struct {
	scope
	key string
}

func newIndex() *index {
	return &index{
		unknownID:   map[string][]*Resource{},
		unknownName: map[scoped][]*Resource{},
		id:          map[string][]*Resource{},
		provider:    map[string][]*Resource{},
		symbolic:    map[scoped][]*Resource{},
		loop:        map[scoped][]*Resource{},
		name:        map[scoped][]*Resource{},
	}
}

// lookupIndex returns the index of every resource added so far, adding
// to it those added since the last call.
func (b *builder) lookupIndex() *index {
	if b.index == nil {
		b.index = newIndex()
	}
	for ; b.indexed < len(b.g.Resources); b.indexed++ {
		b.index.add(b.g.Resources[b.indexed])
	}
	return b.index
}

func scopeOf(r *Resource) scope { return scope{dep: r.Deployment, t: r.Res.Template} }

// add indexes r, which must be complete (name, ID, loop) and in
// Graph.Resources.
func (ix *index) add(r *Resource) {
	both := func(m map[scoped][]*Resource, key string) {
		m[scoped{key: key}] = append(m[scoped{key: key}], r)
		k := scoped{scope: scopeOf(r), key: key}
		m[k] = append(m[k], r)
	}
	if u := r.ID.Unknown(); u != nil {
		ix.unknownID[u.Expr] = append(ix.unknownID[u.Expr], r)
	}
	if u := r.Name.Unknown(); u != nil {
		both(ix.unknownName, u.Expr)
	}
	if id, ok := r.ID.Str(); ok {
		k := foldKey(id)
		ix.id[k] = append(ix.id[k], r)
		lower := strings.ToLower(id)
		for i := 0; ; {
			j := strings.Index(lower[i:], "/providers/")
			if j < 0 {
				break
			}
			i += j + len("/providers/")
			ix.provider[lower[i:]] = append(ix.provider[lower[i:]], r)
			i -= len("/providers/") - 1
		}
	}
	if r.Res.Symbolic != "" {
		both(ix.symbolic, r.Res.Symbolic)
	}
	if r.Loop != "" {
		both(ix.loop, foldKey(r.Loop))
	}
	if n, ok := r.Name.Str(); ok {
		both(ix.name, foldKey(n))
	}
}

// local returns the resources under key declared in the template instance
// of from, else those anywhere in the file, keeping those that match.
func local(m map[scoped][]*Resource, key string, from *Resource, match func(*Resource) bool) []*Resource {
	if from != nil {
		if out := filter(m[scoped{scope: scopeOf(from), key: key}], match); len(out) > 0 {
			return out
		}
	}
	return filter(m[scoped{key: key}], match)
}

// filter returns the resources of rs that match (all when match is nil),
// in a slice of their own.
func filter(rs []*Resource, match func(*Resource) bool) []*Resource {
	var out []*Resource
	for _, r := range rs {
		if match == nil || match(r) {
			out = append(out, r)
		}
	}
	return out
}

// FoldKey maps s to a key that two strings share exactly when
// strings.EqualFold reports them equal (every rune is replaced by the
// smallest rune of its simple case-folding orbit): a map key for
// case-insensitive comparisons such as resource IDs.
func FoldKey(s string) string { return foldKey(s) }

func foldKey(s string) string {
	if template.IsASCII(s) {
		// The smallest rune of an ASCII letter's orbit is its upper case.
		return strings.ToUpper(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f < m {
				m = f
			}
		}
		b.WriteRune(m)
	}
	return b.String()
}
