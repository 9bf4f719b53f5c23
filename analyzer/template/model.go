package template

// This file declares the template model: what analyzer/expr, analyzer/graph
// and the rules see of a file. Values stay raw (unevaluated) here; the
// evaluator in analyzer/expr gives them meaning.

// FileKind says what a JSON file is, from its $schema.
type FileKind uint8

// File kinds.
const (
	KindOther      FileKind = iota // JSON that is neither a template nor a parameter file
	KindTemplate                   // a deployment template (any scope)
	KindParameters                 // a deploymentParameters file
)

// Scope is the target scope of a deployment template.
type Scope uint8

// Deployment scopes, from the $schema of a template.
const (
	ScopeUnknown Scope = iota
	ScopeResourceGroup
	ScopeSubscription
	ScopeManagementGroup
	ScopeTenant
)

func (s Scope) String() string {
	switch s {
	case ScopeResourceGroup:
		return "resourceGroup"
	case ScopeSubscription:
		return "subscription"
	case ScopeManagementGroup:
		return "managementGroup"
	case ScopeTenant:
		return "tenant"
	}
	return "unknown"
}

// Template is one deployment template: the root template of a file, or an
// inline nested template inside a Microsoft.Resources/deployments resource.
type Template struct {
	File            *File
	Root            *Value // the template object
	Schema          string
	Scope           Scope
	LanguageVersion string // "" or "2.0" (symbolic names)
	ContentVersion  string

	Parameters  []*Parameter // in source order; look up with Template.Parameter
	Variables   *Value       // object or nil
	Functions   *Value       // array or nil (user-defined functions)
	Definitions *Value       // object or nil (user-defined types)
	Resources   []*Resource  // flattened: nested child resources follow their parent
	Outputs     *Value       // object or nil
	Metadata    *Value       // object or nil

	// For an inline nested template: the deployment resource that holds it
	// in the parent template, and its expression evaluation scope.
	Parent     *Template
	Deployment *Resource
	EvalScope  EvalScope
	Depth      int // 0 for the root template
}

// EvalScope is a nested template's expressionEvaluationOptions.scope.
type EvalScope uint8

// Evaluation scopes of nested templates.
const (
	EvalOuter EvalScope = iota // the default: the parent's parameters and variables
	EvalInner                  // the nested template's own parameters and variables
)

// Symbolic reports whether resources are keyed by symbolic name
// (languageVersion 2.0).
func (t *Template) Symbolic() bool { return t.LanguageVersion != "" && t.LanguageVersion[0] >= '2' }

// Parameter is a template parameter declaration.
type Parameter struct {
	Name          string
	Node          *Value // the declaration object
	Type          string // as written: string, int, bool, object, array, securestring, secureObject
	Default       *Value // nil when there is no defaultValue
	AllowedValues *Value // nil when absent
	Nullable      bool
}

// Resource is one resource declaration. Child resources declared inside a
// parent's "resources" array are flattened into Template.Resources, with
// Parent set.
type Resource struct {
	Template *Template
	Node     *Value // the resource object
	Index    int    // position in Template.Resources
	Symbolic string // symbolic name (languageVersion 2.0), "" otherwise
	Parent   *Resource

	// The raw nodes of the resource's properties; nil when absent or null.
	Type       *Value // as written (a child's type may be relative to its parent)
	APIVersion *Value
	Name       *Value // as written (a child's name is relative to its parent)
	Location   *Value
	Condition  *Value
	Copy       *Value
	DependsOn  *Value
	Identity   *Value
	Properties *Value
	Scope      *Value // extension resource scope
	Existing   bool   // "existing": true (a reference, not deployed)

	// Nested is the inline template of a Microsoft.Resources/deployments
	// resource (properties.template), or nil.
	Nested *Template
}

// File returns the resource's file.
func (r *Resource) File() *File { return r.Node.File() }

// Span returns the byte span of the resource object.
func (r *Resource) Span() (int, int) { return r.Node.Span() }

// Pointer returns the JSON pointer of the resource object.
func (r *Resource) Pointer() string { return r.Node.Pointer() }
