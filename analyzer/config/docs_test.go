package config

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// These tests keep docs/config.md and docs/armlint.schema.json in step with
// the Config type.

const (
	docPath    = "../../docs/config.md"
	schemaPath = "../../docs/armlint.schema.json"
)

// TestDocExamplesDecode decodes and validates every configuration example
// of docs/config.md (the ```jsonc blocks that reference the schema) and the
// examples of these tests.
func TestDocExamplesDecode(t *testing.T) {
	doc, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	examples := map[string]string{"fullExample": fullExample}
	for i, block := range fencedBlocks(string(doc), "jsonc") {
		if strings.Contains(block, "armlint.schema.json") {
			examples["config.md block "+strconv.Itoa(i)] = block
		}
	}
	if len(examples) < 2 {
		t.Fatalf("no configuration example found in %s", docPath)
	}
	lookup := testLookup(t)
	known := func(key string) (string, bool) {
		if id, ok := lookup(key); ok {
			return id, true
		}
		// The docs may name rules the test registry lacks; any
		// well-formed ID stands for itself.
		if idShape.MatchString(key) {
			return strings.ToUpper(key), true
		}
		return "", false
	}
	for name, src := range examples {
		c, err := Parse(".armlint.json", []byte(src))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if err := c.Validate(known); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// fencedBlocks returns the contents of the ```lang blocks of markdown.
func fencedBlocks(markdown, lang string) []string {
	var out []string
	var cur []string
	in := false
	for line := range strings.SplitSeq(markdown, "\n") {
		switch {
		case !in && strings.TrimSpace(line) == "```"+lang:
			in, cur = true, nil
		case in && strings.TrimSpace(line) == "```":
			in = false
			out = append(out, strings.Join(cur, "\n"))
		case in:
			cur = append(cur, line)
		}
	}
	return out
}

// schemaObject is the part of a JSON schema object definition the test
// compares.
type schemaObject struct {
	Properties           map[string]json.RawMessage `json:"properties"`
	Required             []string                   `json:"required"`
	AdditionalProperties any                        `json:"additionalProperties"`
}

// TestSchemaMatchesConfig checks that the schema describes exactly the keys
// Config decodes, at every level, and forbids the others as Config does.
func TestSchemaMatchesConfig(t *testing.T) {
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		schemaObject
		Definitions map[string]schemaObject `json:"definitions"`
	}
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatalf("%s: %v", schemaPath, err)
	}
	var context schemaObject
	if err := json.Unmarshal(schema.Properties["context"], &context); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name     string
		obj      schemaObject
		typ      reflect.Type
		required []string
	}{
		{"top level", schema.schemaObject, configType, nil},
		{"definitions/rule", schema.Definitions["rule"], reflect.TypeFor[RuleConfig](), nil},
		{"definitions/exclude", schema.Definitions["exclude"], reflect.TypeFor[Exclude](), []string{"path"}},
		{"definitions/ignore", schema.Definitions["ignore"], reflect.TypeFor[Ignore](), []string{"reason", "rule"}},
		{"properties/context", context, reflect.TypeFor[Context](), nil},
	} {
		var want []string
		for _, f := range jsonFields(tt.typ) {
			want = append(want, f.name)
		}
		var got []string
		for k := range tt.obj.Properties {
			got = append(got, k)
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: schema properties %q, Config fields %q", tt.name, got, want)
		}
		if tt.obj.AdditionalProperties != false {
			t.Errorf("%s: schema must set additionalProperties to false, as decoding rejects unknown keys", tt.name)
		}
		if r := slices.Sorted(slices.Values(tt.obj.Required)); !slices.Equal(r, tt.required) {
			t.Errorf("%s: schema requires %q, Validate requires %q", tt.name, r, tt.required)
		}
	}
}
