package expr

import (
	"slices"
	"strings"
	"testing"
)

// TestEvalCall checks that EvalCall gives what EvalString gives for the
// text of the call, "[fn(<args as literals>)]": the same value (defaults,
// references and marks included), errors, unsupported functions and
// steps, for known and unknown arguments of every kind, texts over the
// length limit and arguments nested near the depth limit.
func TestEvalCall(t *testing.T) {
	deep := func(n int) string { // an unknown whose canonical text nests n+1 levels
		return strings.Repeat("toLower(", n) + "parameters('none')" + strings.Repeat(")", n)
	}
	// Known strings that make the call's text too long to parse, in bytes
	// only or in characters too.
	literals := map[string]Value{
		"LONG":  String(strings.Repeat("a", MaxExpressionLength/2)),
		"LONGÉ": String(strings.Repeat("é", MaxExpressionLength/4)),
	}
	long := "padLeft('', 30000, 'a')"
	argSets := [][]string{
		{"'Microsoft.Compute/virtualMachines'", "'vm'"},
		{"'Microsoft.Compute/virtualMachines'", "parameters('none')"},
		{"'Microsoft.Compute/virtualMachines'", "concat(parameters('none'), '-vm')"},
		{"'Microsoft.Compute/virtualMachines'", "variables('name')"},
		{"'Microsoft.Compute/virtualMachines'", "parameters('fromDefault')"},
		{"'Microsoft.Compute/virtualMachines'", "concat(parameters('fromDefault'), parameters('none'))"},
		{"parameters('none')", "'Microsoft.Network/virtualNetworks/subnets'", "'vnet'", "parameters('none')"},
		{"'Microsoft.Compute/virtualMachines'", "reference('x').outputs.name.value"},
		{"'Microsoft.Compute/virtualMachines'", "reference(resourceId('Microsoft.Network/publicIPAddresses', 'ip')).dnsSettings.fqdn"},
		{"'Microsoft.Compute/virtualMachines'", "newGuid()"},
		{"'Microsoft.Compute/virtualMachines'", "utcNow()"},
		{"'Microsoft.Compute/virtualMachines'", "variables('a')"},
		{"'Microsoft.Compute/virtualMachines'", "variables('self')"},
		{"'Microsoft.Compute/virtualMachines'", "unknownFunction('x')"},
		{"'Microsoft.Compute/virtualMachines'", "parameters('missing')"},
		{"'Microsoft.Compute/virtualMachines'", "1"},
		{"'Microsoft.Compute/virtualMachines'", "-1"},
		{"'Microsoft.Compute/virtualMachines'", "createArray(1, 'a', parameters('none'))"},
		{"'Microsoft.Compute/virtualMachines'", "json('{\"a\": null, \"b\": 1.5}')"},
		{"'Microsoft.Compute/virtualMachines'", "true()"},
		{"'Microsoft.Compute/virtualMachines'", "null()"},
		{"'Microsoft.Compute/virtualMachines'", "parameters('tags')"},
		{"'Microsoft.Compute/virtualMachines'", "parameters('kv')"},
		{"'Microsoft.Compute/virtualMachines'", "concat('it''s ', parameters('none'))"},
		{"'Microsoft.Compute/virtualMachines'", "concat('é ', parameters('none'))"},
		{"'Microsoft.Compute/virtualMachines'", deep(150)},
		{"'Microsoft.Compute/virtualMachines'", deep(198)},
		{"'Microsoft.Compute/virtualMachines'", deep(199)},
		{"'Microsoft.Compute/virtualMachines'", deep(200)},
		{"'Microsoft.Compute/virtualMachines'", "variables('x')" + strings.Repeat("[0]", 199)},
		{"'Microsoft.Compute/virtualMachines'", long},
		{"'Microsoft.Compute/virtualMachines'", "concat(parameters('none'), " + long + ")"},
		{long, "parameters('none')"},
		{"'Microsoft.Compute/virtualMachines'", "concat(parameters('none'), padLeft('', 12280, 'a'))"},
		{"'Microsoft.Compute/virtualMachines'", "concat(parameters('none'), padLeft('', 12280, 'a'))", "concat(parameters('none'), padLeft('', 12280, 'a'))"},
		{"'Microsoft.Compute/virtualMachines'", "concat(parameters('none'), padLeft('', 12200, 'é'))", "concat(parameters('none'), padLeft('', 12200, 'é'))"},
		{"LONG", "parameters('none')"},
		{"LONG", "LONG", "parameters('none')"},
		{"LONG", "LONG"},
		{"LONGÉ", "LONGÉ", "parameters('none')"},
		{"LONGÉ", "LONGÉ", "LONGÉ", "LONGÉ", "LONGÉ"},
		{"'{0}'", "resourceId('Microsoft.Storage/storageAccounts', parameters('none'))"},
		{},
	}
	fns := evalCallFunctions
	n := 0
	for _, fn := range fns {
		for _, set := range argSets {
			compareEvalCall(t, fn, set, literals)
			n++
		}
	}
	t.Logf("%d calls compared", n)
}

