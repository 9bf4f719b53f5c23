package template

import (
	"strconv"
	"strings"
)

// MaxNestedDepth bounds how deep deployments may nest (template inside
// template, inline or linked). ARM itself allows far fewer levels in
// practice.
const MaxNestedDepth = 64

// deploymentsType is the resource type of nested deployments.
const deploymentsType = "Microsoft.Resources/deployments"

// Parse builds the template model of f, which must have loaded without
// error (f.Root set). It is meant for KindTemplate files; for other files
// the model is still built and Scope is ScopeUnknown.
//
// Missing optional sections are fine. A structure that cannot be a template
// (root not an object, "resources" neither an array nor an object, a
// resource or parameter declaration that is not an object, a section of the
// wrong JSON kind, nested deployments deeper than 64 levels) is reported as a
// *SyntaxError anchored on the offending node.
func Parse(f *File) (*Template, error) {
	if f == nil || f.Root == nil {
		return nil, &SyntaxError{Pos: Pos{Line: 1, Col: 1}, Msg: "file has no JSON tree"}
	}
	p := parser{f: f}
	return p.template(f.Root, nil, nil)
}

// parser holds the state of one Parse call.
type parser struct {
	f *File
}

func (p *parser) errorf(v *Value, msg string) error {
	return p.f.errorAt(v.Start(), msg)
}

// template parses the template object root. parent and dep are nil for the
// file's root template.
func (p *parser) template(root *Value, parent *Template, dep *Resource) (*Template, error) {
	if root.Kind != Object {
		return nil, p.errorf(root, "a template must be a JSON object, not "+article(root.Kind))
	}
	t := &Template{File: p.f, Root: root, Parent: parent, Deployment: dep}
	t.Schema = root.Get("$schema").StringOr("")
	_, t.Scope = schemaKind(t.Schema)
	if parent != nil {
		t.Depth = parent.Depth + 1
		if t.Scope == ScopeUnknown {
			t.Scope = parent.Scope
		}
	}
	if lv := present(root.Get("languageVersion")); lv != nil && (lv.Kind == String || lv.Kind == Number) {
		t.LanguageVersion = lv.Str()
	}
	t.ContentVersion = root.Get("contentVersion").StringOr("")

	var err error
	sections := []struct {
		name string
		kind Kind
		dst  **Value
	}{
		{"variables", Object, &t.Variables},
		{"functions", Array, &t.Functions},
		{"definitions", Object, &t.Definitions},
		{"outputs", Object, &t.Outputs},
		{"metadata", Object, &t.Metadata},
	}
	for _, s := range sections {
		if *s.dst, err = p.section(root, s.name, s.kind); err != nil {
			return nil, err
		}
	}
	if err := p.parameters(t); err != nil {
		return nil, err
	}
	if err := p.resources(t); err != nil {
		return nil, err
	}
	return t, nil
}

// section returns root's member name when it has JSON kind k, nil when it
// is absent or null, and an error for any other kind.
func (p *parser) section(root *Value, name string, k Kind) (*Value, error) {
	v := present(root.Get(name))
	if v == nil || v.Kind == k {
		return v, nil
	}
	return nil, p.errorf(v, strconv.Quote(name)+" must be "+article(k)+", not "+article(v.Kind))
}

// present returns v, or nil when v is a JSON null (ARM treats null as
// absent).
func present(v *Value) *Value {
	if v == nil || v.Kind == Null {
		return nil
	}
	return v
}

func article(k Kind) string {
	switch k {
	case Array, Object:
		return "an " + k.String()
	case Null:
		return "null"
	}
	return "a " + k.String()
}

func (p *parser) parameters(t *Template) error {
	params, err := p.section(t.Root, "parameters", Object)
	if err != nil || params == nil {
		return err
	}
	for _, m := range params.Members() {
		d := m.Value
		if d.Kind != Object {
			return p.errorf(d, "parameter "+strconv.Quote(m.Key)+" must be an object, not "+article(d.Kind))
		}
		nullable := d.Get("nullable")
		t.Parameters = append(t.Parameters, &Parameter{
			Name:          m.Key,
			Node:          d,
			Type:          d.Get("type").StringOr(""),
			Default:       present(d.Get("defaultValue")),
			AllowedValues: present(d.Get("allowedValues")),
			Nullable:      nullable != nil && nullable.Kind == Bool && nullable.Str() == "true",
		})
	}
	return nil
}

// resources parses t's "resources" section: an array, or (languageVersion
// 2.0) an object keyed by symbolic name, in source order.
func (p *parser) resources(t *Template) error {
	res := present(t.Root.Get("resources"))
	if res == nil {
		return nil
	}
	switch res.Kind {
	case Array:
		for _, e := range res.Elems() {
			if err := p.resource(t, e, "", nil); err != nil {
				return err
			}
		}
	case Object:
		for _, m := range res.Members() {
			if err := p.resource(t, m.Value, m.Key, nil); err != nil {
				return err
			}
		}
	default:
		return p.errorf(res, `"resources" must be an array or an object, not `+article(res.Kind))
	}
	return nil
}

