package rules

import (
	"fmt"
	"strings"

	"github.com/armlint/armlint/analyzer"
	"github.com/armlint/armlint/analyzer/expr"
	"github.com/armlint/armlint/analyzer/graph"
	"github.com/armlint/armlint/analyzer/template"
)

var accessUsedBeforeGranted = &analyzer.Rule{
	ID:       "AL1305",
	Name:     "access-used-before-granted",
	Title:    "Identity's access used before it is granted",
	Severity: analyzer.SeverityWarning,
	Tags:     []string{"identity", "rbac", "ordering", "security"},
	Origin:   "go",
	Description: `A resource uses an identity's access while it is being deployed, the same template grants that identity
access, and the resource waits for none of those grants: ARM may create the resource first, and the deployment
fails (or the container cannot pull its image) until RBAC catches up. The uses recognised:

- a deployment script running as a user-assigned identity;
- a container app pulling from a registry with a user-assigned identity (` + "`configuration.registries[].identity`" + `),
  a web app pulling with one (` + "`siteConfig.acrUserManagedIdentityID`" + `);
- customer-managed-key encryption through a user-assigned identity (storage ` + "`encryption.identity.userAssignedIdentity`" + `,
  SQL ` + "`primaryUserAssignedIdentityId`" + `, PostgreSQL/MySQL ` + "`dataEncryption.primaryUserAssignedIdentityId`" + `,
  registry ` + "`encryption.keyVaultProperties.identity`" + `, Cosmos DB ` + "`defaultIdentity: UserAssignedIdentity=...`" + `,
  Service Bus/Event Hubs ` + "`keyVaultProperties[].identity.userAssignedIdentity`" + `);
- a disk, VM, scale set or cluster encrypted with a disk encryption set of this deployment (the set's identities).

A grant is any role assignment of this deployment to that identity (the rule does not judge whether the role is
the one needed), or a Key Vault access policy (in ` + "`vaults`" + ` or ` + "`vaults/accessPolicies`" + `) whose
` + "`objectId`" + ` reads the identity's principal. Grants that themselves wait for the resource do not count. The
rule reports only when there is at least one grant and the resource waits for none of them, and not when a
` + "`dependsOn`" + ` entry on the way cannot be resolved.

Option ` + "`uses`" + ` adds uses: a list of ` + "`{\"type\": ..., \"path\": ...}`" + ` where ` + "`path`" + ` (dotted, under
` + "`properties`" + `) holds the resource ID (or a ` + "`reference()`" + ` of) a user-assigned identity the resource
uses while it is deployed, e.g. ` + "`{\"uses\": [{\"type\": \"Microsoft.Contoso/widgets\", \"path\": \"encryption.identity\"}]}`" + `.

**Fix:** add the role assignment (or access policy) to the resource's ` + "`dependsOn`" + `; RBAC can take a few
minutes to propagate, so a deployment script may also need to retry.`,
	Check: checkAccessUsedBeforeGranted,
}

// identityUse is one shape of a property naming a user-assigned identity
// used during the create call.
type identityUse struct {
	Type     string `json:"type"`
	Path     string `json:"path"` // dotted, under properties (under each element of Each)
	Each     string `json:"-"`    // an array under properties
	Requires string `json:"-"`    // a property that must be set for the use to happen
	Prefix   string `json:"-"`    // a prefix of the value before the identity ID
	What     string `json:"-"`    // what the resource does with the identity
	Flag     string `json:"-"`    // a property that must be true
}

