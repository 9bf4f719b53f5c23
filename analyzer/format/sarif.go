package format

import (
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/armlint/armlint/analyzer"
)

// SARIF constants. The $schema URI is the one GitHub code scanning
// documents; the structs below follow the OASIS 2.1.0 errata01 schema.
const (
	sarifSchemaURI  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion    = "2.1.0"
	toolName        = "armlint"
	toolInfoURI     = "https://github.com/armlint/armlint"
	srcRootID       = "%SRCROOT%"
	maxSARIFResults = 25000 // GitHub code scanning's per-run limit
	maxDescription  = 1024  // GitHub's limit on shortDescription and fullDescription
	securityTag     = "security"
)

// securitySeverity is GitHub's security-severity score of a security rule,
// by default severity: high, medium, low.
var securitySeverity = map[analyzer.Severity]string{
	analyzer.SeverityError:   "8.0",
	analyzer.SeverityWarning: "5.0",
	analyzer.SeverityNote:    "2.0",
}

// semver matches a semantic version, with an optional leading "v".
var semver = regexp.MustCompile(`^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)` +
	`(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$`)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                        `json:"tool"`
	Invocations        []sarifInvocation                `json:"invocations,omitempty"`
	OriginalURIBaseIDs map[string]sarifArtifactLocation `json:"originalUriBaseIds,omitempty"`
	Results            []sarifResult                    `json:"results"`
	ColumnKind         string                           `json:"columnKind"`
	Properties         *sarifRunProperties              `json:"properties,omitempty"`
}

type sarifRunProperties struct {
	Truncated    bool `json:"truncated"`
	TotalResults int  `json:"totalResults"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name            string      `json:"name"`
	Version         string      `json:"version,omitempty"`
	SemanticVersion string      `json:"semanticVersion,omitempty"`
	InformationURI  string      `json:"informationUri"`
	Rules           []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string              `json:"id"`
	Name                 string              `json:"name"`
	ShortDescription     sarifMessage        `json:"shortDescription"`
	FullDescription      sarifMessage        `json:"fullDescription"`
	Help                 sarifMessage        `json:"help"`
	HelpURI              string              `json:"helpUri,omitempty"`
	DefaultConfiguration sarifConfiguration  `json:"defaultConfiguration"`
	Properties           sarifRuleProperties `json:"properties"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

type sarifRuleProperties struct {
	Tags             []string `json:"tags"`
	Precision        string   `json:"precision,omitempty"`
	SecuritySeverity string   `json:"security-severity,omitempty"`
}

// sarifMessage is a message or a multiformatMessageString: text, and
// markdown when there is one.
type sarifMessage struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           *int               `json:"ruleIndex,omitempty"`
	Level               string             `json:"level"`
	Message             sarifMessage       `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	RelatedLocations    []sarifLocation    `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string  `json:"partialFingerprints,omitempty"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
}

type sarifLocation struct {
	ID               *int                   `json:"id,omitempty"`
	PhysicalLocation sarifPhysicalLocation  `json:"physicalLocation"`
	LogicalLocations []sarifLogicalLocation `json:"logicalLocations,omitempty"`
	Message          *sarifMessage          `json:"message,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           *sarifRegion          `json:"region,omitempty"`
}

type sarifArtifactLocation struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

type sarifLogicalLocation struct {
	Name               string `json:"name,omitempty"`
	FullyQualifiedName string `json:"fullyQualifiedName,omitempty"`
	Kind               string `json:"kind,omitempty"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                   `json:"executionSuccessful"`
	WorkingDirectory           *sarifArtifactLocation `json:"workingDirectory,omitempty"`
	ToolExecutionNotifications []sarifNotification    `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level   string       `json:"level"`
	Message sarifMessage `json:"message"`
}

// sarifFormatter writes SARIF 2.1.0 for GitHub code scanning and other
// SARIF viewers: one run, every enabled rule, every finding (suppressed
// ones carry suppressions[]), at most 25,000 results.
type sarifFormatter struct{}

