package template

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

const rgSchema = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"

func mustParse(t *testing.T, src string) *Template {
	t.Helper()
	f := mustLoad(t, src)
	tm, err := Parse(f)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return tm
}

// describe renders the flattened resources as "ptr type parent" lines.
func describe(tm *Template) []string {
	var out []string
	for i, r := range tm.Resources {
		parent := -1
		if r.Parent != nil {
			parent = r.Parent.Index
		}
		if r.Index != i || r.Template != tm {
			out = append(out, fmt.Sprintf("bad Index/Template at %d", i))
		}
		out = append(out, fmt.Sprintf("%s %s %q parent=%d", r.Pointer(), r.Symbolic, r.FullType(), parent))
	}
	return out
}

func TestParseArrayResourcesAndChildren(t *testing.T) {
	tm := mustParse(t, `{
  "$schema": "`+rgSchema+`",
  "contentVersion": "1.0.0.0",
  "resources": [
    {"type": "Microsoft.Sql/servers", "name": "s", "apiVersion": "2021-11-01",
     "resources": [
       {"type": "databases", "name": "db", "location": "[parameters('l')]",
        "resources": [{"type": "transparentDataEncryption", "name": "current"}]},
       {"type": "Microsoft.Sql/servers/firewallRules", "name": "s/fw"},
       {"type": "[variables('t')]", "name": "x", "resources": [{"type": "child", "name": "y"}]}
     ]},
    {"type": "Microsoft.Storage/storageAccounts", "name": "st", "condition": false, "copy": {"name": "c", "count": 2}}
  ]
}`)
	want := []string{
		`/resources/0  "Microsoft.Sql/servers" parent=-1`,
		`/resources/0/resources/0  "Microsoft.Sql/servers/databases" parent=0`,
		`/resources/0/resources/0/resources/0  "Microsoft.Sql/servers/databases/transparentDataEncryption" parent=1`,
		`/resources/0/resources/1  "Microsoft.Sql/servers/firewallRules" parent=0`,
		`/resources/0/resources/2  "" parent=0`,
		`/resources/0/resources/2/resources/0  "" parent=4`,
		`/resources/1  "Microsoft.Storage/storageAccounts" parent=-1`,
	}
	if got := describe(tm); !reflect.DeepEqual(got, want) {
		t.Errorf("resources:\n got %q\nwant %q", got, want)
	}
	if tm.Scope != ScopeResourceGroup || tm.ContentVersion != "1.0.0.0" || tm.Symbolic() || tm.Depth != 0 {
		t.Errorf("template header: scope %v content %q symbolic %v depth %d", tm.Scope, tm.ContentVersion, tm.Symbolic(), tm.Depth)
	}
	db := tm.Resources[1]
	if db.Name.Str() != "db" || db.Location.Str() != "[parameters('l')]" || db.APIVersion != nil || db.Existing {
		t.Errorf("db fields: %+v", db)
	}
	st := tm.Resources[6]
	if st.Condition == nil || st.Condition.Str() != "false" || st.Copy.Get("count").Str() != "2" || st.Properties != nil || st.Identity != nil {
		t.Errorf("storage fields: %+v", st)
	}
	if st.File() != tm.File {
		t.Error("Resource.File")
	}
}

