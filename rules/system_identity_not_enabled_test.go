package rules

import "testing"

func TestMayCallReference(t *testing.T) {
	for s, want := range map[string]bool{
		"[reference(variables('vm'), '2023-03-01', 'Full').identity.principalId]": true,
		"[REFERENCE(resourceId('x', 'y')).outputs.id.value]":                      true,
		"[format('{0}', Reference('d').outputs.p.value)]":                         true,
		"[references('vms', 'Full')]":                                             true,
		"[concat(parameters('prefix'), '-vm')]":                                   false,
		"[resourceId('Microsoft.Compute/virtualMachines', 'vm')]":                 false,
		"[refer]":             false,
		"[rEfErEnCe('x').id]": true,
		"reference":           true,
		"referencE":           true,
		"xreferenc":           false,
		"[rxference('x')]":    false,
		"[refxrence('x')]":    false,
		"":                    false,
	} {
		if got := mayCallReference(s); got != want {
			t.Errorf("mayCallReference(%q) = %v, want %v", s, got, want)
		}
	}
}
