package rules

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/armlint/armlint/analyzer"
	"github.com/armlint/armlint/analyzer/expr"
	"github.com/armlint/armlint/analyzer/graph"
	"github.com/armlint/armlint/analyzer/template"
)

var systemIdentityNeededDuringDeployment = &analyzer.Rule{
	ID:       "AL1302",
	Name:     "system-identity-needed-during-deployment",
	Title:    "System identity needs access before it exists",
	Severity: analyzer.SeverityError,
	Tags:     []string{"identity", "ordering", "security"},
	Origin:   "go",
	Description: `A resource's own create call needs access that only its system-assigned identity could use, but a
system-assigned identity does not exist until the resource does, so nothing can have granted it that access:
the deployment fails (or, for some services, must be done in two steps). The built-in shapes, all on a resource
whose ` + "`identity.type`" + ` includes ` + "`SystemAssigned`" + `:

- storage accounts with ` + "`encryption.keySource: Microsoft.Keyvault`" + ` and ` + "`encryption.keyvaultproperties`" + `
  but no ` + "`encryption.identity.userAssignedIdentity`" + `;
- Cosmos DB accounts with ` + "`keyVaultKeyUri`" + ` and ` + "`defaultIdentity: SystemAssignedIdentity`" + `;
- SQL servers with ` + "`keyId`" + ` but no ` + "`primaryUserAssignedIdentityId`" + `;
- PostgreSQL and MySQL flexible servers with ` + "`dataEncryption.primaryKeyURI`" + ` but no
  ` + "`dataEncryption.primaryUserAssignedIdentityId`" + `;
- container registries with ` + "`encryption.keyVaultProperties.keyIdentifier`" + ` but no
  ` + "`encryption.keyVaultProperties.identity`" + `;
- Service Bus and Event Hubs namespaces with ` + "`encryption.keySource: Microsoft.KeyVault`" + ` and a
  ` + "`keyVaultProperties`" + ` entry without ` + "`identity.userAssignedIdentity`" + `;
- deployment scripts with a system-assigned identity (they support only user-assigned identities, and run
  during the deployment).

A declaration that updates a resource the template created earlier (the documented two-step pattern: create,
grant, then update with the key) is not a create call and is not judged; nor are values unknown before
deployment. SQL servers that attach the key through ` + "`servers/keys`" + ` and ` + "`encryptionProtector`" + `
child resources after the grant are fine.

Option ` + "`shapes`" + ` adds shapes: a list of ` + "`{\"type\": ..., \"path\": ..., \"unless\": [...], \"equals\": {...}}`" + `
where ` + "`path`" + ` (dotted, under ` + "`properties`" + `) is a property whose presence means the create call uses
the system identity, ` + "`unless`" + ` lists properties that name a user-assigned identity instead, and
` + "`equals`" + ` maps properties to the values they must have (case-insensitive). For example
` + "`{\"shapes\": [{\"type\": \"Microsoft.Contoso/vaults\", \"path\": \"encryption.keyUri\", \"unless\": [\"encryption.identity\"]}]}`" + `.

**Fix:** create a user-assigned identity, grant it access to the key before the resource (a role assignment or
access policy the resource depends on), and name it in the encryption settings; or create the resource without
the key and add the key in a later step that depends on the grant.`,
	Check: checkSystemIdentityNeededDuringDeployment,
}

// cmkShape is one way a create call uses the system-assigned identity.
type cmkShape struct {
	Type   string            `json:"type"`
	Path   string            `json:"path"`   // dotted, under properties
	Unless []string          `json:"unless"` // dotted, under properties (under each element with Each)
	Equals map[string]string `json:"equals"` // dotted, under properties: required values
	Each   bool              `json:"-"`      // Path is an array: each element is checked against Unless
}

type systemIdentityOptions struct {
	Shapes []cmkShape `json:"shapes"`
}

var builtinCMKShapes = []cmkShape{
	{Type: "Microsoft.Storage/storageAccounts", Path: "encryption.keyvaultproperties",
		Unless: []string{"encryption.identity.userAssignedIdentity"}, Equals: map[string]string{"encryption.keySource": "Microsoft.Keyvault"}},
	{Type: "Microsoft.DocumentDB/databaseAccounts", Path: "keyVaultKeyUri",
		Equals: map[string]string{"defaultIdentity": "SystemAssignedIdentity"}},
	{Type: "Microsoft.Sql/servers", Path: "keyId", Unless: []string{"primaryUserAssignedIdentityId"}},
	{Type: "Microsoft.DBforPostgreSQL/flexibleServers", Path: "dataEncryption.primaryKeyURI",
		Unless: []string{"dataEncryption.primaryUserAssignedIdentityId"}},
	{Type: "Microsoft.DBforMySQL/flexibleServers", Path: "dataEncryption.primaryKeyURI",
		Unless: []string{"dataEncryption.primaryUserAssignedIdentityId"}},
	{Type: "Microsoft.ContainerRegistry/registries", Path: "encryption.keyVaultProperties.keyIdentifier",
		Unless: []string{"encryption.keyVaultProperties.identity"}},
	{Type: "Microsoft.ServiceBus/namespaces", Path: "encryption.keyVaultProperties", Each: true,
		Unless: []string{"identity.userAssignedIdentity"}, Equals: map[string]string{"encryption.keySource": "Microsoft.KeyVault"}},
	{Type: "Microsoft.EventHub/namespaces", Path: "encryption.keyVaultProperties", Each: true,
		Unless: []string{"identity.userAssignedIdentity"}, Equals: map[string]string{"encryption.keySource": "Microsoft.KeyVault"}},
}

