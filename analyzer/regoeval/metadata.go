package regoeval

import (
	"fmt"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/armlint/armlint/analyzer"
)

// ruleMetadata builds a rule (without Check) from its package-scope
// METADATA block:
//
//	# METADATA
//	# title: One line, sentence case, no period
//	# description: |
//	#   Why it matters.
//	#   **Fix:** what to do.
//	# related_resources:            (optional; custom rules: the first is the help URI)
//	#   - ref: https://example.com/docs
//	# custom:
//	#   id: AL1201                  (custom rules: X[A-Z]*\d{3,4}, e.g. XCORP001)
//	#   severity: warning           (note | warning | error)
//	#   tags: [identity, rbac]
//	#   starts_from: [role_assignments]   (built-in rules only; see below)
//
// The rule's name is the last package segment with "_" turned into "-".
//
// It also returns the facts a built-in rule needs (see facts): those
// custom.starts_from names, the facts its findings start from (a finding
// is impossible in a file with none of them); without custom.starts_from,
// any relevant file. User rules are evaluated on every file: their
// custom.starts_from is not read.
func ruleMetadata(as *ast.AnnotationSet, pkg *rulePackage) (*analyzer.Rule, facts, error) {
	origin := pkg.mods[0].origin
	var ann *ast.Annotations
	for _, m := range pkg.mods {
		if a := as.GetPackageScope(m.mod.Package); a != nil {
			ann = a
			if a.Location != nil && a.Location.File != "" {
				origin = a.Location.File
			}
			break
		}
	}
	pkgName := strings.TrimPrefix(pkg.path.String(), "data.")
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%s: package %s: %s", origin, pkgName, fmt.Sprintf(format, args...))
	}
	if ann == nil {
		return nil, 0, fail("defines %s but has no package-scope METADATA block (title, description, custom.id, custom.severity)", entryPoint)
	}

	r := &analyzer.Rule{
		Name:        ruleName(pkg.path),
		Title:       strings.TrimSpace(ann.Title),
		Description: strings.TrimSpace(ann.Description),
		Origin:      origin,
	}
	if r.Title == "" {
		return nil, 0, fail("METADATA has no title")
	}
	if r.Description == "" {
		return nil, 0, fail("METADATA has no description")
	}

	id, ok := ann.Custom["id"].(string)
	if !ok || strings.TrimSpace(id) == "" {
		return nil, 0, fail("METADATA has no custom.id")
	}
	r.ID = strings.TrimSpace(id)
	if pkg.custom && strings.HasPrefix(strings.ToUpper(r.ID), "AL") {
		return nil, 0, fail("custom.id %s: AL IDs are reserved for built-in rules; use your own prefix, e.g. XCORP001", r.ID)
	}

	sev, ok := ann.Custom["severity"].(string)
	if !ok {
		return nil, 0, fail("METADATA has no custom.severity (note, warning or error)")
	}
	s, err := analyzer.ParseSeverity(sev)
	if err != nil {
		return nil, 0, fail("custom.severity: %v", err)
	}
	r.Severity = s

	if raw, ok := ann.Custom["tags"]; ok {
		tags, ok := raw.([]any)
		if !ok {
			return nil, 0, fail("custom.tags must be a list of strings")
		}
		for _, t := range tags {
			s, ok := t.(string)
			if !ok {
				return nil, 0, fail("custom.tags must be a list of strings")
			}
			r.Tags = append(r.Tags, s)
		}
	}

	if pkg.custom && len(ann.RelatedResources) > 0 && ann.RelatedResources[0].Ref.String() != "" {
		r.HelpURI = ann.RelatedResources[0].Ref.String()
	}
	needs := everyFact
	if !pkg.custom {
		if needs, err = parseFacts(ann.Custom["starts_from"]); err != nil {
			return nil, 0, fail("%v", err)
		}
	}
	return r, needs, nil
}

// ruleName is the last segment of a package path, kebab-cased.
func ruleName(p ast.Ref) string {
	last := p[len(p)-1]
	s, ok := last.Value.(ast.String)
	if !ok {
		return last.String()
	}
	return strings.ReplaceAll(string(s), "_", "-")
}
