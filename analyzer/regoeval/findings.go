package regoeval

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/armlint/armlint/analyzer"
	"github.com/armlint/armlint/analyzer/graph"
	"github.com/armlint/armlint/analyzer/template"
)

// finding is one decoded element of a policy's findings set (the output
// contract in policies/lib/armlint/input.rego).
type finding struct {
	site
	message  string
	severity analyzer.Severity // 0 when the policy gave none
	related  []relatedSite
}

// site is a node named by resource key and a path inside the resource.
type site struct {
	resource string
	path     []string // object keys and array indexes (decimal)
}

type relatedSite struct {
	site
	message string
}

// decodeFindingsTerm decodes the value of a findings rule as OPA gives
// it, without converting it to Go values first: well-formed findings (the
// built-in policies' always are) are read straight from the terms; anything
// else is converted and decoded by decodeFindings, which reports what is
// wrong, so that both give the same findings, in the same order, or the
// same error.
func decodeFindingsTerm(v ast.Value) ([]finding, error) {
	if found, ok := readFindings(v); ok {
		sortFindings(found)
		return found, nil
	}
	x, err := ast.JSON(v) // what OPA would have converted it with
	if err != nil {
		return nil, err
	}
	return decodeFindings(x)
}

// readFindings reads well-formed findings from a set or an array of
// objects, in the order ast.JSON would give them; ok is false for
// anything else.
func readFindings(v ast.Value) (found []finding, ok bool) {
	var elems func(func(*ast.Term) error) error
	switch c := v.(type) {
	case ast.Set:
		elems, found = c.Iter, make([]finding, 0, c.Len())
	case *ast.Array:
		elems, found = c.Iter, make([]finding, 0, c.Len())
	default:
		return nil, false
	}
	malformed := errors.New("malformed")
	err := elems(func(t *ast.Term) error {
		f, ok := readFinding(t.Value)
		if !ok {
			return malformed
		}
		found = append(found, f)
		return nil
	})
	return found, err == nil
}

// readFinding reads one well-formed finding (see decodeFinding).
func readFinding(v ast.Value) (f finding, ok bool) {
	obj, ok := v.(ast.Object)
	if !ok {
		return finding{}, false
	}
	var message, severity, related *ast.Term
	if f.site, ok = readSite(obj, func(key string, t *ast.Term) bool {
		switch key {
		case "message":
			message = t
		case "severity":
			severity = t
		case "related":
			related = t
		default:
			return false
		}
		return true
	}); !ok {
		return finding{}, false
	}
	if f.message, ok = stringOf(message); !ok || f.message == "" {
		return finding{}, false
	}
	if severity != nil && severity.Value.Compare(ast.Null{}) != 0 {
		s, ok := stringOf(severity)
		if !ok {
			return finding{}, false
		}
		var err error
		if f.severity, err = analyzer.ParseSeverity(s); err != nil {
			return finding{}, false
		}
	}
	if related != nil && related.Value.Compare(ast.Null{}) != 0 {
		list, ok := related.Value.(*ast.Array)
		if !ok {
			return finding{}, false
		}
		for i := range list.Len() {
			ro, ok := list.Elem(i).Value.(ast.Object)
			if !ok {
				return finding{}, false
			}
			var rs relatedSite
			var message *ast.Term
			if rs.site, ok = readSite(ro, func(key string, t *ast.Term) bool {
				message = t
				return key == "message"
			}); !ok {
				return finding{}, false
			}
			if rs.message, ok = stringOf(message); !ok {
				return finding{}, false
			}
			f.related = append(f.related, rs)
		}
	}
	return f, true
}

// readSite reads "resource" and "path" of obj (see decodeSite), handing
// every other member to other, which reports whether it is allowed.
func readSite(obj ast.Object, other func(key string, t *ast.Term) bool) (s site, ok bool) {
	var resource, path *ast.Term
	ok = true
	obj.Foreach(func(k, t *ast.Term) {
		key, isString := k.Value.(ast.String)
		switch {
		case !isString:
			ok = false
		case key == "resource":
			resource = t
		case key == "path":
			path = t
		default:
			ok = ok && other(string(key), t)
		}
	})
	if !ok {
		return site{}, false
	}
	if s.resource, ok = stringOf(resource); !ok {
		return site{}, false
	}
	if path == nil || path.Value.Compare(ast.Null{}) == 0 {
		return s, true
	}
	steps, ok := path.Value.(*ast.Array)
	if !ok {
		return site{}, false
	}
	for i := range steps.Len() {
		switch step := steps.Elem(i).Value.(type) {
		case ast.String:
			s.path = append(s.path, string(step))
		case ast.Number:
			if i, err := json.Number(step).Int64(); err != nil || i < 0 {
				return site{}, false
			}
			s.path = append(s.path, string(step))
		default:
			return site{}, false
		}
	}
	return s, true
}

// stringOf returns the string a term holds; ok is false for a nil term
// or another value.
func stringOf(t *ast.Term) (string, bool) {
	if t == nil {
		return "", false
	}
	s, ok := t.Value.(ast.String)
	return string(s), ok
}

// decodeFindings decodes the value of a findings rule: a set (an array
// once converted) of finding objects. Anything else is an error, as are
// unknown members, so that a misspelt key does not go unnoticed.
// Findings are returned sorted, for a deterministic report order.
func decodeFindings(v any) ([]finding, error) {
	elems, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("findings must be a set of objects, got %s", describe(v))
	}
	out := make([]finding, 0, len(elems))
	for _, e := range elems {
		f, err := decodeFinding(e)
		if err != nil {
			return nil, fmt.Errorf("malformed finding %s: %w", describe(e), err)
		}
		out = append(out, f)
	}
	sortFindings(out)
	return out, nil
}

