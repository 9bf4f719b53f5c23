package graph

import (
	"testing"

	"github.com/armlint/armlint/analyzer/expr"
)

func TestClassifyScope(t *testing.T) {
	tests := []struct {
		in     string
		kind   ScopeKind
		target string
	}{
		{"/", ScopeTenant, "/"},
		{"/providers/Microsoft.Management/managementGroups/mg", ScopeManagementGroup, "/providers/Microsoft.Management/managementGroups/mg"},
		{"/subscriptions/s", ScopeSubscription, "/subscriptions/s"},
		{"/subscriptions/s/resourceGroups/rg", ScopeResourceGroup, "/subscriptions/s/resourceGroups/rg"},
		// subscriptionResourceId('Microsoft.Resources/resourceGroups', 'rg')
		{"/subscriptions/s/providers/Microsoft.Resources/resourceGroups/rg", ScopeResourceGroup, "/subscriptions/s/resourceGroups/rg"},
		{"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st", ScopeResource,
			"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st"},
		{"Microsoft.Storage/storageAccounts/st", ScopeResource, "Microsoft.Storage/storageAccounts/st"},
	}
	for _, tt := range tests {
		got := classifyScope(expr.String(tt.in))
		if got.Kind != tt.kind || got.Target != tt.target {
			t.Errorf("classifyScope(%q) = %v %q, want %v %q", tt.in, got.Kind, got.Target, tt.kind, tt.target)
		}
	}
}
