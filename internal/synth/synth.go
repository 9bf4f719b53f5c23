// Package synth generates large synthetic ARM templates for benchmarks:
// many resources of the kinds armlint looks at (user-assigned identities,
// resources that use them, role assignments, copy loops, nested
// deployments several levels deep) with deeply nested properties full of
// expressions. The output is deterministic.
package synth

import (
	"bytes"
	"fmt"
	"strings"
)

// Template returns a deployment template with n top-level resources,
// padded so that the file is about size bytes (at least the resources
// themselves). A quarter of the resources are identities, a quarter
// storage accounts using them with properties nested depth levels deep,
// a quarter role assignments (some in copy loops) and a quarter nested
// deployments whose inner templates nest three levels.
func Template(n, size int) []byte {
	out := build(n, 0)
	if n > 0 && len(out) < size {
		out = build(n, (size-len(out))/n)
	}
	return out
}

// build writes the template with pad bytes of padding per resource.
func build(n, pad int) []byte {
	const depth = 4
	var b bytes.Buffer
	b.WriteString(`{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]"},
    "prefix": {"type": "string", "defaultValue": "synth"},
    "principalId": {"type": "string", "defaultValue": ""},
    "copies": {"type": "int", "defaultValue": 3}
  },
  "variables": {
    "reader": "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'acdd72a7-3385-48ef-bd42-f606fba81ae7')]",
    "contributor": "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b24988ac-6180-42a0-ab88-20f7382dd24c')]",
    "names": "[createArray(concat(parameters('prefix'), 'a'), concat(parameters('prefix'), 'b'))]",
    "settings": ` + nested(6, "variables('names')[0]") + `
  },
  "resources": [`)
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("\n    ")
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, `{"type": "Microsoft.ManagedIdentity/userAssignedIdentities", "apiVersion": "2023-01-31",
      "name": "[format('{0}-id-%d', parameters('prefix'))]", "location": "[parameters('location')]",
      "tags": {"index": "%d", "note": %q}}`, i, i, strings.Repeat("x", pad))
		case 1:
			fmt.Fprintf(&b, `{"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01",
      "name": "[concat(parameters('prefix'), 'st%d', uniqueString(resourceGroup().id))]", "location": "[parameters('location')]",
      "sku": {"name": "Standard_LRS"}, "kind": "StorageV2",
      "dependsOn": ["[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', format('{0}-id-%d', parameters('prefix')))]"],
      "identity": {"type": "UserAssigned", "userAssignedIdentities": {
        "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', format('{0}-id-%d', parameters('prefix')))]": {}}},
      "tags": {"note": %q},
      "properties": %s}`, i, i-1, i-1, strings.Repeat("s", pad), nested(depth, fmt.Sprintf("'st%d'", i)))
		case 2:
			copyLoop := ""
			name := fmt.Sprintf("[guid(resourceGroup().id, 'ra%d', variables('reader'))]", i)
			if i%8 == 2 {
				copyLoop = `"copy": {"name": "ra` + fmt.Sprint(i) + `", "count": "[parameters('copies')]"},`
				name = fmt.Sprintf("[guid(resourceGroup().id, 'ra%d', string(copyIndex()))]", i)
			}
			fmt.Fprintf(&b, `{"type": "Microsoft.Authorization/roleAssignments", "apiVersion": "2022-04-01", %s
      "name": %q,
      "dependsOn": ["[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', format('{0}-id-%d', parameters('prefix')))]"],
      "properties": {
        "roleDefinitionId": "[if(equals(mod(%d, 3), 0), variables('contributor'), variables('reader'))]",
        "principalId": "[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', format('{0}-id-%d', parameters('prefix'))), '2023-01-31').principalId]",
        "principalType": "ServicePrincipal",
        "description": %q}}`, copyLoop, name, i-2, i, i-2, strings.Repeat("d", pad))
		case 3:
			fmt.Fprintf(&b, `{"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01",
      "name": "nested%d", "tags": {"note": %q},
      "properties": {"mode": "Incremental", "expressionEvaluationOptions": {"scope": "inner"},
        "parameters": {"location": {"value": "[parameters('location')]"}, "prefix": {"value": "[parameters('prefix')]"}},
        "template": %s}}`, i, strings.Repeat("n", pad), inner(3, i, depth))
		}
	}
	b.WriteString(`
  ],
  "outputs": {"count": {"type": "int", "value": ` + fmt.Sprint(n) + `}}
}
`)
	return b.Bytes()
}

// nested returns an object nested depth levels deep whose leaves are
// expressions over leaf.
func nested(depth int, leaf string) string {
	if depth <= 0 {
		return fmt.Sprintf(`"[concat(%s, '-', string(length(variables('names'))))]"`, leaf)
	}
	return fmt.Sprintf(`{"level%d": %s, "list": [%s, {"enabled": true, "value": "[toLower(%s)]"}], "n": %d}`,
		depth, nested(depth-1, leaf), nested(depth/2, leaf), leaf, depth)
}

// inner returns a nested deployment's template with an identity, a role
// assignment for it and, levels-1 deep, another nested deployment.
func inner(levels, i, depth int) string {
	next := ""
	if levels > 1 {
		next = fmt.Sprintf(`, {"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "inner%d-%d",
          "properties": {"mode": "Incremental", "expressionEvaluationOptions": {"scope": "inner"},
            "parameters": {"location": {"value": "[parameters('location')]"}, "prefix": {"value": "[parameters('prefix')]"}},
            "template": %s}}`, i, levels, inner(levels-1, i, depth/2))
	}
	return fmt.Sprintf(`{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {"location": {"type": "string"}, "prefix": {"type": "string"}},
        "resources": [
          {"type": "Microsoft.ManagedIdentity/userAssignedIdentities", "apiVersion": "2023-01-31",
           "name": "[format('{0}-inner-%d-%d', parameters('prefix'))]", "location": "[parameters('location')]",
           "tags": %s},
          {"type": "Microsoft.Authorization/roleAssignments", "apiVersion": "2022-04-01",
           "name": "[guid(resourceGroup().id, 'inner%d-%d')]",
           "dependsOn": ["[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', format('{0}-inner-%d-%d', parameters('prefix')))]"],
           "properties": {"roleDefinitionId": "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '8e3af657-a8ff-443c-a75c-2fe8c4bcb635')]",
             "principalId": "[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', format('{0}-inner-%d-%d', parameters('prefix')))).principalId]"}}%s
        ]}`, i, levels, nested(depth, "parameters('prefix')"), i, levels, i, levels, i, levels, next)
}
