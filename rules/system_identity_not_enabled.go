package rules

import (
	"strings"

	"github.com/armlint/armlint/analyzer"
	"github.com/armlint/armlint/analyzer/expr"
	"github.com/armlint/armlint/analyzer/graph"
	"github.com/armlint/armlint/analyzer/template"
)

var systemIdentityNotEnabled = &analyzer.Rule{
	ID:       "AL1306",
	Name:     "system-identity-not-enabled",
	Title:    "Principal read from an identity that is not there",
	Severity: analyzer.SeverityError,
	Tags:     []string{"identity", "rbac", "correctness", "security"},
	Origin:   "go",
	Description: `A property reads a system-assigned identity that does not exist, so the deployment fails:

- ` + "`reference(R, api, 'Full').identity.principalId`" + ` where R is a resource of this deployment whose
  ` + "`identity.type`" + ` does not include ` + "`SystemAssigned`" + ` (no identity block, ` + "`None`" + `,
  ` + "`UserAssigned`" + `): only a system-assigned identity has ` + "`identity.principalId`" + `;
- ` + "`reference(R).identity...`" + ` or ` + "`reference(R, api).identity...`" + ` without ` + "`'Full'`" + `:
  that form returns only the resource's ` + "`properties`" + `, which have no ` + "`identity`" + `.

Every property of every resource is checked: a role assignment's ` + "`principalId`" + `, a Key Vault access
policy's ` + "`objectId`" + `, app settings. Identity types that are not known before deployment are not judged.

**Fix:** add ` + "`SystemAssigned`" + ` to R's ` + "`identity.type`" + ` (` + "`SystemAssigned,UserAssigned`" + `
keeps its user-assigned identities), or read the user-assigned identity you meant
(` + "`reference(U).principalId`" + `); pass ` + "`'Full'`" + ` as reference()'s third argument to read
` + "`identity`" + `.`,
	Check: checkSystemIdentityNotEnabled,
}

func checkSystemIdentityNotEnabled(pass *analyzer.Pass) error {
	g := pass.Graph
	seen := map[*template.Value]bool{}
	byRes := map[*graph.Resource]*graph.Assignment{}
	for _, a := range g.Assignments {
		byRes[a.Resource] = a
	}
	carries := map[*graph.Resource]bool{}
	for _, r := range g.Resources {
		if r.Deployed == graph.No {
			continue
		}
		every := mayCarryReference(r.Deployment, carries)
		graph.ForEachExpression(r.Res.Properties, func(n *template.Value) {
			if seen[n] {
				return
			}
			var v expr.Value
			if a := byRes[r]; a != nil && a.PrincipalNode == template.Node(n) {
				v = a.PrincipalID // followed through nested deployment outputs
			} else if every || mayCallReference(n.Str()) && mayReadIdentity(n.Str()) {
				v = r.Eval(n)
			} else {
				return
			}
			if checkIdentityRead(pass, r, n, v) {
				seen[n] = true
			}
		})
	}
	return nil
}

// mayCarryReference reports whether the parameters of the template that
// the deployment dep deploys (nil: the root template) may hold a
// reference() read: a value dep passes calls reference(), or dep's own
// template may carry one (a value passed on from there). Then any string
// of the template that reads a parameter, or a variable built from one,
// may evaluate to such a read without spelling reference(), and every
// string is evaluated. Otherwise, as at the root, a string must spell it:
// ARM rejects reference() in variables and in parameter defaults (a
// template that has one there is invalid, and its reads through them are
// not looked for). The answer is kept in memo, by deployment.
func mayCarryReference(dep *graph.Resource, memo map[*graph.Resource]bool) bool {
	if dep == nil {
		return false
	}
	carry, ok := memo[dep]
	if ok {
		return carry
	}
	carry = mayCarryReference(dep.Deployment, memo)
	if !carry && dep.Res != nil {
		carry = anyExpressionCallsReference(dep.Res.Properties.Get("parameters"))
	}
	memo[dep] = carry
	return carry
}

