package expr

import (
	"sort"
	"strings"
)

// Lambda functions: filter, map, reduce, sort, toObject, groupBy,
// mapValues, with lambda('a', 'b', body) and lambdaVariables('a').

func lambdaFunctions() []*function {
	return []*function{
		{name: "filter", minArgs: 2, maxArgs: 2, mode: modeLazy, lazy: fnFilter},
		{name: "map", minArgs: 2, maxArgs: 2, mode: modeLazy, lazy: fnMap},
		{name: "reduce", minArgs: 3, maxArgs: 3, mode: modeLazy, lazy: fnReduce},
		{name: "sort", minArgs: 2, maxArgs: 2, mode: modeLazy, lazy: fnSort},
		{name: "toObject", minArgs: 2, maxArgs: 3, mode: modeLazy, lazy: fnToObject},
		{name: "groupBy", minArgs: 2, maxArgs: 3, mode: modeLazy, lazy: fnGroupBy},
		{name: "mapValues", minArgs: 2, maxArgs: 2, mode: modeLazy, lazy: fnMapValues},
		{name: "lambda", minArgs: 1, maxArgs: -1, mode: modeLazy, lazy: func(c *call) Value {
			c.args = nil
			return c.fail("lambda() may only be an argument of filter, map, reduce, sort, toObject, groupBy or mapValues")
		}},
		{name: "lambdaVariables", minArgs: 1, maxArgs: 1, eval: fnLambdaVariables},
	}
}

// lambda is a parsed lambda argument.
type lambda struct {
	names []string
	body  Expr
	text  string
}

// lambdaArg parses argument i of the call as a lambda with between min
// and max parameters.
func (c *call) lambdaArg(i, minParams, maxParams int) (*lambda, Value, bool) {
	n, ok := c.node.Args[i].(*Call)
	if !ok || n.Namespace != "" || !strings.EqualFold(n.Name, "lambda") || len(n.Args) < 1 {
		return nil, c.fail("argument %d must be a lambda(...)", i+1), false
	}
	l := &lambda{body: n.Args[len(n.Args)-1], text: n.String()}
	for _, a := range n.Args[:len(n.Args)-1] {
		s, ok := a.(*StringLit)
		if !ok {
			return nil, c.fail("lambda parameter names must be string literals"), false
		}
		l.names = append(l.names, s.Value)
	}
	if len(l.names) < minParams || len(l.names) > maxParams {
		return nil, c.fail("the lambda must have between %d and %d parameters", minParams, maxParams), false
	}
	return l, Value{}, true
}

// apply evaluates the lambda body with its parameters bound to vals
// (extra values beyond the lambda's parameters are dropped).
func (c *call) apply(l *lambda, vals ...Value) Value {
	if len(vals) > len(l.names) {
		vals = vals[:len(l.names)]
	}
	ne := &struct {
		env   Env
		frame lambdaFrame
	}{env: *c.env, frame: lambdaFrame{names: l.names, vals: vals, outer: c.env.lambdas}}
	ne.env.lambdas = &ne.frame
	return ne.env.eval(l.body)
}

// collection evaluates the first argument and checks that it is an array
// (or an object when allowObject). Unknown → the call's unknown.
func (c *call) collection(wantObject bool, extra ...int) (Value, Value, bool) {
	v := c.env.eval(c.node.Args[0])
	c.args = []Value{v}
	for _, i := range extra {
		c.args = append(c.args, c.env.eval(c.node.Args[i]))
	}
	if v.k == KUnknown {
		return v, c.lambdaUnknown(), false
	}
	if wantObject && v.k != KObject {
		return v, c.typeErr(c.args, 0, "an object"), false
	}
	if !wantObject && v.k != KArray {
		return v, c.typeErr(c.args, 0, "an array"), false
	}
	return v, Value{}, true
}

// lambdaUnknown is the unknown result of a lambda function: the folded
// collection argument followed by the lambdas' source text.
func (c *call) lambdaUnknown() Value {
	parts := make([]string, 0, len(c.node.Args))
	for i, x := range c.node.Args {
		if i < len(c.args) && !isLambdaNode(x) {
			parts = append(parts, c.args[i].Expr())
		} else {
			parts = append(parts, x.String())
		}
	}
	u := c.unknown(c.args)
	nu := *u.u
	nu.Expr = clipExpr(c.name() + "(" + strings.Join(parts, ", ") + ")")
	return NewUnknown(&nu).withDefaultsOf(unionDefaults(c.args))
}

func isLambdaNode(x Expr) bool {
	n, ok := x.(*Call)
	return ok && strings.EqualFold(n.Name, "lambda") && n.Namespace == ""
}

// result wraps a lambda function's value with the collection's provenance.
func (c *call) result(v Value) Value { return v.withDefaultsOf(unionDefaults(c.args)) }

func fnFilter(c *call) Value {
	coll, l, bad, ok := c.collectionAndLambda(false, 1, 1, 2)
	if !ok {
		return bad
	}
	var out []Value
	for i, x := range coll.arr() {
		keep := c.apply(l, x, Int(int64(i)))
		b, ok := keep.BoolVal()
		if !ok {
			if keep.k == KUnknown {
				return c.lambdaUnknown()
			}
			return c.fail("the lambda must return a bool")
		}
		if b {
			out = append(out, x)
		}
	}
	return c.result(Array(out))
}

