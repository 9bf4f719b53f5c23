package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/armlint/armlint/analyzer"
	"github.com/armlint/armlint/analyzer/format"
	"github.com/armlint/armlint/analyzer/graph"
	"github.com/armlint/armlint/analyzer/regoeval"
)

const graphHeader = `Usage:
  armlint graph [flags] PATH...

Prints the identity graph of templates: managed identities (user-assigned
identity resources and system-assigned identities), the resources that have or
use them, and role assignments as edges from principal to scope.

  --format json      the Rego input document of each template (default):
                     {"version":1,"templates":[{"file","template","graph"}]}
  --format dot       a Graphviz picture:  armlint graph -f dot t.json | dot -Tsvg > t.svg
  --format mermaid   a Mermaid flowchart for Markdown
  --stats            how much the evaluator resolved, over all files (text, or json)

See docs/graph.md.

Flags:
`

// graphFlags are the flags of armlint graph.
type graphFlags struct {
	format     string
	stats      bool
	output     string
	parameters []string
	configPath string
	jobs       int
	lint       lintFlags // deployment context flags, shared with lint's helpers
}

func runGraph(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var fl graphFlags
	fs := newFlagSet("armlint graph", stderr)
	fs.StringVarP(&fl.format, "format", "f", "", "output format: json (default), dot or mermaid; with --stats: text (default) or json")
	fs.BoolVar(&fl.stats, "stats", false, "print evaluation statistics over all files instead of the graph")
	fs.StringVarP(&fl.output, "output", "o", "", "write to FILE instead of standard output")
	fs.StringArrayVar(&fl.parameters, "parameters", nil,
		"parameter file, or NAME=VALUE (repeatable); default: <template>.parameters.json beside each template")
	fs.StringVar(&fl.configPath, "config", "", "configuration file (default: .armlint.json found by walking up from the working directory)")
	fs.StringVar(&fl.lint.subscriptionID, "subscription-id", "", "subscription ID used for subscription() (default: a placeholder)")
	fs.StringVar(&fl.lint.resourceGroup, "resource-group", "", "resource group name used for resourceGroup() (default: a placeholder)")
	fs.StringVar(&fl.lint.location, "location", "", "location of the resource group and deployment (default: unknown, so no rule compares it)")
	fs.IntVar(&fl.jobs, "jobs", 0, "files analysed in parallel (default: number of CPUs)")
	if done, code := parseFlags(fs, args, graphHeader, stdout, stderr); done {
		return code
	}
	if fs.NArg() == 0 {
		return usageError(stderr, "graph: no path given\nRun 'armlint graph --help' for usage.")
	}
	valid := map[string]bool{"json": true, "dot": true, "mermaid": true}
	what := "graph"
	if fl.stats {
		valid, what = map[string]bool{"text": true, "json": true}, "graph --stats"
	}
	switch {
	case fl.format == "" && fl.stats:
		fl.format = "text"
	case fl.format == "":
		fl.format = "json"
	case !valid[fl.format]:
		known := "json, dot or mermaid"
		if fl.stats {
			known = "text or json"
		}
		return usageError(stderr, "%s: unknown format %q (%s)", what, fl.format, known)
	}

	opts, err := graphOptions(&fl)
	if err != nil {
		return usageError(stderr, "%v", err)
	}
	opts.Stdin = stdin
	res, err := analyzer.Run(context.Background(), fs.Args(), opts)
	if err != nil {
		return usageError(stderr, "%v", err)
	}
	for _, e := range res.Errors {
		fmt.Fprintf(stderr, "armlint: %v\n", e)
	}
	for _, f := range res.Findings {
		if f.RuleID == analyzer.IDInvalidTemplate {
			fmt.Fprintf(stderr, "armlint: %s:%d:%d: not drawn: %s\n", f.Location.File, f.Location.Start.Line, f.Location.Start.Col, f.Message)
		}
	}

	var buf bytes.Buffer
	switch {
	case fl.stats:
		s := format.NewGraphStats(res.Graphs, res.Stats.Templates-len(res.Graphs))
		if fl.format == "json" {
			err = s.WriteJSON(&buf)
		} else {
			err = s.WriteText(&buf)
		}
	case fl.format == "dot":
		err = format.GraphDot(&buf, res.Graphs)
	case fl.format == "mermaid":
		err = format.GraphMermaid(&buf, res.Graphs)
	default:
		err = writeGraphJSON(&buf, res.Graphs)
	}
	if err != nil {
		return usageError(stderr, "%v", err)
	}
	if err := writeGraphOutput(fl.output, buf.Bytes(), stdout); err != nil {
		return usageError(stderr, "%v", err)
	}
	if len(res.Errors) > 0 {
		return exitError
	}
	return exitOK
}

// graphOptions builds the run options of armlint graph: no rules, graphs
// kept, parameters and deployment context as for lint (flags over config).
func graphOptions(fl *graphFlags) (analyzer.Options, error) {
	opts := analyzer.Options{Jobs: defaultJobs(fl.jobs), KeepGraphs: true}
	cfg, err := loadConfig(fl.configPath, "")
	if err != nil {
		return opts, err
	}
	if cfg != nil {
		opts.Exclude = func(p string) bool { ex, _ := cfg.Excluded(p); return ex }
		opts.TemplateParameters = cfg.TemplateParameters()
	}
	if err := parameterFlags(fl.parameters, &opts); err != nil {
		return opts, err
	}
	opts.Context = contextFrom(&fl.lint, cfg)
	return opts, nil
}

// graphDocVersion is the version of the armlint graph JSON document.
const graphDocVersion = 1

// writeGraphJSON writes {"version":1,"templates":[{"file","template","graph"}]}:
// per template, the members of its Rego input document
// (regoeval.Document), so the two cannot differ.
func writeGraphJSON(w io.Writer, graphs []*graph.Graph) error {
	type entry struct {
		File     json.RawMessage `json:"file"`
		Template json.RawMessage `json:"template"`
		Graph    json.RawMessage `json:"graph"`
	}
	doc := struct {
		Version   int     `json:"version"`
		Templates []entry `json:"templates"`
	}{Version: graphDocVersion, Templates: []entry{}}
	for _, g := range graphs {
		raw, err := regoeval.Document(g.Template, g)
		if err != nil {
			return err
		}
		var e entry
		if err := json.Unmarshal(raw, &e); err != nil {
			return err
		}
		doc.Templates = append(doc.Templates, e)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// writeGraphOutput writes data to path, or to stdout when path is "" or "-".
func writeGraphOutput(path string, data []byte, stdout io.Writer) error {
	if path == "" || path == "-" {
		_, err := stdout.Write(data)
		return err
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	return os.WriteFile(path, data, 0o644)
}
