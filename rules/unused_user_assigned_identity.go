package rules

import (
	"strings"

	"github.com/armlint/armlint/analyzer"
	"github.com/armlint/armlint/analyzer/graph"
)

// AL1402 is a Go rule although the catalogue first planned it in Rego:
// "any reference anywhere in the deployment counts as use" needs a scan of
// every evaluated value of the file (graph.References), which is cheap in
// Go and done only for the identities asked about.
var unusedUserAssignedIdentity = &analyzer.Rule{
	ID:       "AL1402",
	Name:     "unused-user-assigned-identity",
	Title:    "User-assigned identity that nothing uses",
	Severity: analyzer.SeverityWarning,
	Tags:     []string{"identity", "hygiene", "security"},
	Origin:   "go",
	Description: `A user-assigned identity the template creates is not used anywhere in the deployment: no
resource attaches it (` + "`identity.userAssignedIdentities`" + `, an encryption, registry or Key Vault
reference identity), no role assignment grants it anything, no property reads its principal or client ID
(access policies, app settings, scripts), no child resource (federated credential) belongs to it, and no
output returns it. A user-assigned identity is not deleted with the resources that might have used it: it
lingers, must be cleaned up by hand, and an identity nobody tracks may later be granted access by
mistake. Any reference counts as use: its resource ID, ` + "`reference()`" + `/` + "`resourceInfo()`" + ` of it,
its name in an output or property, a ` + "`dependsOn`" + ` entry. An identity that may be the one an
unresolved ` + "`userAssignedIdentities`" + ` key names (a parameter without a value) is not reported.

**Fix:** attach the identity to the resource that should run as it and grant it the roles it needs, or
output its resource ID for the deployment that uses it; if nothing needs it, remove it from the template
(and delete it in Azure).`,
	Check: checkUnusedUserAssignedIdentity,
}

func checkUnusedUserAssignedIdentity(pass *analyzer.Pass) error {
	g := pass.Graph
	// Identities by known ID, for sharesID; whether each is referenced,
	// asked once.
	byID := map[string][]*graph.Resource{}
	for _, r := range g.Resources {
		if id, ok := r.ID.Str(); ok && isUAI(r) {
			k := graph.FoldKey(id)
			byID[k] = append(byID[k], r)
		}
	}
	// Referenced asks the graph's structure first: References evaluates
	// every value of the deployment on its first call, which a file whose
	// identities are all attached or granted a role does without.
	referenced := map[*graph.Resource]bool{}
	isReferenced := func(r *graph.Resource) bool {
		v, ok := referenced[r]
		if !ok {
			v = g.Referenced(r)
			referenced[r] = v
		}
		return v
	}
	// A copy loop is one declaration: it is reported once, when none of
	// its instances is used.
	var order []*graph.Resource
	used := map[any]bool{}
	for _, r := range g.Resources {
		if !isUAI(r) || r.Deployed == graph.No || r.Res.Existing {
			continue
		}
		if _, seen := used[r.Res]; !seen {
			order = append(order, r)
			used[r.Res] = false
		}
		if !used[r.Res] && (sharesID(byID, r, isReferenced) || isReferenced(r)) {
			used[r.Res] = true
		}
	}
	for _, r := range order {
		if used[r.Res] {
			continue
		}
		label := r.Label()
		if r.Loop != "" {
			label += " (every instance of copy loop '" + r.Loop + "')"
		}
		pass.Report(r.Res, "user-assigned identity %s is created but nothing uses it: no resource attaches it, no role assignment grants it a role and no output returns it%s",
			label, restsOn(r.Eval(r.Res.Condition)))
	}
	return nil
}

func isUAI(r *graph.Resource) bool {
	return strings.EqualFold(r.Type, "Microsoft.ManagedIdentity/userAssignedIdentities")
}

// sharesID reports whether another declaration of the file deploys the
// same resource (a known ID declared twice, e.g. in two nested
// deployments) and is used: the identity itself is then used. byID holds
// the file's user-assigned identities by graph.FoldKey of their ID.
func sharesID(byID map[string][]*graph.Resource, r *graph.Resource, referenced func(*graph.Resource) bool) bool {
	id, ok := r.ID.Str()
	if !ok {
		return false
	}
	for _, x := range byID[graph.FoldKey(id)] {
		if x != r && referenced(x) {
			return true
		}
	}
	return false
}
