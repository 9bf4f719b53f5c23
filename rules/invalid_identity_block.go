package rules

import (
	"strings"

	"github.com/armlint/armlint/analyzer"
	"github.com/armlint/armlint/analyzer/expr"
	"github.com/armlint/armlint/analyzer/graph"
	"github.com/armlint/armlint/analyzer/template"
)

var invalidIdentityBlock = &analyzer.Rule{
	ID:       "AL1504",
	Name:     "invalid-identity-block",
	Title:    "Identity block that Azure rejects",
	Severity: analyzer.SeverityError,
	Tags:     []string{"identity", "correctness", "security"},
	Origin:   "go",
	Description: `A resource's ` + "`identity`" + ` block is malformed, so the deployment fails or the identity is
not what the author meant:

- ` + "`identity.type`" + ` is not one of ` + "`SystemAssigned`, `UserAssigned`, `SystemAssigned,UserAssigned`" + `
  or ` + "`None`" + ` (case and white space are ignored, so ` + "`SystemAssigned, UserAssigned`" + ` is fine);
- the type includes ` + "`UserAssigned`" + ` but ` + "`userAssignedIdentities`" + ` is missing or empty;
- a key of ` + "`userAssignedIdentities`" + ` is not the resource ID of a
  ` + "`Microsoft.ManagedIdentity/userAssignedIdentities`" + ` resource;
- ` + "`userAssignedIdentities`" + ` lists identities while the type is ` + "`None`" + ` or ` + "`SystemAssigned`" + `.

Values that cannot be known before deployment (parameters without a default, ` + "`reference()`" + `) are not
judged.

**Fix:** use one of the four types; list each user-assigned identity by its full resource ID, e.g.
` + "`[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', parameters('identityName'))]`" + `, and
only with a type that includes ` + "`UserAssigned`" + `.`,
	Check: checkInvalidIdentityBlock,
}

var validIdentityTypes = map[string]bool{
	"systemassigned":              true,
	"userassigned":                true,
	"systemassigned,userassigned": true,
	"none":                        true,
}

func checkInvalidIdentityBlock(pass *analyzer.Pass) error {
	for _, r := range pass.Graph.Resources {
		id := r.Identity
		if id == nil || r.Deployed == graph.No {
			continue
		}
		typ, known := id.Type.Str()
		if !known {
			continue
		}
		norm := strings.ToLower(strings.Join(strings.Fields(typ), ""))
		where := at(id.TypeNode, id.Node)
		name := describe(r)
		if !validIdentityTypes[norm] {
			pass.Report(where, "identity type %q of %s is not SystemAssigned, UserAssigned, SystemAssigned,UserAssigned or None%s",
				typ, name, restsOn(id.Type))
			continue
		}
		uai := id.UserAssignedValue
		switch {
		case id.User == graph.Yes && (uai.Kind() == expr.KNull || isEmptyObject(uai)):
			pass.Report(where, "identity of %s is %s but lists no userAssignedIdentities%s", name, typ, restsOn(id.Type))
		case id.User == graph.No && hasEntries(uai):
			pass.Report(at(id.UserAssignedNode, id.Node), "identity of %s lists userAssignedIdentities but its type is %s%s",
				name, typ, restsOn(id.Type))
		}
		for _, ref := range id.UserAssigned {
			s, ok := ref.ID.Str()
			if !ok || isUserAssignedIdentityID(s) {
				continue
			}
			pass.Report(at(ref.Node, id.Node), "userAssignedIdentities key %q of %s is not a user-assigned identity resource ID%s",
				s, name, restsOn(ref.ID))
		}
	}
	return nil
}

// at returns n, or fallback when n is nil.
func at(n, fallback *template.Value) template.Node {
	if n != nil {
		return n
	}
	return fallback
}

func isEmptyObject(v expr.Value) bool {
	o, ok := v.Obj()
	return ok && o.Len() == 0
}

func hasEntries(v expr.Value) bool {
	o, ok := v.Obj()
	return ok && o.Len() > 0
}

// isUserAssignedIdentityID reports whether s is the ID of a user-assigned
// identity: .../providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>.
func isUserAssignedIdentityID(s string) bool {
	const marker = "/providers/microsoft.managedidentity/userassignedidentities/"
	lower := strings.ToLower(s)
	i := strings.LastIndex(lower, marker)
	if i < 0 || !strings.HasPrefix(lower, "/") {
		return false
	}
	name := s[i+len(marker):]
	return name != "" && !strings.Contains(name, "/")
}
