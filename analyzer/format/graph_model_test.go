package format

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCompactExpr(t *testing.T) {
	for in, want := range map[string]string{
		"reference('/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1', '2023-03-01', 'Full').identity.principalId": "reference('…/virtualMachines/vm1').identity.principalId",
		"resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', parameters('id'))":                                                                                              "resourceId('userAssignedIdentities', parameters('id'))",
		"reference('x', '2021-01-01-preview').outputs.id.value":                                                                                                                         "reference('x').outputs.id.value",
		"format('Microsoft.KeyVault/vaults/{0}', parameters('name'))":                                                                                                                   "format('vaults/{0}', parameters('name'))",
		"parameters('principalId')": "parameters('principalId')",
	} {
		if got := compactExpr(in); got != want {
			t.Errorf("compactExpr(%q) =\n%q, want\n%q", in, got, want)
		}
	}
}

func TestShorten(t *testing.T) {
	if got := shorten("abc", 5); got != "abc" {
		t.Errorf("shorten kept %q", got)
	}
	got := shorten(strings.Repeat("a", 30)+strings.Repeat("b", 30), 21)
	if utf8.RuneCountInString(got) != 21 || !strings.HasPrefix(got, "aaaaaaaaaaa…") || !strings.HasSuffix(got, "bbbbbbbbb") {
		t.Errorf("shorten = %q", got)
	}
}

func TestExprLines(t *testing.T) {
	lines := exprLines("reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', parameters('externalIdentityName'))).principalId")
	if len(lines) < 2 || len(lines) > labelLines {
		t.Fatalf("%d lines: %q", len(lines), lines)
	}
	for _, l := range lines {
		if n := utf8.RuneCountInString(l); n > labelWidth {
			t.Errorf("line %q has %d runes, more than %d", l, n, labelWidth)
		}
	}
	long := exprLines(strings.Repeat("concat(parameters('a'), ", 20))
	if len(long) > labelLines {
		t.Errorf("a long expression takes %d lines: %q", len(long), long)
	}
	if got := exprLines("parameters('x')"); len(got) != 1 || got[0] != "parameters('x')" {
		t.Errorf("short expression = %q", got)
	}
}

func TestLabelQuoting(t *testing.T) {
	if got, want := dotString("a \"b\"\\c\nd"), `"a \"b\"\\c\nd"`; got != want {
		t.Errorf("dotString = %s, want %s", got, want)
	}
	if got, want := mermaidString("a \"b\" <c>|d\ne"), `"a #quot;b#quot; #lt;c#gt;#124;d<br>e"`; got != want {
		t.Errorf("mermaidString = %s, want %s", got, want)
	}
}

func TestGraphPicturesOfNothing(t *testing.T) {
	var dot, mmd strings.Builder
	if err := GraphDot(&dot, nil); err != nil {
		t.Fatal(err)
	}
	if err := GraphMermaid(&mmd, nil); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(dot.String(), "digraph armlint {") || !strings.HasSuffix(dot.String(), "}\n") {
		t.Errorf("empty dot:\n%s", dot.String())
	}
	if !strings.HasPrefix(mmd.String(), "flowchart LR\n") {
		t.Errorf("empty mermaid:\n%s", mmd.String())
	}
	var text strings.Builder
	if err := NewGraphStats(nil, 0).WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "role assignments                                  0") {
		t.Errorf("empty stats:\n%s", text.String())
	}
}
