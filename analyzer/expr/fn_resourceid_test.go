package expr

import (
	"strings"
	"testing"

	"github.com/armlint/armlint/analyzer/template"
)

const sub = "00000000-0000-0000-0000-000000000000"

func scopedEnv(t *testing.T, schema string) *Env {
	return NewEnv(loadTemplate(t, `{"$schema": "`+schema+`", "resources": []}`), Options{})
}

func TestResourceIDAtScopes(t *testing.T) {
	rg := scopedEnv(t, "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#")
	runCases(t, rg, []exprCase{
		{"resourceId('Microsoft.Storage/storageAccounts', 'st')", `"/subscriptions/` + sub + `/resourceGroups/placeholderResourceGroup/providers/Microsoft.Storage/storageAccounts/st"`},
		{"resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet', 'sn')", `"/subscriptions/` + sub + `/resourceGroups/placeholderResourceGroup/providers/Microsoft.Network/virtualNetworks/vnet/subnets/sn"`},
		{"resourceId('Microsoft.Compute/virtualMachines/extensions', 'myVM', 'myExt')", `"/subscriptions/` + sub + `/resourceGroups/placeholderResourceGroup/providers/Microsoft.Compute/virtualMachines/myVM/extensions/myExt"`},
		{"resourceId('otherRG', 'Microsoft.Storage/storageAccounts', 'st')", `"/subscriptions/` + sub + `/resourceGroups/otherRG/providers/Microsoft.Storage/storageAccounts/st"`},
		{"resourceId('11111111-1111-1111-1111-111111111111', 'otherRG', 'Microsoft.Storage/storageAccounts', 'st')", `"/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/otherRG/providers/Microsoft.Storage/storageAccounts/st"`},
		{"subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b24988ac-6180-42a0-ab88-20f7382dd24c')", `"/subscriptions/` + sub + `/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c"`},
		{"subscriptionResourceId('22222222-2222-2222-2222-222222222222', 'Microsoft.Resources/resourceGroups', 'rg')", `"/subscriptions/22222222-2222-2222-2222-222222222222/providers/Microsoft.Resources/resourceGroups/rg"`},
		{"tenantResourceId('Microsoft.Authorization/policyDefinitions', 'p1')", `"/providers/Microsoft.Authorization/policyDefinitions/p1"`},
		{"managementGroupResourceId('mg1', 'Microsoft.Authorization/policyDefinitions', 'p1')", `"/providers/Microsoft.Management/managementGroups/mg1/providers/Microsoft.Authorization/policyDefinitions/p1"`},
		{"extensionResourceId(resourceId('Microsoft.Storage/storageAccounts', 'st'), 'Microsoft.Authorization/roleAssignments', 'ra')", `"/subscriptions/` + sub + `/resourceGroups/placeholderResourceGroup/providers/Microsoft.Storage/storageAccounts/st/providers/Microsoft.Authorization/roleAssignments/ra"`},
		{"extensionResourceId(resourceGroup().id, 'Microsoft.Authorization/locks', 'l')", `"/subscriptions/` + sub + `/resourceGroups/placeholderResourceGroup/providers/Microsoft.Authorization/locks/l"`},
		{"extensionResourceId(subscription().id, 'Microsoft.Authorization/locks', 'l')", `"/subscriptions/` + sub + `/providers/Microsoft.Authorization/locks/l"`},
		// No --location: the location is unknown, not a placeholder region.
		{"resourceGroup().location", `"[resourceGroup().location]"`},
		{"subscription().subscriptionId", `"` + sub + `"`},
		{"tenant().tenantId", `"` + sub + `"`},
		{"deployment().name", `"placeholderDeploymentName"`},
		{"environment().suffixes.storage", `"core.windows.net"`},
	})
	subEnv := scopedEnv(t, "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#")
	runCases(t, subEnv, []exprCase{
		{"resourceId('Microsoft.Resources/resourceGroups', 'rg')", `"/subscriptions/` + sub + `/providers/Microsoft.Resources/resourceGroups/rg"`},
		{"resourceId('rg', 'Microsoft.Storage/storageAccounts', 'st')", `"/subscriptions/` + sub + `/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st"`},
		{"deployment().location", `"[deployment().location]"`},
	})
	mg := scopedEnv(t, "https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#")
	runCases(t, mg, []exprCase{
		{"resourceId('Microsoft.Authorization/policyDefinitions', 'p1')", `"/providers/Microsoft.Authorization/policyDefinitions/p1"`},
		{"managementGroupResourceId('Microsoft.Authorization/policyDefinitions', 'p1')", `"/providers/Microsoft.Management/managementGroups/placeholderManagementGroup/providers/Microsoft.Authorization/policyDefinitions/p1"`},
		{"extensionResourceId(managementGroup().id, 'Microsoft.Authorization/roleAssignments', 'ra')", `"/providers/Microsoft.Management/managementGroups/placeholderManagementGroup/providers/Microsoft.Authorization/roleAssignments/ra"`},
	})
	tenant := scopedEnv(t, "https://schema.management.azure.com/schemas/2019-08-01/tenantDeploymentTemplate.json#")
	runCases(t, tenant, []exprCase{
		{"resourceId('Microsoft.Management/managementGroups', 'mg')", `"/providers/Microsoft.Management/managementGroups/mg"`},
	})
	if tenant.Template().Scope != template.ScopeTenant {
		t.Errorf("tenant schema parsed as %v", tenant.Template().Scope)
	}
	// Context functions illegal at the scope fail.
	for _, x := range []string{"resourceGroup()"} {
		if v := evalExpr(subEnv, x); v.Kind() != KUnknown || !v.Unknown().Err {
			t.Errorf("%s at subscription scope = %s, want error", x, v)
		}
	}
	if v := evalExpr(rg, "deployment().location"); v.Kind() != KUnknown || !v.Unknown().Err {
		t.Errorf("deployment().location at RG scope = %s, want error", v)
	}
}