var builtinIdentityUses = []identityUse{
	{Type: "Microsoft.Storage/storageAccounts", Path: "encryption.identity.userAssignedIdentity", Requires: "encryption.keyvaultproperties", What: "for customer-managed-key encryption"},
	{Type: "Microsoft.Sql/servers", Path: "primaryUserAssignedIdentityId", Requires: "keyId", What: "for customer-managed-key encryption"},
	{Type: "Microsoft.DBforPostgreSQL/flexibleServers", Path: "dataEncryption.primaryUserAssignedIdentityId", Requires: "dataEncryption.primaryKeyURI", What: "for customer-managed-key encryption"},
	{Type: "Microsoft.DBforMySQL/flexibleServers", Path: "dataEncryption.primaryUserAssignedIdentityId", Requires: "dataEncryption.primaryKeyURI", What: "for customer-managed-key encryption"},
	{Type: "Microsoft.ContainerRegistry/registries", Path: "encryption.keyVaultProperties.identity", Requires: "encryption.keyVaultProperties.keyIdentifier", What: "for customer-managed-key encryption"},
	{Type: "Microsoft.DocumentDB/databaseAccounts", Path: "defaultIdentity", Prefix: "UserAssignedIdentity=", Requires: "keyVaultKeyUri", What: "for customer-managed-key encryption"},
	{Type: "Microsoft.ServiceBus/namespaces", Each: "encryption.keyVaultProperties", Path: "identity.userAssignedIdentity", What: "for customer-managed-key encryption"},
	{Type: "Microsoft.EventHub/namespaces", Each: "encryption.keyVaultProperties", Path: "identity.userAssignedIdentity", What: "for customer-managed-key encryption"},
	{Type: "Microsoft.App/containerApps", Each: "configuration.registries", Path: "identity", What: "to pull its images"},
	{Type: "Microsoft.Web/sites", Path: "siteConfig.acrUserManagedIdentityID", Flag: "siteConfig.acrUseManagedIdentityCreds", What: "to pull its container image"},
	{Type: "Microsoft.Web/sites/slots", Path: "siteConfig.acrUserManagedIdentityID", Flag: "siteConfig.acrUseManagedIdentityCreds", What: "to pull its container image"},
}

type accessOptions struct {
	Uses []identityUse `json:"uses"`
}

// usedIdentity is an identity a resource uses while it is deployed.
type usedIdentity struct {
	owner  *graph.Resource // the user-assigned identity, or the resource with the system identity
	system bool
	what   string
	node   template.Node // where the use is written
}

func checkAccessUsedBeforeGranted(pass *analyzer.Pass) error {
	var opts accessOptions
	if err := decodeOptions(pass.Options, &opts); err != nil {
		return fmt.Errorf("options: %w", err)
	}
	for i := range opts.Uses {
		if opts.Uses[i].Type == "" || opts.Uses[i].Path == "" {
			return fmt.Errorf("options: every use needs a type and a path")
		}
		opts.Uses[i].What = "while it is deployed"
	}
	g := pass.Graph
	if g.IdentityFree() {
		return nil // no identity for a resource to use
	}
	uses := append(append([]identityUse{}, builtinIdentityUses...), opts.Uses...)
	seen := map[[2]*template.Resource]bool{}
	encryptionSets := hasEncryptionSetWithIdentity(g)
	for _, r := range g.Resources {
		if r.Deployed == graph.No {
			continue
		}
		for _, u := range usedIdentities(g, r, uses, encryptionSets) {
			key := [2]*template.Resource{r.Res, u.owner.Res}
			if seen[key] {
				continue
			}
			grants := grantsTo(g, u.owner, u.system, r)
			if len(grants) == 0 {
				continue
			}
			waits := graph.No
			for _, gr := range grants {
				if w := g.WaitsFor(r, gr.res); w != graph.No {
					waits = w
					break
				}
			}
			if waits != graph.No {
				continue
			}
			seen[key] = true
			reportAccessBeforeGrant(pass, r, u, grants)
		}
	}
	return nil
}

func reportAccessBeforeGrant(pass *analyzer.Pass, r *graph.Resource, u usedIdentity, grants []grant) {
	who := "user-assigned identity " + u.owner.Label()
	if u.system {
		who = "the system-assigned identity of " + describe(u.owner)
	}
	names := make([]string, 0, len(grants))
	related := []analyzer.Related{analyzer.RelatedAt(u.node, "the identity is used here")}
	for _, gr := range grants {
		names = append(names, gr.label)
		related = append(related, analyzer.RelatedAt(gr.node, "the grant it should wait for"))
	}
	holder, target := dependencyFix(r, grants[0].res)
	where := "its dependsOn"
	if holder != r {
		where = "the dependsOn of the enclosing deployment " + holder.Label()
	}
	var primary template.Node = r.Res
	if r.Res.DependsOn != nil {
		primary = r.Res.DependsOn
	}
	pass.ReportRelated(primary, related, "%s uses %s %s, but waits for none of the grants to that identity (%s): add %q to %s",
		describe(r), who, u.what, strings.Join(names, ", "), dependsOnEntry(target), where)
}

