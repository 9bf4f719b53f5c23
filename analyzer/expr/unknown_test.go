package expr

import (
	"reflect"
	"testing"
)

const unknownTemplate = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "parameters": {
    "p": {"type": "string"},
    "q": {"type": "string"},
    "flag": {"type": "bool"},
    "loc": {"type": "string", "defaultValue": "[resourceGroup().location]"},
    "prefix": {"type": "string", "defaultValue": "app"},
    "id": {"type": "string", "defaultValue": "[newGuid()]"},
    "now": {"type": "string", "defaultValue": "[utcNow()]"}
  },
  "resources": []
}`

func unknownEnv(t *testing.T) *Env {
	return NewEnv(loadTemplate(t, unknownTemplate), Options{})
}

func TestUnknownCanonicalExpr(t *testing.T) {
	env := unknownEnv(t)
	cases := []struct{ expr, want string }{
		{"parameters('p')", "parameters('p')"},
		{"PARAMETERS('P')", "parameters('p')"},
		{"format('vm-{0}', parameters('p'))", "format('vm-{0}', parameters('p'))"},
		{"format(concat('vm-', '{0}'), parameters('p'))", "format('vm-{0}', parameters('p'))"},
		{"concat('a', 'b', parameters('p'))", "concat('ab', parameters('p'))"},
		{"concat('ab', parameters('p'))", "concat('ab', parameters('p'))"},
		{"concat('a', '', 'b', parameters('p'), 'c', 1)", "concat('ab', parameters('p'), 'c1')"},
		{"toLower(concat(parameters('prefix'), parameters('p')))", "toLower(concat('app', parameters('p')))"},
		{"parameters('p')[0]", "parameters('p')[0]"},
		{"parameters('p').x['y z']", "parameters('p').x['y z']"},
		{"resourceId('Microsoft.Storage/storageAccounts', parameters('p'))", "resourceId('Microsoft.Storage/storageAccounts', parameters('p'))"},
		// format('{0}', x) of an unknown string is x itself.
		{"format('{0}', resourceId('Microsoft.Storage/storageAccounts', parameters('p')))", "resourceId('Microsoft.Storage/storageAccounts', parameters('p'))"},
		{"format('{0}', parameters('p'))", "format('{0}', parameters('p'))"},
		{"if(parameters('flag'), 'a', 'b')", "if(parameters('flag'), 'a', 'b')"},
		{"equals(parameters('p'), parameters('p'))", "equals(parameters('p'), parameters('p'))"},
		{"coalesce(null(), parameters('p'), 'x')", "coalesce(null(), parameters('p'), 'x')"},
		{"and(true(), parameters('flag'))", "and(true(), parameters('flag'))"},
		{"unknownFn(1, 'a')", "unknownFn(1, 'a')"},
		{"copyIndex()", "copyIndex()"},
	}
	for _, tc := range cases {
		v := evalExpr(env, tc.expr)
		if v.Kind() != KUnknown {
			t.Errorf("%s = %s, want unknown", tc.expr, v)
			continue
		}
		if v.Unknown().Expr != tc.want {
			t.Errorf("%s: Expr = %q, want %q", tc.expr, v.Unknown().Expr, tc.want)
		}
		if v.Unknown().Reason == "" {
			t.Errorf("%s: empty reason", tc.expr)
		}
	}
	// Same inputs, same Expr: the two unknowns are Equal.
	a := evalExpr(env, "concat('x-', parameters('p'))")
	b := evalExpr(env, "concat('x', '-', parameters('P'))")
	if !Equal(a, b) {
		t.Errorf("%q and %q should be equal", a.Unknown().Expr, b.Unknown().Expr)
	}
	if got := env.Unsupported(); !reflect.DeepEqual(got, []string{"unknownfn"}) {
		t.Errorf("Unsupported() = %q", got)
	}
}

func TestUnknownPrecision(t *testing.T) {
	env := unknownEnv(t)
	runCases(t, env, []exprCase{
		// if with unknown condition and equal branches is known.
		{"if(parameters('flag'), 'same', 'same')", `"same"`},
		// Known condition: only the chosen branch matters.
		{"if(true(), 'a', parameters('p'))", `"a"`},
		// coalesce: first non-null known after known nulls.
		{"coalesce(null(), 'x', parameters('p'))", `"x"`},
		// and/or short-circuit on a known false/true even after unknowns.
		{"and(parameters('flag'), false())", `false`},
		{"or(parameters('flag'), true())", `true`},
		// A known array with an unknown element has a known length.
		{"length(createArray(parameters('p'), 'b'))", `2`},
		{"createArray(parameters('p'), 'b')[1]", `"b"`},
		{"createArray(1, parameters('p'))", `[1,"[parameters('p')]"]`},
		{"createObject('k', parameters('p')).k", `"[parameters('p')]"`},
		// Without a location given, a location default stays unknown.
		{"parameters('loc')", `"[resourceGroup().location]"`},
	})
}

func TestReferenceRefs(t *testing.T) {
	env := unknownEnv(t)
	v := evalExpr(env, "reference(resourceId('Microsoft.Compute/virtualMachines', 'vm'), '2023-03-01', 'Full').identity.principalId")
	r := v.Ref()
	if r == nil {
		t.Fatalf("no Ref on %s", v)
	}
	target, _ := r.Target.Str()
	if r.Func != "reference" || target != "/subscriptions/"+sub+"/resourceGroups/placeholderResourceGroup/providers/Microsoft.Compute/virtualMachines/vm" ||
		r.APIVersion != "2023-03-01" || !r.Full || len(r.Path) != 2 || r.Path[0].String() != `"identity"` || r.Path[1].String() != `"principalId"` {
		t.Errorf("Ref = %+v", r)
	}
	want := "reference('/subscriptions/" + sub + "/resourceGroups/placeholderResourceGroup/providers/Microsoft.Compute/virtualMachines/vm', '2023-03-01', 'Full').identity.principalId"
	if v.Unknown().Expr != want {
		t.Errorf("Expr = %q", v.Unknown().Expr)
	}

	v = evalExpr(env, "reference('mod').outputs.x.value")
	r = v.Ref()
	if r == nil || r.Full || r.APIVersion != "" || len(r.Path) != 3 || r.Path[2].String() != `"value"` {
		t.Errorf("reference('mod').outputs.x.value: Ref = %+v", r)
	}
	v = evalExpr(env, "tryGet(reference('mod'), 'outputs', 'x')")
	if r = v.Ref(); r == nil || len(r.Path) != 2 || v.Unknown().Expr != "tryGet(reference('mod'), 'outputs', 'x')" {
		t.Errorf("tryGet on reference: %+v %s", r, v)
	}
	v = evalExpr(env, "listKeys(resourceId('Microsoft.Storage/storageAccounts', 'st'), '2019-06-01').keys[0].value")
	if r = v.Ref(); r == nil || r.Func != "listkeys" || r.APIVersion != "2019-06-01" || len(r.Path) != 3 || r.Path[1].String() != "0" {
		t.Errorf("listKeys: %+v", r)
	}
	// Functions of a reference are unknown but not reads themselves.
	v = evalExpr(env, "concat('x', reference('a').b)")
	if v.Kind() != KUnknown || v.Ref() != nil {
		t.Errorf("concat of a reference = %v / %+v", v, v.Ref())
	}
	// if with a known condition keeps the reference.
	if v = evalExpr(env, "if(true(), reference('a', '1', 'Full').identity, null())"); v.Ref() == nil {
		t.Errorf("if(true(), reference...) lost the Ref")
	}
}

func TestMarks(t *testing.T) {
	env := unknownEnv(t)
	v := evalExpr(env, "parameters('id')")
	if v.Kind() != KUnknown || v.Unknown().Marks&MarkNewGUID == 0 || v.Unknown().Expr != "parameters('id')" {
		t.Fatalf("parameters('id') = %s %+v", v, v.Unknown())
	}
	if !reflect.DeepEqual(v.Defaults(), []string{"id"}) {
		t.Errorf("Defaults = %q", v.Defaults())
	}
	v = evalExpr(env, "guid(resourceGroup().id, parameters('id'))")
	if v.Kind() != KUnknown || v.Unknown().Marks&MarkNewGUID == 0 {
		t.Errorf("guid of a newGuid default lost the mark: %+v", v.Unknown())
	}
	v = evalExpr(env, "concat('x', parameters('now'))")
	if v.Kind() != KUnknown || v.Unknown().Marks&MarkUtcNow == 0 {
		t.Errorf("utcNow mark lost: %+v", v.Unknown())
	}
}

func TestProvenance(t *testing.T) {
	env := NewEnv(loadTemplate(t, unknownTemplate), Options{Location: "westus2"})
	v := evalExpr(env, "concat(parameters('prefix'), '-', parameters('loc'))")
	if s, _ := v.Str(); s != "app-westus2" {
		t.Fatalf("got %s", v)
	}
	if !reflect.DeepEqual(v.Defaults(), []string{"prefix", "loc"}) {
		t.Errorf("Defaults = %q", v.Defaults())
	}
	v = evalExpr(env, "if(equals(parameters('prefix'), 'app'), 'a', 'b')")
	if !reflect.DeepEqual(v.Defaults(), []string{"prefix"}) {
		t.Errorf("if: Defaults = %q", v.Defaults())
	}
	v = evalExpr(env, "createObject('a', parameters('prefix')).a")
	if !reflect.DeepEqual(v.Defaults(), []string{"prefix"}) {
		t.Errorf("property: Defaults = %q", v.Defaults())
	}
	if v = evalExpr(env, "concat('a', 'b')"); len(v.Defaults()) != 0 {
		t.Errorf("literal: Defaults = %q", v.Defaults())
	}
}

func TestBudget(t *testing.T) {
	tp := loadTemplate(t, `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "variables": {
    "v0": "ab",
    "v1": "[concat(variables('v0'), variables('v0'))]",
    "v2": "[concat(variables('v1'), variables('v1'))]"
  },
  "resources": []}`)
	env := NewEnv(tp, Options{MaxSteps: 50})
	v := evalExpr(env, "map(range(0, 1000), lambda('i', variables('v2')))")
	if v.Kind() != KUnknown || v.Unknown().Reason != "evaluation budget exceeded" {
		t.Errorf("got %s", v)
	}
	// Doubling strings runs out of budget instead of memory.
	doubling := `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "variables": {"v0": "0123456789abcdef0123456789abcdef"`
	for i := 1; i <= 40; i++ {
		doubling += `, "v` + itoa(i) + `": "[concat(variables('v` + itoa(i-1) + `'), variables('v` + itoa(i-1) + `'))]"`
	}
	doubling += `}, "resources": []}`
	env = NewEnv(loadTemplate(t, doubling), Options{})
	if v := evalExpr(env, "length(variables('v40'))"); v.Kind() != KUnknown {
		t.Errorf("doubling: got %s", v)
	}
}

func itoa(i int) string { return Int(int64(i)).String() }