func TestContextOptions(t *testing.T) {
	env := NewEnv(loadTemplate(t, emptyTemplate), Options{SubscriptionID: "s1", ResourceGroup: "rg1", Location: "northeurope", TenantID: "t1", DeploymentName: "d1"})
	runCases(t, env, []exprCase{
		{"resourceId('Microsoft.Storage/storageAccounts', 'st')", `"/subscriptions/s1/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/st"`},
		{"resourceGroup().location", `"northeurope"`},
		{"subscription().tenantId", `"t1"`},
		{"deployment().name", `"d1"`},
	})
}

func TestLocationGiven(t *testing.T) {
	env := NewEnv(nil, Options{Location: "westeurope"})
	runCases(t, env, []exprCase{
		{"resourceGroup().location", `"westeurope"`},
	})
}

// resourceId builds its ID in one piece: the ARM ID, for types and names
// with extra slashes and names that span several segments; and a type
// whose segments the names do not fit fails before the context is read.
func TestResourceIDInOnePiece(t *testing.T) {
	env := scopedEnv(t, "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#")
	prefix := "/subscriptions/" + sub + "/resourceGroups/placeholderResourceGroup/providers/"
	for x, want := range map[string]string{
		"resourceId('Microsoft.Storage/storageAccounts', 'st')":                      "Microsoft.Storage/storageAccounts/st",
		"resourceId('/Microsoft.Network/virtualNetworks/subnets/', '/vnet/', 'sn/')": "Microsoft.Network/virtualNetworks/vnet/subnets/sn",
		"resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet/sn')":         "Microsoft.Network/virtualNetworks/vnet/subnets/sn",
		"resourceId('A.B/c/d/e', 'x', 'y/z')":                                        "A.B/c/x/d/y/e/z",
	} {
		if got, ok := evalExpr(env, x).Str(); !ok || got != prefix+want {
			t.Errorf("%s = %q, want %q", x, got, prefix+want)
		}
	}
	noContext := NewEnv(nil, Options{})
	noContext.sc.ctx.sub = NewUnknown(&Unknown{Expr: "subscription().subscriptionId", Reason: "unknown"})
	if u := evalExpr(noContext, "resourceId('A.B/c/d', 'x')").Unknown(); u == nil || !u.Err || !strings.Contains(u.Reason, "type segments") {
		t.Errorf("segments mismatch with an unknown subscription = %+v, want the segments error", u)
	}
	if u := evalExpr(noContext, "resourceId('A.B/c', 'x')").Unknown(); u == nil || u.Err || !strings.Contains(u.Reason, "subscription is unknown") {
		t.Errorf("unknown subscription = %+v", u)
	}
}
