package rules

import (
	"strings"

	"github.com/armlint/armlint/analyzer/expr"
	"github.com/armlint/armlint/analyzer/graph"
)

// describe names a resource in a message: its type's last segment and its
// evaluated name, e.g. `virtual machine "vm-web"` → `virtualMachines "vm-web"`.
func describe(r *graph.Resource) string {
	kind := r.Type
	if i := strings.LastIndex(kind, "/"); i >= 0 {
		kind = kind[i+1:]
	}
	if kind == "" {
		kind = "resource"
	}
	if s, ok := r.Name.Str(); ok {
		return kind + ` "` + s + `"`
	}
	if r.Res.Symbolic != "" {
		return kind + " " + r.Res.Symbolic
	}
	if u := r.Name.Unknown(); u != nil {
		return kind + " " + u.Expr
	}
	return kind
}

// restsOn returns ", with parameter 'x' at its default" when v rests on
// parameter defaults, and "" otherwise.
func restsOn(vs ...expr.Value) string {
	var names []string
	seen := map[string]bool{}
	for _, v := range vs {
		for _, n := range v.Defaults() {
			if !seen[n] {
				seen[n] = true
				names = append(names, "'"+n+"'")
			}
		}
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return " (with parameter " + names[0] + " at its default)"
	}
	return " (with parameters " + strings.Join(names, ", ") + " at their defaults)"
}
