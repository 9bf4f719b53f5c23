package analyzer

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/armlint/armlint/analyzer/template"
)

// This file implements suppressions: where findings can be ignored, how an
// ignore matches a finding, and the diagnostics about ignores themselves.
//
// Three sources, in order of precedence:
//
//   - comments in the file: `// armlint:ignore AL1201 -- why` covers its
//     own line when it trails code, or the next line when it stands on its
//     own line(s); `// armlint:ignore-file
//     [AL1201 ...] -- why` covers the whole file (every rule when no rule
//     is listed). Block comments work the same. Rules are written as IDs
//     (case-insensitive) or names, separated by commas or spaces.
//   - the template root's metadata, for files that must stay pure JSON:
//     "metadata": {"armlint": {"ignore": [{"rule": "AL1201",
//     "resource": "ra-owner", "reason": "why"}]}}. Without "resource" an
//     entry covers every finding of the rule in the file.
//   - the configuration file (ConfigIgnore), kind "external".
//
// A reason is mandatory: a directive without one is reported as AL0003 and
// not applied, as is one naming an unknown rule. AL0001 and AL0003 cannot
// be ignored; AL0002 only file-wide (ignore-file naming it, or a metadata
// entry without "resource"). An ignore that matched nothing is reported as
// AL0002 where it is written, for the rules of this run only.

// Suppression kinds, as in SARIF suppressions[].kind.
const (
	SuppressionInSource = "inSource" // a comment or template metadata
	SuppressionExternal = "external" // the configuration file
)

// IgnoreOrigin says how an in-file ignore was written.
type IgnoreOrigin uint8

// Origins of in-file ignores.
const (
	IgnoreLine     IgnoreOrigin = iota + 1 // `armlint:ignore` comment
	IgnoreFile                             // `armlint:ignore-file` comment
	IgnoreMetadata                         // metadata.armlint.ignore entry
)

// Ignore is one in-file suppression, from a comment directive or a
// template metadata entry. CollectIgnores builds them; ApplyIgnores uses
// them.
type Ignore struct {
	Origin IgnoreOrigin
	Rules  []string // rule IDs it suppresses; nil: every rule (ignore-file without a list)
	Reason string   // the justification, whitespace collapsed
	At     Location // the comment or metadata entry: AL0002 is reported here

	// Lines are the finding lines an IgnoreLine covers: the line it trails
	// (code before or after the comment on that line), or else the line
	// after the comment.
	Lines []int
	// Resource is the resource an IgnoreMetadata entry is limited to (its
	// name or symbolic name), "" for every resource.
	Resource string
	// ResourcePointers are the JSON pointers of the resources of this file
	// that Resource names by symbolic name or literal name; findings inside
	// them match even when their ResourceRef is unknown.
	ResourcePointers []string
}

// ConfigIgnore is a suppression from the configuration file. Its findings
// are marked with Suppression kind "external".
type ConfigIgnore struct {
	Rule     string                 // rule ID (config resolves names to IDs)
	PathGlob func(file string) bool // whether it covers a finding's Location.File; nil: every file
	Resource string                 // "" or the resource name (Finding.Resource.Name, case-insensitive)
	Reason   string                 // the justification
	At       Location               // the entry in the configuration file: AL0002 is reported here
}

// fileWide reports whether ig covers the whole file for its rules, which is
// what ignoring AL0002 requires.
func (ig *Ignore) fileWide() bool {
	return ig.Origin == IgnoreFile || (ig.Origin == IgnoreMetadata && ig.Resource == "")
}

// match reports whether ig suppresses fd, and which of ig.Rules it used
// (0 for an all-rules ignore). It does not check the file.
func (ig *Ignore) match(fd *Finding) (slot int, ok bool) {
	switch {
	case fd.RuleID == IDInvalidTemplate || fd.RuleID == IDUnsupportedConstruct:
		return 0, false
	case fd.RuleID == IDUnusedIgnore && !ig.fileWide():
		return 0, false
	}
	switch ig.Origin {
	case IgnoreLine:
		if !slices.Contains(ig.Lines, fd.Location.Start.Line) {
			return 0, false
		}
	case IgnoreMetadata:
		if ig.Resource != "" && !ig.matchesResource(fd) {
			return 0, false
		}
	case IgnoreFile:
	default:
		return 0, false
	}
	if ig.Rules == nil {
		return 0, fd.RuleID != IDUnusedIgnore // AL0002 must be named explicitly
	}
	i := slices.Index(ig.Rules, fd.RuleID)
	return i, i >= 0
}

