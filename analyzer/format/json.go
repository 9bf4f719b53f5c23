package format

import (
	"encoding/json"
	"io"

	"github.com/armlint/armlint/analyzer"
)

// jsonVersion is the version of the JSON document. It changes only when a
// field is removed or changes meaning; new fields may appear without it.
const jsonVersion = 1

// jsonFormatter writes the documented JSON document (docs/formats.md).
// Suppressed findings are always included, with "suppressed" set. Arrays
// are never null.
type jsonFormatter struct{}

type jsonDoc struct {
	Version  int           `json:"version"`
	Findings []jsonFinding `json:"findings"`
	Rules    []jsonRule    `json:"rules"`
	Stats    jsonStats     `json:"stats"`
}

type jsonFinding struct {
	RuleID     string           `json:"rule_id"`
	RuleName   string           `json:"rule_name"`
	Severity   string           `json:"severity"`
	Message    string           `json:"message"`
	File       string           `json:"file"`
	Path       string           `json:"path"`
	Start      jsonPos          `json:"start"`
	End        jsonPos          `json:"end"`
	Resource   *jsonResource    `json:"resource"`
	Related    []jsonRelated    `json:"related"`
	Suppressed *jsonSuppression `json:"suppressed"`
}

type jsonPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Offset int `json:"offset"`
}

type jsonResource struct {
	Name string `json:"name"`
	ID   string `json:"id"`
	Type string `json:"type"`
}

type jsonRelated struct {
	Message string  `json:"message"`
	File    string  `json:"file"`
	Path    string  `json:"path"`
	Start   jsonPos `json:"start"`
	End     jsonPos `json:"end"`
}

type jsonSuppression struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification"`
}

type jsonRule struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Title    string   `json:"title"`
	Severity string   `json:"severity"`
	Tags     []string `json:"tags"`
	HelpURI  string   `json:"help_uri"`
}

type jsonStats struct {
	Files      int `json:"files"`
	Templates  int `json:"templates"`
	Parameters int `json:"parameters"`
	Skipped    int `json:"skipped"`
}

// Format implements [Formatter].
func (jsonFormatter) Format(w io.Writer, r *analyzer.Result, _ Options) error {
	doc := jsonDoc{
		Version:  jsonVersion,
		Findings: make([]jsonFinding, 0, len(r.Findings)),
		Rules:    make([]jsonRule, 0, len(r.Rules)),
		Stats: jsonStats{
			Files:      r.Stats.Files,
			Templates:  r.Stats.Templates,
			Parameters: r.Stats.Parameters,
			Skipped:    r.Stats.Skipped,
		},
	}
	for _, f := range r.Findings {
		doc.Findings = append(doc.Findings, newJSONFinding(r, f))
	}
	for _, rule := range r.Rules {
		tags := nonNil(rule.Tags)
		doc.Rules = append(doc.Rules, jsonRule{
			ID:       rule.ID,
			Name:     rule.Name,
			Title:    rule.Title,
			Severity: rule.Severity.String(),
			Tags:     tags,
			HelpURI:  rule.HelpURI,
		})
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func newJSONFinding(r *analyzer.Result, f analyzer.Finding) jsonFinding {
	jf := jsonFinding{
		RuleID:   f.RuleID,
		RuleName: ruleName(r, f.RuleID),
		Severity: f.Severity.String(),
		Message:  f.Message,
		File:     f.Location.File,
		Path:     f.Location.Path,
		Start:    jsonPosOf(f.Location.Start),
		End:      jsonPosOf(f.Location.End),
		Related:  make([]jsonRelated, 0, len(f.Related)),
	}
	if f.Resource != nil {
		jf.Resource = &jsonResource{Name: f.Resource.Name, ID: f.Resource.ID, Type: f.Resource.Type}
	}
	for _, rel := range f.Related {
		jf.Related = append(jf.Related, jsonRelated{
			Message: rel.Message,
			File:    rel.Location.File,
			Path:    rel.Location.Path,
			Start:   jsonPosOf(rel.Location.Start),
			End:     jsonPosOf(rel.Location.End),
		})
	}
	if f.Suppressed != nil {
		jf.Suppressed = &jsonSuppression{Kind: f.Suppressed.Kind, Justification: f.Suppressed.Justification}
	}
	return jf
}

func jsonPosOf(p analyzer.Pos) jsonPos {
	return jsonPos{Line: p.Line, Column: p.Col, Offset: p.Offset}
}

// nonNil returns ss, or an empty slice for nil, so that JSON shows [].
func nonNil(ss []string) []string {
	if ss == nil {
		return []string{}
	}
	return ss
}
