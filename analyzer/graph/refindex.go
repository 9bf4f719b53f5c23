package graph

import (
	"index/suffixarray"
	"sort"
)

// refIndexAfter is the number of References calls answered by scanning
// every mention before the mentions are indexed: a file asked about one
// or two resources (most templates) does not pay for the index, a file
// asked about many (one with hundreds of identities) does not pay a scan
// of the whole deployment per resource.
const refIndexAfter = 4

// refIndex answers matcher.match for every mention at once: the atoms'
// texts are concatenated into one suffix array, so that the mentions
// whose atoms contain a resource's ID (or another needle) are found in
// time proportional to the needle and the places it occurs, not to the
// size of the deployment.
type refIndex struct {
	text    []byte
	sa      *suffixarray.Index
	atoms   []indexedAtom // in text order: start offsets increase
	strings map[string][]int
	exprs   map[string][]int
	targets map[*Resource][]int
	seen    []uint // per mention, the query that last matched it
	query   uint
}

type indexedAtom struct {
	start, end int // the atom's text is text[start:end]
	mention    int
	expr       bool
}

func newRefIndex(mentions []mention) *refIndex {
	x := &refIndex{
		strings: map[string][]int{},
		exprs:   map[string][]int{},
		targets: map[*Resource][]int{},
		seen:    make([]uint, len(mentions)),
	}
	size := 0
	for i := range mentions {
		for _, a := range mentions[i].atoms {
			size += len(a.text) + 1
		}
	}
	x.text = make([]byte, 0, size)
	add := func(m map[string][]int, k string, i int) {
		if l := m[k]; len(l) == 0 || l[len(l)-1] != i {
			m[k] = append(l, i)
		}
	}
	for i := range mentions {
		mi := i
		for _, a := range mentions[i].atoms {
			start := len(x.text)
			x.text = append(x.text, a.text...)
			x.atoms = append(x.atoms, indexedAtom{start: start, end: len(x.text), mention: mi, expr: a.expr})
			x.text = append(x.text, 0)
			if a.target != nil {
				if l := x.targets[a.target]; len(l) == 0 || l[len(l)-1] != mi {
					x.targets[a.target] = append(l, mi)
				}
			}
			if a.expr {
				add(x.exprs, a.text, mi)
			} else {
				add(x.strings, a.text, mi)
			}
		}
	}
	x.sa = suffixarray.New(x.text)
	return x
}

// matching returns the indexes of the mentions that m.match accepts, in
// increasing order.
func (x *refIndex) matching(m *matcher) []int {
	x.query++
	var out []int
	mark := func(i int) {
		if x.seen[i] != x.query {
			x.seen[i] = x.query
			out = append(out, i)
		}
	}
	for _, i := range x.targets[m.r] {
		mark(i)
	}
	if m.name != "" {
		for _, i := range x.strings[m.name] {
			mark(i)
		}
	}
	if m.r.Name.Unknown() != nil {
		for _, i := range x.exprs[m.nameExp] {
			mark(i)
		}
	}
	if m.id != "" {
		// containsID, in atoms of both kinds.
		x.occurrences(m.id, func(a *indexedAtom, end int) {
			if end == a.end || !isNameChar(x.text[end]) {
				mark(a.mention)
			}
		})
	}
	for _, n := range m.needles {
		x.occurrences(n, func(a *indexedAtom, _ int) {
			if a.expr {
				mark(a.mention)
			}
		})
	}
	sort.Ints(out)
	return out
}

// occurrences calls fn for every place s occurs within one atom, with the
// offset just past it.
func (x *refIndex) occurrences(s string, fn func(a *indexedAtom, end int)) {
	if s == "" {
		return
	}
	for _, off := range x.sa.Lookup([]byte(s), -1) {
		i := sort.Search(len(x.atoms), func(i int) bool { return x.atoms[i].start > off }) - 1
		if i < 0 {
			continue
		}
		a := &x.atoms[i]
		if end := off + len(s); end <= a.end {
			fn(a, end)
		}
	}
}