func (ig *Ignore) matchesResource(fd *Finding) bool {
	if fd.Resource != nil && fd.Resource.Name != "" && strings.EqualFold(fd.Resource.Name, ig.Resource) {
		return true
	}
	for _, p := range ig.ResourcePointers {
		if fd.Location.Path == p || strings.HasPrefix(fd.Location.Path, p+"/") {
			return true
		}
	}
	return false
}

// describe names ig in AL0002 messages.
func (ig *Ignore) describe() string {
	switch ig.Origin {
	case IgnoreFile:
		return "ignore-file directive"
	case IgnoreMetadata:
		return "metadata ignore"
	}
	return "ignore directive"
}

// matches reports whether ci suppresses fd.
func (ci *ConfigIgnore) matches(fd *Finding) bool {
	if isToolDiagnostic(fd.RuleID) || !strings.EqualFold(ci.Rule, fd.RuleID) {
		return false
	}
	if ci.Resource != "" && (fd.Resource == nil || !strings.EqualFold(fd.Resource.Name, ci.Resource)) {
		return false
	}
	return ci.PathGlob == nil || ci.PathGlob(fd.Location.File)
}

// ApplyIgnores marks the findings of file f that an ignore covers: in-file
// ignores first (kind "inSource"), then config ignores (kind "external").
// The first match sets Finding.Suppressed; suppressed findings stay in the
// slice, which is modified in place. In-file ignores only match findings
// located in f (any file when f is nil).
//
// It returns findings followed by one AL0002 finding per in-file ignore
// that matched nothing, naming the rules that went unused. A rule that is
// not in enabled (the rules of this run, by ID) is never unused; a nil
// enabled means every rule ran. AL0002 findings can themselves be
// suppressed by a file-wide ignore naming AL0002.
//
// Unused config ignores are not reported here, since they apply to the
// whole run: see UnusedConfigIgnores.
func ApplyIgnores(f *template.File, findings []Finding, ignores []Ignore, cfg []ConfigIgnore, enabled map[string]bool) []Finding {
	used := make([][]bool, len(ignores))
	for j := range ignores {
		used[j] = make([]bool, max(1, len(ignores[j].Rules)))
	}
	mark := func(fds []Finding) {
		for i := range fds {
			fd := &fds[i]
			inFile := f == nil || fd.Location.File == f.Path
			for j := 0; inFile && j < len(ignores); j++ {
				slot, ok := ignores[j].match(fd)
				if !ok {
					continue
				}
				used[j][slot] = true
				if fd.Suppressed == nil {
					fd.Suppressed = &Suppression{Kind: SuppressionInSource, Justification: ignores[j].Reason}
				}
			}
			for k := 0; fd.Suppressed == nil && k < len(cfg); k++ {
				if cfg[k].matches(fd) {
					fd.Suppressed = &Suppression{Kind: SuppressionExternal, Justification: cfg[k].Reason}
				}
			}
		}
	}
	mark(findings)
	// Unused ignores first, then the file-wide ignores of AL0002 get a
	// chance to suppress those, then the unused ignores of AL0002 (which
	// nothing can suppress).
	unused := unusedIgnores(ignores, used, enabled, false)
	mark(unused)
	unused = append(unused, unusedIgnores(ignores, used, enabled, true)...)
	return append(findings, unused...)
}

