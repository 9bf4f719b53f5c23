package graph

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/armlint/armlint/analyzer/expr"
	"github.com/armlint/armlint/analyzer/template"
)

// MaxCopyCount is ARM's limit on the number of instances of a copy loop.
const MaxCopyCount = 800

// Options configure Build.
type Options struct {
	// Eval is passed to the evaluator of the root template: parameter
	// values and the deployment context.
	Eval expr.Options
	// LoadLinked loads a linked template given by templateLink.relativePath
	// (or a uri relative to the linking template's own location). The path
	// is relative to the directory of the file from. A nil LoadLinked
	// leaves linked templates unresolved.
	LoadLinked func(from *template.File, rel string) (*template.Template, error)
}

// Note is something Build could not follow (an unsupported function, an
// unresolvable linked template, a loop over ARM's limit); the engine
// reports it as AL0003.
type Note struct {
	Node    template.Node
	Message string
}

// builder holds the state of one Build.
type builder struct {
	g          *Graph
	opts       Options
	notes      []Note
	principals map[string]*Principal
	envs       []*expr.Env // every environment made, for unsupported functions
	derefDepth int         // nesting of output evaluations in progress
	index      *index      // the resources added so far, by what lookup resolves (see indexed)
	indexed    int         // how many of g.Resources index holds
	free       []Resource  // allocated resources not yet used (see newResource)
}

// maxResourceChunk bounds the resources newResource allocates together.
const maxResourceChunk = 32

// newResource returns a zero Resource, allocated with others: want is how
// many the caller expects to need from this one on (the instances and
// declarations left in its template), so that a template's resources take
// one allocation or a few. The chunk lives as long as any of its
// resources, which all belong to one graph.
func (b *builder) newResource(want int) *Resource {
	if len(b.free) == 0 {
		b.free = make([]Resource, min(max(want, 1), maxResourceChunk))
	}
	r := &b.free[0]
	b.free = b.free[1:]
	return r
}

// Build evaluates a template (and its inline and linked nested templates)
// and builds its identity graph.
func Build(t *template.Template, opts Options) (*Graph, []Note) {
	b := &builder{
		g:          &Graph{Template: t, byNode: map[*template.Value]*Resource{}, byKey: map[string]*Resource{}},
		opts:       opts,
		principals: map[string]*Principal{},
	}
	eval := opts.Eval
	eval.ResolveOutput = b.output
	eval.OnLimit = func(n *template.Value, reason string) {
		if n == nil {
			n = t.Root
		}
		b.note(n, "%s", reason)
	}
	root := expr.NewEnv(t, eval)
	b.envs = append(b.envs, root)
	b.addTemplate(t, root, nil, Yes)
	for _, r := range b.g.Resources {
		b.identity(r)
	}
	for _, r := range b.g.Resources {
		if isRoleAssignment(r) {
			b.assignment(r)
		}
	}
	b.g.resolver = b
	seen := map[string]bool{}
	for _, env := range b.envs {
		for _, name := range env.Unsupported() {
			if !seen[name] {
				seen[name] = true
				b.note(t.Root, "function %s() is not supported; values that use it are treated as unknown", name)
			}
		}
	}
	return b.g, b.notes
}

func (b *builder) note(n template.Node, format string, args ...any) {
	b.notes = append(b.notes, Note{Node: n, Message: fmt.Sprintf(format, args...)})
}

// addTemplate adds the resources of t, evaluated in env. dep is the
// deployment resource (instance) that holds t, nil for the root; deployed
// is its state.
func (b *builder) addTemplate(t *template.Template, env *expr.Env, dep *Resource, deployed Tri) {
	byRes := map[*template.Resource][]*Resource{}
	for i, tr := range t.Resources {
		parentState := deployed
		var parents []*Resource
		if tr.Parent != nil {
			parents = byRes[tr.Parent]
		}
		var one [1]instance
		typ, key := tr.FullType(), resourceKey(tr, dep) // the same for every instance
		insts := b.instances(tr, env, &one)
		for j, inst := range insts {
			r := b.newResource(len(insts) - j + len(t.Resources) - i - 1)
			*r = Resource{
				Res: tr, Type: typ, env: inst.env, Deployment: dep,
				Instance: inst.index, Loop: inst.loop, Count: inst.count,
			}
			r.Key = instanceKey(key, inst.index)
			if r.Type == "" && tr.Type != nil {
				if s, ok := inst.env.EvalNode(tr.Type).Str(); ok {
					r.Type = s
				}
			}
			state := parentState
			if len(parents) > 0 {
				r.Parent = parents[0]
				state = parents[0].Deployed
			}
			r.Name = fullName(tr, inst.env, r.Parent)
			r.Location = normaliseLocation(evalOrNull(inst.env, tr.Location))
			r.Deployed = combine(combine(state, inst.state), conditionState(tr, inst.env))
			r.ID = resourceID(r, inst.env)
			byRes[tr] = append(byRes[tr], r)
			b.g.Resources = append(b.g.Resources, r)
			if _, ok := b.g.byNode[tr.Node]; !ok {
				b.g.byNode[tr.Node] = r
			}
			b.g.byKey[r.Key] = r
			b.nested(r, tr, inst.env)
		}
	}
}

