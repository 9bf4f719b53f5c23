package rules

import (
	"strings"

	"github.com/armlint/armlint/analyzer"
	"github.com/armlint/armlint/analyzer/expr"
	"github.com/armlint/armlint/analyzer/graph"
	"github.com/armlint/armlint/analyzer/template"
)

var unstableRoleAssignmentName = &analyzer.Rule{
	ID:       "AL1307",
	Name:     "unstable-role-assignment-name",
	Title:    "Role assignment name not tied to scope, principal and role",
	Severity: analyzer.SeverityWarning,
	Tags:     []string{"rbac", "correctness", "security"},
	Origin:   "go",
	Description: `A role assignment's ` + "`name`" + ` (a GUID, unique across Azure) should be a deterministic function of
what the assignment grants: its scope, principal and role. Otherwise redeploying fails with
` + "`RoleAssignmentExists`" + ` (a new name for the same grant) or ` + "`RoleAssignmentUpdateNotPermitted`" + ` (the same
name for a different principal, e.g. after the identity was recreated), or leaves duplicates behind. Reported:

- the name comes from ` + "`newGuid()`" + ` or ` + "`utcNow()`" + ` (usually through a parameter default);
- the name is a literal GUID (in the resource or a variable);
- the name is the same for every instance of a copy loop;
- the name is a ` + "`guid()`" + ` whose arguments do not mention the principal (the identity's resource ID or
  name expression, or the principal parameter) or the role (the role definition ID, its GUID or the role's
  name). Either may sit anywhere inside the arguments, e.g. in a ` + "`format()`" + ` or ` + "`concat()`" + `.

Only clear omissions are reported: a principal or role that cannot be resolved is not judged.

**Fix:** name the assignment
` + "`[guid(<scope>, <identity resource ID or principal parameter>, <roleDefinitionId>)]`" + `, e.g.
` + "`[guid(resourceGroup().id, resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', parameters('identityName')), variables('readerRoleId'))]`" + `.
The principal ID of an identity created in the same deployment cannot be used: names must be known when the
deployment starts, so use the identity's resource ID.`,
	Check: checkUnstableRoleAssignmentName,
}

func checkUnstableRoleAssignmentName(pass *analyzer.Pass) error {
	byRes := map[*template.Resource][]*graph.Assignment{}
	var order []*template.Resource
	for _, a := range pass.Graph.Assignments {
		if a.Resource.Deployed == graph.No {
			continue
		}
		if _, ok := byRes[a.Resource.Res]; !ok {
			order = append(order, a.Resource.Res)
		}
		byRes[a.Resource.Res] = append(byRes[a.Resource.Res], a)
	}
	for _, res := range order {
		checkAssignmentName(pass, byRes[res])
	}
	return nil
}