// unusedIgnores returns an AL0002 finding for each ignore with unused rule
// slots: the AL0002 slots when al0002 is set, every other slot otherwise.
func unusedIgnores(ignores []Ignore, used [][]bool, enabled map[string]bool, al0002 bool) []Finding {
	var out []Finding
	for j := range ignores {
		ig := &ignores[j]
		var names []string
		if ig.Rules == nil {
			if !al0002 && !used[j][0] {
				names = append(names, "all rules")
			}
		}
		for k, id := range ig.Rules {
			if (id == IDUnusedIgnore) != al0002 || used[j][k] {
				continue
			}
			if enabled != nil && !enabled[id] && !isToolDiagnostic(id) {
				continue // the rule did not run: nothing to match
			}
			names = append(names, id)
		}
		if len(names) == 0 {
			continue
		}
		msg := ig.describe() + " for " + strings.Join(names, ", ")
		if ig.Resource != "" {
			msg += fmt.Sprintf(" on resource %q", ig.Resource)
		}
		out = append(out, unusedFinding(ig.At, msg))
	}
	return out
}

// UnusedConfigIgnores returns an AL0002 finding, at the entry in the
// configuration file, for each config ignore that matched none of the
// run's findings. An ignore is only reported when its rule ran (enabled, by
// ID; nil means every rule) and its path covers at least one of the files
// analysed (files, as in Location.File): an entry for files this run did
// not look at is not stale. Call it once per run, with every finding.
func UnusedConfigIgnores(cfg []ConfigIgnore, files []string, findings []Finding, enabled map[string]bool) []Finding {
	var out []Finding
	for k := range cfg {
		ci := &cfg[k]
		if enabled != nil && !enabled[ci.Rule] && !enabled[strings.ToUpper(ci.Rule)] {
			continue
		}
		if ci.PathGlob != nil && !slices.ContainsFunc(files, ci.PathGlob) {
			continue
		}
		if slices.ContainsFunc(findings, func(fd Finding) bool { return ci.matches(&fd) }) {
			continue
		}
		msg := "config ignore for " + ci.Rule
		if ci.Resource != "" {
			msg += fmt.Sprintf(" on resource %q", ci.Resource)
		}
		out = append(out, unusedFinding(ci.At, msg))
	}
	return out
}

func unusedFinding(at Location, what string) Finding {
	return Finding{RuleID: IDUnusedIgnore, Severity: SeverityWarning, Message: what + " matched no finding", Location: at}
}

// CollectIgnores reads the ignore directives in the comments of f and the
// metadata.armlint.ignore entries of root (the template object; f.Root when
// nil). Rule keys are resolved through reg (IDs case-insensitive, or
// names); with a nil reg only the tool diagnostics' names are known and any
// key shaped like a rule ID is taken as one.
//
// Malformed ignores are returned as AL0003 findings at the comment or
// entry and are not applied: a missing reason, no rule on a line
// directive, an unknown rule, a rule that cannot be ignored there. A file
// that did not parse (f.Root nil) has no ignores.
func CollectIgnores(f *template.File, root *template.Value, reg *Registry) ([]Ignore, []Finding) {
	if f == nil {
		return nil, nil
	}
	if root == nil {
		root = f.Root
	}
	if root == nil {
		return nil, nil
	}
	c := collector{f: f, reg: reg}
	for i := range f.Comments {
		c.directive(&f.Comments[i])
	}
	c.metadata(root)
	return c.ignores, c.diags
}

// collector accumulates the ignores and diagnostics of one file.
type collector struct {
	f       *template.File
	reg     *Registry
	ignores []Ignore
	diags   []Finding
}

// report adds an AL0003 finding about a malformed ignore.
func (c *collector) report(at Location, format string, args ...any) {
	c.diags = append(c.diags, Finding{
		RuleID:   IDUnsupportedConstruct,
		Severity: SeverityNote,
		Message:  fmt.Sprintf(format, args...),
		Location: at,
	})
}

