package graph

import (
	"github.com/armlint/armlint/analyzer/expr"
	"github.com/armlint/armlint/analyzer/template"
)

// Eval evaluates a node of r's declaration (its condition, a property)
// in r's environment: its template's parameters and variables, and its
// copy index. It returns null for a nil node or a resource built by hand.
func (r *Resource) Eval(n *template.Value) expr.Value {
	if r == nil || r.env == nil || n == nil {
		return expr.Null()
	}
	return r.env.EvalNode(n)
}

// ResourceGroupID returns the ID of the resource group r is deployed
// into (resourceGroup().id of its template, which follows the
// resourceGroup of enclosing nested deployments), or null when r's
// template is not deployed at resource-group scope. It may be unknown.
func (r *Resource) ResourceGroupID() expr.Value {
	if r == nil || r.env == nil || r.Res == nil || r.Res.Template == nil {
		return expr.Null()
	}
	switch r.Res.Template.Scope {
	case template.ScopeResourceGroup, template.ScopeUnknown:
		return r.env.EvalString("[resourceGroup().id]")
	}
	return expr.Null()
}
