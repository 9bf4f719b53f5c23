package format

import (
	"testing"

	"github.com/armlint/armlint/analyzer"
	"github.com/armlint/armlint/analyzer/template"
)

// The fixture templates. main.json has a tab-indented line (the text
// caret keeps tabs); site.json has non-ASCII text before a finding's
// column (columns count code points, 🚀 is outside the BMP) and a space in
// its directory name.
const (
	mainPath = "templates/main.json"
	mainSrc  = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.ManagedIdentity/userAssignedIdentities",
      "apiVersion": "2023-01-31",
      "name": "id-deploy",
      "location": "westeurope"
    },
    {
      "type": "Microsoft.Authorization/roleAssignments",
      "apiVersion": "2022-04-01",
      "name": "[guid(resourceGroup().id, 'id-deploy', 'owner')]",
      "properties": {
		"roleDefinitionId": "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '8e3af657-a8ff-443c-a75c-2fe8c4bcb635')]",
		"principalId": "[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-deploy')).principalId]"
      }
    }
  ]
}
`
	sitePath = "templates/web app/site.json"
	siteSrc  = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    {
      "type": "Microsoft.Storage/storageAccounts",
      "apiVersion": "2023-05-01",
      "name": "stweb",
      "tags": { "équipe": "café 🚀" }, "properties": { "publicNetworkAccess": "Enabled" }
    },
    {
      "type": "Microsoft.Web/sites",
      "apiVersion": "2023-12-01",
      "name": "app-web",
      // armlint:ignore AL2101 public endpoint fronted by Front Door
      "properties": { "publicNetworkAccess": "Enabled" }
    }
  ]
}
`
	cleanPath = "templates/clean.json"
	cleanSrc  = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": []
}
`
)

// loadFile loads a fixture file and fails the test when it does not parse.
func loadFile(t *testing.T, path, src string) *template.File {
	t.Helper()
	f, err := template.Load(path, []byte(src))
	if err != nil {
		t.Fatalf("load %s: %v", path, err)
	}
	return f
}

// at returns the location of the value at the given steps of f.
func at(t *testing.T, f *template.File, steps ...string) analyzer.Location {
	t.Helper()
	v := f.Root.Path(steps...)
	if v == nil {
		t.Fatalf("%s: no value at %v", f.Path, steps)
	}
	return analyzer.LocationOf(v)
}

// fixtureRules returns the tool diagnostics and three rules, one per
// severity, two of them tagged "security". Sorted by ID, as in a Result.
func fixtureRules() []*analyzer.Rule {
	rules := analyzer.DiagnosticRules()
	rules = append(rules,
		&analyzer.Rule{
			ID: "AL1201", Name: "privileged-role-to-identity", Severity: analyzer.SeverityError, Origin: "go",
			Title:       "Privileged role granted to a workload identity",
			Description: "A managed identity that holds Owner can do anything in its scope, including granting roles.\n\n**Fix:** grant the narrowest data-plane role it needs.",
			Tags:        []string{"identity", "rbac", "security"},
		},
		&analyzer.Rule{
			ID: "AL2101", Name: "public-network-access", Severity: analyzer.SeverityWarning, Origin: "go",
			Title:       "Public network access is enabled",
			Description: "The resource accepts traffic from the internet.\n\n**Fix:** set `publicNetworkAccess` to `Disabled` and use private endpoints.",
			Tags:        []string{"network", "security"},
		},
		&analyzer.Rule{
			ID: "AL9001", Name: "hardcoded-location", Severity: analyzer.SeverityNote, Origin: "go",
			Title:       "Location is a literal",
			Description: "A literal location cannot follow the resource group.\n\n**Fix:** use `[resourceGroup().location]` or a parameter.",
			Tags:        []string{"hygiene"},
		},
	)
	for _, r := range rules {
		r.HelpURI = analyzer.HelpURIFor(r.ID, r.Name)
	}
	return rules
}

// fixture returns a hand-made result: two files with findings and one
// without, every severity, a finding with related locations and a
// resource, a suppressed finding, a non-ASCII column and a path with a
// space.
func fixture(t *testing.T) *analyzer.Result {
	t.Helper()
	mainFile := loadFile(t, mainPath, mainSrc)
	site := loadFile(t, sitePath, siteSrc)
	clean := loadFile(t, cleanPath, cleanSrc)

	findings := []analyzer.Finding{
		{
			RuleID:   "AL1201",
			Severity: analyzer.SeverityError,
			Message:  `role assignment "ra-owner" grants Owner at resource group scope to user-assigned identity "id-deploy"`,
			Location: at(t, mainFile, "resources", "1", "properties", "roleDefinitionId"),
			Resource: &analyzer.ResourceRef{
				Name: "ra-owner",
				ID:   "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Authorization/roleAssignments/ra-owner",
				Type: "Microsoft.Authorization/roleAssignments",
			},
			Related: []analyzer.Related{
				{Location: at(t, mainFile, "resources", "0", "name"), Message: `identity "id-deploy" declared here`},
				{Location: at(t, mainFile, "resources", "1", "properties", "principalId"), Message: "principal resolved from this reference"},
			},
		},
		{
			RuleID:   "AL9001",
			Severity: analyzer.SeverityNote,
			Message:  `location of "id-deploy" is the literal "westeurope"`,
			Location: at(t, mainFile, "resources", "0", "location"),
		},
		{
			RuleID:   "AL2101",
			Severity: analyzer.SeverityWarning,
			Message:  `storage account "stweb" allows public network access (publicNetworkAccess: "Enabled")`,
			Location: at(t, site, "resources", "0", "properties", "publicNetworkAccess"),
			Resource: &analyzer.ResourceRef{Name: "stweb", Type: "Microsoft.Storage/storageAccounts"},
		},
		{
			RuleID:     "AL2101",
			Severity:   analyzer.SeverityWarning,
			Message:    `web app "app-web" allows public network access (publicNetworkAccess: "Enabled")`,
			Location:   at(t, site, "resources", "1", "properties", "publicNetworkAccess"),
			Resource:   &analyzer.ResourceRef{Name: "app-web", Type: "Microsoft.Web/sites"},
			Suppressed: &analyzer.Suppression{Kind: "inSource", Justification: "public endpoint fronted by Front Door"},
		},
	}
	analyzer.SortFindings(findings)
	return &analyzer.Result{
		Findings: findings,
		Rules:    fixtureRules(),
		Files:    []*template.File{mainFile, site, clean},
		Stats:    analyzer.Stats{Files: 4, Templates: 3, Parameters: 1},
	}
}

// fixtureOptions are the options the golden files are written with.
func fixtureOptions() Options {
	return Options{ToolVersion: "1.2.3", WorkDir: "/home/runner/work/infra/infra"}
}