// usedIdentities lists the identities r uses during its create call.
// encryptionSets says whether the graph has a disk encryption set with an
// identity (hasEncryptionSetWithIdentity) that r might use. r's properties
// are evaluated only when one of the uses is of r's type, or for that.
func usedIdentities(g *graph.Graph, r *graph.Resource, uses []identityUse, encryptionSets bool) []usedIdentity {
	var out []usedIdentity
	if strings.EqualFold(r.Type, "Microsoft.Resources/deploymentScripts") && r.Identity != nil {
		for _, ref := range r.Identity.UserAssigned {
			if ref.Target != nil && ref.Target.Deployed != graph.No {
				var node template.Node = r.Identity.Node
				if ref.KeyNode != nil {
					node = ref.KeyNode
				}
				out = append(out, usedIdentity{owner: ref.Target, what: "to run its script", node: node})
			}
		}
	}
	for _, u := range uses {
		if !strings.EqualFold(r.Type, u.Type) {
			continue
		}
		props := r.Properties()
		if u.Requires != "" && !present(valueAt(props, u.Requires)) {
			continue
		}
		if u.Flag != "" {
			if b, ok := valueAt(props, u.Flag).BoolVal(); !ok || !b {
				continue
			}
		}
		var vals []expr.Value
		var nodes []*template.Value
		if u.Each != "" {
			elems, _ := valueAt(props, u.Each).Elems()
			raw := r.Res.Properties.Path(strings.Split(u.Each, ".")...)
			for i, e := range elems {
				vals = append(vals, valueAt(e, u.Path))
				var n *template.Value
				if raw != nil && raw.Kind == template.Array && len(raw.Elems()) == len(elems) {
					n = raw.Elems()[i].Path(strings.Split(u.Path, ".")...)
				}
				nodes = append(nodes, n)
			}
		} else {
			vals = append(vals, valueAt(props, u.Path))
			nodes = append(nodes, r.Res.Properties.Path(strings.Split(u.Path, ".")...))
		}
		for i, v := range vals {
			if u.Prefix != "" {
				s, ok := v.Str()
				if !ok || !strings.HasPrefix(strings.ToLower(s), strings.ToLower(u.Prefix)) {
					continue
				}
				v = expr.String(s[len(u.Prefix):])
			}
			if t := userAssignedOf(g, v, r); t != nil {
				out = append(out, usedIdentity{owner: t, what: u.What, node: valueNode(nodes[i], r.Res)})
			}
		}
	}
	if !encryptionSets {
		return out
	}
	walkDiskEncryptionSets(r.Properties(), 0, func(v expr.Value) {
		des := g.Lookup(v, r)
		if des == nil || !strings.EqualFold(des.Type, "Microsoft.Compute/diskEncryptionSets") || des.Identity == nil || des.Deployed == graph.No {
			return
		}
		if des.Identity.System == graph.Yes {
			out = append(out, usedIdentity{owner: des, system: true, what: "through its disk encryption set", node: r.Res})
		}
		for _, ref := range des.Identity.UserAssigned {
			if ref.Target != nil && ref.Target.Deployed != graph.No {
				out = append(out, usedIdentity{owner: ref.Target, what: "through disk encryption set " + des.Label(), node: r.Res})
			}
		}
	})
	return out
}

// valueNode returns n when it is set, else fallback.
func valueNode(n *template.Value, fallback template.Node) template.Node {
	if n == nil {
		return fallback
	}
	return n
}

