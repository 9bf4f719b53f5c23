package config

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/armlint/armlint/analyzer"
)

// Lookup resolves a rule key (an ID, case-insensitive, or a name) to the
// rule's ID. cmd builds it from the registry of all known rules.
type Lookup func(key string) (id string, ok bool)

// RuleSetting is one rule's configuration, resolved to the rule's ID.
type RuleSetting struct {
	ID       string
	Key      string            // the key as written in the file
	Enabled  *bool             // nil: the rule's default
	Severity analyzer.Severity // 0: the rule's default
	Options  map[string]any    // nil when none
}

// validated is what Validate computed; it is the zero value before.
type validated struct {
	ok        bool
	failLevel analyzer.Severity
	rules     []RuleSetting
	ignoreIDs []string // the resolved rule ID of each Ignore entry
}

// idShape matches keys written as rule IDs (built-in or custom), which get
// no "did you mean" suggestion: a near ID is a different rule.
var idShape = regexp.MustCompile(`^[A-Za-z]+\d{3,4}$`)

// Validate checks what decoding cannot: severities and failLevel parse,
// rule keys name known rules (each rule at most once), tool diagnostics are
// not disabled, ignore entries name a rule and give a reason, globs compile,
// paths are not empty. lookup resolves rule keys; names are the known rule
// IDs and names, used only to suggest the closest one for an unknown key.
// A nil lookup accepts every key as written.
//
// All problems are reported, joined, each as "path:line:col: message".
// After a nil error RuleSettings, FailSeverity and Ignores are available.
func (c *Config) Validate(lookup Lookup, names ...string) error {
	if lookup == nil {
		lookup = func(key string) (string, bool) { return key, true }
	}
	var errs []error
	fail := func(pos, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", pos, fmt.Sprintf(format, args...)))
	}
	var st validated

	if c.FailLevel != "" {
		sev, err := analyzer.ParseSeverity(c.FailLevel)
		if err != nil {
			fail(c.posOf("failLevel"), "failLevel: %v", err)
		}
		st.failLevel = sev
	}

	seen := map[string]string{} // rule ID → key that configured it
	for _, key := range c.ruleKeys() {
		rc := c.Rules[key]
		pos := c.posOfKey(key, "rules")
		id, ok := lookup(key)
		if !ok {
			fail(pos, "rules: unknown rule %q%s", key, suggest(key, names))
			continue
		}
		if prev, dup := seen[id]; dup {
			fail(pos, "rules: rule %s is configured twice (%q and %q)", id, prev, key)
			continue
		}
		seen[id] = key
		s := RuleSetting{ID: id, Key: key, Enabled: rc.Enabled, Options: rc.Options}
		if rc.Enabled != nil && !*rc.Enabled && isDiagnostic(id) {
			fail(pos, "rules: %s is a tool diagnostic and cannot be disabled", id)
		}
		if rc.Severity != "" {
			sev, err := analyzer.ParseSeverity(rc.Severity)
			if err != nil {
				fail(c.posOf("rules", key, "severity"), "rules: %s: %v", key, err)
			}
			s.Severity = sev
		}
		st.rules = append(st.rules, s)
	}
	slices.SortFunc(st.rules, func(a, b RuleSetting) int { return cmp.Compare(a.ID, b.ID) })

	for i, e := range c.Exclude {
		idx := strconv.Itoa(i)
		if _, err := CompileGlob(e.Path); err != nil {
			fail(c.posOf("exclude", idx, "path"), "exclude[%d]: %v", i, err)
		}
	}

	st.ignoreIDs = make([]string, len(c.Ignore))
	for i, ig := range c.Ignore {
		idx := strconv.Itoa(i)
		at := c.posOf("ignore", idx)
		switch id, ok := lookup(ig.Rule); {
		case strings.TrimSpace(ig.Rule) == "":
			fail(at, "ignore[%d]: needs a rule (an ID or a name)", i)
		case !ok:
			fail(c.posOf("ignore", idx, "rule"), "ignore[%d]: unknown rule %q%s", i, ig.Rule, suggest(ig.Rule, names))
		case id == analyzer.IDUnusedIgnore:
			fail(c.posOf("ignore", idx, "rule"), "ignore[%d]: %s can only be ignored inside the file, with `// armlint:ignore-file %s -- why`", i, id, id)
		case isDiagnostic(id):
			fail(c.posOf("ignore", idx, "rule"), "ignore[%d]: %s is a tool diagnostic and cannot be ignored", i, id)
		default:
			st.ignoreIDs[i] = id
		}
		if strings.TrimSpace(ig.Reason) == "" {
			fail(at, "ignore[%d]: needs a reason: say why the finding is acceptable", i)
		}
		if ig.Path != "" {
			if _, err := CompileGlob(ig.Path); err != nil {
				fail(c.posOf("ignore", idx, "path"), "ignore[%d]: %v", i, err)
			}
		}
	}

	for i, p := range c.Policies {
		if strings.TrimSpace(p) == "" {
			fail(c.posOf("policies", strconv.Itoa(i)), "policies[%d]: empty path", i)
		}
	}
	for _, tmpl := range sortedKeys(c.Parameters) {
		if strings.TrimSpace(tmpl) == "" {
			fail(c.posOfKey(tmpl, "parameters"), "parameters: empty template path")
		}
		for i, p := range c.Parameters[tmpl] {
			if strings.TrimSpace(p) == "" {
				fail(c.posOf("parameters", tmpl, strconv.Itoa(i)), "parameters: %s: empty parameter file path", tmpl)
			}
		}
	}

	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	st.ok = true
	c.state = st
	return nil
}

// RuleSettings returns the configured rules, resolved to IDs and sorted by
// ID. It returns nil until Validate has succeeded.
func (c *Config) RuleSettings() []RuleSetting { return c.state.rules }

// FailSeverity returns the parsed failLevel, or 0 when the file does not
// set it (or Validate has not succeeded).
func (c *Config) FailSeverity() analyzer.Severity { return c.state.failLevel }

// ruleKeys returns the keys of Rules in source order (then alphabetically
// for keys not in the file), so that errors come out in a stable order.
func (c *Config) ruleKeys() []string {
	keys := sortedKeys(c.Rules)
	off := func(k string) int {
		if m := c.node("rules").Member(k); m != nil {
			return m.KeyStart()
		}
		return -1
	}
	slices.SortStableFunc(keys, func(a, b string) int { return cmp.Compare(off(a), off(b)) })
	return keys
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// isDiagnostic reports whether id is one of the tool diagnostics AL0001–AL0003.
func isDiagnostic(id string) bool {
	switch id {
	case analyzer.IDInvalidTemplate, analyzer.IDUnusedIgnore, analyzer.IDUnsupportedConstruct:
		return true
	}
	return false
}

// suggest returns `; did you mean "x"?` for the candidate closest to key,
// or "" when none is close or key is written as an ID (a near ID is a
// different rule).
func suggest(key string, candidates []string) string {
	if idShape.MatchString(key) {
		return ""
	}
	names := make([]string, 0, len(candidates))
	for _, c := range candidates {
		if !idShape.MatchString(c) {
			names = append(names, c)
		}
	}
	return analyzer.DidYouMean(key, names)
}
