package expr

import (
	"strings"
	"sync"

	"github.com/armlint/armlint/analyzer/template"
)

// Deployment and scope functions: parameters, variables, copyIndex and the
// context objects (placeholders of §2.4 unless Options say otherwise).

func deploymentFunctions() []*function {
	return []*function{
		{name: "parameters", minArgs: 1, maxArgs: 1, mode: modeFull, eval: fnParameters, byName: (*Env).parameter},
		{name: "variables", minArgs: 1, maxArgs: 1, mode: modeFull, eval: fnVariables, byName: (*Env).variable},
		{name: "copyIndex", minArgs: 0, maxArgs: 2, mode: modeFull, eval: fnCopyIndex},
		{name: "subscription", maxArgs: 0, eval: fnSubscription},
		{name: "resourceGroup", maxArgs: 0, eval: fnResourceGroup},
		{name: "managementGroup", maxArgs: 1, eval: fnManagementGroup},
		{name: "tenant", maxArgs: 0, eval: fnTenant},
		{name: "deployment", maxArgs: 0, eval: fnDeployment},
		{name: "environment", maxArgs: 0, eval: fnEnvironment},
		{name: "deployer", maxArgs: 0, eval: func(_ *call, _ []Value) Value {
			return NewUnknown(&Unknown{Expr: "deployer()", Reason: "deployer() is known only at deployment"})
		}},
	}
}

func fnParameters(c *call, args []Value) Value {
	name, ok := args[0].Str()
	if !ok {
		return c.typeErr(args, 0, "a string")
	}
	return c.env.parameter(name)
}

func fnVariables(c *call, args []Value) Value {
	name, ok := args[0].Str()
	if !ok {
		return c.typeErr(args, 0, "a string")
	}
	return c.env.variable(name)
}

// fnCopyIndex implements copyIndex(), copyIndex(offset),
// copyIndex('loop') and copyIndex('loop', offset). Without a loop name it
// is the outermost active loop (the resource's own loop).
func fnCopyIndex(c *call, args []Value) Value {
	name, hasName := "", false
	var offset int64
	for i, a := range args {
		switch {
		case i == 0 && a.k == KString:
			name, hasName = a.str(), true
		case a.k == KInt && (i == 1 && hasName || i == 0):
			offset = a.i
		default:
			return c.typeErr(args, i, "a loop name or an integer offset")
		}
	}
	if i, ok := findLoop(c.env.loops, name, hasName); ok {
		return Int(int64(i) + offset)
	}
	reason := "copyIndex() is used outside a copy loop instance"
	if hasName {
		reason = "copyIndex('" + name + "') is used outside an instance of loop '" + name + "'"
	}
	return NewUnknown(&Unknown{Expr: c.text(args), Reason: reason})
}

func findLoop(f *loopFrame, name string, named bool) (int, bool) {
	var outer *loopFrame
	for ; f != nil; f = f.outer {
		if named && strings.EqualFold(f.name, name) {
			return f.index, true
		}
		outer = f
	}
	if !named && outer != nil {
		return outer.index, true
	}
	return 0, false
}

// obj builds an object from alternating keys and values.
func obj(kv ...any) Value {
	b := newObjBuilder(len(kv) / 2)
	for i := 0; i+1 < len(kv); i += 2 {
		k, _ := kv[i].(string)
		var v Value
		switch x := kv[i+1].(type) {
		case string:
			v = String(x)
		case Value:
			v = x
		case bool:
			v = Bool(x)
		}
		b.set(k, false, v)
	}
	return b.value()
}

func (c *call) ctx() context { return c.env.sc.ctx }

// scopeFail reports a context function used at a scope where ARM rejects it.
func (c *call) scopeFail(scope template.Scope) Value {
	return c.fail("not available in a %s-scope deployment", scope.String())
}

func fnSubscription(c *call, _ []Value) Value {
	ctx := c.ctx()
	if ctx.scope == template.ScopeManagementGroup || ctx.scope == template.ScopeTenant {
		return c.scopeFail(ctx.scope)
	}
	if ctx.sub.k != KString {
		return NewUnknown(&Unknown{Expr: "subscription()", Reason: "the target subscription is unknown"})
	}
	sc := c.env.sc
	if sc.subscription == nil {
		v := obj(
			"id", "/subscriptions/"+ctx.sub.str(),
			"subscriptionId", ctx.sub.str(),
			"tenantId", ctx.tenant,
			"displayName", "Placeholder Subscription Name",
		)
		sc.subscription = &v
	}
	return *sc.subscription
}

func fnResourceGroup(c *call, _ []Value) Value {
	ctx := c.ctx()
	if ctx.scope != template.ScopeResourceGroup {
		return c.scopeFail(ctx.scope)
	}
	if ctx.sub.k != KString || ctx.rg.k != KString {
		return NewUnknown(&Unknown{Expr: "resourceGroup()", Reason: "the target resource group is unknown"})
	}
	sc := c.env.sc
	if sc.resourceGroup == nil {
		if ctx.sub.str() == PlaceholderSubscriptionID && ctx.rg.str() == PlaceholderResourceGroup && ctx.location == "" {
			sc.resourceGroup = placeholderResourceGroup()
		} else {
			v := resourceGroupObject(ctx)
			sc.resourceGroup = &v
		}
	}
	return *sc.resourceGroup
}

