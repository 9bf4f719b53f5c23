package analyzer

import (
	"errors"
	"fmt"
	"strings"

	"github.com/armlint/armlint/analyzer/expr"
	"github.com/armlint/armlint/analyzer/template"
)

// maxExpressionNotes bounds the AL0003 notes one file gets for expressions
// that cannot be parsed; the last note says how many more there are.
const maxExpressionNotes = 20

// expressionNotes reports, as AL0003 notes at their position, the
// template expressions that cannot be parsed: syntax errors and the
// parser's limits (expression length, nesting). The evaluator treats
// their values as unknown, so without a note the problem would go
// unsaid. Only the sections ARM evaluates are read (variables, resources,
// outputs, functions and parameter default values); metadata is skipped.
//
// The strings are checked through cache, which the evaluator then uses:
// an expression that parses is checked without building its tree (most
// are never evaluated), one that does not is kept there with its error.
func expressionNotes(f *template.File, root *template.Value, cache *expr.ParseCache) []Finding {
	if root == nil || root.Kind != template.Object {
		return nil
	}
	var out []Finding
	extra := 0
	var walk func(v *template.Value)
	walk = func(v *template.Value) {
		switch v.Kind {
		case template.String:
			if !v.IsExpression() {
				return // a literal (Check would say so): most strings
			}
			_, err := cache.Check(v.Str())
			if err == nil {
				return
			}
			if len(out) >= maxExpressionNotes {
				extra++
				return
			}
			out = append(out, expressionNote(f, v, err))
		case template.Array:
			for _, e := range v.Elems() {
				walk(e)
			}
		case template.Object:
			for _, m := range v.Members() {
				// No other spelling of "metadata" than its ASCII case
				// variants folds to it: the length is checked first.
				if len(m.Key) == len("metadata") && strings.EqualFold(m.Key, "metadata") {
					continue
				}
				walk(m.Value)
			}
		}
	}
	for _, m := range root.Members() {
		switch strings.ToLower(m.Key) {
		case "variables", "resources", "outputs", "functions":
			walk(m.Value)
		case "parameters":
			if m.Value.Kind == template.Object {
				for _, p := range m.Value.Members() {
					if d := p.Value.Get("defaultValue"); d != nil {
						walk(d)
					}
				}
			}
		}
	}
	if extra > 0 {
		last := out[len(out)-1]
		last.Message = fmt.Sprintf("%d more expressions cannot be parsed; the first %d are reported", extra, maxExpressionNotes)
		out = append(out, last)
	}
	return out
}

// expressionNote is the note of one string whose expression does not
// parse, anchored at the error inside the string when the string has no
// escape sequences (offsets then map one to one), else at the string.
func expressionNote(f *template.File, v *template.Value, err error) Finding {
	loc := LocationOf(v)
	msg := err.Error()
	var se *expr.SyntaxError
	if errors.As(err, &se) {
		msg = se.Msg
		raw := f.Src[v.Start():v.End()]
		if len(raw) == len(v.Str())+2 && se.Offset >= 0 && se.Offset <= len(v.Str()) {
			loc.Start = f.Position(v.Start() + 1 + se.Offset)
		}
	}
	return Finding{
		RuleID: IDUnsupportedConstruct, Severity: SeverityNote,
		Message:  "expression cannot be evaluated: " + msg + "; values that use it are unknown",
		Location: loc,
	}
}
