package regoeval

import (
	"bytes"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/armlint/armlint/analyzer/graph"
)

// TestDocumentIsTheInput checks that Document is the policies' input,
// byte for byte after a round trip: the JSON parses back into the very
// ast.Value rules evaluate.
func TestDocumentIsTheInput(t *testing.T) {
	for _, scope := range []graph.ScopeKind{graph.ScopeSubscription, graph.ScopeUnknown} {
		fx := newFixture(t, scope)
		doc, err := Document(fx.tmpl, fx.graph)
		if err != nil {
			t.Fatal(err)
		}
		assertJSON(t, buildInput(fx.tmpl, fx.graph), string(doc))
		parsed, err := ast.ParseTerm(string(doc))
		if err != nil {
			t.Fatalf("Document is not a JSON term: %v", err)
		}
		if parsed.Value.Compare(buildInput(fx.tmpl, fx.graph)) != 0 {
			t.Errorf("Document differs from buildInput:\n%s", doc)
		}
	}
}

func TestDocumentIsCompactSortedAndUnescaped(t *testing.T) {
	fx := newFixture(t, graph.ScopeSubscription)
	doc, err := Document(fx.tmpl, fx.graph)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.ContainsAny(doc, "\n") {
		t.Error("Document is not compact")
	}
	if !bytes.HasPrefix(doc, []byte(`{"file":"main.json","graph":{`)) {
		t.Errorf("keys are not sorted: %.60s", doc)
	}
	if bytes.Contains(doc, []byte(`\u003c`)) || bytes.Contains(doc, []byte(`\u0026`)) {
		t.Error("Document escapes HTML characters")
	}
}

func TestDocumentWithoutGraph(t *testing.T) {
	doc, err := Document(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"file":null,"graph":{"assignments":[],"principals":[]},"template":{"language_version":null,"resources":[],"scope":"unknown"},"version":1}`
	if string(doc) != want {
		t.Errorf("Document(nil, nil) =\n%s\nwant\n%s", doc, want)
	}
}