func checkAssignmentName(pass *analyzer.Pass, as []*graph.Assignment) {
	a := as[0]
	r := a.Resource
	nameNode := r.Res.Name
	if nameNode == nil || nameNode.Kind != template.String {
		return
	}
	label := r.Label()
	x := nameExpr(r)
	if x == nil {
		return
	}
	if u := a.Name.Unknown(); u != nil && u.Marks&(expr.MarkNewGUID|expr.MarkUtcNow) != 0 {
		// Only a parameter of this template whose default calls newGuid()
		// or utcNow(): a value that reaches the name through the
		// principal's or the scope's own name changes with them.
		if p, fn := clockParameter(x, r.Res.Template); p != "" {
			pass.Report(nameNode, "the name of role assignment %s comes from %s (the default of parameter '%s'), so every deployment creates a new assignment for the same grant and fails with RoleAssignmentExists: use guid(<scope>, <identity resource ID>, <roleDefinitionId>)",
				label, fn, p)
		}
		return
	}
	if lit, ok := x.(*expr.StringLit); ok {
		if guidPart(lit.Value) != "" {
			pass.Report(nameNode, "the name of role assignment %s is the literal GUID %s: it does not follow the scope, principal and role, so a redeploy after any of them changes fails; use guid(<scope>, <identity resource ID>, <roleDefinitionId>)",
				label, guidPart(lit.Value))
		}
		return
	}
	if len(as) >= 2 && r.Loop != "" && sameName(as[0].Name, as[1].Name) {
		pass.Report(nameNode, "role assignment %s has the same name in every instance of copy loop '%s', so the instances overwrite one another or fail: include copyIndex() or the per-instance principal in its guid()%s",
			label, r.Loop, restsOn(as[0].Name))
		return
	}
	var calls []*expr.Call
	findGUIDCalls(x, &calls)
	if len(calls) == 0 {
		return
	}
	// The principal and the role must be mentioned in every instance.
	// Each instance's guid() arguments are evaluated once, for both.
	evaluated := make(map[*graph.Assignment][]atom, len(as))
	atomsOf := func(inst *graph.Assignment) []atom {
		at, ok := evaluated[inst]
		if !ok {
			at = atoms(inst.Resource, calls)
			evaluated[inst] = at
		}
		return at
	}
	var missing []string
	for _, what := range []string{"principal", "role"} {
		for _, inst := range as {
			m, judged := mentions(inst, atomsOf, what)
			if judged && !m {
				missing = append(missing, what)
				break
			}
		}
	}
	if len(missing) == 0 {
		return
	}
	var omits string
	switch {
	case len(missing) == 2:
		omits = "mention neither the principal (" + principalHint(a) + ") nor the role (" + roleHint(a) + ")"
	case missing[0] == "principal":
		omits = "do not mention the principal (" + principalHint(a) + ")"
	default:
		omits = "do not mention the role (" + roleHint(a) + ")"
	}
	pass.Report(nameNode, "the name of role assignment %s is a guid() whose arguments %s: redeploying for another %s fails with RoleAssignmentUpdateNotPermitted or RoleAssignmentExists; add it to the guid() arguments",
		label, omits, strings.Join(missing, " or "))
}

// nameExpr parses a role assignment's name as written, with variables
// expanded; for the legacy form only the part after
// "/Microsoft.Authorization/" matters, but guid() calls are found anywhere.
func nameExpr(r *graph.Resource) expr.Expr {
	x, lit, isExpr, err := expr.ParseTemplateString(r.Res.Name.Str())
	if err != nil {
		return nil
	}
	if !isExpr {
		return &expr.StringLit{Value: lit}
	}
	return expandVariables(x, variablesOf(r.Res.Template), 0)
}

// variablesOf returns the variables object that variables() reads in t.
func variablesOf(t *template.Template) *template.Value {
	for t != nil && t.Parent != nil && t.EvalScope == template.EvalOuter {
		t = t.Parent
	}
	if t == nil {
		return nil
	}
	return t.Variables
}

// expandVariables replaces variables('name') with the variable's
// expression as written, so that a guid() held in a variable is seen.
func expandVariables(x expr.Expr, vars *template.Value, depth int) expr.Expr {
	if depth > 8 {
		return x
	}
	switch n := x.(type) {
	case *expr.Call:
		if n.Namespace == "" && strings.EqualFold(n.Name, "variables") && len(n.Args) == 1 {
			if name, ok := n.Args[0].(*expr.StringLit); ok {
				if v := vars.Get(name.Value); v != nil && v.Kind == template.String {
					vx, lit, isExpr, err := expr.ParseTemplateString(v.Str())
					switch {
					case err != nil:
						return x
					case !isExpr:
						return &expr.StringLit{Offset: n.Offset, Value: lit}
					}
					return expandVariables(vx, vars, depth+1)
				}
			}
			return x
		}
		c := *n
		c.Args = make([]expr.Expr, len(n.Args))
		for i, a := range n.Args {
			c.Args[i] = expandVariables(a, vars, depth)
		}
		return &c
	case *expr.PropAccess:
		c := *n
		c.X = expandVariables(n.X, vars, depth)
		return &c
	case *expr.IndexAccess:
		c := *n
		c.X = expandVariables(n.X, vars, depth)
		c.Index = expandVariables(n.Index, vars, depth)
		return &c
	}
	return x
}

