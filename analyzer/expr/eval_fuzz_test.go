package expr

import (
	"testing"
	"time"

	"github.com/armlint/armlint/analyzer/template"
)

// fuzzTemplate is the small template FuzzEval evaluates expressions over:
// parameters with and without defaults, variables (one copy loop, one
// cycle), and user-defined functions, one of which calls itself.
const fuzzTemplate = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "name": {"type": "string", "defaultValue": "web"},
    "count": {"type": "int", "defaultValue": 3},
    "tags": {"type": "object", "defaultValue": {"env": "dev", "n": [1, 2, {"x": null}]}},
    "list": {"type": "array", "defaultValue": ["a", "b", "c"]},
    "secret": {"type": "securestring"},
    "flag": {"type": "bool", "defaultValue": true}
  },
  "variables": {
    "prefix": "[concat(parameters('name'), '-', string(parameters('count')))]",
    "ids": "[range(0, parameters('count'))]",
    "obj": {"a": "[parameters('list')]", "b": {"c": "[variables('prefix')]"}},
    "loopA": "[variables('loopB')]",
    "loopB": "[variables('loopA')]",
    "self": "[concat(variables('self'), 'x')]",
    "copy": [{"name": "disks", "count": "[parameters('count')]", "input": {"lun": "[copyIndex('disks')]"}}]
  },
  "functions": [{
    "namespace": "ns",
    "members": {
      "id": {"parameters": [{"name": "x", "type": "string"}], "output": {"type": "string", "value": "[parameters('x')]"}},
      "twice": {"parameters": [{"name": "x", "type": "string"}], "output": {"type": "string", "value": "[concat(ns.id(parameters('x')), ns.id(parameters('x')))]"}},
      "rec": {"parameters": [{"name": "x", "type": "int"}], "output": {"type": "int", "value": "[ns.rec(add(parameters('x'), 1))]"}}
    }
  }],
  "resources": []
}`

// fuzzEvalSteps is the step budget of one FuzzEval input.
const fuzzEvalSteps = 50_000

// fuzzWatchdog is how long one fuzz input may run before it is reported as
// a hang. It is not a speed assertion: inputs take microseconds, and a
// run this long only happens when the work is not bounded by the budget.
const fuzzWatchdog = 20 * time.Second

// FuzzEval evaluates random expressions over fuzzTemplate through NewEnv
// and EvalString with a step budget. It checks that evaluation never
// panics, always ends (a watchdog turns a runaway input into a failure
// that the fuzzer keeps), stays near its budget, and that the result can
// be rendered.
func FuzzEval(f *testing.F) {
	for _, s := range []string{
		"[concat(variables('prefix'), parameters('secret'))]",
		"[variables('obj').b.c]",
		"[variables('disks')[1].lun]",
		"[variables('loopA')]",
		"[variables('self')]",
		"[ns.twice(parameters('name'))]",
		"[ns.rec(0)]",
		"[map(variables('ids'), lambda('i', mul(lambdaVariables('i'), 2)))]",
		"[reduce(range(0, 20), createArray(), lambda('acc', 'i', concat(lambdaVariables('acc'), lambdaVariables('acc'), createArray(1))))]",
		"[string(parameters('tags'))]",
		"[json(string(parameters('tags'))).n[2].x]",
		"[union(parameters('tags'), createObject('k', parameters('list')))]",
		"[format('{0}-{1:D3}', parameters('name'), parameters('count'))]",
		"[resourceId('Microsoft.Storage/storageAccounts', variables('prefix'))]",
		"[reference(resourceId('Microsoft.Compute/virtualMachines', 'vm'), '2023-03-01', 'Full').identity.principalId]",
		"[guid(subscription().id, resourceGroup().id, parameters('name'))]",
		"[if(parameters('flag'), padLeft('', 100000, 'a'), null())]",
		"[uniqueString(deployment().name, parameters('secret'))]",
		"[base64ToString(base64(parameters('name')))]",
		"[cidrSubnet('10.0.0.0/8', 24, 255)]",
		"[dateTimeAdd(utcNow(), 'P1D')]",
		"[[literal]",
		"[",
		"plain",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		file, err := template.Load("fuzz.json", []byte(fuzzTemplate))
		if err != nil {
			t.Fatal(err)
		}
		tmpl, err := template.Parse(file)
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan string, 1)
		go func() {
			env := NewEnv(tmpl, Options{MaxSteps: fuzzEvalSteps})
			v := env.EvalString(s)
			if u := v.Unknown(); u != nil && u.Reason == "" {
				done <- "unknown without a reason: " + u.Expr
				return
			}
			_ = v.String()
			_ = env.Errors()
			done <- ""
		}()
		select {
		case msg := <-done:
			if msg != "" {
				t.Fatalf("%q: %s", s, msg)
			}
		case <-time.After(fuzzWatchdog):
			t.Fatalf("%q: evaluation did not end within %s (runaway work the step budget does not bound)", s, fuzzWatchdog)
		}
	})
}

// exponentialValue builds, in 30 steps, an array whose tree has 2^30
// leaves: each iteration puts the accumulator in a new array twice. Values
// are shared, so building it is cheap; anything that walks it
// (IsFullyKnown, String, equality, the Rego input) does not end in
// practical time.
const exponentialValue = "[reduce(range(0, 30), createArray(), lambda('acc', 'i', createArray(lambdaVariables('acc'), lambdaVariables('acc'))))]"

// TestEvalExponentialValue is the regression test of a hang FuzzEval
// found: the step budget charged an array for its length, not for the
// size of the tree it shares. Every array and object now carries its tree
// size, charged to the budget and capped.
func TestEvalExponentialValue(t *testing.T) {
	tmpl := loadTemplate(t, emptyTemplate)
	done := make(chan Value, 1)
	go func() {
		env := NewEnv(tmpl, Options{MaxSteps: fuzzEvalSteps})
		v := env.EvalString(exponentialValue)
		_ = v.String()
		done <- v
	}()
	select {
	case v := <-done:
		if v.IsKnown() {
			t.Errorf("a value of 2^30 leaves is known; want an unknown that says the value is too large")
		}
	case <-time.After(fuzzWatchdog):
		t.Fatalf("%s: evaluation did not end within %s", exponentialValue, fuzzWatchdog)
	}
}
