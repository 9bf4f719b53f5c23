package analyzer

import (
	"fmt"

	"github.com/armlint/armlint/analyzer/graph"
	"github.com/armlint/armlint/analyzer/template"
)

// Pass is what a rule's Check gets: the evaluated model of one file and a
// way to report findings on its nodes.
type Pass struct {
	Rule     *Rule
	Template *template.Template // the root template of the file
	Graph    *graph.Graph
	Options  map[string]any // this rule's options from config

	report func(Finding)
}

// NewPass returns a pass whose findings go to report. It is used by the
// engine and by tests of rule adapters.
func NewPass(r *Rule, t *template.Template, g *graph.Graph, opts map[string]any, report func(Finding)) *Pass {
	return &Pass{Rule: r, Template: t, Graph: g, Options: opts, report: report}
}

// Report reports a finding anchored on n.
func (p *Pass) Report(n template.Node, format string, args ...any) {
	p.ReportRelated(n, nil, format, args...)
}

// ReportRelated reports a finding anchored on n with related locations.
func (p *Pass) ReportRelated(n template.Node, related []Related, format string, args ...any) {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	p.emit(n, p.Rule.Severity, related, msg)
}

// ReportRaised reports a finding whose severity is sev when that is
// higher than the rule's default (a rule that is a warning in general and
// an error in one case). A severity set in the configuration still
// replaces it.
func (p *Pass) ReportRaised(n template.Node, sev Severity, related []Related, msg string) {
	p.emit(n, max(sev, p.Rule.Severity), related, msg)
}

func (p *Pass) emit(n template.Node, sev Severity, related []Related, msg string) {
	f := Finding{
		RuleID:   p.Rule.ID,
		Severity: sev,
		Message:  msg,
		Location: LocationOf(n),
		Related:  related,
	}
	if p.Graph != nil {
		if r := p.Graph.ResourceOf(n); r != nil {
			f.Resource = ResourceRefOf(r)
		}
	}
	p.report(f)
}

// RelatedAt returns a related location on n.
func RelatedAt(n template.Node, msg string) Related {
	return Related{Location: LocationOf(n), Message: msg}
}

// LocationOf turns a node into a location through its file's line table.
func LocationOf(n template.Node) Location {
	f := n.File()
	start, end := n.Span()
	return Location{File: f.Path, Path: n.Pointer(), Start: f.Position(start), End: f.Position(end)}
}

// ResourceRefOf describes a graph resource for SARIF logical locations.
func ResourceRefOf(r *graph.Resource) *ResourceRef {
	ref := &ResourceRef{Type: r.Type}
	if s, ok := r.Name.Str(); ok {
		ref.Name = s
	}
	if s, ok := r.ID.Str(); ok {
		ref.ID = s
	}
	return ref
}
