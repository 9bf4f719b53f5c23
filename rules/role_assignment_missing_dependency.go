package rules

import (
	"fmt"

	"github.com/armlint/armlint/analyzer"
	"github.com/armlint/armlint/analyzer/graph"
	"github.com/armlint/armlint/analyzer/template"
)

var roleAssignmentMissingDependency = &analyzer.Rule{
	ID:       "AL1301",
	Name:     "role-assignment-missing-dependency",
	Title:    "Role assignment does not wait for its identity",
	Severity: analyzer.SeverityWarning,
	Tags:     []string{"rbac", "identity", "ordering", "security"},
	Origin:   "go",
	Description: `A role assignment's ` + "`principalId`" + ` reads an identity this deployment creates (a
system-assigned identity through ` + "`reference(R, api, 'Full').identity.principalId`" + `, a user-assigned
identity through ` + "`reference(U).principalId`" + `, an identity a resource manages itself such as an AKS
kubelet identity, or the symbolic forms of these), but nothing makes the assignment wait for the resource that
carries the identity: no ` + "`dependsOn`" + ` path leads there (directly, through other resources, copy loop
names, symbolic names or enclosing nested deployments), and no implicit dependency does either. ARM creates an
implicit dependency only for ` + "`reference()`" + ` of a resource of the same template **by its name or
symbolic name**, not by its resource ID, so ARM may start the assignment before the identity exists.

It is a warning, not an error: the documented rule for implicit dependencies is narrow and the engine may order
more than it promises; an explicit ` + "`dependsOn`" + ` makes the order certain. Assignments with a
` + "`dependsOn`" + ` entry that cannot be resolved before deployment (on the assignment, on a resource it
waits for, or on an enclosing nested deployment) are not judged.

**Fix:** add the identity's resource to the assignment's ` + "`dependsOn`" + `, e.g.
` + "`\"[resourceId('Microsoft.Compute/virtualMachines', parameters('vmName'))]\"`" + ` or its symbolic name; when
the identity is created in another nested deployment, depend on that deployment.`,
	Check: checkRoleAssignmentMissingDependency,
}

func checkRoleAssignmentMissingDependency(pass *analyzer.Pass) error {
	g := pass.Graph
	seen := map[[2]*template.Resource]bool{}
	for _, a := range g.Assignments {
		p, r := a.Principal, a.Resource
		ref := a.PrincipalID.Ref()
		if p == nil || !p.CreatedHere() || r.Deployed == graph.No || ref == nil {
			continue
		}
		owner := p.Owner
		if g.WaitsFor(r, owner) != graph.No {
			continue
		}
		// One finding per pair of declarations, not per copy instance.
		key := [2]*template.Resource{r.Res, owner.Res}
		if seen[key] {
			continue
		}
		seen[key] = true
		holder, target := dependencyFix(r, owner)
		where := "its dependsOn"
		if holder != r {
			where = "the dependsOn of the enclosing deployment " + holder.Label()
		}
		related := []analyzer.Related{analyzer.RelatedAt(owner.Res, "the "+p.Describe()+" is created here")}
		if holder != r {
			related = append(related, analyzer.RelatedAt(holder.Res, "the nested deployment that holds the role assignment"))
		}
		msg := fmt.Sprintf("role assignment %s reads the principal ID of the %s through reference(), but nothing makes it wait for %s: add %q to %s%s",
			r.Label(), p.Describe(), describe(owner), dependsOnEntry(target), where, restsOn(ref.Target))
		pass.ReportRelated(a.PrincipalNode, related, "%s", msg)
	}
	return nil
}
