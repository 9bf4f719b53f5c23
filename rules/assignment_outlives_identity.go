package rules

import (
	"regexp"
	"strings"

	"github.com/armlint/armlint/analyzer"
	"github.com/armlint/armlint/analyzer/expr"
	"github.com/armlint/armlint/analyzer/graph"
	"github.com/armlint/armlint/analyzer/template"
)

var assignmentOutlivesIdentity = &analyzer.Rule{
	ID:       "AL1403",
	Name:     "assignment-outlives-identity",
	Title:    "Role assignment that outlives its identity",
	Severity: analyzer.SeverityWarning,
	Tags:     []string{"identity", "rbac", "hygiene", "security"},
	Origin:   "go",
	Description: `A role assignment to a managed identity created in this deployment sits where it survives the
identity. Deleting an identity never deletes its role assignments, but deleting a resource group deletes
the assignments inside it; an assignment outside the identity's resource group stays behind as "Identity
not found" when the identity (or its resource group) is deleted, and keeps counting against the
subscription's role assignment limit. This is reported when the identity lives in a resource group (a
user-assigned identity, or the system-assigned identity of a resource-group resource) and the assignment
is at subscription, management-group or tenant scope, or on another resource group or a resource in one.

It is also reported when the identity's resource has a ` + "`condition`" + ` and the assignment does not: the
assignment is then deployed on its own terms and can exist without its identity.

Scopes and resource groups that are not known before deployment are not judged.

**Fix:** grant the role at the narrowest scope inside the identity's resource group, or deploy the
assignment together with the identity (same resource group, same ` + "`condition`" + `), and remove the
assignments with the identity when you delete it.`,
	Check: checkAssignmentOutlivesIdentity,
}

func checkAssignmentOutlivesIdentity(pass *analyzer.Pass) error {
	for _, a := range pass.Graph.Assignments {
		p := a.Principal
		if a.Resource.Deployed == graph.No || p == nil || !p.CreatedHere() ||
			(p.Kind != graph.PrincipalSystemAssigned && p.Kind != graph.PrincipalUserAssigned) {
			continue
		}
		rel := []analyzer.Related{analyzer.RelatedAt(identityNode(p), "the identity: "+p.Describe())}
		what := "role assignment " + a.Resource.Label() + " grants " + roleLabel(a.Role) + " to " + p.Describe()
		if msg, vs := outlivingScope(a, p.Owner); msg != "" {
			pass.ReportRelated(scopeNode(a), rel, "%s %s: deleting the identity or its resource group leaves the assignment behind%s",
				what, msg, restsOn(vs...))
		}
		if conds, vs := extraConditions(p.Owner, a); len(conds) > 0 {
			pass.ReportRelated(a.Resource.Res, rel, "%s without a condition, but the identity's resource is deployed only when %s: the assignment can exist without its identity%s",
				what, strings.Join(conds, " and "), restsOn(vs...))
		}
	}
	return nil
}

// outlivingScope says why the assignment's scope outlives the identity's
// resource group, or returns "".
func outlivingScope(a *graph.Assignment, owner *graph.Resource) (string, []expr.Value) {
	rgv := owner.ResourceGroupID()
	rg, ok := rgv.Str()
	if !ok || rg == "" {
		return "", nil
	}
	vs := append([]expr.Value{rgv, a.Scope.Value}, placement(owner)...)
	switch a.Scope.Kind {
	case graph.ScopeSubscription, graph.ScopeManagementGroup, graph.ScopeTenant:
		// Any resource group is outlived: its name does not matter.
		return "at " + scopeWords(a.Scope.Kind) + ", while the identity lives in resource group " + rgName(rg), []expr.Value{a.Scope.Value}
	case graph.ScopeResource, graph.ScopeResourceGroup:
		target := a.Scope.Target
		var arg string
		if a.Scope.Kind == graph.ScopeResource && (target == "" || !strings.HasPrefix(target, "/")) {
			// The legacy form, or a relative {ns}/{type}/{name}: a resource
			// in the assignment's own resource group.
			v := a.Resource.ResourceGroupID()
			s, ok := v.Str()
			if !ok {
				return "", nil
			}
			arg, vs = s, append(append(vs, v), placement(a.Resource)...)
		} else if s, ok := resourceGroupOf(target); ok {
			arg = s
		} else {
			return "", nil
		}
		if !differentGroups(arg, rg) {
			return "", nil
		}
		where := "on resource group " + rgName(arg)
		if a.Scope.Kind == graph.ScopeResource {
			where = "on a resource in resource group " + rgName(arg)
		}
		return where + ", while the identity lives in resource group " + rgName(rg), vs
	}
	return "", nil
}

// placement evaluates the resourceGroup and subscriptionId of the nested
// deployments that hold r, for the parameter defaults they rest on.
func placement(r *graph.Resource) []expr.Value {
	var out []expr.Value
	for d := r.Deployment; d != nil; d = d.Deployment {
		for _, key := range []string{"resourceGroup", "subscriptionId"} {
			if n := d.Res.Node.Get(key); n != nil {
				out = append(out, d.Eval(n))
			}
		}
	}
	return out
}

