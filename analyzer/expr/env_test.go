package expr

import (
	"reflect"
	"strings"
	"testing"

	"github.com/armlint/armlint/analyzer/template"
)

const envTemplate = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "fromFile": {"type": "string", "defaultValue": "default"},
    "fromDefault": {"type": "string", "defaultValue": "[concat('d-', parameters('fromFile'))]"},
    "none": {"type": "string"},
    "count": {"type": "int", "defaultValue": 1},
    "tags": {"type": "object", "nullable": true},
    "literal": {"type": "string"},
    "kv": {"type": "securestring"}
  },
  "variables": {
    "a": "[variables('b')]",
    "b": "[variables('c')]",
    "c": "[variables('a')]",
    "self": "[concat('x', variables('self'))]",
    "name": "[format('{0}-vm', parameters('fromFile'))]",
    "escaped": "[[not an expression]",
    "copy": [
      {"name": "disks", "count": 3, "input": {"lun": "[copyIndex('disks')]", "name": "[concat('disk', copyIndex('disks', 1))]"}}
    ],
    "withProps": {
      "copy": [{"name": "rules", "count": "[parameters('count')]", "input": {"n": "[copyIndex('rules')]"}}],
      "other": 1
    }
  },
  "functions": [{
    "namespace": "ns",
    "members": {
      "greet": {
        "parameters": [{"name": "fromFile", "type": "string"}],
        "output": {"type": "string", "value": "[concat('hi ', parameters('fromFile'))]"}
      },
      "loop": {
        "parameters": [{"name": "x", "type": "int"}],
        "output": {"type": "int", "value": "[ns.loop(parameters('x'))]"}
      },
      "vars": {
        "parameters": [],
        "output": {"type": "string", "value": "[variables('name')]"}
      }
    }
  }],
  "resources": [
    {
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "inner",
      "properties": {
        "mode": "Incremental",
        "expressionEvaluationOptions": {"scope": "inner"},
        "parameters": {"fromFile": {"value": "[concat('passed-', parameters('fromFile'))]"}},
        "template": {
          "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
          "contentVersion": "1.0.0.0",
          "parameters": {"fromFile": {"type": "string"}, "child": {"type": "string", "defaultValue": "child-default"}},
          "variables": {"name": "inner-var"},
          "resources": []
        }
      }
    },
    {
      "type": "Microsoft.Resources/deployments",
      "apiVersion": "2022-09-01",
      "name": "outer",
      "properties": {
        "mode": "Incremental",
        "template": {
          "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
          "contentVersion": "1.0.0.0",
          "parameters": {"fromFile": {"type": "string", "defaultValue": "ignored"}},
          "resources": []
        }
      }
    }
  ]
}`

func envForTest(t *testing.T) *Env {
	tp := loadTemplate(t, envTemplate)
	return NewEnv(tp, Options{
		Parameters: map[string]*template.Value{
			"FROMFILE": jsonNode(t, `"file"`),
			"literal":  jsonNode(t, `"[not evaluated]"`),
			"kv":       nil,
		},
		ParameterValues: map[string]string{"count": "2"},
	})
}

func TestEnvParameters(t *testing.T) {
	env := envForTest(t)
	runCases(t, env, []exprCase{
		{"parameters('fromFile')", `"file"`},
		{"parameters('fromDefault')", `"d-file"`},
		{"parameters('count')", `2`},
		{"parameters('tags')", `null`},
		{"parameters('literal')", `"[not evaluated]"`},
		{"parameters('none')", `"[parameters('none')]"`},
		{"parameters('kv')", `"[parameters('kv')]"`},
	})
	if r := evalExpr(env, "parameters('none')").Unknown().Reason; r != "parameter 'none' has no value" {
		t.Errorf("reason = %q", r)
	}
	if r := evalExpr(env, "parameters('kv')").Unknown().Reason; !strings.Contains(r, "Key Vault") {
		t.Errorf("reason = %q", r)
	}
	v := evalExpr(env, "parameters('fromDefault')")
	if d := v.Defaults(); len(d) != 1 || d[0] != "fromDefault" {
		t.Errorf("defaults = %q", d)
	}
	if d := evalExpr(env, "parameters('tags')").Defaults(); len(d) != 1 || d[0] != "tags" {
		t.Errorf("nullable defaults = %q", d)
	}
	if d := evalExpr(env, "parameters('fromFile')").Defaults(); len(d) != 0 {
		t.Errorf("file value defaults = %q", d)
	}
}

func TestEnvVariables(t *testing.T) {
	env := envForTest(t)
	runCases(t, env, []exprCase{
		{"variables('name')", `"file-vm"`},
		{"variables('NAME')", `"file-vm"`},
		{"variables('escaped')", `"[not an expression]"`},
		{"variables('disks')", `[{"lun":0,"name":"disk1"},{"lun":1,"name":"disk2"},{"lun":2,"name":"disk3"}]`},
		{"variables('withProps')", `{"rules":[{"n":0},{"n":1}],"other":1}`},
	})
	for _, name := range []string{"a", "self"} {
		v := evalExpr(env, "variables('"+name+"')")
		if v.Kind() != KUnknown || !strings.Contains(v.Unknown().Reason, "depends on itself") {
			t.Errorf("variables('%s') = %s (%v)", name, v, v.Unknown())
		}
	}
	if r := evalExpr(env, "variables('a')").Unknown().Reason; !strings.Contains(r, "a → b → c → a") {
		t.Errorf("cycle reason = %q", r)
	}
}

func TestEnvUDF(t *testing.T) {
	env := envForTest(t)
	runCases(t, env, []exprCase{
		{"ns.greet('bob')", `"hi bob"`},
		{"NS.greet(parameters('fromFile'))", `"hi file"`},
	})
	v := evalExpr(env, "ns.loop(1)")
	if v.Kind() != KUnknown || !strings.Contains(v.Unknown().Reason, "deeper than") {
		t.Errorf("recursive UDF = %s %+v", v, v.Unknown())
	}
	if v := evalExpr(env, "ns.vars()"); v.Kind() != KUnknown || !v.Unknown().Err {
		t.Errorf("UDF reading variables = %s", v)
	}
	if v := evalExpr(env, "ns.nope()"); v.Kind() != KUnknown || !v.Unknown().Err {
		t.Errorf("undeclared UDF = %s", v)
	}
	if v := evalExpr(env, "ns.greet()"); v.Kind() != KUnknown || !v.Unknown().Err {
		t.Errorf("UDF arity = %s", v)
	}
}

func TestEnvCopyIndex(t *testing.T) {
	env := envForTest(t)
	e2 := env.WithCopyIndex("", 2)
	runCases(t, e2, []exprCase{
		{"copyIndex()", `2`},
		{"copyIndex(1)", `3`},
		{"format('vm{0}', copyIndex(10))", `"vm12"`},
	})
	e3 := e2.WithCopyIndex("nics", 5)
	runCases(t, e3, []exprCase{
		{"copyIndex('nics')", `5`},
		{"copyIndex('NICS', 1)", `6`},
		{"copyIndex()", `2`},
	})
	if v := evalExpr(env, "copyIndex()"); v.Kind() != KUnknown || v.Unknown().Err {
		t.Errorf("copyIndex outside a loop = %s", v)
	}
	if v := evalExpr(e2, "copyIndex('other')"); v.Kind() != KUnknown {
		t.Errorf("copyIndex of another loop = %s", v)
	}
	// The memo is shared: variables evaluated once.
	steps := env.Steps()
	evalExpr(e3, "variables('name')")
	evalExpr(env, "variables('name')")
	if env.Steps()-steps > 10 {
		t.Errorf("variables re-evaluated in a copy env: %d steps", env.Steps()-steps)
	}
}

func TestEnvNested(t *testing.T) {
	env := envForTest(t)
	tp := env.Template()
	var inner, outer *Env
	for _, r := range tp.Resources {
		if r.Nested == nil {
			continue
		}
		if r.Name.Str() == "inner" {
			inner = env.Nested(r.Nested)
		} else {
			outer = env.Nested(r.Nested)
		}
	}
	if inner == nil || outer == nil {
		t.Fatal("nested templates not found")
	}
	runCases(t, inner, []exprCase{
		{"parameters('fromFile')", `"passed-file"`},
		{"parameters('child')", `"child-default"`},
		{"variables('name')", `"inner-var"`},
	})
	runCases(t, outer, []exprCase{
		{"parameters('fromFile')", `"file"`},
		{"variables('name')", `"file-vm"`},
	})
}

func TestEvalNode(t *testing.T) {
	tp := loadTemplate(t, `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "parameters": {"uai": {"type": "string"}, "n": {"type": "int"}},
  "resources": [{
    "type": "Microsoft.Web/sites", "apiVersion": "2022-03-01", "name": "site",
    "identity": {
      "type": "UserAssigned",
      "userAssignedIdentities": {
        "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', parameters('uai'))]": {},
        "[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'known')]": {}
      }
    },
    "properties": {
      "literal": "[[x]",
      "num": 1.5,
      "copy": [{"name": "items", "count": "[parameters('n')]", "input": "[copyIndex('items')]"}]
    }
  }]
}`)
	env := NewEnv(tp, Options{})
	r := tp.Resources[0]
	id := env.EvalNode(r.Identity)
	uais := id.Prop("userAssignedIdentities")
	o, ok := uais.Obj()
	if !ok || o.Len() != 2 {
		t.Fatalf("userAssignedIdentities = %s", uais)
	}
	if !o.KeyIsUnknown(0) || o.KeyIsUnknown(1) || len(o.UnknownKeys) != 1 {
		t.Errorf("UnknownKeys = %v", o.UnknownKeys)
	}
	if o.Keys[0] != "resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', parameters('uai'))" {
		t.Errorf("unknown key text = %q", o.Keys[0])
	}
	if uais.IsFullyKnown() {
		t.Errorf("object with unknown keys reported fully known")
	}
	if v := uais.Prop("/subscriptions/x"); v.Kind() != KUnknown || v.Unknown().Err {
		t.Errorf("missing key in object with unknown keys = %s", v)
	}
	props := env.EvalNode(r.Properties)
	if got := props.String(); got != `{"literal":"[x]","num":1.5,"items":"[copy('items')]"}` {
		t.Errorf("properties = %s", got)
	}
	env2 := NewEnv(tp, Options{ParameterValues: map[string]string{"n": "2"}})
	if got := env2.EvalNode(r.Properties).String(); got != `{"literal":"[x]","num":1.5,"items":[0,1]}` {
		t.Errorf("properties with n=2: %s", got)
	}
	if v := env.EvalString("[concat('a']"); v.Kind() != KUnknown || !v.Unknown().Err || len(env.Errors()) == 0 {
		t.Errorf("syntax error = %s, errors %q", v, env.Errors())
	}
}

// An Env given a parse cache parses through it: a string whose check
// failed is not parsed again, and what the Env parses is there for the
// caller. (A string checked without error is parsed when evaluated.)
func TestEnvSharesParseCache(t *testing.T) {
	cache := NewParseCache()
	if isExpr, err := cache.Check("[concat('a', 'b')]"); !isExpr || err != nil {
		t.Fatalf("Check = %v, %v", isExpr, err)
	}
	if isExpr, err := cache.Check("[concat('a',]"); !isExpr || err == nil {
		t.Fatalf("Check of a broken expression = %v, %v; want an error", isExpr, err)
	}
	if isExpr, _ := cache.Check("[[literal]"); isExpr {
		t.Fatal("an escaped literal is not an expression")
	}
	env := NewEnv(nil, Options{Parses: cache})
	if got, ok := env.EvalString("[concat('a', 'b')]").Str(); !ok || got != "ab" {
		t.Errorf("EvalString = %q, %v", got, ok)
	}
	env.EvalString("[toUpper('x')]")
	if len(cache.m) != 3 {
		t.Errorf("cache holds %d strings, want 3 (the broken one, the two evaluated)", len(cache.m))
	}
}

// deployment() is built once per scope: a nested template with its own
// scope sees its own content version, evaluated before or after the
// parent's, and the same object each time.
func TestEnvDeploymentPerScope(t *testing.T) {
	tp := loadTemplate(t, `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [{
    "type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "inner",
    "properties": {
      "mode": "Incremental", "expressionEvaluationOptions": {"scope": "inner"},
      "template": {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "2.0.0.0", "resources": []
      }
    }
  }]
}`)
	env := NewEnv(tp, Options{})
	inner := env.Nested(tp.Resources[0].Nested)
	const cv = "deployment().properties.template.contentVersion"
	runCases(t, env, []exprCase{{cv, `"1.0.0.0"`}, {cv, `"1.0.0.0"`}})
	runCases(t, inner, []exprCase{{cv, `"2.0.0.0"`}, {cv, `"2.0.0.0"`}})
	runCases(t, env, []exprCase{{cv, `"1.0.0.0"`}})
	if a, b := evalExpr(env, "deployment()"), evalExpr(env, "deployment()"); !Equal(a, b) || a.String() != b.String() {
		t.Errorf("deployment() differs between calls: %s, %s", a.String(), b.String())
	}
}

// Call records are reused once a call has returned: values computed
// earlier keep their contents while later calls reuse the records, and a
// record on the free list holds no value.
func TestCallFramesReused(t *testing.T) {
	env := envForTest(t)
	exprs := []string{
		"createArray(concat('a', 'b'), toUpper('c'), createArray(1, 2))",
		"union(createObject('a', createArray(1)), createObject('b', concat('x', 'y')))",
		"split(concat('a,', toLower('B')), ',')",
		"take(createArray(parameters('none'), 'x', 3), 2)",
		"min(createArray(3, 1, 2))",
		"first(skip(createArray('a', createArray('b')), 1))",
		"coalesce(null(), createArray(toUpper('z')))",
		"resourceId('Microsoft.Network/virtualNetworks/subnets', concat('v', 'n'), parameters('none'))",
		"reference(resourceId('Microsoft.Web/sites', 'w'), '2022-03-01').outputs",
		"if(equals(1, 1), createArray(concat('t', 'u')), 'no')",
	}
	var vals []Value
	var texts []string
	for _, x := range exprs {
		v := evalExpr(env, x)
		vals = append(vals, v)
		texts = append(texts, v.String()+" "+v.Expr())
	}
	for i := len(exprs) - 1; i >= 0; i-- {
		evalExpr(env, exprs[i])
	}
	for i, v := range vals {
		if got := v.String() + " " + v.Expr(); got != texts[i] {
			t.Errorf("%s changed after later calls: %s, was %s", exprs[i], got, texts[i])
		}
	}
	if len(env.sh.frames) == 0 {
		t.Fatal("no call record was put back for reuse")
	}
	for _, fr := range env.sh.frames {
		if !reflect.DeepEqual(*fr, callFrame{}) {
			t.Errorf("a free call record holds %+v", *fr)
		}
	}
}

// resourceGroup() in the placeholder context is one object shared by
// every Env; it is the object built for that context, and any other
// context builds its own.
func TestResourceGroupPlaceholderShared(t *testing.T) {
	want := `{"id":"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/placeholderResourceGroup","name":"placeholderResourceGroup","type":"Microsoft.Resources/resourceGroups","location":"[resourceGroup().location]","properties":{"provisioningState":"Succeeded"}}`
	for range 2 {
		if got := evalExpr(NewEnv(nil, Options{}), "resourceGroup()").String(); got != want {
			t.Errorf("resourceGroup() = %s\nwant %s", got, want)
		}
	}
	if got := evalExpr(NewEnv(nil, Options{}), "resourceGroup().location").Unknown(); got == nil || got.Expr != "resourceGroup().location" || !strings.Contains(got.Reason, "--location") {
		t.Errorf("resourceGroup().location = %+v", got)
	}
	for _, c := range []struct {
		opts Options
		x    string
		want string
	}{
		{Options{Location: "westeurope"}, "resourceGroup().location", `"westeurope"`},
		{Options{ResourceGroup: "rg1"}, "resourceGroup().id", `"/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1"`},
		{Options{SubscriptionID: "s1"}, "resourceGroup().id", `"/subscriptions/s1/resourceGroups/placeholderResourceGroup"`},
	} {
		if got := evalExpr(NewEnv(nil, c.opts), c.x).String(); got != c.want {
			t.Errorf("%+v: %s = %s, want %s", c.opts, c.x, got, c.want)
		}
	}
}
