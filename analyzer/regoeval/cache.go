package regoeval

import (
	"runtime"
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
