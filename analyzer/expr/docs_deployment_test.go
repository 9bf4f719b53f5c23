package expr

import "testing"

// Documented examples of the deployment and scope functions:
// https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-deployment
// https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions-scope
// Context values are the placeholders of arm-semantics.md §2.4 unless
// Options set them.

const docDeploymentPage = "template-functions-deployment"

func TestDocsDeploymentParametersVariables(t *testing.T) {
	// deployment/parameters.json
	runDoc(t, docDeploymentPage+"#parameters", docTemplate(`{
      "stringParameter": {"type": "string", "defaultValue": "option 1"},
      "intParameter": {"type": "int", "defaultValue": 1},
      "objectParameter": {"type": "object", "defaultValue": {"one": "a", "two": "b"}},
      "arrayParameter": {"type": "array", "defaultValue": [1, 2, 3]},
      "crossParameter": {"type": "string", "defaultValue": "[parameters('stringParameter')]"}
    }`, ""), []docCase{
		{"stringOutput", "parameters('stringParameter')", `"option 1"`},
		{"intOutput", "parameters('intParameter')", `1`},
		{"objectOutput", "parameters('objectParameter')", `{"one": "a", "two": "b"}`},
		{"arrayOutput", "parameters('arrayParameter')", `[1, 2, 3]`},
		{"crossOutput", "parameters('crossParameter')", `"option 1"`},
		// Function and parameter names are case-insensitive.
		{"caseInsensitive", "PARAMETERS('STRINGPARAMETER')", `"option 1"`},
	})
	// deployment/variables.json
	runDoc(t, docDeploymentPage+"#variables", docTemplate("", `{
      "var1": "myVariable",
      "var2": [1, 2, 3, 4],
      "var3": "[variables('var1')]",
      "var4": {"property1": "value1", "property2": "value2"}
    }`), []docCase{
		{"exampleOutput1", "variables('var1')", `"myVariable"`},
		{"exampleOutput2", "variables('var2')", `[1, 2, 3, 4]`},
		{"exampleOutput3", "variables('var3')", `"myVariable"`},
		{"exampleOutput4", "variables('var4')", `{"property1": "value1", "property2": "value2"}`},
		{"caseInsensitive", "Variables('VAR1')", `"myVariable"`},
	})
}

func TestDocsDeploymentContext(t *testing.T) {
	env := NewEnv(loadTemplate(t, emptyTemplate), Options{
		SubscriptionID: "11111111-1111-1111-1111-111111111111",
		ResourceGroup:  "examplegroup",
		Location:       "southcentralus",
		DeploymentName: "deploymentDemo",
	})
	runDocEnv(t, docDeploymentPage, env, []docCase{
		// deployment(): name and mode; RG deployments have no location.
		{"deploymentName", "deployment().name", `"deploymentDemo"`},
		{"deploymentMode", "deployment().properties.mode", `"Incremental"`},
		{"contentVersion", "deployment().properties.template.contentVersion", `"1.0.0.0"`},
		{"noLocation", "contains(deployment(), 'location')", `false`},
		// environment(): AzureCloud.
		{"environmentName", "environment().name", `"AzureCloud"`},
		{"resourceManager", "environment().resourceManager", `"https://management.azure.com/"`},
		{"storageSuffix", "environment().suffixes.storage", `"core.windows.net"`},
		{"audiences", "environment().authentication.audiences", `["https://management.core.windows.net/","https://management.azure.com/"]`},
		// resourceGroup() (template-functions-scope, resourcegroup.json)
		{"resourceGroupOutput", "resourceGroup()", `{"id":"/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/examplegroup","name":"examplegroup","type":"Microsoft.Resources/resourceGroups","location":"southcentralus","properties":{"provisioningState":"Succeeded"}}`},
		// subscription() (subscription.json)
		{"subscriptionOutput.id", "subscription().id", `"/subscriptions/11111111-1111-1111-1111-111111111111"`},
		{"subscriptionOutput.subscriptionId", "subscription().subscriptionId", `"11111111-1111-1111-1111-111111111111"`},
		// tenant()
		{"tenantOutput.id", "tenant().id", `"/tenants/00000000-0000-0000-0000-000000000000"`},
		{"tenantOutput.tenantId", "tenant().tenantId", `"00000000-0000-0000-0000-000000000000"`},
		// managementGroup(name) works at any scope
		{"mgOutput.id", "managementGroup('examplemg1').id", `"/providers/Microsoft.Management/managementGroups/examplemg1"`},
		{"mgOutput.type", "managementGroup('examplemg1').type", `"/providers/Microsoft.Management/managementGroups"`},
	})
	// deployer() is known only at deployment; managementGroup() without a
	// name needs a management-group deployment.
	if v := evalExpr(env, "deployer().objectId"); v.Kind() != KUnknown || v.Unknown().Err {
		t.Errorf("deployer().objectId = %s, want a plain unknown", v)
	}
	if v := evalExpr(env, "managementGroup()"); v.Kind() != KUnknown || !v.Unknown().Err {
		t.Errorf("managementGroup() at RG scope = %s, want an error", v)
	}
	if v := evalExpr(env, "deployment().properties.templateLink.uri"); v.Kind() != KUnknown {
		t.Errorf("templateLink.uri = %s, want unknown", v)
	}
}