// directive parses one comment; comments that are not armlint directives
// are skipped.
func (c *collector) directive(cm *template.Comment) {
	text := strings.TrimSpace(cm.Text)
	rest, ok := strings.CutPrefix(text, "armlint:")
	if !ok || rest == "" || !unicode.IsLetter(rune(rest[0])) {
		return
	}
	at := Location{File: c.f.Path, Start: c.f.Position(cm.Start), End: c.f.Position(cm.End)}
	verb, args := rest, ""
	if i := strings.IndexFunc(rest, unicode.IsSpace); i >= 0 {
		verb, args = rest[:i], rest[i:]
	}
	var origin IgnoreOrigin
	switch verb {
	case "ignore":
		origin = IgnoreLine
	case "ignore-file":
		origin = IgnoreFile
	default:
		c.report(at, "unknown directive \"armlint:%s\": use armlint:ignore or armlint:ignore-file", verb)
		return
	}
	keyText, reasonText, _ := strings.Cut(args, "--")
	keys := strings.FieldsFunc(keyText, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
	reason := strings.Join(strings.Fields(reasonText), " ")
	example := "// armlint:" + verb + " " + exampleKeys(keys) + " -- why"

	applicable := true
	if reason == "" {
		c.report(at, "ignore directive needs a reason: write `%s`", example)
		applicable = false
	}
	if origin == IgnoreLine && len(keys) == 0 {
		c.report(at, "ignore directive names no rule: write `%s`", example)
		applicable = false
	}
	ids, ok := c.resolve(at, "ignore directive", keys, origin == IgnoreFile)
	if !ok || !applicable {
		return
	}
	ig := Ignore{Origin: origin, Rules: ids, Reason: reason, At: at}
	if origin == IgnoreLine {
		ig.Lines = c.coveredLines(cm)
	}
	c.ignores = append(c.ignores, ig)
}

// coveredLines returns the lines a line directive covers. A comment that
// shares its first line with code before it, or its last line with code
// after it, covers those lines (a trailing comment); a comment alone on its
// lines covers the line after its last line (a comment above the finding).
func (c *collector) coveredLines(cm *template.Comment) []int {
	first := c.f.Position(cm.Start).Line
	last := c.f.Position(max(cm.Start, cm.End-1)).Line
	var lines []int
	if len(bytes.TrimSpace(lineBefore(c.f, cm.Start))) > 0 {
		lines = append(lines, first)
	}
	if after := lineAfter(c.f, cm.End); len(bytes.TrimSpace(after)) > 0 && !slices.Contains(lines, last) {
		lines = append(lines, last)
	}
	if len(lines) == 0 {
		lines = append(lines, last+1)
	}
	return lines
}

// lineBefore returns the start of the line up to byte offset off.
func lineBefore(f *template.File, off int) []byte {
	head := f.Src[:min(off, len(f.Src))]
	return head[bytes.LastIndexAny(head, "\r\n")+1:]
}

// lineAfter returns the rest of the line from byte offset off.
func lineAfter(f *template.File, off int) []byte {
	if off >= len(f.Src) {
		return nil
	}
	rest := f.Src[off:]
	if i := bytes.IndexAny(rest, "\r\n"); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

func exampleKeys(keys []string) string {
	if len(keys) == 0 {
		return "AL1201"
	}
	return strings.Join(keys, ", ")
}

// resolve turns rule keys into IDs, reporting unknown keys and rules that
// cannot be ignored at at; what names the ignore in messages. fileWide
// says whether AL0002 is allowed. It returns ok false when any key was
// rejected, and nil IDs for no keys.
func (c *collector) resolve(at Location, what string, keys []string, fileWide bool) (ids []string, ok bool) {
	ok = true
	for _, k := range keys {
		id, known := c.lookup(k)
		switch {
		case !known:
			c.report(at, "%s names unknown rule %q%s", what, k, c.suggest(k))
			ok = false
		case id == IDInvalidTemplate || id == IDUnsupportedConstruct:
			c.report(at, "%s cannot be ignored", id)
			ok = false
		case id == IDUnusedIgnore && !fileWide:
			c.report(at, "%s can only be ignored file-wide: write `// armlint:ignore-file %s -- why`, or a metadata entry without \"resource\"", id, id)
			ok = false
		case !slices.Contains(ids, id):
			ids = append(ids, id)
		}
	}
	return ids, ok
}

// lookup resolves a rule key to its ID.
func (c *collector) lookup(key string) (string, bool) {
	if c.reg != nil {
		if r, ok := c.reg.Lookup(key); ok {
			return r.ID, true
		}
	}
	for _, r := range toolDiagnostics() {
		if strings.EqualFold(key, r.ID) || strings.EqualFold(key, r.Name) {
			return r.ID, true
		}
	}
	if c.reg == nil {
		if up := strings.ToUpper(key); builtinID.MatchString(up) || customID.MatchString(up) {
			return up, true
		}
	}
	return "", false
}

// suggest returns `; did you mean "x"?` for the rule name closest to key,
// or "".
func (c *collector) suggest(key string) string {
	if c.reg == nil {
		return ""
	}
	names := make([]string, 0, len(c.reg.Rules()))
	for _, r := range c.reg.Rules() {
		names = append(names, r.Name)
	}
	return DidYouMean(key, names)
}

// metadata reads root's metadata.armlint.ignore entries.
func (c *collector) metadata(root *template.Value) {
	list := root.Get("metadata").Get("armlint").Get("ignore")
	if list == nil {
		return
	}
	if list.Kind != template.Array {
		c.report(LocationOf(list), "metadata.armlint.ignore must be an array of {\"rule\", \"resource\", \"reason\"} objects")
		return
	}
	for _, e := range list.Elems() {
		c.metadataEntry(root, e)
	}
}

func (c *collector) metadataEntry(root, e *template.Value) {
	at := LocationOf(e)
	if e.Kind != template.Object {
		c.report(at, "metadata ignore entry must be an object with \"rule\", \"reason\" and optional \"resource\"")
		return
	}
	rule := strings.TrimSpace(e.Get("rule").StringOr(""))
	reason := strings.Join(strings.Fields(e.Get("reason").StringOr("")), " ")
	res := e.Get("resource")
	applicable := true
	if rule == "" {
		c.report(at, "metadata ignore needs a \"rule\" (a rule ID or name)")
		applicable = false
	}
	if reason == "" {
		c.report(at, "metadata ignore needs a reason: add \"reason\": \"why\"")
		applicable = false
	}
	if res != nil && (res.Kind != template.String || strings.TrimSpace(res.Str()) == "") {
		c.report(LocationOf(res), "metadata ignore \"resource\" must be a resource name or symbolic name")
		applicable = false
	}
	resource := strings.TrimSpace(res.StringOr(""))
	if rule == "" {
		return
	}
	ruleAt := LocationOf(e.Get("rule"))
	ids, ok := c.resolve(ruleAt, "metadata ignore", []string{rule}, resource == "")
	if !ok || !applicable {
		return
	}
	ig := Ignore{Origin: IgnoreMetadata, Rules: ids, Reason: reason, At: at, Resource: resource}
	if resource != "" {
		ig.ResourcePointers = resourcePointers(root, resource)
	}
	c.ignores = append(c.ignores, ig)
}

// resourcePointers returns the JSON pointers of the resources under root
// (child resources included) whose symbolic name, or literal (non-
// expression) name, equals name, case-insensitively.
func resourcePointers(root *template.Value, name string) []string {
	var out []string
	var walk func(list *template.Value)
	walk = func(list *template.Value) {
		if list == nil {
			return
		}
		switch list.Kind {
		case template.Object: // languageVersion 2.0: symbolic name → resource
			for _, m := range list.Members() {
				if strings.EqualFold(m.Key, name) {
					out = append(out, m.Value.Pointer())
				}
				walk(m.Value.Get("resources"))
			}
		case template.Array:
			for _, r := range list.Elems() {
				if n := r.Get("name"); n.IsString() && !n.IsExpression() && strings.EqualFold(n.Str(), name) {
					out = append(out, r.Pointer())
				}
				walk(r.Get("resources"))
			}
		}
	}
	walk(root.Get("resources"))
	return out
}

// toolDiagnostics returns the tool diagnostic rules, built once.
var toolDiagnostics = sync.OnceValue(DiagnosticRules)

func isToolDiagnostic(id string) bool {
	return id == IDInvalidTemplate || id == IDUnusedIgnore || id == IDUnsupportedConstruct
}
