package analyzer

import (
	"cmp"
	"slices"

	"github.com/armlint/armlint/analyzer/template"
)

// Pos is a position in a file (1-based line, column in Unicode code
// points, byte offset).
type Pos = template.Pos

// Location is a span of a file, with the JSON pointer of the node.
type Location struct {
	File  string // slash-separated, as given on the command line or relative to the working directory
	Path  string // JSON pointer into the file, e.g. "/resources/3/properties/roleDefinitionId"
	Start Pos
	End   Pos
}

// Finding is one problem found in a file.
type Finding struct {
	RuleID     string   // stable ID: "AL1201"
	Severity   Severity // effective severity (default or config override)
	Message    string   // specific: names the resource and the offending value
	Location   Location // primary location: where the fix goes
	Resource   *ResourceRef
	Related    []Related
	Suppressed *Suppression // non-nil when an ignore matched
}

// ResourceRef names the resource a finding is about (SARIF logicalLocations).
type ResourceRef struct {
	Name string // evaluated resource name ("" when unknown)
	ID   string // resource ID, best effort ("" when unknown)
	Type string // resource type
}

// Related is a secondary location of a finding.
type Related struct {
	Location Location
	Message  string
}

// Suppression records why a finding is suppressed.
type Suppression struct {
	Kind          string // "inSource" (comment or template metadata) or "external" (config)
	Justification string
}

// SortFindings sorts by file, line, column, rule ID and message, so that
// output is deterministic.
func SortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(a.Location.File, b.Location.File),
			cmp.Compare(a.Location.Start.Line, b.Location.Start.Line),
			cmp.Compare(a.Location.Start.Col, b.Location.Start.Col),
			cmp.Compare(a.RuleID, b.RuleID),
			cmp.Compare(a.Message, b.Message),
		)
	})
}