// guidPart returns the GUID a literal name is, or ends with after
// "/Microsoft.Authorization/" (legacy form); "" otherwise.
func guidPart(s string) string {
	if i := strings.LastIndex(strings.ToLower(s), "/microsoft.authorization/"); i >= 0 {
		s = s[i+len("/microsoft.authorization/"):]
	}
	if isGUID(s) {
		return s
	}
	return ""
}

func isGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
				return false
			}
		}
	}
	return true
}

func sameName(a, b expr.Value) bool {
	if s, ok := a.Str(); ok {
		t, ok := b.Str()
		return ok && strings.EqualFold(s, t)
	}
	ua, ub := a.Unknown(), b.Unknown()
	return ua != nil && ub != nil && ua.Ref == nil && ua.Marks == 0 && ua.Expr == ub.Expr
}

func findGUIDCalls(x expr.Expr, out *[]*expr.Call) {
	expr.Inspect(x, func(n expr.Expr) bool {
		if c, ok := n.(*expr.Call); ok && c.Namespace == "" && strings.EqualFold(c.Name, "guid") {
			*out = append(*out, c)
			return false
		}
		return true
	})
}

// atom is a sub-expression of guid()'s arguments, evaluated; lit is set
// for a string literal as written.
type atom struct {
	v   expr.Value
	lit bool
}

// atoms evaluates every sub-expression of the guid() arguments in the
// assignment's environment.
func atoms(r *graph.Resource, calls []*expr.Call) []atom {
	var out []atom
	var walk func(x expr.Expr)
	walk = func(x expr.Expr) {
		_, lit := x.(*expr.StringLit)
		out = append(out, atom{r.EvalExpr(x), lit})
		switch n := x.(type) {
		case *expr.Call:
			for _, a := range n.Args {
				walk(a)
			}
		case *expr.PropAccess:
			walk(n.X)
		case *expr.IndexAccess:
			walk(n.X)
			walk(n.Index)
		}
	}
	for _, c := range calls {
		for _, a := range c.Args {
			walk(a)
		}
	}
	return out
}

// mentions reports whether the guid() arguments mention the principal or
// the role of a; judged is false when that cannot be decided. atomsOf
// returns the arguments' atoms in an assignment's environment.
func mentions(a *graph.Assignment, atomsOf func(*graph.Assignment) []atom, what string) (found, judged bool) {
	var known []string    // lower-case strings that identify it
	var unknowns []string // canonical expressions that identify it
	addVal := func(v expr.Value) {
		if s, ok := v.Str(); ok && s != "" {
			known = append(known, strings.ToLower(s))
		} else if u := v.Unknown(); u != nil {
			unknowns = append(unknowns, u.Expr)
		}
	}
	contains := false // known strings may also be contained (GUIDs, role names)
	switch what {
	case "principal":
		p := a.Principal
		switch {
		case p == nil:
			return false, false
		case p.Owner != nil && (p.IsManagedIdentity()):
			addVal(p.Owner.ID)
			addVal(p.Owner.Name)
			if s, ok := p.Owner.Name.Str(); ok && strings.Contains(s, "/") {
				known = append(known, strings.ToLower(s[strings.LastIndex(s, "/")+1:]))
			}
		case p.Kind == graph.PrincipalParameter:
			unknowns = append(unknowns, "parameters('"+p.Param+"')")
			if p.GUID != "" {
				known = append(known, p.GUID)
			}
		case p.External != "":
			known = append(known, strings.ToLower(p.External))
			known = append(known, strings.ToLower(p.External[strings.LastIndex(p.External, "/")+1:]))
		default:
			return false, false
		}
		addVal(a.PrincipalID)
	case "role":
		if a.Role.ID == "" {
			if u := a.RoleValue.Unknown(); u != nil && u.Ref == nil {
				unknowns = append(unknowns, u.Expr)
				break
			}
			return false, false
		}
		contains = true
		known = append(known, a.Role.ID)
		if a.Role.Name != "" {
			known = append(known, normRoleName(a.Role.Name))
		}
	}
	for _, at := range atomsOf(a) {
		v := at.v
		if at.lit && what == "role" && roleTag(v, a.Role.Name) {
			return true, true
		}
		if s, ok := v.Str(); ok {
			ls := strings.ToLower(s)
			for _, k := range known {
				if ls == k || (contains && (strings.Contains(ls, k) || strings.Contains(normRoleName(s), k))) {
					return true, true
				}
			}
			continue
		}
		u := v.Unknown()
		if u == nil {
			continue
		}
		for _, k := range unknowns {
			if strings.Contains(strings.ToLower(k), strings.ToLower(u.Expr)) || strings.Contains(strings.ToLower(u.Expr), strings.ToLower(k)) {
				return true, true
			}
		}
		for _, k := range known {
			if strings.Contains(strings.ToLower(u.Expr), k) {
				return true, true
			}
		}
	}
	return false, true
}

