package rules

import (
	"strings"
	"testing"

	"github.com/armlint/armlint/analyzer/expr"
	"github.com/armlint/armlint/analyzer/graph"
	"github.com/armlint/armlint/analyzer/template"
	"github.com/armlint/armlint/internal/testcorpus"
)

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
		// Whole names only: these are other identifiers.
		"[parameters('image').imageReference]":        false,
		"[variables('vm').osImageReference.offer]":    false,
		"[parameters('referenceName')]":               false,
		"[variables('x').referenceName]":              false,
		"[variables('x').referencesCount]":            false,
		"[my_reference('x')]":                         false,
		"[x-reference('x')]":                          false,
		"[$reference('x')]":                           false,
		"[concat('a',reference('x').id)]":             true,
		"[if(true(),reference('x').id,'')]":           true,
		"[ns.reference('x')]":                         true,
		"[concat(imageReference, reference('x').id)]": true, // a later whole name
		"[reference ('x').id]":                        true,
		"[references('x')[0].properties]":             true,
		"[createArray(1)[0]]":                         false,
	} {
		if got := mayCallReference(s); got != want {
			t.Errorf("mayCallReference(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestMayReadIdentity(t *testing.T) {
	for s, want := range map[string]bool{
		"[reference(variables('vm'), '2023-03-01', 'Full').identity.principalId]": true,
		"[reference(variables('vm'), '2023-03-01', 'Full')['IDENTITY']]":          true,
		"[reference(variables('vm')).primaryEndpoints.blob]":                      false,
		"[reference(variables('vm')).subnets[0].id]":                              false,
		"[reference(variables('vm')).subnets[-1].id]":                             false,
		"[reference(variables('vm')).endpoints['blob']]":                          false,
		"[reference(variables('vm'))[variables('k')]]":                            true,
		"[reference(variables('vm'))[ 'blob' ]]":                                  true, // a space: not read further
		"[reference(variables('vm'))[copyIndex()]]":                               true,
		"[reference('d').outputs.id.value]":                                       true,
		"[reference('d').Outputs.id.value]":                                       true,
		"[tryGet(reference('x'), variables('k'))]":                                true,
		"[tryIndexFromEnd(createArray(reference('x')), 1, variables('k'))]":       true,
		"[ns.f(reference('x'))]":                                                  true,
		"[ns.f (reference('x'))]":                                                 true,
		"[concat(reference('x').a.b, 'c')]":                                       false,
		"[concat('[x', reference('x').a)]":                                        false, // '[' in a literal
		"[concat('it''s [', reference('x').a)]":                                   false,
		"[concat('ns.f(', reference('x').a)]":                                     false,
		"[reference('x').a]":                                                      false,
		"[reference('x').é]":                                                      true, // not ASCII
	} {
		if got := mayReadIdentity(s); got != want {
			t.Errorf("mayReadIdentity(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestPrefilterKeepsIdentityReads evaluates every expression string of
// every resource's properties in the fixtures (and the quickstart corpus
// when it is there) and checks that each one whose value is a read
// checkIdentityRead looks at (a reference() path from identity), in a
// template whose parameters carry no reference() read, passes
// mayCallReference and mayReadIdentity: the strings they skip cannot be
// reported. It also checks that every string whose value is any
// reference() read passes mayCallReference.
func TestPrefilterKeepsIdentityReads(t *testing.T) {
	files, reads, identityReads := 0, 0, 0
	files = testcorpus.Templates(t, "..", func(p string, tmpl *template.Template) {
		g, _ := graph.Build(tmpl, graph.Options{})
		carries := map[*graph.Resource]bool{}
		principals := map[template.Node]bool{} // read from the graph, not evaluated by the rule
		for _, a := range g.Assignments {
			principals[a.PrincipalNode] = true
		}
		for _, r := range g.Resources {
			if mayCarryReference(r.Deployment, carries) {
				continue
			}
			graph.ForEachExpression(r.Res.Properties, func(n *template.Value) {
				if principals[template.Node(n)] {
					return
				}
				v := r.Eval(n)
				ref := v.Ref()
				if ref == nil || ref.Func != "reference" {
					return
				}
				reads++
				if !mayCallReference(n.Str()) {
					t.Errorf("%s: %q reads reference() but mayCallReference is false", p, n.Str())
				}
				if len(ref.Path) == 0 {
					return
				}
				if first, _ := ref.Path[0].Str(); !strings.EqualFold(first, "identity") {
					return
				}
				identityReads++
				if !mayReadIdentity(n.Str()) {
					t.Errorf("%s: %q reads %s but mayReadIdentity is false", p, n.Str(), expr.Value.Expr(v))
				}
			})
		}
	})
	if identityReads == 0 {
		t.Fatal("no identity read found")
	}
	t.Logf("%d templates: %d reference() reads, %d of them from identity", files, reads, identityReads)
}
