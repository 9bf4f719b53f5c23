package expr

// Inspect walks x depth-first in source order: it calls fn for x and,
// when fn returns true, for the function, property and index operands
// below it.
func Inspect(x Expr, fn func(Expr) bool) {
	if x == nil || !fn(x) {
		return
	}
	switch n := x.(type) {
	case *Call:
		for _, a := range n.Args {
			Inspect(a, fn)
		}
	case *PropAccess:
		Inspect(n.X, fn)
	case *IndexAccess:
		Inspect(n.X, fn)
		Inspect(n.Index, fn)
	}
}