// Format implements [Formatter].
func (sarifFormatter) Format(w io.Writer, r *analyzer.Result, o Options) error {
	run := sarifRun{
		Tool:       sarifTool{Driver: sarifDriverOf(r, o)},
		Results:    []sarifResult{},
		ColumnKind: "unicodeCodePoints",
	}
	ruleIndex := make(map[string]int, len(r.Rules))
	for i, rule := range r.Rules {
		ruleIndex[rule.ID] = i
	}

	kept := capResults(r.Findings, maxSARIFResults)
	hashes := map[string]*lineHasher{} // file → its primaryLocationLineHash (nil: not loaded)
	for _, i := range kept {
		run.Results = append(run.Results, sarifResultOf(r, r.Findings[i], ruleIndex, hashes))
	}

	var notes []sarifNotification
	for _, err := range r.Errors {
		notes = append(notes, sarifNotification{Level: "error", Message: sarifMessage{Text: err.Error()}})
	}
	if len(kept) < len(r.Findings) {
		run.Properties = &sarifRunProperties{Truncated: true, TotalResults: len(r.Findings)}
		notes = append(notes, sarifNotification{Level: "warning", Message: sarifMessage{Text: fmt.Sprintf(
			"%d of %d results reported: a SARIF run holds at most %d for GitHub code scanning; the most severe were kept",
			len(kept), len(r.Findings), maxSARIFResults)}})
	}
	if base := dirURI(o.WorkDir); base != "" || len(notes) > 0 {
		inv := sarifInvocation{ExecutionSuccessful: len(r.Errors) == 0, ToolExecutionNotifications: notes}
		if base != "" {
			inv.WorkingDirectory = &sarifArtifactLocation{URI: base}
			run.OriginalURIBaseIDs = map[string]sarifArtifactLocation{srcRootID: {URI: base}}
		}
		run.Invocations = []sarifInvocation{inv}
	}

	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: sarifSchemaURI, Version: sarifVersion, Runs: []sarifRun{run}})
}

// sarifDriverOf describes armlint and every enabled rule.
func sarifDriverOf(r *analyzer.Result, o Options) sarifDriver {
	d := sarifDriver{
		Name:           toolName,
		Version:        o.ToolVersion,
		InformationURI: toolInfoURI,
		Rules:          make([]sarifRule, 0, len(r.Rules)),
	}
	if semver.MatchString(o.ToolVersion) {
		d.SemanticVersion = strings.TrimPrefix(o.ToolVersion, "v")
	}
	for _, rule := range r.Rules {
		d.Rules = append(d.Rules, sarifRuleOf(rule))
	}
	return d
}

func sarifRuleOf(rule *analyzer.Rule) sarifRule {
	desc := strings.TrimSpace(rule.Description)
	markdown := desc
	if rule.HelpURI != "" {
		markdown += "\n\n[" + rule.ID + " " + rule.Name + "](" + rule.HelpURI + ")"
	}
	tags := rule.Tags
	if tags == nil {
		tags = []string{}
	}
	sr := sarifRule{
		ID:                   rule.ID,
		Name:                 rule.Name,
		ShortDescription:     sarifMessage{Text: truncateRunes(rule.Title)},
		FullDescription:      sarifMessage{Text: truncateRunes(desc)},
		Help:                 sarifMessage{Text: desc, Markdown: markdown},
		HelpURI:              rule.HelpURI,
		DefaultConfiguration: sarifConfiguration{Level: sarifLevel(rule.Severity)},
		Properties:           sarifRuleProperties{Tags: tags},
	}
	if slices.Contains(rule.Tags, securityTag) {
		sr.Properties.SecuritySeverity = securitySeverity[rule.Severity]
		sr.Properties.Precision = "high"
	}
	return sr
}

