package regoeval

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/armlint/armlint/analyzer/expr"
	"github.com/armlint/armlint/analyzer/template"
)

// unknownKey is the member that marks an unknown value in the input:
// {"$unknown": "<canonical expression>"}.
const unknownKey = "$unknown"

// unknownTerm returns the input form of an unknown value.
func unknownTerm(expression string) *ast.Term {
	return ast.ObjectTerm(ast.Item(ast.StringTerm(unknownKey), ast.StringTerm(expression)))
}

// valueTerm converts an evaluated value. Unknowns, at any depth, become
// {"$unknown": expr}; a non-finite number (which JSON cannot hold) is
// treated as unknown too.
func valueTerm(v expr.Value) *ast.Term {
	switch v.Kind() {
	case expr.KNull:
		return ast.InternedNullTerm
	case expr.KBool:
		b, _ := v.BoolVal()
		return ast.InternedTerm(b)
	case expr.KInt:
		i, _ := v.IntVal()
		return ast.InternedTerm(i)
	case expr.KFloat:
		f, _ := v.FloatVal()
		if math.IsInf(f, 0) || math.IsNaN(f) {
			return unknownTerm(strconv.FormatFloat(f, 'g', -1, 64))
		}
		return ast.FloatNumberTerm(f)
	case expr.KString:
		s, _ := v.Str()
		return ast.StringTerm(s)
	case expr.KArray:
		elems, _ := v.Elems()
		terms := make([]*ast.Term, len(elems))
		for i, e := range elems {
			terms[i] = valueTerm(e)
		}
		return arrayTerm(terms)
	case expr.KObject:
		o, _ := v.Obj()
		pairs := make([][2]*ast.Term, o.Len())
		for i := range pairs {
			pairs[i] = ast.Item(ast.StringTerm(o.Keys[i]), valueTerm(o.Vals[i]))
		}
		return objectTerm(pairs)
	}
	return unknownTerm(describeValue(v))
}

// describeValue returns the expression of an unknown value, or ARM-style
// text for a known one (used when a known value still cannot be resolved,
// e.g. a roleDefinitionId without a GUID).
func describeValue(v expr.Value) string {
	if u := v.Unknown(); u != nil {
		return u.Expr
	}
	if v.Kind() == expr.KUnknown {
		return "unknown"
	}
	if s, ok := v.Str(); ok {
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return valueTerm(v).String()
}

// rawTerm converts a template node that has not been evaluated: literals
// are kept as written, every ARM expression string becomes an unknown
// holding the expression (never a guess), and a "[[" escape is unescaped.
// A nil node is null.
func rawTerm(v *template.Value) *ast.Term {
	if v == nil {
		return ast.InternedNullTerm
	}
	switch v.Kind {
	case template.Bool:
		return ast.BooleanTerm(v.Str() == "true")
	case template.Number:
		return ast.NumberTerm(json.Number(v.Str()))
	case template.String:
		switch {
		case v.IsExpression():
			return unknownTerm(strings.TrimSpace(v.Str()[1 : len(v.Str())-1]))
		case strings.HasPrefix(v.Str(), "[[") && strings.HasSuffix(v.Str(), "]"):
			return ast.StringTerm(v.Str()[1:])
		}
		return ast.StringTerm(v.Str())
	case template.Array:
		terms := make([]*ast.Term, len(v.Elems()))
		for i, e := range v.Elems() {
			terms[i] = rawTerm(e)
		}
		return ast.ArrayTerm(terms...)
	case template.Object:
		pairs := make([][2]*ast.Term, len(v.Members()))
		for i, m := range v.Members() {
			pairs[i] = ast.Item(ast.StringTerm(m.Key), rawTerm(m.Value))
		}
		return ast.ObjectTerm(pairs...)
	}
	return ast.InternedNullTerm
}