// resource appends the resource declared by node to t.Resources, then its
// child resources (depth-first, source order), and parses an inline nested
// template if the resource is a deployment.
func (p *parser) resource(t *Template, node *Value, symbolic string, parent *Resource) error {
	if node.Kind != Object {
		return p.errorf(node, "a resource must be an object, not "+article(node.Kind))
	}
	existing := node.Get("existing")
	r := &Resource{
		Template:   t,
		Node:       node,
		Index:      len(t.Resources),
		Symbolic:   symbolic,
		Parent:     parent,
		Type:       present(node.Get("type")),
		APIVersion: present(node.Get("apiVersion")),
		Name:       present(node.Get("name")),
		Location:   present(node.Get("location")),
		Condition:  present(node.Get("condition")),
		Copy:       present(node.Get("copy")),
		DependsOn:  present(node.Get("dependsOn")),
		Identity:   present(node.Get("identity")),
		Properties: present(node.Get("properties")),
		Scope:      present(node.Get("scope")),
		Existing:   existing != nil && existing.Kind == Bool && existing.Str() == "true",
	}
	t.Resources = append(t.Resources, r)
	if err := p.nested(r); err != nil {
		return err
	}
	children := present(node.Get("resources"))
	if children == nil {
		return nil
	}
	if children.Kind != Array {
		return p.errorf(children, `child "resources" must be an array, not `+article(children.Kind))
	}
	for _, c := range children.Elems() {
		if err := p.resource(t, c, "", r); err != nil {
			return err
		}
	}
	return nil
}

// nested parses the inline template of a Microsoft.Resources/deployments
// resource, if it has one (properties.template is an object). A linked
// template (templateLink) is left alone.
func (p *parser) nested(r *Resource) error {
	if !strings.EqualFold(r.FullType(), deploymentsType) || r.Properties == nil {
		return nil
	}
	tmpl := r.Properties.Get("template")
	if tmpl == nil || tmpl.Kind != Object {
		return nil
	}
	if r.Template.Depth+1 > MaxNestedDepth {
		return p.errorf(tmpl, "nested deployments deeper than "+strconv.Itoa(MaxNestedDepth)+" levels")
	}
	n, err := p.template(tmpl, r.Template, r)
	if err != nil {
		return err
	}
	if strings.EqualFold(r.Properties.Path("expressionEvaluationOptions", "scope").StringOr(""), "inner") {
		n.EvalScope = EvalInner
	}
	r.Nested = n
	return nil
}

// FullType returns the resource's full type. A child resource's type may be
// written relative to its parent ("databases" under "Microsoft.Sql/servers"
// is "Microsoft.Sql/servers/databases"); a type whose first segment is a
// namespace (contains '.') is full as written. FullType returns "" when the
// type, or a parent's type it depends on, is not a literal string.
func (r *Resource) FullType() string {
	if r == nil || r.Type == nil || r.Type.Kind != String || r.Type.IsExpression() {
		return ""
	}
	typ := r.Type.Str()
	if r.Parent == nil {
		return typ
	}
	first, _, _ := strings.Cut(typ, "/")
	if strings.Contains(first, ".") {
		return typ
	}
	pt := r.Parent.FullType()
	if pt == "" || typ == "" {
		return ""
	}
	return pt + "/" + typ
}

// Parameter returns the declaration of the named parameter (ARM parameter
// names are case-insensitive; an exact match wins), or nil.
func (t *Template) Parameter(name string) *Parameter {
	var fold *Parameter
	for _, p := range t.Parameters {
		if p.Name == name {
			return p
		}
		if fold == nil && strings.EqualFold(p.Name, name) {
			fold = p
		}
	}
	return fold
}

// Templates returns t followed by every inline nested template below it,
// depth-first in resource order.
func (t *Template) Templates() []*Template {
	out := []*Template{t}
	for _, r := range t.Resources {
		if r.Nested != nil {
			out = append(out, r.Nested.Templates()...)
		}
	}
	return out
}

// ParseParameters returns the "value" node of each entry of the
// "parameters" object of a parameter file (KindParameters), keyed by
// parameter name as written. Entries that pass a Key Vault secret through
// "reference" instead of "value" are left out, as are entries with neither;
// when a name is declared twice the first declaration wins.
//
// A root that is not an object, "parameters" that is not an object, or an
// entry that is not an object is reported as a *SyntaxError.
func ParseParameters(f *File) (map[string]*Value, error) {
	if f == nil || f.Root == nil {
		return nil, &SyntaxError{Pos: Pos{Line: 1, Col: 1}, Msg: "file has no JSON tree"}
	}
	p := parser{f: f}
	if f.Root.Kind != Object {
		return nil, p.errorf(f.Root, "a parameter file must be a JSON object, not "+article(f.Root.Kind))
	}
	params, err := p.section(f.Root, "parameters", Object)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*Value)
	if params == nil {
		return out, nil
	}
	for _, m := range params.Members() {
		if m.Value.Kind != Object {
			return nil, p.errorf(m.Value, "parameter "+strconv.Quote(m.Key)+" must be an object, not "+article(m.Value.Kind))
		}
		v := m.Value.Get("value")
		if _, dup := out[m.Key]; v == nil || dup {
			continue
		}
		out[m.Key] = v
	}
	return out, nil
}