// userAssignedOf returns the user-assigned identity of the deployment a
// value names: its resource ID, or a reference() of it (clientId,
// principalId).
func userAssignedOf(g *graph.Graph, v expr.Value, from *graph.Resource) *graph.Resource {
	target := v
	if ref := v.Ref(); ref != nil {
		if ref.Func != "reference" {
			return nil
		}
		target = ref.Target
	} else if v.Kind() != expr.KString && v.Kind() != expr.KUnknown {
		return nil
	}
	t := g.Lookup(target, from)
	if t == nil || !strings.EqualFold(t.Type, "Microsoft.ManagedIdentity/userAssignedIdentities") || t.Deployed == graph.No {
		return nil
	}
	return t
}

// hasEncryptionSetWithIdentity reports whether g has a disk encryption
// set with an identity that may be deployed: the only kind another
// resource uses the identity of through its properties.
func hasEncryptionSetWithIdentity(g *graph.Graph) bool {
	for _, r := range g.Resources {
		if strings.EqualFold(r.Type, "Microsoft.Compute/diskEncryptionSets") && r.Identity != nil && r.Deployed != graph.No {
			return true
		}
	}
	return false
}

// walkDiskEncryptionSets calls fn with every diskEncryptionSetId (and
// diskEncryptionSet.id) value under v.
func walkDiskEncryptionSets(v expr.Value, depth int, fn func(expr.Value)) {
	if depth > 12 {
		return
	}
	if o, ok := v.Obj(); ok {
		for i, k := range o.Keys {
			switch {
			case strings.EqualFold(k, "diskEncryptionSetId"):
				fn(o.Vals[i])
			case strings.EqualFold(k, "diskEncryptionSet"):
				if id := valueAt(o.Vals[i], "id"); id.Kind() != expr.KNull {
					fn(id)
				}
			default:
				walkDiskEncryptionSets(o.Vals[i], depth+1, fn)
			}
		}
		return
	}
	if elems, ok := v.Elems(); ok {
		for _, e := range elems {
			walkDiskEncryptionSets(e, depth+1, fn)
		}
	}
}

// grant is a role assignment or access policy that gives an identity access.
type grant struct {
	res   *graph.Resource
	node  template.Node
	label string
}

// grantsTo returns the grants of the deployment to an identity that do
// not themselves wait for consumer.
func grantsTo(g *graph.Graph, owner *graph.Resource, system bool, consumer *graph.Resource) []grant {
	var out []grant
	add := func(gr grant) {
		if gr.res.Deployed == graph.No || g.WaitsFor(gr.res, consumer) == graph.Yes {
			return
		}
		for _, x := range out {
			if x.res == gr.res {
				return
			}
		}
		out = append(out, gr)
	}
	for _, a := range g.Assignments {
		p := a.Principal
		if p == nil || p.Owner != owner || (p.Kind == graph.PrincipalSystemAssigned) != system ||
			(p.Kind != graph.PrincipalSystemAssigned && p.Kind != graph.PrincipalUserAssigned) {
			continue
		}
		label := "role assignment " + a.Resource.Label()
		if a.Role.Name != "" {
			label += " (" + a.Role.Name + ")"
		}
		add(grant{res: a.Resource, node: a.Resource.Res, label: label})
	}
	for _, r := range g.Resources {
		t := strings.ToLower(r.Type)
		if t != "microsoft.keyvault/vaults" && t != "microsoft.keyvault/vaults/accesspolicies" {
			continue
		}
		graph.ForEachExpression(r.Res.Properties.Path("accessPolicies"), func(n *template.Value) {
			ref := r.Eval(n).Ref()
			if ref == nil || ref.Func != "reference" || g.Lookup(ref.Target, r) != owner {
				return
			}
			path := make([]string, 0, len(ref.Path))
			for _, p := range ref.Path {
				s, _ := p.Str()
				path = append(path, strings.ToLower(s))
			}
			joined := strings.Join(path, ".")
			if (system && joined == "identity.principalid") || (!system && (joined == "principalid" || joined == "properties.principalid")) {
				add(grant{res: r, node: n, label: "access policy in " + describe(r)})
			}
		})
	}
	return out
}
