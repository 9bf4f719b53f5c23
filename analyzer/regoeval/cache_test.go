package regoeval

import (
	"math/rand/v2"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/topdown"
)

// TestVirtualCacheAsOPAs runs random operations on virtualCache and on
// OPA's own cache and compares every answer.
func TestVirtualCacheAsOPAs(t *testing.T) {
	fn := ast.RefTerm(ast.VarTerm("data"), ast.StringTerm("lib"), ast.StringTerm("f"))
	vocabulary := []*ast.Term{
		ast.VarTerm("data"), ast.StringTerm("armlint"), ast.StringTerm("lib"), ast.StringTerm("f"), fn,
		ast.IntNumberTerm(1), ast.IntNumberTerm(2), ast.IntNumberTerm(3),
		ast.ObjectTerm(ast.Item(ast.StringTerm("key"), ast.StringTerm("/resources/0"))),
		ast.ArrayTerm(ast.IntNumberTerm(1), ast.IntNumberTerm(2)),
	}
	rng := rand.New(rand.NewPCG(1, 2))
	randomRef := func() ast.Ref {
		ref := make(ast.Ref, 1+rng.IntN(6)) // longer than the inline storage too
		for i := range ref {
			ref[i] = vocabulary[rng.IntN(len(vocabulary))]
		}
		return ref
	}
	hits := 0
	for run := range 200 {
		ours, theirs := newVirtualCache(), topdown.NewVirtualCache()
		var put []ast.Ref // copies of the references put
		depth := 0
		for op := range 300 {
			switch n := rng.IntN(20); {
			case n == 0:
				ours.Push()
				theirs.Push()
				depth++
			case n == 1 && depth > 0:
				ours.Pop()
				theirs.Pop()
				depth--
			case n < 10:
				ref := randomRef()
				var v *ast.Term
				if rng.IntN(4) > 0 {
					v = vocabulary[rng.IntN(len(vocabulary))]
				}
				ours.Put(ref, v)
				theirs.Put(ref, v)
				put = append(put, ref.Copy())
				ref[0] = ast.NullTerm() // the caller may reuse its reference
			default:
				ref := randomRef()
				if len(put) > 0 && rng.IntN(2) == 0 {
					ref = put[rng.IntN(len(put))]
				}
				v1, u1 := ours.Get(ref)
				v2, u2 := theirs.Get(ref)
				if u1 != u2 || !v1.Equal(v2) {
					t.Fatalf("run %d, op %d: Get(%v) = %v, %v; OPA's %v, %v", run, op, ref, v1, u1, v2, u2)
				}
				if v1 != nil || u1 {
					hits++
				}
			}
		}
		if len(ours.Keys()) != len(theirs.Keys()) {
			t.Fatalf("run %d: %d keys, OPA's %d", run, len(ours.Keys()), len(theirs.Keys()))
		}
	}
	if hits < 1000 {
		t.Fatalf("%d hits: the comparison says little", hits)
	}
}

// TestVirtualCacheKeepsPermutationsApart: references with the same terms
// in another order are different keys.
func TestVirtualCacheKeepsPermutationsApart(t *testing.T) {
	c := newVirtualCache()
	one, two := ast.IntNumberTerm(1), ast.IntNumberTerm(2)
	f := ast.RefTerm(ast.VarTerm("data"), ast.StringTerm("f"))
	c.Put(ast.Ref{f, one, two}, ast.StringTerm("a"))
	c.Put(ast.Ref{f, two, one}, ast.StringTerm("b"))
	c.Put(ast.Ref{f, one, one}, nil)
	for _, tc := range []struct {
		ref       ast.Ref
		want      *ast.Term
		undefined bool
	}{
		{ast.Ref{f, one, two}, ast.StringTerm("a"), false},
		{ast.Ref{f, two, one}, ast.StringTerm("b"), false},
		{ast.Ref{f, one, one}, nil, true},
		{ast.Ref{f, two, two}, nil, false},
		{ast.Ref{f, one}, nil, false},
	} {
		if v, u := c.Get(tc.ref); !v.Equal(tc.want) || u != tc.undefined {
			t.Errorf("Get(%v) = %v, %v; want %v, %v", tc.ref, v, u, tc.want, tc.undefined)
		}
	}
}