// anyExpressionCallsReference reports whether an expression string under n
// may call reference(). Every string counts: a value passed may be an
// object with a "template" member holding "resources", which
// graph.ForEachExpression would take for a nested template and skip.
func anyExpressionCallsReference(n *template.Value) bool {
	if n == nil {
		return false
	}
	switch n.Kind {
	case template.String:
		return n.IsExpression() && mayCallReference(n.Str())
	case template.Array:
		for _, e := range n.Elems() {
			if anyExpressionCallsReference(e) {
				return true
			}
		}
	case template.Object:
		for _, m := range n.Members() {
			if anyExpressionCallsReference(m.Value) {
				return true
			}
		}
	}
	return false
}

// mayCallReference reports whether an expression string may evaluate to
// a reference() read, in a template whose parameters hold none (the root
// template, whose parameters come from parameter files, and most nested
// ones: see mayCarryReference): it must call reference(), itself or
// through a nested deployment's output it reads with reference(). ARM
// allows reference() neither in variables nor in user-defined functions,
// so such a string that does not spell it cannot read it. Most
// expressions do not, and are not evaluated again here.
//
// It looks for the name in any case (the evaluator's function names are
// case-insensitive) as a whole identifier: a name next to another letter,
// digit, '_', '$' or '-' is part of a longer identifier (imageReference,
// referenceName), which the lexer reads as one name, or makes the string
// a syntax error. The name may end with "s" (references()).
func mayCallReference(s string) bool {
	const name = "reference"
	// Find each f (the third letter, rarer in expressions than the r),
	// then compare the whole name around it.
	for _, f := range [2]byte{'f', 'F'} {
		for i := 2; i < len(s); {
			j := strings.IndexByte(s[i:], f)
			if j < 0 {
				break
			}
			j += i
			i = j + 1
			start, end := j-2, j-2+len(name)
			if end > len(s) || !strings.EqualFold(s[start:end], name) {
				continue
			}
			if start > 0 && isNameByte(s[start-1]) {
				continue
			}
			if end < len(s) && (s[end] == 's' || s[end] == 'S') {
				end++
			}
			if end < len(s) && isNameByte(s[end]) {
				continue
			}
			return true
		}
	}
	return false
}

// isNameByte reports whether c is an ASCII byte the expression lexer
// reads as part of a name (not as its first byte, for digits and '-').
func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '$' || c == '-'
}

// mayReadIdentity reports whether an expression string that calls
// reference(), in a template whose parameters hold no reference() read
// (see mayCarryReference), may evaluate to the read of a path that starts
// with identity, the only reads checkIdentityRead reports. The evaluator
// adds a step to a read's path only for a property access (.identity),
// an index (['identity'], [variables('k')]) or a step of tryGet() or
// tryIndexFromEnd(); a read can also come whole from a nested
// deployment's output (reference(d).outputs.o.value, evaluated in the
// nested template) or from the body of a user-defined function it is
// passed to (ns.f(reference(x))). Variables and parameters carry none
// (ARM allows reference() in neither). So a string that names none of
// identity, outputs or try* (in any case), has no index but of a string
// or integer literal (a literal that is "identity" spells it) and calls
// no user-defined function cannot produce such a read. Strings with
// non-ASCII bytes are always evaluated (case folding beyond ASCII).
func mayReadIdentity(s string) bool {
	if !template.IsASCII(s) || template.ContainsFold(s, "identity") || template.ContainsFold(s, "outputs") || template.ContainsFold(s, "try") {
		return true
	}
	// Outside string literals: an index that does not start with a
	// literal, or a dotted name followed by anything but an access, a
	// comma or a closing bracket (namespace.function( and spaces).
	inLiteral := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if inLiteral {
			inLiteral = c != '\'' // a doubled quote closes and reopens
			continue
		}
		switch c {
		case '\'':
			inLiteral = true
		case '[':
			if i == 0 {
				continue // the expression's own bracket
			}
			if i+1 < len(s) && (s[i+1] == '\'' || s[i+1] == '-' || s[i+1] >= '0' && s[i+1] <= '9') {
				continue
			}
			return true
		case '.':
			j := i + 1
			for j < len(s) && isNameByte(s[j]) {
				j++
			}
			if j < len(s) {
				switch s[j] {
				case '.', '[', ']', ')', ',':
				default:
					return true
				}
			}
			i = j - 1
		}
	}
	return false
}