func TestParseSymbolicResources(t *testing.T) {
	tm := mustParse(t, `{
  "$schema": "`+rgSchema+`",
  "languageVersion": 2.0,
  "contentVersion": "1.0.0.0",
  "resources": {
    "stg": {"type": "Microsoft.Storage/storageAccounts", "apiVersion": "2023-01-01", "name": "s", "existing": true},
    "app": {"type": "Microsoft.Web/sites", "name": "a", "dependsOn": ["stg"], "identity": {"type": "SystemAssigned"},
            "scope": "[format('x/{0}', 1)]", "properties": {"k": 1}},
    "ra": {"type": "Microsoft.Authorization/roleAssignments", "name": "g", "existing": "true"}
  }
}`)
	want := []string{
		`/resources/stg stg "Microsoft.Storage/storageAccounts" parent=-1`,
		`/resources/app app "Microsoft.Web/sites" parent=-1`,
		`/resources/ra ra "Microsoft.Authorization/roleAssignments" parent=-1`,
	}
	if got := describe(tm); !reflect.DeepEqual(got, want) {
		t.Errorf("resources:\n got %q\nwant %q", got, want)
	}
	if tm.LanguageVersion != "2.0" || !tm.Symbolic() {
		t.Errorf("LanguageVersion = %q", tm.LanguageVersion)
	}
	stg, app, ra := tm.Resources[0], tm.Resources[1], tm.Resources[2]
	if !stg.Existing || app.Existing || ra.Existing {
		t.Errorf("Existing: %v %v %v (only a JSON true counts)", stg.Existing, app.Existing, ra.Existing)
	}
	if app.DependsOn.Elems()[0].Str() != "stg" || app.Identity.Get("type").Str() != "SystemAssigned" ||
		app.Scope.Str() != "[format('x/{0}', 1)]" || app.Properties.Pointer() != "/resources/app/properties" {
		t.Errorf("app fields: %+v", app)
	}
}

func TestParseSections(t *testing.T) {
	tm := mustParse(t, `{
  "$schema": "`+rgSchema+`",
  "languageVersion": "2.0",
  "parameters": {
    "location": {"type": "string", "defaultValue": "[resourceGroup().location]", "allowedValues": ["a", "b"]},
    "tags": {"type": "object", "nullable": true},
    "n": {"type": "int", "defaultValue": null}
  },
  "variables": {"v": 1},
  "functions": [{"namespace": "ns", "members": {}}],
  "definitions": {"d": {"type": "string"}},
  "outputs": {"o": {"type": "string", "value": "x"}},
  "metadata": {"_generator": {"name": "bicep"}},
  "resources": {}
}`)
	var names []string
	for _, p := range tm.Parameters {
		names = append(names, p.Name+":"+p.Type)
	}
	if want := []string{"location:string", "tags:object", "n:int"}; !reflect.DeepEqual(names, want) {
		t.Errorf("parameters = %q, want %q", names, want)
	}
	loc, tags, n := tm.Parameters[0], tm.Parameters[1], tm.Parameters[2]
	if loc.Default.Str() != "[resourceGroup().location]" || len(loc.AllowedValues.Elems()) != 2 || loc.Nullable || loc.Node.Pointer() != "/parameters/location" {
		t.Errorf("location: %+v", loc)
	}
	if !tags.Nullable || tags.Default != nil || n.Default != nil {
		t.Errorf("tags/n: %+v %+v", tags, n)
	}
	if tm.Parameter("LOCATION") != loc || tm.Parameter("missing") != nil {
		t.Error("Parameter lookup")
	}
	if tm.Variables.Get("v") == nil || tm.Functions.Kind != Array || tm.Definitions.Get("d") == nil ||
		tm.Outputs.Get("o") == nil || tm.Metadata.Path("_generator", "name").Str() != "bicep" || len(tm.Resources) != 0 {
		t.Error("sections not set")
	}
	empty := mustParse(t, `{"$schema": "`+rgSchema+`"}`)
	if empty.Variables != nil || empty.Resources != nil || empty.Parameters != nil || empty.Outputs != nil {
		t.Error("absent sections should be nil")
	}
}