// nested adds the inline or linked template of a deployment resource.
func (b *builder) nested(r *Resource, tr *template.Resource, env *expr.Env) {
	nt := tr.Nested
	if nt == nil {
		nt = b.linked(r, tr, env)
	}
	if nt == nil {
		return
	}
	r.NestedTemplate = nt
	r.nestedEnv = env.Nested(nt)
	b.envs = append(b.envs, r.nestedEnv)
	b.addTemplate(nt, r.nestedEnv, r, r.Deployed)
}

// linked resolves templateLink of a deployment resource to a file beside
// the linking template: templateLink.relativePath, or a uri built from
// the template's own location (deployment().properties.templateLink.uri,
// usually through the _artifactsLocation parameter).
func (b *builder) linked(r *Resource, tr *template.Resource, env *expr.Env) *template.Template {
	if !strings.EqualFold(r.Type, "Microsoft.Resources/deployments") {
		return nil
	}
	link := tr.Properties.Path("templateLink")
	if link == nil {
		return nil
	}
	var rel string
	var where *template.Value
	if n := link.Get("relativePath"); n != nil {
		where = n
		v := env.EvalNode(n)
		s, ok := v.Str()
		if !ok {
			b.note(n, "linked template %s could not be resolved: its relativePath is not known statically", v.Expr())
			return nil
		}
		rel = s
	} else if n := link.Get("uri"); n != nil {
		where = n
		v := env.EvalNode(n)
		rel = relativeURI(v)
		if rel == "" {
			if s, ok := v.Str(); ok {
				b.note(n, "linked template %s is remote and was not analysed", s)
			} else {
				b.note(n, "linked template %s could not be resolved to a local file", v.Expr())
			}
			return nil
		}
	} else {
		return nil // templateLink.id: a template spec, not a file
	}
	if b.opts.LoadLinked == nil || tr.Template.Depth >= template.MaxNestedDepth {
		return nil
	}
	nt, err := b.opts.LoadLinked(tr.Template.File, rel)
	if err != nil && tr.Template.File != b.g.Template.File {
		// _artifactsLocation passed down from the root template is the
		// root's location, not the linking template's.
		if alt, altErr := b.opts.LoadLinked(b.g.Template.File, rel); altErr == nil {
			nt, err = alt, nil
		}
	}
	if err != nil {
		b.note(where, "linked template %s: %v", rel, err)
		return nil
	}
	nt.Parent = tr.Template
	nt.Deployment = tr
	nt.EvalScope = template.EvalInner // linked templates always have their own scope
	nt.Depth = tr.Template.Depth + 1
	if nt.Scope == template.ScopeUnknown {
		nt.Scope = tr.Template.Scope
	}
	return nt
}

// relativeURI returns the path of a linked template's uri relative to the
// linking template, when the uri is built only from the template's own
// location — deployment().properties.templateLink.uri, or the
// _artifactsLocation parameter that by convention holds it — literal path
// segments and the _artifactsLocationSasToken parameter, with uri() and
// concat(): uri(deployment().properties.templateLink.uri, 'nested/x.json'),
// uri(parameters('_artifactsLocation'), concat('nested/x.json',
// parameters('_artifactsLocationSasToken'))). It returns "" for anything
// else.
func relativeURI(v expr.Value) string {
	u := v.Unknown()
	if u == nil {
		return ""
	}
	rest := u.Expr
	based := false
	var path strings.Builder
	for rest != "" {
		switch {
		case strings.HasPrefix(rest, "deployment().properties.templateLink.uri"):
			rest, based = rest[len("deployment().properties.templateLink.uri"):], true
		case template.HasPrefixFold(rest, "parameters('_artifactsLocation')"):
			rest, based = rest[len("parameters('_artifactsLocation')"):], true
		case template.HasPrefixFold(rest, "parameters('_artifactsLocationSasToken')"):
			rest = rest[len("parameters('_artifactsLocationSasToken')"):]
		case strings.HasPrefix(rest, "uri("), strings.HasPrefix(rest, "concat("):
			rest = rest[strings.IndexByte(rest, '(')+1:]
		case rest[0] == ',' || rest[0] == ' ' || rest[0] == ')':
			rest = rest[1:]
		case rest[0] == '\'':
			end := strings.IndexByte(rest[1:], '\'')
			if end < 0 || !based {
				return ""
			}
			path.WriteString(rest[1 : end+1])
			rest = rest[end+2:]
		default:
			return ""
		}
	}
	s := strings.TrimPrefix(path.String(), "/")
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
	}
	if !based || s == "" || strings.Contains(s, "://") {
		return ""
	}
	return s
}