// evalCallFunctions are the functions TestEvalCall and FuzzEvalCall call.
var evalCallFunctions = []string{"resourceId", "extensionResourceId", "subscriptionResourceId", "format", "concat", "noSuchFunction"}

// compareEvalCall evaluates the argument expressions of set (or takes
// them from literals) in two fresh environments, then fn of them with
// EvalCall in one and EvalString of the call's text in the other, and
// fails t when anything differs.
func compareEvalCall(t *testing.T, fn string, set []string, literals map[string]Value) {
	t.Helper()
	a, b := envForTest(t), envForTest(t)
	argsA, argsB := make([]Value, len(set)), make([]Value, len(set))
	texts := make([]string, len(set))
	for i, x := range set {
		if v, ok := literals[x]; ok {
			argsA[i], argsB[i] = v, v
		} else {
			argsA[i], argsB[i] = evalExpr(a, x), evalExpr(b, x)
		}
		texts[i] = argsB[i].Expr()
	}
	got := a.EvalCall(fn, argsA...)
	want := b.EvalString("[" + fn + "(" + strings.Join(texts, ", ") + ")]")
	name := fn + "(" + strings.Join(set, ", ") + ")"
	if len(name) > 200 {
		name = name[:200] + "…"
	}
	if !sameValue(got, want) {
		t.Errorf("%s:\n EvalCall   %s\n EvalString %s", name, got.String(), want.String())
	}
	if !slices.Equal(a.Errors(), b.Errors()) || !slices.Equal(a.Unsupported(), b.Unsupported()) || a.Steps() != b.Steps() {
		t.Errorf("%s: errors %q, unsupported %q, %d steps; EvalString: %q, %q, %d", name, a.Errors(), a.Unsupported(), a.Steps(), b.Errors(), b.Unsupported(), b.Steps())
	}
}

// FuzzEvalCall compares EvalCall with EvalString of the call's text for
// random argument expressions.
func FuzzEvalCall(f *testing.F) {
	f.Add(uint8(0), "'Microsoft.Compute/virtualMachines'", "parameters('none')")
	f.Add(uint8(1), "parameters('none')", "reference('x').outputs.y.value")
	f.Add(uint8(2), "concat(parameters('fromDefault'), parameters('none'))", "createArray(1, parameters('none'))")
	f.Add(uint8(3), "'{0}'", "toLower(parameters('none'))")
	f.Add(uint8(4), "variables('a')", "newGuid()")
	f.Add(uint8(5), "unknown(1)", "json('{}')")
	f.Fuzz(func(t *testing.T, fn uint8, x, y string) {
		if len(x) > 1000 || len(y) > 1000 {
			return
		}
		compareEvalCall(t, evalCallFunctions[int(fn)%len(evalCallFunctions)], []string{x, y}, nil)
	})
}