// resourceGroupObject is the object resourceGroup() returns in ctx.
func resourceGroupObject(ctx context) Value {
	return obj(
		"id", "/subscriptions/"+ctx.sub.str()+"/resourceGroups/"+ctx.rg.str(),
		"name", ctx.rg.str(),
		"type", "Microsoft.Resources/resourceGroups",
		"location", ctx.locationOr("resourceGroup().location", "the location of the resource group is known only at deployment (set it with --location)"),
		"properties", obj("provisioningState", "Succeeded"),
	)
}

// placeholderResourceGroup is resourceGroup() in the placeholder
// subscription and resource group with no location, the context of most
// templates, built once for every Env (values are immutable).
var placeholderResourceGroup = sync.OnceValue(func() *Value {
	v := resourceGroupObject(context{sub: String(PlaceholderSubscriptionID), rg: String(PlaceholderResourceGroup)})
	return &v
})

const mgPrefix = "/providers/Microsoft.Management/managementGroups/"

func fnManagementGroup(c *call, args []Value) Value {
	ctx := c.ctx()
	name := ctx.mg
	if len(args) == 1 {
		name = args[0]
	} else if ctx.scope != template.ScopeManagementGroup {
		return c.scopeFail(ctx.scope)
	}
	if name.k != KString {
		if name.k == KUnknown {
			return c.unknown(args)
		}
		return c.typeErr(args, 0, "a string")
	}
	return obj(
		"id", mgPrefix+name.str(),
		"name", name.str(),
		"properties", obj(
			"displayName", "Placeholder Management Group",
			"tenantId", ctx.tenant,
			"details", obj("parent", obj(
				"id", mgPrefix+ctx.tenant,
				"name", ctx.tenant,
				"displayName", "Placeholder Tenant Root Group",
			)),
		),
		"type", "/providers/Microsoft.Management/managementGroups",
	)
}

func fnTenant(c *call, _ []Value) Value {
	ctx := c.ctx()
	return obj(
		"countryCode", "US",
		"displayName", "Placeholder Tenant",
		"id", "/tenants/"+ctx.tenant,
		"tenantId", ctx.tenant,
	)
}

// fnDeployment returns the deployment object, built once per scope. The
// template link is unknown (it depends on where the template is deployed
// from); location exists only for subscription, management group and
// tenant deployments.
func fnDeployment(c *call, _ []Value) Value {
	sc := c.env.sc
	if sc.deployment == nil {
		v := deploymentObject(c)
		sc.deployment = &v
	}
	return *sc.deployment
}

// deploymentObject builds the object deployment() returns in c's scope.
func deploymentObject(c *call) Value {
	ctx := c.ctx()
	contentVersion := "1.0.0.0"
	if t := c.env.sc.t; t != nil && t.ContentVersion != "" {
		contentVersion = t.ContentVersion
	}
	link := obj(
		"uri", NewUnknown(&Unknown{Expr: "deployment().properties.templateLink.uri", Reason: "the template link is known only at deployment"}),
		"contentVersion", contentVersion,
	)
	props := obj(
		"templateLink", link,
		"template", obj("contentVersion", contentVersion),
		"mode", "Incremental",
		"provisioningState", "Accepted",
	)
	kv := []any{"name", ctx.name}
	if ctx.scope != template.ScopeResourceGroup {
		kv = append(kv, "location", ctx.locationOr("deployment().location", "the location of the deployment is known only at deployment (set it with --location)"))
	}
	kv = append(kv, "properties", props)
	return obj(kv...)
}

// fnEnvironment returns the AzureCloud environment object.
func fnEnvironment(*call, []Value) Value {
	return obj(
		"name", "AzureCloud",
		"gallery", "https://gallery.azure.com/",
		"graph", "https://graph.windows.net/",
		"portal", "https://portal.azure.com",
		"graphAudience", "https://graph.windows.net/",
		"activeDirectoryDataLake", "https://datalake.azure.net/",
		"batch", "https://batch.core.windows.net/",
		"media", "https://rest.media.azure.net",
		"sqlManagement", "https://management.core.windows.net:8443/",
		"vmImageAliasDoc", "https://raw.githubusercontent.com/Azure/azure-rest-api-specs/master/arm-compute/quickstart-templates/aliases.json",
		"resourceManager", "https://management.azure.com/",
		"authentication", obj(
			"loginEndpoint", "https://login.microsoftonline.com/",
			"audiences", Array([]Value{String("https://management.core.windows.net/"), String("https://management.azure.com/")}),
			"tenant", "common",
			"identityProvider", "AAD",
		),
		"suffixes", obj(
			"acrLoginServer", ".azurecr.io",
			"azureDatalakeAnalyticsCatalogAndJob", "azuredatalakeanalytics.net",
			"azureDatalakeStoreFileSystem", "azuredatalakestore.net",
			"azureFrontDoorEndpointSuffix", "azurefd.net",
			"keyvaultDns", ".vault.azure.net",
			"sqlServerHostname", ".database.windows.net",
			"storage", "core.windows.net",
		),
	)
}

// locationOr is the context's location, or an unknown standing for it when
// none was given: a placeholder region would compare unequal to every
// literal region and make location rules report what is not known.
func (ctx context) locationOr(exprText, reason string) Value {
	if ctx.location == "" {
		return NewUnknown(&Unknown{Expr: exprText, Reason: reason})
	}
	return String(ctx.location)
}
