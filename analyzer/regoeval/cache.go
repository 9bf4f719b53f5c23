package regoeval

import (
	"runtime"
	"sync"
	"weak"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/armlint/armlint/analyzer/graph"
	"github.com/armlint/armlint/analyzer/template"
)

// inputCache holds the input document of each live graph, so that the
// rules of one Load share one conversion per file. It is keyed by weak
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
}

// get returns the input of the file whose root template is t and whose
// graph is g, building it on first use. Without a graph nothing is cached.
func (c *inputCache) get(t *template.Template, g *graph.Graph) ast.Value {
	if g == nil {
		return buildInputFor(t, nil, c.complete)
	}
	key := weak.Make(g)
	v, loaded := c.m.LoadOrStore(key, &inputEntry{})
	if !loaded {
		// The cleanup must not keep g alive: it holds only the weak key.
		runtime.AddCleanup(g, func(k weak.Pointer[graph.Graph]) { c.m.Delete(k) }, key)
	}
	e := v.(*inputEntry)
	e.once.Do(func() { e.value = buildInputFor(t, g, c.complete) })
	return e.value
}

// len returns the number of cached inputs (for tests).
func (c *inputCache) len() int {
	n := 0
	c.m.Range(func(any, any) bool { n++; return true })
	return n
}