// checkIdentityRead reports a read of .identity that cannot work; it
// returns true when it reported.
func checkIdentityRead(pass *analyzer.Pass, r *graph.Resource, n *template.Value, v expr.Value) bool {
	ref := v.Ref()
	if ref == nil || ref.Func != "reference" || len(ref.Path) == 0 {
		return false
	}
	if first, _ := ref.Path[0].Str(); !strings.EqualFold(first, "identity") {
		return false
	}
	if args := referenceArgs(v.Unknown().Expr); args > 0 && args < 3 {
		pass.Report(n, "%s reads %s from reference() without 'Full', which returns only the resource's properties: the deployment fails; pass 'Full' as the third argument",
			describe(r), pathText(ref.Path))
		return true
	}
	if !ref.Full || len(ref.Path) != 2 {
		return false
	}
	if second, _ := ref.Path[1].Str(); !strings.EqualFold(second, "principalId") {
		return false
	}
	owner := pass.Graph.Lookup(ref.Target, r)
	if owner == nil || owner.Res.Existing || owner.Deployed == graph.No {
		return false
	}
	// A resource declared twice (created, then updated) is one resource:
	// any declaration with a system identity (or an unknown one) is enough.
	id, _ := owner.ID.Str()
	for _, o := range pass.Graph.Resources {
		if o == owner || id == "" {
			continue
		}
		if oid, ok := o.ID.Str(); ok && strings.EqualFold(oid, id) && (o.Identity != nil && o.Identity.System != graph.No) {
			return false
		}
	}
	var why string
	related := []analyzer.Related{}
	switch {
	case owner.Res.Identity == nil:
		why = "has no identity block"
		related = append(related, analyzer.RelatedAt(owner.Res, "declared here without an identity"))
	case owner.Identity != nil && owner.Identity.System == graph.No:
		typ, _ := owner.Identity.Type.Str()
		why = "has identity type " + `"` + typ + `"` + restsOn(owner.Identity.Type)
		related = append(related, analyzer.RelatedAt(at(owner.Identity.TypeNode, owner.Identity.Node), "identity type without SystemAssigned"))
	default:
		return false
	}
	pass.ReportRelated(n, related, "%s reads identity.principalId of %s, which %s: it has no system-assigned identity and the deployment fails; add SystemAssigned to its identity type or read the user-assigned identity you meant%s",
		describe(r), describe(owner), why, restsOn(ref.Target))
	return true
}

// referenceArgs returns the number of arguments of the reference() call at
// the root of an unknown's canonical expression, or 0.
func referenceArgs(text string) int {
	x, err := expr.Parse(text)
	if err != nil {
		return 0
	}
	for {
		switch n := x.(type) {
		case *expr.PropAccess:
			x = n.X
			continue
		case *expr.IndexAccess:
			x = n.X
			continue
		case *expr.Call:
			if n.Namespace == "" && strings.EqualFold(n.Name, "reference") {
				return len(n.Args)
			}
		}
		return 0
	}
}

func pathText(path []expr.Value) string {
	parts := make([]string, 0, len(path))
	for _, p := range path {
		s, ok := p.Str()
		if !ok {
			s = "?"
		}
		parts = append(parts, s)
	}
	return "." + strings.Join(parts, ".")
}
