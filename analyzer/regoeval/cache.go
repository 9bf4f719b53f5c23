package regoeval

import (
	"runtime"
	"slices"
	"sync"
	"weak"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/armlint/armlint/analyzer/graph"
	"github.com/armlint/armlint/analyzer/template"
)

// inputCache holds the input document and the facts of each live graph,
// so that the rules of one Load share one conversion per file. It is keyed by weak
// pointers: an entry is dropped once its graph has been garbage
// collected, so the cache never outgrows the files being analysed. It is
// safe for concurrent use.
type inputCache struct {
	m        sync.Map // weak.Pointer[graph.Graph] → *inputEntry
	complete bool     // the complete input, not the built-in policies' (see buildInputFor)
}

type inputEntry struct {
	once  sync.Once
	value ast.Value

	factsOnce sync.Once
	facts     facts
}

// get returns the input of the file whose root template is t and whose
// graph is g, building it on first use. Without a graph nothing is cached.
func (c *inputCache) get(t *template.Template, g *graph.Graph) ast.Value {
	if g == nil {
		return buildInputFor(t, nil, c.complete)
	}
	e := c.entry(g)
	e.once.Do(func() { e.value = buildInputFor(t, g, c.complete) })
	return e.value
}

// facts returns the facts of the file whose graph is g (see factsOf),
// working them out on first use.
func (c *inputCache) facts(g *graph.Graph) facts {
	e := c.entry(g)
	e.factsOnce.Do(func() { e.facts = factsOf(g) })
	return e.facts
}

// entry returns the entry of g, adding it on first use.
func (c *inputCache) entry(g *graph.Graph) *inputEntry {
	key := weak.Make(g)
	if v, ok := c.m.Load(key); ok {
		return v.(*inputEntry)
	}
	v, loaded := c.m.LoadOrStore(key, &inputEntry{})
	if !loaded {
		// The cleanup must not keep g alive: it holds only the weak key.
		runtime.AddCleanup(g, func(k weak.Pointer[graph.Graph]) { c.m.Delete(k) }, key)
	}
	return v.(*inputEntry)
}

// len returns the number of cached inputs (for tests).
func (c *inputCache) len() int {
	n := 0
	c.m.Range(func(any, any) bool { n++; return true })
	return n
}

// virtualCache is the cache of rule values and function results of one
// evaluation (topdown.VirtualCache), as OPA's own (a trie with a hash map
// at each level of a reference) but flat: one hash map per frame, keyed by
// a hash of the whole reference, and one allocation per entry. It saves
// about a fifth of the allocations of evaluating the built-in policies.
// Not safe for concurrent use: OPA makes one per evaluation.
type virtualCache struct {
	frames []map[int]*cacheEntry // the top frame is the last
}

// cacheEntry is a reference (the key), its value, and the next entry of
// the same hash.
type cacheEntry struct {
	ref       ast.Ref
	inline    [6]*ast.Term // ref's storage when it is short (most are: a function and its arguments, a rule of a package)
	value     *ast.Term
	undefined bool
	next      *cacheEntry
}

func newVirtualCache() *virtualCache {
	return &virtualCache{frames: []map[int]*cacheEntry{make(map[int]*cacheEntry, 32)}}
}

// Push pushes an empty frame.
func (c *virtualCache) Push() { c.frames = append(c.frames, map[int]*cacheEntry{}) }

// Pop drops the top frame and its entries.
func (c *virtualCache) Pop() { c.frames = c.frames[:len(c.frames)-1] }

// Get returns the value of ref in the top frame: (value, false) when
// cached, (nil, true) when recorded as undefined, (nil, false) when not
// cached.
func (c *virtualCache) Get(ref ast.Ref) (*ast.Term, bool) {
	if e := c.find(ref, refHash(ref)); e != nil {
		if e.undefined {
			return nil, true
		}
		return e.value, false
	}
	return nil, false
}

// Put records the value of ref in the top frame; a nil value records it as
// undefined (which it then stays). The caller may reuse ref: it is copied.
func (c *virtualCache) Put(ref ast.Ref, value *ast.Term) {
	h := refHash(ref)
	e := c.find(ref, h)
	if e == nil {
		top := c.frames[len(c.frames)-1]
		e = &cacheEntry{next: top[h]}
		if len(ref) <= len(e.inline) {
			e.ref = e.inline[:len(ref)]
			copy(e.ref, ref)
		} else {
			e.ref = slices.Clone(ref)
		}
		top[h] = e
	}
	if value != nil {
		e.value = value
	} else {
		e.undefined = true
	}
}

// Keys returns the references with a value in the top frame (OPA's
// evaluation does not call it).
func (c *virtualCache) Keys() []ast.Ref {
	var keys []ast.Ref
	for _, e := range c.frames[len(c.frames)-1] {
		for ; e != nil; e = e.next {
			if e.value != nil {
				keys = append(keys, e.ref)
			}
		}
	}
	return keys
}

func (c *virtualCache) find(ref ast.Ref, h int) *cacheEntry {
	for e := c.frames[len(c.frames)-1][h]; e != nil; e = e.next {
		if e.ref.Equal(ref) {
			return e
		}
	}
	return nil
}

// refHash hashes a reference, its terms in order (ast.Ref.Hash adds
// them up: f(1, 2) and f(2, 1) would share a chain).
func refHash(ref ast.Ref) int {
	h := len(ref)
	for _, t := range ref {
		h = h*31 + t.Value.Hash()
	}
	return h
}
