package format

import (
	"io"
	"strings"

	"github.com/armlint/armlint/analyzer/graph"
)

// Colours of the identity graph pictures, shared by dot and mermaid: a
// fill for managed identities, red for privileged roles, grey for what is
// unknown or not deployed. Everything else is black on white.
const (
	colourIdentity   = "#dbeafe"
	colourIdentityFg = "#1e3a8a"
	colourPrivileged = "#c62828"
	colourUnknown    = "#6b7280"
	colourFaded      = "#9ca3af"
	colourCluster    = "#9ca3af"
)

// GraphDot writes the identity graphs as one Graphviz digraph laid out
// left to right: resources → identities → scopes, one cluster per file
// and per inline nested deployment (docs/graph.md).
func GraphDot(w io.Writer, graphs []*graph.Graph) error {
	p := newPicture(graphs)
	var bw strings.Builder
	bw.WriteString(`digraph armlint {
  rankdir=LR;
  newrank=true;
  graph [fontname="Helvetica", fontsize=11, nodesep=0.25, ranksep=0.7, labeljust=l];
  node [fontname="Helvetica", fontsize=10, shape=box, style=rounded, margin="0.12,0.06"];
  edge [fontname="Helvetica", fontsize=9, arrowsize=0.7];
`)
	for _, c := range p.files {
		dotCluster(&bw, c, "  ")
	}
	for _, e := range p.edges {
		bw.WriteString("  " + dotID(e.from.id) + " -> " + dotID(e.to.id) + " [" + dotEdgeAttrs(e) + "];\n")
	}
	bw.WriteString("}\n")
	_, err := io.WriteString(w, bw.String())
	return err
}

func dotCluster(w *strings.Builder, c *pcluster, indent string) {
	if c.empty() {
		return
	}
	w.WriteString(indent + "subgraph " + dotID(c.id) + " {\n")
	in := indent + "  "
	w.WriteString(in + "label=" + dotString(c.label) + "; style=\"rounded,dashed\"; color=" + dotString(colourCluster) +
		"; fontcolor=" + dotString(colourUnknown) + ";\n")
	for _, n := range c.nodes {
		w.WriteString(in + dotID(n.id) + " [" + dotNodeAttrs(n) + "];\n")
	}
	for _, child := range c.children {
		dotCluster(w, child, in)
	}
	w.WriteString(indent + "}\n")
}

func dotNodeAttrs(n *pnode) string {
	attrs := []string{"label=" + dotString(strings.Join(n.lines, "\n"))}
	var style []string
	switch n.kind {
	case nodeResource:
		style = append(style, "rounded")
	case nodeUserIdentity, nodeSystemIdentity, nodeExternalIdentity:
		attrs = append(attrs, "shape=ellipse", "fillcolor="+dotString(colourIdentity))
		style = append(style, "filled")
		if !n.unknown && !n.faded {
			attrs = append(attrs, "color="+dotString(colourIdentityFg))
		}
	case nodePrincipal:
		attrs = append(attrs, "shape=ellipse")
		style = append(style, "solid")
	case nodeScope:
		attrs = append(attrs, "shape=folder")
		style = append(style, "solid")
	case nodeExternalResource:
		attrs = append(attrs, "shape=note")
		style = append(style, "solid")
	}
	switch {
	case n.unknown:
		style = append(style, "dashed")
		attrs = append(attrs, "color="+dotString(colourUnknown), "fontcolor="+dotString(colourUnknown))
	case n.faded:
		attrs = append(attrs, "color="+dotString(colourFaded), "fontcolor="+dotString(colourFaded))
	}
	attrs = append(attrs, "style="+dotString(strings.Join(style, ",")))
	return strings.Join(attrs, ", ")
}

func dotEdgeAttrs(e *pedge) string {
	attrs := []string{"label=" + dotString(e.label)}
	switch e.kind {
	case edgeHasSystem:
		attrs = append(attrs, "arrowhead=none", "color="+dotString(colourIdentityFg))
	case edgeUses:
		attrs = append(attrs, "color="+dotString(colourIdentityFg))
	}
	switch {
	case e.privileged && !e.faded:
		attrs = append(attrs, "color="+dotString(colourPrivileged), "fontcolor="+dotString(colourPrivileged), "penwidth=2")
	case e.faded:
		attrs = append(attrs, "color="+dotString(colourFaded), "fontcolor="+dotString(colourFaded))
	case e.unknown && e.kind == edgeAssignment:
		attrs = append(attrs, "fontcolor="+dotString(colourUnknown))
	}
	if e.unknown {
		attrs = append(attrs, "style=dashed")
	}
	return strings.Join(attrs, ", ")
}

// dotID quotes a node or cluster ID.
func dotID(id string) string { return dotString(id) }

// dotString quotes s as a DOT string; newlines become centred line breaks.
func dotString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