// sarifResultOf converts one finding. hashes caches line hashes per file.
func sarifResultOf(r *analyzer.Result, f analyzer.Finding, ruleIndex map[string]int, hashes map[string]*lineHasher) sarifResult {
	loc := sarifLocation{PhysicalLocation: sarifPhysical(f.Location)}
	if res := f.Resource; res != nil && (res.Name != "" || res.ID != "" || res.Type != "") {
		loc.LogicalLocations = []sarifLogicalLocation{{Name: res.Name, FullyQualifiedName: res.ID, Kind: res.Type}}
	}
	sr := sarifResult{
		RuleID:    f.RuleID,
		Level:     sarifLevel(f.Severity),
		Message:   sarifMessage{Text: f.Message},
		Locations: []sarifLocation{loc},
	}
	if i, ok := ruleIndex[f.RuleID]; ok {
		sr.RuleIndex = &i
	}
	for i, rel := range f.Related {
		id := i + 1
		sr.RelatedLocations = append(sr.RelatedLocations, sarifLocation{
			ID:               &id,
			PhysicalLocation: sarifPhysical(rel.Location),
			Message:          &sarifMessage{Text: rel.Message},
		})
	}
	if h := lineHash(r, f.Location, hashes); h != "" {
		sr.PartialFingerprints = map[string]string{"primaryLocationLineHash": h}
	}
	if s := f.Suppressed; s != nil {
		kind := "external"
		if s.Kind == "inSource" {
			kind = "inSource"
		}
		sr.Suppressions = []sarifSuppression{{Kind: kind, Justification: s.Justification}}
	}
	return sr
}

// lineHash returns the primaryLocationLineHash of the start line of l (line
// 1 when l has none), or "" when the file was not loaded.
func lineHash(r *analyzer.Result, l analyzer.Location, cache map[string]*lineHasher) string {
	h, ok := cache[l.File]
	if !ok {
		if file := r.File(l.File); file != nil {
			h = newLineHasher(file.Src)
		}
		cache[l.File] = h
	}
	if h == nil {
		return ""
	}
	return h.line(max(l.Start.Line, 1))
}

func sarifPhysical(l analyzer.Location) sarifPhysicalLocation {
	uri, relative := artifactURI(l.File)
	pl := sarifPhysicalLocation{ArtifactLocation: sarifArtifactLocation{URI: uri}}
	if relative {
		pl.ArtifactLocation.URIBaseID = srcRootID
	}
	if l.Start.Line > 0 {
		reg := &sarifRegion{StartLine: l.Start.Line, StartColumn: max(l.Start.Col, 0)}
		if hasEnd(l) {
			reg.EndLine, reg.EndColumn = l.End.Line, l.End.Col
		}
		pl.Region = reg
	}
	return pl
}

// sarifLevel maps a severity to a SARIF level; the names are the same.
func sarifLevel(s analyzer.Severity) string {
	if !s.Valid() {
		return "warning" // SARIF's default level
	}
	return s.String()
}

// capResults returns the indices of the findings to report, in their
// original order: all of them when there are at most limit, else the limit
// most important ones, unsuppressed before suppressed and then by severity,
// earlier findings first among equals.
func capResults(fs []analyzer.Finding, limit int) []int {
	idx := make([]int, len(fs))
	for i := range idx {
		idx[i] = i
	}
	if len(fs) <= limit {
		return idx
	}
	rank := func(f analyzer.Finding) int {
		r := int(f.Severity)
		if f.Suppressed == nil {
			r += 1 << 8
		}
		return r
	}
	slices.SortStableFunc(idx, func(a, b int) int { return rank(fs[b]) - rank(fs[a]) })
	idx = idx[:limit]
	slices.Sort(idx)
	return idx
}

// truncateRunes cuts s to at most maxDescription code points (GitHub's
// limit), the last one "…" when it cuts.
func truncateRunes(s string) string {
	n := maxDescription
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	return string([]rune(s)[:n-1]) + "…"
}
