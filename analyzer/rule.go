package analyzer

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// Rule is a check: data plus one function. Go rules and Rego rules are both
// *Rule values; docs, SARIF rules[], config keys and `explain` read this
// one source.
type Rule struct {
	ID          string   // "AL1201" (built-in) or "XCORP001" (custom)
	Name        string   // kebab-case, names the problem
	Title       string   // one line, sentence case, no period
	Description string   // markdown: why it matters, then "**Fix:**"
	Severity    Severity // default severity
	Tags        []string
	HelpURI     string // set by the registry; never written by hand
	Origin      string // "go", or the policy file it comes from

	// Check reports findings through the pass.
	Check func(*Pass) error
}

var (
	builtinID = regexp.MustCompile(`^AL\d{4}$`)
	customID  = regexp.MustCompile(`^X[A-Z]*\d{3,4}$`)
	ruleName  = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
)

// Registry holds validated rules, by ID and by name.
type Registry struct {
	rules  []*Rule
	byKey  map[string]*Rule
	custom map[string]bool
}

// Version is the armlint version used in help URIs; cmd sets it from build
// information.
var Version = "dev"

// HelpURIFor returns the documentation URI of a built-in rule.
func HelpURIFor(id, name string) string {
	ref := "main"
	if Version != "dev" && Version != "" && Version != "(devel)" {
		ref = "v" + strings.TrimPrefix(Version, "v")
	}
	return "https://github.com/armlint/armlint/blob/" + ref + "/rules/README.md#" + strings.ToLower(id) + "-" + name
}

// NewRegistry validates rules and returns a registry sorted by ID. It
// rejects duplicate IDs or names, malformed IDs and names, invalid
// severities, empty titles or descriptions and nil checks. Rules whose ID
// is not AL-prefixed must match the custom pattern ^X[A-Z]*\d{3,4}$.
func NewRegistry(rules ...*Rule) (*Registry, error) {
	reg := &Registry{byKey: map[string]*Rule{}, custom: map[string]bool{}}
	var errs []error
	for _, r := range rules {
		if err := validate(r); err != nil {
			errs = append(errs, err)
			continue
		}
		if prev, ok := reg.byKey[strings.ToLower(r.ID)]; ok {
			errs = append(errs, fmt.Errorf("rule %s (%s): duplicate ID, also used by %s", r.ID, r.Origin, prev.Origin))
			continue
		}
		if prev, ok := reg.byKey[r.Name]; ok {
			errs = append(errs, fmt.Errorf("rule %s (%s): duplicate name %q, also used by %s", r.ID, r.Origin, r.Name, prev.ID))
			continue
		}
		if r.HelpURI == "" && builtinID.MatchString(r.ID) {
			r.HelpURI = HelpURIFor(r.ID, r.Name)
		}
		reg.byKey[strings.ToLower(r.ID)] = r
		reg.byKey[r.Name] = r
		reg.rules = append(reg.rules, r)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	sort.Slice(reg.rules, func(i, j int) bool { return reg.rules[i].ID < reg.rules[j].ID })
	return reg, nil
}

func validate(r *Rule) error {
	if r == nil {
		return errors.New("nil rule")
	}
	where := r.ID
	if r.Origin != "" {
		where += " (" + r.Origin + ")"
	}
	switch {
	case !builtinID.MatchString(r.ID) && !customID.MatchString(r.ID):
		return fmt.Errorf("rule %s: ID must match AL + 4 digits (built-in) or X[A-Z]* + 3-4 digits (custom)", where)
	case !ruleName.MatchString(r.Name):
		return fmt.Errorf("rule %s: name %q must be kebab-case", where, r.Name)
	case !r.Severity.Valid():
		return fmt.Errorf("rule %s: invalid default severity", where)
	case strings.TrimSpace(r.Title) == "":
		return fmt.Errorf("rule %s: empty title", where)
	case strings.TrimSpace(r.Description) == "":
		return fmt.Errorf("rule %s: empty description", where)
	case r.Check == nil:
		return fmt.Errorf("rule %s: nil Check", where)
	}
	return nil
}

// Rules returns every rule, sorted by ID.
func (reg *Registry) Rules() []*Rule { return reg.rules }

// Lookup finds a rule by ID (case-insensitive) or name.
func (reg *Registry) Lookup(key string) (*Rule, bool) {
	if r, ok := reg.byKey[strings.ToLower(key)]; ok {
		return r, true
	}
	r, ok := reg.byKey[key]
	return r, ok
}
