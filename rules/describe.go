package rules

import (
	"strings"

	"github.com/armlint/armlint/analyzer/expr"
	"github.com/armlint/armlint/analyzer/graph"
	"github.com/armlint/armlint/analyzer/template"
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

// dependencyFix says where a dependsOn entry goes so that a waits for b:
// holder is a, or the nested deployment enclosing a that is declared in
// the same template instance as target; target is b, or the nested
// deployment enclosing b that is declared there.
func dependencyFix(a, b *graph.Resource) (holder, target *graph.Resource) {
	target = b
	for target.Deployment != nil && !enclosedBy(a, target.Deployment) {
		target = target.Deployment
	}
	holder = a
	for holder.Deployment != target.Deployment && holder.Deployment != nil {
		holder = holder.Deployment
	}
	return holder, target
}

func enclosedBy(r, d *graph.Resource) bool {
	for c := r.Deployment; c != nil; c = c.Deployment {
		if c == d {
			return true
		}
	}
	return false
}

// dependsOnEntry is a dependsOn entry that names r in its own template:
// its symbolic name, its copy loop's name (every instance), the name
// expression of an extension resource (role assignments), or
// "[resourceId('<type>', <name>)]" built from the name as written.
func dependsOnEntry(r *graph.Resource) string {
	switch {
	case r.Res.Symbolic != "":
		return r.Res.Symbolic
	case r.Loop != "":
		return r.Loop
	case r.Res.Scope != nil || strings.HasSuffix(strings.ToLower(r.Type), "/providers/roleassignments"):
		if r.Res.Name != nil && r.Res.Name.Kind == template.String && r.Parent == nil {
			return r.Res.Name.Str()
		}
	}
	return "[resourceId('" + r.Type + "', " + strings.Join(nameSegments(r), ", ") + ")]"
}

func nameSegments(r *graph.Resource) []string {
	var segs []string
	if r.Parent != nil {
		segs = nameSegments(r.Parent)
	}
	n := r.Res.Name
	switch {
	case n == nil || n.Kind != template.String:
		return append(segs, "'?'")
	case n.IsExpression():
		return append(segs, strings.TrimSpace(n.Str()[1:len(n.Str())-1]))
	}
	return append(segs, "'"+strings.ReplaceAll(n.Str(), "'", "''")+"'")
}
