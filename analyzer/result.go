package analyzer

import (
	"sync/atomic"

	"github.com/armlint/armlint/analyzer/graph"
	"github.com/armlint/armlint/analyzer/template"
)

// Result is everything a run produced; formatters read it and cmd turns it
// into an exit code. Files keep their source, comments and line table (with
// Options.FindingSourcesOnly, only the files findings are located in); their
// JSON trees (Root) are kept only with Options.KeepGraphs.
type Result struct {
	Findings []Finding // sorted; suppressed findings included (Suppressed != nil)
	Rules    []*Rule   // the enabled rules, tool diagnostics included, sorted by ID
	Errors   []error   // tool-level problems (I/O): the run could not do its job for these
	Files    []*template.File
	Graphs   []*graph.Graph // with Options.KeepGraphs: one per template, in file order
	Stats    Stats

	files atomic.Pointer[fileIndex] // Files by path, for File
}

// fileIndex is Files by path, as of when it had n files.
type fileIndex struct {
	n      int
	byPath map[string]*template.File
}

// Stats counts what a run looked at.
type Stats struct {
	Files      int // JSON files read
	Templates  int // deployment templates analysed
	Parameters int // parameter files read
	Skipped    int // JSON files that are neither (directory mode)
}

// File returns the loaded file with the given path (the first, if several
// have it), or nil. Formatters ask for the file of every finding: the
// files are indexed by path on first use, and again if Files has grown.
func (r *Result) File(path string) *template.File {
	idx := r.files.Load()
	if idx == nil || idx.n != len(r.Files) {
		idx = &fileIndex{n: len(r.Files), byPath: make(map[string]*template.File, len(r.Files))}
		for _, f := range r.Files {
			if _, ok := idx.byPath[f.Path]; !ok {
				idx.byPath[f.Path] = f
			}
		}
		r.files.Store(idx)
	}
	return idx.byPath[path]
}

// Rule returns the enabled rule with the given ID, or nil.
func (r *Result) Rule(id string) *Rule {
	for _, x := range r.Rules {
		if x.ID == id {
			return x
		}
	}
	return nil
}
