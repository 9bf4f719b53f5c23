package regoeval

import (
	"bytes"
	"encoding/json"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/armlint/armlint/analyzer/graph"
	"github.com/armlint/armlint/analyzer/template"
)

// Document returns the input document of one file, exactly what every
// policy sees as `input` (contract v1, policies/lib/armlint/input.rego),
// as compact JSON: object keys sorted, unknown values as
// {"$unknown": "<expression>"}, no HTML escaping. t is the file's root
// template; either argument may be nil (see buildInput).
//
// It is built by buildInput, the same function the policies' input comes
// from, so `armlint graph --format json` and the Rego input cannot drift.
func Document(t *template.Template, g *graph.Graph) ([]byte, error) {
	v, err := ast.JSON(buildInput(t, g))
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}