func TestParseNestedDeployments(t *testing.T) {
	tm := mustParse(t, `{
  "$schema": "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
  "resources": [
    {"type": "Microsoft.Resources/resourceGroups", "name": "rg"},
    {"type": "microsoft.resources/DEPLOYMENTS", "name": "outer",
     "properties": {
       "expressionEvaluationOptions": {"scope": "Inner"},
       "template": {
         "$schema": "`+rgSchema+`",
         "resources": [
           {"type": "Microsoft.Resources/deployments", "name": "inner",
            "properties": {"template": {"resources": [{"type": "Microsoft.Web/sites", "name": "w"}]}}}
         ]
       }
     }},
    {"type": "Microsoft.Resources/deployments", "name": "linked",
     "properties": {"templateLink": {"uri": "https://x"}, "expressionEvaluationOptions": {"scope": "outer"}}}
  ]
}`)
	if tm.Scope != ScopeSubscription || len(tm.Resources) != 3 {
		t.Fatalf("root: scope %v, %d resources", tm.Scope, len(tm.Resources))
	}
	outer := tm.Resources[1]
	n1 := outer.Nested
	if n1 == nil {
		t.Fatal("outer deployment has no nested template")
	}
	if n1.Parent != tm || n1.Deployment != outer || n1.Depth != 1 || n1.EvalScope != EvalInner ||
		n1.Scope != ScopeResourceGroup || n1.Root.Pointer() != "/resources/1/properties/template" || n1.File != tm.File {
		t.Errorf("level 1: parent %v dep %v depth %d eval %v scope %v ptr %s", n1.Parent == tm, n1.Deployment == outer, n1.Depth, n1.EvalScope, n1.Scope, n1.Root.Pointer())
	}
	n2 := n1.Resources[0].Nested
	if n2 == nil {
		t.Fatal("inner deployment has no nested template")
	}
	if n2.Parent != n1 || n2.Depth != 2 || n2.EvalScope != EvalOuter || n2.Scope != ScopeResourceGroup ||
		n2.Resources[0].FullType() != "Microsoft.Web/sites" || n2.Resources[0].Template != n2 {
		t.Errorf("level 2: depth %d eval %v scope %v", n2.Depth, n2.EvalScope, n2.Scope)
	}
	if tm.Resources[2].Nested != nil || tm.Resources[0].Nested != nil {
		t.Error("a linked deployment or other resource got a nested template")
	}
	if got := tm.Templates(); !reflect.DeepEqual(got, []*Template{tm, n1, n2}) {
		t.Errorf("Templates() = %v", got)
	}
}

func TestNestedScopeInheritsParent(t *testing.T) {
	tm := mustParse(t, `{
  "$schema": "https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#",
  "resources": [{"type": "Microsoft.Resources/deployments", "name": "d",
    "properties": {"template": {"resources": []}}}]}`)
	if n := tm.Resources[0].Nested; n == nil || n.Scope != ScopeManagementGroup || n.Schema != "" {
		t.Errorf("nested scope should inherit managementGroup: %+v", n)
	}
}

func TestSchemaKinds(t *testing.T) {
	tests := []struct {
		schema string
		kind   FileKind
		scope  Scope
	}{
		{"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", KindTemplate, ScopeResourceGroup},
		{"http://schema.management.azure.com/schemas/2015-01-01/deploymentTemplate.json#", KindTemplate, ScopeResourceGroup},
		{"HTTPS://SCHEMA.MANAGEMENT.AZURE.COM/schemas/2014-04-01-preview/DEPLOYMENTTEMPLATE.JSON", KindTemplate, ScopeResourceGroup},
		{"https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#", KindTemplate, ScopeSubscription},
		{"https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#", KindTemplate, ScopeManagementGroup},
		{"https://schema.management.azure.com/schemas/2019-08-01/tenantDeploymentTemplate.json#", KindTemplate, ScopeTenant},
		{"https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", KindParameters, ScopeUnknown},
		{"https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentParameters.json#", KindParameters, ScopeUnknown},
		{"https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#", KindOther, ScopeUnknown},
		{"https://json-schema.org/draft-04/schema#", KindOther, ScopeUnknown},
		{"deploymentTemplate.json", KindOther, ScopeUnknown},
		{"[variables('schema')]", KindOther, ScopeUnknown},
		{"", KindOther, ScopeUnknown},
	}
	for _, tt := range tests {
		f := mustLoad(t, `{"$schema": "`+tt.schema+`"}`)
		if f.Kind != tt.kind || f.Scope() != tt.scope {
			t.Errorf("%q: kind %v scope %v, want %v %v", tt.schema, f.Kind, f.Scope(), tt.kind, tt.scope)
		}
		if tm, err := Parse(f); err != nil || tm.Scope != tt.scope {
			t.Errorf("%q: Parse scope %v, err %v", tt.schema, tm.Scope, err)
		}
	}
	if f := mustLoad(t, `[{"$schema": "`+rgSchema+`"}]`); f.Kind != KindOther || f.Scope() != ScopeUnknown {
		t.Error("$schema below the root must not count")
	}
	if (*File)(nil).Scope() != ScopeUnknown {
		t.Error("nil file scope")
	}
}