func fnMap(c *call) Value {
	coll, l, bad, ok := c.collectionAndLambda(false, 1, 1, 2)
	if !ok {
		return bad
	}
	out := make([]Value, len(coll.arr()))
	for i, x := range coll.arr() {
		out[i] = c.apply(l, x, Int(int64(i)))
	}
	return c.result(Array(out))
}

func fnReduce(c *call) Value {
	coll, l, bad, ok := c.collectionAndLambda(false, 2, 2, 3, 1)
	if !ok {
		return bad
	}
	acc := c.args[1]
	for i, x := range coll.arr() {
		acc = c.apply(l, acc, x, Int(int64(i)))
	}
	return c.result(acc)
}

func fnSort(c *call) Value {
	coll, l, bad, ok := c.collectionAndLambda(false, 1, 2, 2)
	if !ok {
		return bad
	}
	out := append([]Value(nil), coll.arr()...)
	failed := Value{}
	sort.SliceStable(out, func(i, j int) bool {
		if failed.k == KUnknown {
			return false
		}
		r := c.apply(l, out[i], out[j])
		b, ok := r.BoolVal()
		if !ok {
			failed = r
			if r.k != KUnknown {
				failed = c.fail("the lambda must return a bool")
			}
		}
		return b
	})
	if failed.k == KUnknown {
		if failed.u.Err {
			return failed
		}
		return c.lambdaUnknown()
	}
	return c.result(Array(out))
}

// keyOf evaluates a key lambda; it must give a string.
func (c *call) keyOf(l *lambda, x Value) (string, Value, bool) {
	k := c.apply(l, x)
	switch k.k {
	case KString:
		return k.str(), Value{}, true
	case KUnknown:
		return "", c.lambdaUnknown(), false
	}
	return "", c.fail("the key lambda must return a string, got %s", k.k), false
}

// collectionAndLambda reads the arguments of a lambda function: the
// collection (an object when wantObject; extra names argument indexes
// evaluated along with it) and the lambda at argument i, with between
// minParams and maxParams parameters.
func (c *call) collectionAndLambda(wantObject bool, i, minParams, maxParams int, extra ...int) (Value, *lambda, Value, bool) {
	coll, bad, ok := c.collection(wantObject, extra...)
	if !ok {
		return coll, nil, bad, false
	}
	l, bad, ok := c.lambdaArg(i, minParams, maxParams)
	if !ok {
		return coll, nil, bad, false
	}
	return coll, l, Value{}, true
}

// keyValueLambdas reads the arguments of toObject and groupBy: an array, a
// key lambda and an optional value lambda.
func (c *call) keyValueLambdas() (coll Value, kl, vl *lambda, bad Value, ok bool) {
	if coll, kl, bad, ok = c.collectionAndLambda(false, 1, 1, 1); !ok {
		return coll, nil, nil, bad, false
	}
	if len(c.node.Args) == 3 {
		if vl, bad, ok = c.lambdaArg(2, 1, 1); !ok {
			return coll, nil, nil, bad, false
		}
	}
	return coll, kl, vl, Value{}, true
}

func fnToObject(c *call) Value {
	coll, kl, vl, bad, ok := c.keyValueLambdas()
	if !ok {
		return bad
	}
	ob := &objBuilder{}
	for _, x := range coll.arr() {
		k, bad, ok := c.keyOf(kl, x)
		if !ok {
			return bad
		}
		v := x
		if vl != nil {
			v = c.apply(vl, x)
		}
		ob.set(k, false, v)
	}
	return c.result(ob.value())
}

func fnGroupBy(c *call) Value {
	coll, kl, vl, bad, ok := c.keyValueLambdas()
	if !ok {
		return bad
	}
	var keys []string
	groups := map[string][]Value{}
	for _, x := range coll.arr() {
		k, bad, ok := c.keyOf(kl, x)
		if !ok {
			return bad
		}
		if _, seen := groups[k]; !seen {
			keys = append(keys, k)
		}
		v := x
		if vl != nil {
			v = c.apply(vl, x)
		}
		groups[k] = append(groups[k], v)
	}
	ob := &objBuilder{}
	for _, k := range keys {
		ob.set(k, false, Array(groups[k]))
	}
	return c.result(ob.value())
}

func fnMapValues(c *call) Value {
	coll, l, bad, ok := c.collectionAndLambda(true, 1, 1, 1)
	if !ok {
		return bad
	}
	ob := &objBuilder{}
	for i, k := range coll.o.Keys {
		ob.set(k, coll.o.KeyIsUnknown(i), c.apply(l, coll.o.Vals[i]))
	}
	return c.result(ob.value())
}

func fnLambdaVariables(c *call, a []Value) Value {
	name, ok := a[0].Str()
	if !ok {
		return c.typeErr(a, 0, "a string")
	}
	for f := c.env.lambdas; f != nil; f = f.outer {
		for i, n := range f.names {
			if strings.EqualFold(n, name) {
				if i < len(f.vals) {
					return f.vals[i]
				}
				return c.fail("lambda variable '%s' has no value", name)
			}
		}
	}
	return c.fail("lambda variable '%s' is not defined", name)
}