// sortFindings sorts findings by resource, path and message, for a
// deterministic report order.
func sortFindings(found []finding) {
	slices.SortFunc(found, func(a, b finding) int {
		return cmp.Or(
			cmp.Compare(a.resource, b.resource),
			slices.Compare(a.path, b.path),
			cmp.Compare(a.message, b.message),
		)
	})
}

func decodeFinding(v any) (finding, error) {
	obj, err := members(v, "resource", "path", "message", "severity", "related")
	if err != nil {
		return finding{}, err
	}
	var f finding
	if f.site, err = decodeSite(obj); err != nil {
		return finding{}, err
	}
	if f.message, err = requiredString(obj, "message"); err != nil {
		return finding{}, err
	}
	if f.message == "" {
		return finding{}, errors.New(`"message" is empty`)
	}
	if s, ok := obj["severity"]; ok && s != nil {
		str, ok := s.(string)
		if !ok {
			return finding{}, fmt.Errorf(`"severity" must be a string, got %s`, describe(s))
		}
		if f.severity, err = analyzer.ParseSeverity(str); err != nil {
			return finding{}, fmt.Errorf(`"severity": %w`, err)
		}
	}
	if rel, ok := obj["related"]; ok && rel != nil {
		list, ok := rel.([]any)
		if !ok {
			return finding{}, fmt.Errorf(`"related" must be an array, got %s`, describe(rel))
		}
		for _, r := range list {
			ro, err := members(r, "resource", "path", "message")
			if err != nil {
				return finding{}, fmt.Errorf("related %s: %w", describe(r), err)
			}
			var rs relatedSite
			if rs.site, err = decodeSite(ro); err != nil {
				return finding{}, fmt.Errorf("related %s: %w", describe(r), err)
			}
			if rs.message, err = requiredString(ro, "message"); err != nil {
				return finding{}, fmt.Errorf("related %s: %w", describe(r), err)
			}
			f.related = append(f.related, rs)
		}
	}
	return f, nil
}

// members returns v as an object, rejecting members not in allowed.
func members(v any, allowed ...string) (map[string]any, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("want an object, got %s", describe(v))
	}
	for k := range obj {
		if !slices.Contains(allowed, k) {
			return nil, fmt.Errorf("unknown member %q (allowed: %s)", k, strings.Join(allowed, ", "))
		}
	}
	return obj, nil
}

func requiredString(obj map[string]any, key string) (string, error) {
	v, ok := obj[key]
	if !ok {
		return "", fmt.Errorf("missing %q", key)
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%q must be a string, got %s", key, describe(v))
	}
	return s, nil
}

// decodeSite reads "resource" (a key) and "path" (an array of keys and
// non-negative integer indexes; absent or null means the resource itself).
func decodeSite(obj map[string]any) (site, error) {
	var s site
	var err error
	if s.resource, err = requiredString(obj, "resource"); err != nil {
		return site{}, err
	}
	p, ok := obj["path"]
	if !ok || p == nil {
		return s, nil
	}
	steps, ok := p.([]any)
	if !ok {
		return site{}, fmt.Errorf(`"path" must be an array, got %s`, describe(p))
	}
	for _, step := range steps {
		switch step := step.(type) {
		case string:
			s.path = append(s.path, step)
		case json.Number:
			i, err := step.Int64()
			if err != nil || i < 0 {
				return site{}, fmt.Errorf(`"path" index %s is not a non-negative integer`, step)
			}
			s.path = append(s.path, step.String())
		default:
			return site{}, fmt.Errorf(`"path" steps must be strings or indexes, got %s`, describe(step))
		}
	}
	return s, nil
}

// describe renders a value briefly for error messages.
func describe(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%T", v)
	}
	const limit = 200
	if len(b) > limit {
		return string(b[:limit]) + "…"
	}
	return string(b)
}

// reportAll resolves each finding's sites to nodes of the file and reports
// it on the pass.
func reportAll(pass *analyzer.Pass, found []finding) error {
	if len(found) == 0 {
		return nil
	}
	byKey := map[string]*graph.Resource{}
	if pass.Graph != nil {
		for _, r := range pass.Graph.Resources {
			byKey[r.Key] = r
		}
	}
	for _, f := range found {
		n, err := resolve(byKey, f.site)
		if err != nil {
			return err
		}
		var related []analyzer.Related
		for _, r := range f.related {
			rn, err := resolve(byKey, r.site)
			if err != nil {
				return fmt.Errorf("related location: %w", err)
			}
			related = append(related, analyzer.RelatedAt(rn, r.message))
		}
		report(pass, n, f.severity, related, f.message)
	}
	return nil
}

// resolve follows a site's path inside its resource. When a step is
// absent it stops at the deepest node that exists: the resource itself
// when not even the first step exists.
func resolve(byKey map[string]*graph.Resource, s site) (template.Node, error) {
	r, ok := byKey[s.resource]
	if !ok || r.Res == nil || r.Res.Node == nil {
		return nil, fmt.Errorf("finding names resource %q, which is not a resource key of this file", s.resource)
	}
	cur := r.Res.Node
	for _, step := range s.path {
		next := cur.Path(step)
		if next == nil {
			break
		}
		cur = next
	}
	if cur == r.Res.Node {
		return r.Res, nil
	}
	return cur, nil
}

// report reports one finding. A policy may raise a finding's severity
// above the rule's default, never lower it.
func report(pass *analyzer.Pass, n template.Node, sev analyzer.Severity, related []analyzer.Related, msg string) {
	pass.ReportRaised(n, sev, related, msg)
}