// nestedDeployments builds a template with n levels of inline nested
// deployments.
func nestedDeployments(n int) string {
	var b strings.Builder
	b.WriteString(`{"$schema": "` + rgSchema + `", "resources": [`)
	for range n {
		b.WriteString(`{"type": "Microsoft.Resources/deployments", "name": "d", "properties": {"template": {"resources": [`)
	}
	b.WriteString(strings.Repeat("]}}}", n))
	b.WriteString("]}")
	return b.String()
}

func TestParseStructuralErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string // "line:col: message"
	}{
		{"root array", `[{"$schema": "x"}]`, "1:1: a template must be a JSON object, not an array"},
		{"resources string", "{\n\"resources\": \"x\"}", `2:14: "resources" must be an array or an object, not a string`},
		{"resource not object", `{"resources": [{}, 42]}`, "1:20: a resource must be an object, not a number"},
		{"symbolic resource not object", `{"resources": {"a": []}}`, "1:21: a resource must be an object, not an array"},
		{"child resources object", `{"resources": [{"resources": {}}]}`, `1:30: child "resources" must be an array, not an object`},
		{"parameters array", `{"parameters": []}`, `1:16: "parameters" must be an object, not an array`},
		{"parameter not object", `{"parameters": {"p": "string"}}`, `1:22: parameter "p" must be an object, not a string`},
		{"variables array", `{"variables": [1]}`, `1:15: "variables" must be an object, not an array`},
		{"functions object", `{"functions": {}}`, `1:15: "functions" must be an array, not an object`},
		{"nested template not object is ignored, nested resources checked",
			`{"resources": [{"type": "Microsoft.Resources/deployments", "properties": {"template": {"resources": 1}}}]}`,
			`1:101: "resources" must be an array or an object, not a number`},
		// The error anchors on the 65th nested template, the last `{"resources"`.
		{"nested too deep", nestedDeployments(65),
			fmt.Sprintf("1:%d: nested deployments deeper than 64 levels", strings.LastIndex(nestedDeployments(65), `{"resources"`)+1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := mustLoad(t, tt.src)
			_, err := Parse(f)
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse error = %v, want *SyntaxError", err)
			}
			if se.Path != "t.json" {
				t.Errorf("Path = %q", se.Path)
			}
			if got := se.Error(); got != "t.json:"+tt.want {
				t.Errorf("error = %q\n want %q", got, "t.json:"+tt.want)
			}
		})
	}
	// 64 levels are fine.
	tm := mustParse(t, nestedDeployments(64))
	if got := len(tm.Templates()); got != 65 {
		t.Errorf("64 nested levels: %d templates, want 65", got)
	}
	if _, err := Parse(&File{}); err == nil {
		t.Error("Parse of a file without tree should fail")
	}
}

func TestParseParameters(t *testing.T) {
	f := mustLoad(t, `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    // comments are allowed in parameter files
    "location": {"value": "westeurope"},
    "count": {"value": 3},
    "secret": {"reference": {"keyVault": {"id": "/subscriptions/x"}, "secretName": "s"}},
    "empty": {"metadata": {}},
    "obj": {"value": {"a": [1]}},
    "location": {"value": "ignored"}
  }
}`)
	if f.Kind != KindParameters {
		t.Fatalf("Kind = %v", f.Kind)
	}
	got, err := ParseParameters(f)
	if err != nil {
		t.Fatal(err)
	}
	flat := map[string]any{}
	for k, v := range got {
		flat[k] = v.Interface()
	}
	want := map[string]any{"location": "westeurope", "count": int64(3), "obj": map[string]any{"a": []any{int64(1)}}}
	if !reflect.DeepEqual(flat, want) {
		t.Errorf("ParseParameters = %v, want %v", flat, want)
	}
	if p := got["count"].Pointer(); p != "/parameters/count/value" {
		t.Errorf("pointer = %q", p)
	}
	for _, bad := range []struct{ src, want string }{
		{`[]`, "t.json:1:1: a parameter file must be a JSON object, not an array"},
		{`{"parameters": 1}`, `t.json:1:16: "parameters" must be an object, not a number`},
		{`{"parameters": {"a": 1}}`, `t.json:1:22: parameter "a" must be an object, not a number`},
	} {
		if _, err := ParseParameters(mustLoad(t, bad.src)); err == nil || err.Error() != bad.want {
			t.Errorf("ParseParameters(%s) error = %v, want %s", bad.src, err, bad.want)
		}
	}
	if m, err := ParseParameters(mustLoad(t, `{}`)); err != nil || len(m) != 0 {
		t.Errorf("no parameters: %v %v", m, err)
	}
}