// roleNameSeparators drops the separators role names are written with;
// a Replacer builds its tables on first use, so there is one.
var roleNameSeparators = strings.NewReplacer(" ", "", "-", "", "_", "")

func normRoleName(s string) string {
	return roleNameSeparators.Replace(strings.ToLower(s))
}

func principalHint(a *graph.Assignment) string {
	if p := a.Principal; p != nil {
		if p.Owner != nil {
			return "e.g. " + strings.Trim(dependsOnEntry(p.Owner), "[]")
		}
		if p.Kind == graph.PrincipalParameter {
			return "parameters('" + p.Param + "')"
		}
		return p.Describe()
	}
	return "the principal"
}

func roleHint(a *graph.Assignment) string {
	if a.Role.Name != "" {
		return a.Role.Name + ", " + a.Role.ID
	}
	if a.Role.ID != "" {
		return a.Role.ID
	}
	return a.RoleValue.Expr()
}

// clockParameter returns a parameter that x reads whose default value
// calls newGuid() or utcNow(), and that function.
func clockParameter(x expr.Expr, t *template.Template) (name, fn string) {
	for t != nil && t.Parent != nil && t.EvalScope == template.EvalOuter {
		t = t.Parent
	}
	var walk func(x expr.Expr)
	walk = func(x expr.Expr) {
		if name != "" {
			return
		}
		switch n := x.(type) {
		case *expr.Call:
			if n.Namespace == "" && strings.EqualFold(n.Name, "parameters") && len(n.Args) == 1 {
				if lit, ok := n.Args[0].(*expr.StringLit); ok && t != nil {
					if p := t.Parameter(lit.Value); p != nil && p.Node != nil {
						def := strings.ToLower(p.Node.Get("defaultValue").StringOr(""))
						switch {
						case strings.Contains(def, "newguid("):
							name, fn = lit.Value, "newGuid()"
						case strings.Contains(def, "utcnow("):
							name, fn = lit.Value, "utcNow()"
						}
					}
				}
				return
			}
			for _, a := range n.Args {
				walk(a)
			}
		case *expr.PropAccess:
			walk(n.X)
		case *expr.IndexAccess:
			walk(n.X)
			walk(n.Index)
		}
	}
	walk(x)
	return name, fn
}

// roleTag reports whether a literal written in guid()'s arguments names
// the role by a tag: a word of it (four letters or more) is part of the
// role's name without spaces ('InfraVM' for Azure Stack HCI Connected
// InfraVMs), or an abbreviation of three letters or more is part of the
// initials of its words ('KVSU' for Key Vault Secrets User).
func roleTag(v expr.Value, role string) bool {
	s, ok := v.Str()
	if !ok || role == "" {
		return false
	}
	name := normRoleName(role)
	var initials strings.Builder
	for _, w := range strings.Fields(role) {
		initials.WriteString(strings.ToLower(w[:1]))
	}
	common := map[string]bool{"role": true, "roles": true, "assign": true, "assignment": true, "azure": true, "data": true, "user": true, "reader": false}
	for _, tok := range strings.FieldsFunc(strings.ToLower(s), func(c rune) bool { return (c < 'a' || c > 'z') && (c < '0' || c > '9') }) {
		switch {
		case len(tok) >= 4 && !common[tok] && strings.Contains(name, tok):
			return true
		case len(tok) >= 3 && strings.Contains(initials.String(), tok):
			return true
		}
	}
	return false
}