// resourceGroupOf returns the resource group ID that contains a resource
// ID: "/subscriptions/s/resourceGroups/rg".
func resourceGroupOf(id string) (string, bool) {
	segs := strings.Split(strings.Trim(id, "/"), "/")
	if len(segs) < 4 || !strings.EqualFold(segs[0], "subscriptions") || !strings.EqualFold(segs[2], "resourceGroups") {
		return "", false
	}
	return "/" + strings.Join(segs[:4], "/"), true
}

// differentGroups reports whether two resource group IDs are known to
// differ. The placeholder subscription and resource group stand for the
// deployment's own, which is not known when none is given on the command
// line: a placeholder equals itself but cannot be compared with a name.
func differentGroups(a, b string) bool {
	as := strings.Split(strings.Trim(a, "/"), "/")
	bs := strings.Split(strings.Trim(b, "/"), "/")
	if len(as) < 4 || len(bs) < 4 {
		return false
	}
	differ := false
	for i, ph := range map[int]string{1: expr.PlaceholderSubscriptionID, 3: expr.PlaceholderResourceGroup} {
		if strings.EqualFold(as[i], bs[i]) {
			continue
		}
		if strings.EqualFold(as[i], ph) || strings.EqualFold(bs[i], ph) {
			return false
		}
		differ = true
	}
	return differ
}

func rgName(id string) string {
	return `"` + id[strings.LastIndex(id, "/")+1:] + `"`
}

func scopeWords(k graph.ScopeKind) string {
	return strings.ReplaceAll(k.String(), "_", " ") + " scope"
}

func roleLabel(r graph.Role) string {
	switch {
	case r.Name != "":
		return r.Name
	case r.ID != "":
		return "role " + r.ID
	}
	return "a role"
}

// conditionsOf returns the condition nodes r is deployed under: its own,
// its parent's and those of the nested deployments that hold it.
func conditionsOf(r *graph.Resource) map[*template.Value]*graph.Resource {
	out := map[*template.Value]*graph.Resource{}
	for c := r; c != nil; {
		if c.Res != nil && c.Res.Condition != nil {
			out[c.Res.Condition] = c
		}
		if c.Parent != nil {
			c = c.Parent
		} else {
			c = c.Deployment
		}
	}
	return out
}

// extraConditions returns the conditions the identity's resource is
// deployed under and the assignment is not (as expression text), when
// the assignment is under no condition of its own; conditions known to be
// true without parameter defaults are not conditions, and neither are
// conditions whose parameters or variables also choose the principal
// (principalId: if(parameters('useExisting'), <existing>, <new>)): the
// assignment then follows the identity.
func extraConditions(owner *graph.Resource, a *graph.Assignment) ([]string, []expr.Value) {
	oc, ac := conditionsOf(owner), conditionsOf(a.Resource)
	principalInputs := inputsOf(a.Resource.Res.Properties.Path("principalId"))
	for n := range ac {
		if _, shared := oc[n]; !shared {
			return nil, nil
		}
	}
	var texts []string
	var vs []expr.Value
	for c := owner; c != nil; {
		if n := c.Res.Condition; n != nil {
			if _, shared := ac[n]; !shared {
				for in := range inputsOf(n) {
					if principalInputs[in] {
						return nil, nil
					}
				}
				v := c.Eval(n)
				if b, ok := v.BoolVal(); !ok || !b || len(v.Defaults()) > 0 {
					texts = append(texts, conditionText(n, v))
					vs = append(vs, v)
				}
			}
		}
		if c.Parent != nil {
			c = c.Parent
		} else {
			c = c.Deployment
		}
	}
	return texts, vs
}

var inputRe = regexp.MustCompile(`(?i)\b(parameters|variables)\(\s*'((?:[^']|'')+)'\s*\)`)

// inputsOf returns the parameters and variables an expression string
// reads, as "parameters:name" (lower case).
func inputsOf(n *template.Value) map[string]bool {
	out := map[string]bool{}
	if n == nil || n.Kind != template.String || !n.IsExpression() {
		return out
	}
	for _, m := range inputRe.FindAllStringSubmatch(n.Str(), -1) {
		out[strings.ToLower(m[1]+":"+m[2])] = true
	}
	return out
}

func conditionText(n *template.Value, v expr.Value) string {
	if n.Kind == template.String && n.IsExpression() {
		return strings.TrimSpace(n.Str()[1 : len(n.Str())-1])
	}
	return v.Expr()
}

// identityNode is where a principal's identity is declared.
func identityNode(p *graph.Principal) template.Node {
	if p.Kind == graph.PrincipalSystemAssigned && p.Owner.Identity != nil {
		return p.Owner.Identity.Node
	}
	return p.Owner.Res
}

// scopeNode is the assignment's scope property, or the assignment.
func scopeNode(a *graph.Assignment) template.Node {
	if n := a.Resource.Res.Scope; n != nil {
		return n
	}
	if n := a.Resource.Res.Properties.Path("scope"); n != nil {
		return n
	}
	return a.Resource.Res
}