// schemaKindByLowering is schemaKind as first written: it lowers the whole
// URL. schemaKind must agree with it on every input.
func schemaKindByLowering(schema string) (FileKind, Scope) {
	s := strings.ToLower(strings.TrimSpace(schema))
	if !strings.HasPrefix(s, "https://") && !strings.HasPrefix(s, "http://") {
		return KindOther, ScopeUnknown
	}
	if i := strings.IndexByte(s, '#'); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		s = s[i+1:]
	}
	switch s {
	case "deploymenttemplate.json":
		return KindTemplate, ScopeResourceGroup
	case "subscriptiondeploymenttemplate.json":
		return KindTemplate, ScopeSubscription
	case "managementgroupdeploymenttemplate.json":
		return KindTemplate, ScopeManagementGroup
	case "tenantdeploymenttemplate.json":
		return KindTemplate, ScopeTenant
	case "deploymentparameters.json", "subscriptiondeploymentparameters.json",
		"managementgroupdeploymentparameters.json", "tenantdeploymentparameters.json":
		return KindParameters, ScopeUnknown
	}
	return KindOther, ScopeUnknown
}

func TestSchemaKindAgreesWithLowering(t *testing.T) {
	inputs := []string{
		"", " ", "http:/", "https:", "HTTP://x/deploymentTemplate.json", " https://x/y/DeploymentParameters.json#frag \t",
		"https://x/managementGroupDeploymentParameters.json", "https://x/tenantDeploymentParameters.json#",
		"https://x/deploymentTemplate.json/", "https://x/deploymentTemplate.jsonx", "https://x/xdeploymentTemplate.json",
		"https://deploymentTemplate.json", "https://x#/deploymentTemplate.json", "ftp://x/deploymentTemplate.json",
		// Non-ASCII: 'İ' lowers to 'i'; 'ſ' and the Kelvin sign fold but do not lower to ASCII.
		"https://x/subscrİptionDeploymentTemplate.json", "https://x/ſubscriptionDeploymentTemplate.json",
		"HTTPſ://x/deploymentTemplate.json", "https://x/tenantDeploymentTemplate.json#é", "https://é/deploymentTemplate.json",
		"https://x/" + strings.Repeat("a", 100) + ".json", "\u212Attps://x/deploymentTemplate.json",
	}
	for _, in := range inputs {
		k, sc := schemaKind(in)
		wk, wsc := schemaKindByLowering(in)
		if k != wk || sc != wsc {
			t.Errorf("schemaKind(%q) = %v %v, want %v %v", in, k, sc, wk, wsc)
		}
	}
	if k, sc := schemaKind("https://x/subscrİptionDeploymentTemplate.json"); k != KindTemplate || sc != ScopeSubscription {
		t.Errorf("Unicode lowering lost: %v %v", k, sc)
	}
	if n := testing.AllocsPerRun(10, func() { schemaKind(rgSchema) }); n != 0 {
		t.Errorf("schemaKind allocates %v times", n)
	}
}

func FuzzSchemaKind(f *testing.F) {
	f.Add(rgSchema)
	f.Add("HTTPS://x/subscrİptionDeploymentTemplate.json#")
	f.Fuzz(func(t *testing.T, s string) {
		k, sc := schemaKind(s)
		if wk, wsc := schemaKindByLowering(s); k != wk || sc != wsc {
			t.Errorf("schemaKind(%q) = %v %v, want %v %v", s, k, sc, wk, wsc)
		}
	})
}
