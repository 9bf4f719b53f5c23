package format

import (
	"io"
	"strconv"
	"strings"

	"github.com/armlint/armlint/analyzer/graph"
)

// GraphMermaid writes the identity graphs as a Mermaid flowchart (for
// Markdown: GitHub renders ```mermaid blocks), with the same nodes, edges
// and clusters as GraphDot.
func GraphMermaid(w io.Writer, graphs []*graph.Graph) error {
	p := newPicture(graphs)
	var bw strings.Builder
	bw.WriteString("flowchart LR\n")
	classes := map[string][]string{}
	for _, c := range p.files {
		mermaidCluster(&bw, c, "  ", classes)
	}
	var privileged, faded []string
	for i, e := range p.edges {
		arrow := "-->"
		switch {
		case e.unknown:
			arrow = "-.->"
		case e.privileged && !e.faded:
			arrow = "==>"
		}
		bw.WriteString("  " + e.from.id + " " + arrow + "|" + mermaidString(e.label) + "| " + e.to.id + "\n")
		switch {
		case e.privileged && !e.faded:
			privileged = append(privileged, strconv.Itoa(i))
		case e.faded:
			faded = append(faded, strconv.Itoa(i))
		}
	}
	bw.WriteString("  classDef identity fill:" + colourIdentity + ",stroke:" + colourIdentityFg + "\n")
	bw.WriteString("  classDef unknown stroke:" + colourUnknown + ",stroke-dasharray:5 3,color:" + colourUnknown + "\n")
	bw.WriteString("  classDef faded stroke:" + colourFaded + ",color:" + colourFaded + "\n")
	for _, name := range []string{"identity", "unknown", "faded"} {
		if ids := classes[name]; len(ids) > 0 {
			bw.WriteString("  class " + strings.Join(ids, ",") + " " + name + "\n")
		}
	}
	if len(privileged) > 0 {
		bw.WriteString("  linkStyle " + strings.Join(privileged, ",") + " stroke:" + colourPrivileged + ",stroke-width:2px,color:" + colourPrivileged + "\n")
	}
	if len(faded) > 0 {
		bw.WriteString("  linkStyle " + strings.Join(faded, ",") + " stroke:" + colourFaded + ",color:" + colourFaded + "\n")
	}
	_, err := io.WriteString(w, bw.String())
	return err
}

func mermaidCluster(w *strings.Builder, c *pcluster, indent string, classes map[string][]string) {
	if c.empty() {
		return
	}
	w.WriteString(indent + "subgraph " + c.id + "[" + mermaidString(c.label) + "]\n")
	in := indent + "  "
	w.WriteString(in + "direction LR\n")
	for _, n := range c.nodes {
		label := mermaidString(strings.Join(n.lines, "\n"))
		var shape string
		switch n.kind {
		case nodeResource:
			shape = "(" + label + ")"
		case nodeUserIdentity, nodeSystemIdentity, nodeExternalIdentity, nodePrincipal:
			shape = "([" + label + "])"
		case nodeScope:
			shape = "[/" + label + "/]"
		case nodeExternalResource:
			shape = "[" + label + "]"
		}
		w.WriteString(in + n.id + shape + "\n")
		switch {
		case n.unknown:
			classes["unknown"] = append(classes["unknown"], n.id)
		case n.faded:
			classes["faded"] = append(classes["faded"], n.id)
		case n.kind.isIdentity():
			classes["identity"] = append(classes["identity"], n.id)
		}
	}
	for _, child := range c.children {
		mermaidCluster(w, child, in, classes)
	}
	w.WriteString(indent + "end\n")
}

// mermaidString quotes s as a Mermaid label: quotes and angle brackets as
// entities, newlines as <br>.
func mermaidString(s string) string {
	r := strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "\n", "<br>", "\r", "", "|", "#124;")
	return `"` + r.Replace(s) + `"`
}
