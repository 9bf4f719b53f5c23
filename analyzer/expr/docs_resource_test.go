package expr

import "testing"

// Documented examples of the resource ID functions:
// https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-resource
// (resourceid.json, subscriptionresourceid.json, tenantresourceid.json,
// extensionresourceid.json) with a known subscription and resource group.

const docResourcePage = "template-functions-resource"

func TestDocsResourceIDs(t *testing.T) {
	const sub = "11111111-1111-1111-1111-111111111111"
	env := NewEnv(loadTemplate(t, emptyTemplate), Options{SubscriptionID: sub, ResourceGroup: "examplegroup"})
	runDocEnv(t, docResourcePage+"#resourceid", env, []docCase{
		{"sameRGOutput", "resourceId('Microsoft.Storage/storageAccounts','examplestorage')",
			`"/subscriptions/` + sub + `/resourceGroups/examplegroup/providers/Microsoft.Storage/storageAccounts/examplestorage"`},
		{"differentRGOutput", "resourceId('otherResourceGroup','Microsoft.Storage/storageAccounts','examplestorage')",
			`"/subscriptions/` + sub + `/resourceGroups/otherResourceGroup/providers/Microsoft.Storage/storageAccounts/examplestorage"`},
		{"differentSubOutput", "resourceId('11111111-1111-1111-1111-111111111111', 'otherResourceGroup','Microsoft.Storage/storageAccounts','examplestorage')",
			`"/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/otherResourceGroup/providers/Microsoft.Storage/storageAccounts/examplestorage"`},
		{"nestedResourceOutput", "resourceId('Microsoft.SQL/servers/databases', 'serverName', 'databaseName')",
			`"/subscriptions/` + sub + `/resourceGroups/examplegroup/providers/Microsoft.SQL/servers/serverName/databases/databaseName"`},
		{"subnet", "resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'subnet1')",
			`"/subscriptions/` + sub + `/resourceGroups/examplegroup/providers/Microsoft.Network/virtualNetworks/vnet/subnets/subnet1"`},
		// subscriptionResourceId: role definitions
		{"roleDefinitionId", "subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'acdd72a7-3385-48ef-bd42-f606fba81ae7')",
			`"/subscriptions/` + sub + `/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7"`},
		// tenantResourceId: built-in policy definitions
		{"policyDefinitionId", "tenantResourceId('Microsoft.Authorization/policyDefinitions', '06a78e20-9358-41c9-923c-fb736d382a4d')",
			`"/providers/Microsoft.Authorization/policyDefinitions/06a78e20-9358-41c9-923c-fb736d382a4d"`},
		// extensionResourceId on a management group (extensionresourceid.json)
		{"mgPolicy", "extensionResourceId(managementGroup('mg1').id, 'Microsoft.Authorization/policyDefinitions', 'locationpolicy')",
			`"/providers/Microsoft.Management/managementGroups/mg1/providers/Microsoft.Authorization/policyDefinitions/locationpolicy"`},
		{"rgLock", "extensionResourceId(resourceGroup().id, 'Microsoft.Authorization/locks', 'lock1')",
			`"/subscriptions/` + sub + `/resourceGroups/examplegroup/providers/Microsoft.Authorization/locks/lock1"`},
		// managementGroupResourceId
		{"mgResource", "managementGroupResourceId('mg1', 'Microsoft.Authorization/policyDefinitions', 'p1')",
			`"/providers/Microsoft.Management/managementGroups/mg1/providers/Microsoft.Authorization/policyDefinitions/p1"`},
		{"caseInsensitiveName", "RESOURCEID('Microsoft.Storage/storageAccounts', 'x')",
			`"/subscriptions/` + sub + `/resourceGroups/examplegroup/providers/Microsoft.Storage/storageAccounts/x"`},
	})
}