func decodeOptions(opts map[string]any, into any) error {
	if len(opts) == 0 {
		return nil
	}
	b, err := json.Marshal(opts)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	return dec.Decode(into)
}

func checkSystemIdentityNeededDuringDeployment(pass *analyzer.Pass) error {
	var opts systemIdentityOptions
	if err := decodeOptions(pass.Options, &opts); err != nil {
		return fmt.Errorf("options: %w", err)
	}
	for _, s := range opts.Shapes {
		if s.Type == "" || s.Path == "" {
			return fmt.Errorf("options: every shape needs a type and a path")
		}
	}
	shapes := append(append([]cmkShape{}, builtinCMKShapes...), opts.Shapes...)
	g := pass.Graph
	seen := map[*template.Resource]bool{}
	for _, r := range g.Resources {
		if r.Deployed == graph.No || r.Identity == nil || r.Identity.System != graph.Yes || seen[r.Res] || isUpdate(g, r) {
			continue
		}
		if strings.EqualFold(r.Type, "Microsoft.Resources/deploymentScripts") {
			seen[r.Res] = true
			pass.Report(at(r.Identity.TypeNode, r.Identity.Node),
				"deployment script %s has a system-assigned identity: deployment scripts run during the deployment and support only user-assigned identities granted in advance; use a user-assigned identity%s",
				describe(r), restsOn(r.Identity.Type))
			continue
		}
		for _, s := range shapes {
			if !strings.EqualFold(r.Type, s.Type) {
				continue
			}
			if n, ok := matchShape(r, s); ok {
				seen[r.Res] = true
				pass.ReportRelated(n, []analyzer.Related{analyzer.RelatedAt(at(r.Identity.TypeNode, r.Identity.Node), "the system-assigned identity")},
					"%s is created with customer-managed-key encryption (%s) through its system-assigned identity, which does not exist before the create call and so cannot have been granted access to the key: use a user-assigned identity granted in advance%s%s",
					describe(r), s.Path, unlessHint(s), restsOn(r.Identity.Type))
				break
			}
		}
	}
	return nil
}

func unlessHint(s cmkShape) string {
	if len(s.Unless) == 0 {
		return ""
	}
	return " (" + s.Unless[0] + ")"
}

// isUpdate reports whether another declaration of the same resource is
// created before r: r then updates an existing resource.
func isUpdate(g *graph.Graph, r *graph.Resource) bool {
	id, ok := r.ID.Str()
	if !ok {
		return false
	}
	for _, o := range g.Resources {
		if o == r || o.Res == r.Res {
			continue
		}
		if oid, ok := o.ID.Str(); ok && strings.EqualFold(oid, id) && g.DependsOnPath(r, o) {
			return true
		}
	}
	return false
}

// matchShape reports whether r's properties have the shape, and where.
func matchShape(r *graph.Resource, s cmkShape) (template.Node, bool) {
	props := r.Properties()
	for p, want := range s.Equals {
		got, ok := valueAt(props, p).Str()
		if !ok || !strings.EqualFold(got, want) {
			return nil, false
		}
	}
	v := valueAt(props, s.Path)
	node := at(r.Res.Properties.Path(strings.Split(s.Path, ".")...), r.Identity.Node)
	if !s.Each {
		if !present(v) || anyMaybePresent(props, s.Unless) {
			return nil, false
		}
		return node, true
	}
	elems, ok := v.Elems()
	if !ok {
		return nil, false
	}
	for _, e := range elems {
		if present(e) && !anyMaybePresent(e, s.Unless) {
			return node, true
		}
	}
	return nil, false
}

// valueAt follows a dotted path through known objects; it returns null
// when a step is absent and the unknown when one is unknown.
func valueAt(v expr.Value, path string) expr.Value {
	for _, step := range strings.Split(path, ".") {
		if !v.IsKnown() {
			return v
		}
		o, ok := v.Obj()
		if !ok {
			return expr.Null()
		}
		v, _ = o.Get(step)
	}
	return v
}

// present reports whether v is known to be set: a non-empty string, a
// non-empty object or array, a number or a bool.
func present(v expr.Value) bool {
	switch v.Kind() {
	case expr.KNull, expr.KUnknown:
		return false
	case expr.KString:
		s, _ := v.Str()
		return strings.TrimSpace(s) != ""
	case expr.KObject:
		o, _ := v.Obj()
		return o.Len() > 0 || len(o.UnknownKeys) > 0
	case expr.KArray:
		e, _ := v.Elems()
		return len(e) > 0
	}
	return true
}

// anyMaybePresent reports whether any of the paths under v is set or
// might be (unknown).
func anyMaybePresent(v expr.Value, paths []string) bool {
	for _, p := range paths {
		x := valueAt(v, p)
		if !x.IsKnown() || present(x) {
			return true
		}
	}
	return false
}
