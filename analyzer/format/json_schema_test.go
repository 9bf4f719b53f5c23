package format

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/armlint/armlint/analyzer"
)

// TestJSONOutputSchema validates the json formatter's output against the
// published schema, docs/armlint-output.schema.json: for the format
// fixture (suppressed findings, related locations, unknown positions) and
// for a real run over testdata/examples.
func TestJSONOutputSchema(t *testing.T) {
	schemaPath := filepath.Join(repoRoot(t), "docs", "armlint-output.schema.json")
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const url = "https://raw.githubusercontent.com/armlint/armlint/main/docs/armlint-output.schema.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	for name, res := range map[string]*analyzer.Result{
		"fixture":  fixture(t),
		"examples": realRun(t),
		"empty":    {},
	} {
		var buf bytes.Buffer
		if err := (jsonFormatter{}).Format(&buf, res, Options{}); err != nil {
			t.Fatal(err)
		}
		inst, err := jsonschema.UnmarshalJSON(&buf)
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%s: json output does not validate against %s: %v", name, schemaPath, err)
		}
	}

	// The schema is not vacuous: a document missing a field fails.
	bad, _ := jsonschema.UnmarshalJSON(bytes.NewReader([]byte(`{"version": 1, "findings": [{"rule_id": "AL1201"}], "rules": [], "stats": {"files": 0, "templates": 0, "parameters": 0, "skipped": 0}}`)))
	if sch.Validate(bad) == nil {
		t.Error("an incomplete finding validates")
	}
}