// lowerIs reports whether strings.ToLower(s) == lower, without
// lower-casing an ASCII s.
func lowerIs(s, lower string) bool {
	if !template.IsASCII(s) {
		return strings.ToLower(s) == lower
	}
	return len(s) == len(lower) && strings.EqualFold(s, lower)
}

// lowerHasSuffix reports whether strings.ToLower(s) ends with suffix,
// without lower-casing an ASCII s.
func lowerHasSuffix(s, suffix string) bool {
	if !template.IsASCII(s) {
		return strings.HasSuffix(strings.ToLower(s), suffix)
	}
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

// instance is one evaluation of a resource declaration.
type instance struct {
	env   *expr.Env
	index int        // copy index, -1 outside a loop or when the count is unknown
	loop  string     // copy loop name
	count expr.Value // loop count as evaluated
	state Tri        // No for a loop of zero instances
}

// instances expands a resource's copy loop: one instance per copy index
// when the count is known (and within ARM's limit), else one instance in
// which copyIndex() is unknown. A single instance is returned in one.
func (b *builder) instances(tr *template.Resource, env *expr.Env, one *[1]instance) []instance {
	if tr.Copy == nil || tr.Copy.Kind != template.Object {
		one[0] = instance{env: env, index: -1, state: Yes}
		return one[:]
	}
	loop := tr.Copy.Get("name").StringOr("")
	count := expr.Null()
	if c := tr.Copy.Get("count"); c != nil {
		count = env.EvalNode(c)
	}
	one[0] = instance{env: env, index: -1, loop: loop, count: count, state: Maybe}
	single := one[:]
	n, ok := count.IntVal()
	if !ok {
		if f, isNum := count.FloatVal(); isNum && f == float64(int64(f)) {
			n, ok = int64(f), true
		}
	}
	switch {
	case !ok:
		return single
	case n > MaxCopyCount:
		b.note(tr.Copy.Get("count"), "copy loop %q has %d instances; ARM allows at most %d", loop, n, MaxCopyCount)
		return single
	case n <= 0:
		single[0].state = No
		return single
	}
	out := make([]instance, n)
	for i := range out {
		out[i] = instance{env: env.WithCopyIndex(loop, i), index: i, loop: loop, count: count, state: Yes}
	}
	return out
}

// resourceKey is the stable key of a resource declaration: its JSON
// pointer, prefixed by the key of the deployment instance that holds it.
// instanceKey adds the copy index of each instance.
func resourceKey(tr *template.Resource, dep *Resource) string {
	key := tr.Pointer()
	if dep != nil {
		if tr.File() == dep.Res.File() {
			key = dep.Key + strings.TrimPrefix(key, dep.Res.Pointer())
		} else {
			key = dep.Key + "=>" + tr.File().Path + "#" + key
		}
	}
	return key
}

// instanceKey is the stable key of one instance of a resource: the key of
// its declaration suffixed with its copy index, if any.
func instanceKey(key string, index int) string {
	if index >= 0 {
		key += "[" + strconv.Itoa(index) + "]"
	}
	return key
}

// fullName evaluates a resource's name, prefixing the name of its parent
// for a child resource declared inside the parent.
func fullName(tr *template.Resource, env *expr.Env, parent *Resource) expr.Value {
	name := evalOrNull(env, tr.Name)
	if parent == nil {
		return name
	}
	return concatNames(parent.Name, name)
}

func concatNames(a, b expr.Value) expr.Value {
	as, ok1 := a.Str()
	bs, ok2 := b.Str()
	if ok1 && ok2 {
		return expr.String(as + "/" + bs).WithDefaults(a.Defaults()...).WithDefaults(b.Defaults()...)
	}
	return expr.NewUnknown(&expr.Unknown{
		Expr:   "concat(" + literalText(a) + ", '/', " + literalText(b) + ")",
		Reason: "the name of the resource is not known",
	})
}

// literalText renders a value as expression text that evaluates to it:
// a quoted literal for a known string, the canonical expression of an
// unknown.
func literalText(v expr.Value) string { return v.Expr() }

func evalOrNull(env *expr.Env, v *template.Value) expr.Value {
	if v == nil {
		return expr.Null()
	}
	return env.EvalNode(v)
}

// conditionState evaluates the deployment state of a resource on its own:
// existing resources and false conditions are not deployed.
func conditionState(tr *template.Resource, env *expr.Env) Tri {
	if tr.Existing {
		return No
	}
	if tr.Condition == nil {
		return Yes
	}
	c := env.EvalNode(tr.Condition)
	if b, ok := c.BoolVal(); ok {
		if b {
			return Yes
		}
		return No
	}
	if s, ok := c.Str(); ok {
		switch strings.ToLower(s) {
		case "true":
			return Yes
		case "false":
			return No
		}
	}
	return Maybe
}

// combine returns the state of a resource inside something in state outer.
func combine(outer, own Tri) Tri {
	if outer == No || own == No {
		return No
	}
	if outer == Maybe || own == Maybe {
		return Maybe
	}
	return Yes
}

// normaliseLocation lower-cases a known location and removes spaces, so
// that "West US" and "westus" compare equal.
func normaliseLocation(v expr.Value) expr.Value {
	s, ok := v.Str()
	if !ok {
		return v
	}
	return expr.String(strings.ReplaceAll(strings.ToLower(s), " ", "")).WithDefaults(v.Defaults()...)
}

// resourceID computes a resource's ID with the evaluator's own resource ID
// functions, so that an ID built from unknown parts has the same canonical
// text as the same ID written in an expression elsewhere.
func resourceID(r *Resource, env *expr.Env) expr.Value {
	if r.Type == "" {
		return expr.NewUnknown(&expr.Unknown{Expr: "resourceId(?)", Reason: "the type of the resource is not known"})
	}
	if lowerHasSuffix(r.Type, "/providers/roleassignments") {
		return legacyAssignmentID(r, env)
	}
	if r.Res.Scope != nil {
		scope := scopeID(env.EvalNode(r.Res.Scope), env)
		return env.EvalCall("extensionResourceId", scope, expr.String(r.Type), r.Name)
	}
	if lowerIs(r.Type, "microsoft.resources/deployments") {
		// A deployment into another resource group or subscription lives there.
		rg, sub := r.Res.Node.Get("resourceGroup"), r.Res.Node.Get("subscriptionId")
		switch {
		case rg != nil && sub != nil:
			return env.EvalCall("resourceId", env.EvalNode(sub), env.EvalNode(rg), expr.String(r.Type), r.Name)
		case rg != nil:
			return env.EvalCall("resourceId", env.EvalNode(rg), expr.String(r.Type), r.Name)
		case sub != nil && r.Res.Template.Scope == template.ScopeSubscription:
			return env.EvalCall("subscriptionResourceId", env.EvalNode(sub), expr.String(r.Type), r.Name)
		}
	}
	return env.EvalCall("resourceId", expr.String(r.Type), r.Name)
}

// legacyAssignmentID is the ID of a role assignment in the legacy form:
// type "{ns}/{type}/providers/roleAssignments", name
// "{resource}/Microsoft.Authorization/{guid}".
func legacyAssignmentID(r *Resource, env *expr.Env) expr.Value {
	name, ok := r.Name.Str()
	if !ok {
		return expr.NewUnknown(&expr.Unknown{Expr: "resourceId(" + quote(r.Type) + ", " + r.Name.Expr() + ")", Reason: "the name of the resource is not known"})
	}
	i := strings.Index(strings.ToLower(name), "/microsoft.authorization/")
	if i < 0 {
		return expr.NewUnknown(&expr.Unknown{Expr: quote(name), Reason: "the name of a legacy role assignment must be {resource}/Microsoft.Authorization/{guid}"})
	}
	parentType := r.Type[:len(r.Type)-len("/providers/roleAssignments")]
	parent := env.EvalCall("resourceId", expr.String(parentType), expr.String(name[:i]))
	s, ok := parent.Str()
	if !ok {
		return parent
	}
	return expr.String(s + "/providers/Microsoft.Authorization/roleAssignments/" + name[i+len("/microsoft.authorization/"):])
}

// scopeID turns a scope value into a full resource ID: a relative
// "{ns}/{type}/{name}" is resolved against the deployment's resource group.
func scopeID(v expr.Value, env *expr.Env) expr.Value {
	s, ok := v.Str()
	if !ok || strings.HasPrefix(s, "/") {
		return v
	}
	rg, ok := env.EvalString("[resourceGroup().id]").Str()
	if !ok {
		return v
	}
	if strings.HasPrefix(strings.ToLower(s), "microsoft.management/managementgroups/") {
		return expr.String("/providers/" + s)
	}
	return expr.String(rg + "/providers/" + s)
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
