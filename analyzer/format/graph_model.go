package format

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/armlint/armlint/analyzer/expr"
	"github.com/armlint/armlint/analyzer/graph"
)

// This file turns identity graphs into a picture: nodes, labelled edges and
// clusters, shared by the Graphviz (graph_dot.go) and Mermaid
// (graph_mermaid.go) writers. Only what matters for identities is drawn:
// resources with an identity, identities, principals and the scopes of
// role assignments. IDs come from positions in the graph (file index,
// resource index), so the output is the same on every run.

// nodeKind says how a node is drawn.
type nodeKind uint8

const (
	nodeResource         nodeKind = iota // a resource of the file
	nodeUserIdentity                     // a user-assigned identity resource of the file
	nodeSystemIdentity                   // the system-assigned identity of a resource
	nodeExternalIdentity                 // a user-assigned identity named by ID, not in the file
	nodePrincipal                        // a principal passed as a parameter or written as a GUID
	nodeScope                            // a resource group, subscription, management group, tenant
	nodeExternalResource                 // a scope that is a resource outside the file
)

// isIdentity reports whether nodes of kind k are managed identities.
func (k nodeKind) isIdentity() bool {
	return k == nodeUserIdentity || k == nodeSystemIdentity || k == nodeExternalIdentity
}

type pnode struct {
	id      string
	lines   []string // label, one element per line
	kind    nodeKind
	unknown bool // stands for a value not known before deployment: dashed
	faded   bool // not deployed (existing, or condition false): grey
}

type edgeKind uint8

const (
	edgeUses       edgeKind = iota // resource → user-assigned identity
	edgeHasSystem                  // resource → its system-assigned identity
	edgeAssignment                 // principal → scope, labelled role @ scope
)

type pedge struct {
	from, to   *pnode
	label      string
	kind       edgeKind
	privileged bool // a privileged role: red and bold
	unknown    bool // rests on an unknown value: dashed
	faded      bool // the assignment is not deployed
}

type pcluster struct {
	id       string
	label    string
	nodes    []*pnode
	children []*pcluster
}

// empty reports whether a cluster has nothing to draw (a nested
// deployment named only in an edge label).
func (c *pcluster) empty() bool {
	if len(c.nodes) > 0 {
		return false
	}
	for _, child := range c.children {
		if !child.empty() {
			return false
		}
	}
	return true
}

// picture is a drawing of one or more files' identity graphs.
type picture struct {
	files []*pcluster
	edges []*pedge
}

// newPicture lays out graphs, in order; nil graphs are skipped.
func newPicture(graphs []*graph.Graph) *picture {
	p := &picture{}
	for i, g := range graphs {
		if g == nil {
			continue
		}
		b := &pictureBuilder{
			p: p, g: g, prefix: "f" + strconv.Itoa(i),
			index:    map[*graph.Resource]int{},
			nodes:    map[string]*pnode{},
			clusters: map[*graph.Resource]*pcluster{},
			edgeSeen: map[string]bool{},
		}
		b.build()
	}
	return p
}

type pictureBuilder struct {
	p        *picture
	g        *graph.Graph
	prefix   string
	index    map[*graph.Resource]int
	nodes    map[string]*pnode             // by key (see node)
	clusters map[*graph.Resource]*pcluster // by deployment resource
	file     *pcluster
	counter  int
	edgeSeen map[string]bool
}

func (b *pictureBuilder) build() {
	label := "template"
	if t := b.g.Template; t != nil && t.File != nil {
		label = t.File.Path
	}
	b.file = &pcluster{id: "cluster_" + b.prefix, label: label}
	b.p.files = append(b.p.files, b.file)
	for i, r := range b.g.Resources {
		b.index[r] = i
	}
	// Identities and the resources that have or use them.
	for _, r := range b.g.Resources {
		if isUserIdentity(r) {
			b.resource(r)
		}
		id := r.Identity
		if id == nil {
			continue
		}
		if id.System != graph.No {
			b.systemIdentity(r, id.System == graph.Maybe)
		}
		for _, ref := range id.UserAssigned {
			to, unknown := b.userAssignedTarget(r, ref)
			b.edge(&pedge{from: b.resource(r), to: to, label: "uses", kind: edgeUses, unknown: unknown})
		}
		if len(id.UserAssigned) == 0 && id.User != graph.No {
			if u := id.UserAssignedValue.Unknown(); u != nil {
				to := b.unknownNode(r.Deployment, "uai", append([]string{"user-assigned identities?"}, exprLines(u.Expr)...), nodeExternalIdentity, u.Expr)
				b.edge(&pedge{from: b.resource(r), to: to, label: "uses", kind: edgeUses, unknown: true})
			}
		}
	}
	// Role assignments: principal → scope.
	for _, a := range b.g.Assignments {
		b.assignment(a)
	}
}

// cluster returns the cluster of a nested deployment (nil: the file's),
// inside the cluster of the deployment that declares it. A linked
// template's cluster also names its file.
func (b *pictureBuilder) cluster(d *graph.Resource) *pcluster {
	if d == nil {
		return b.file
	}
	if c, ok := b.clusters[d]; ok {
		return c
	}
	parent := b.cluster(d.Deployment)
	c := &pcluster{id: "cluster_" + b.prefix + "_d" + strconv.Itoa(b.index[d]), label: "deployment " + nameText(d.Name)}
	if t := d.NestedTemplate; t != nil && t.File != nil && b.g.Template != nil && t.File != b.g.Template.File {
		c.label += " (" + t.File.Path + ")"
	}
	b.clusters[d] = c
	parent.children = append(parent.children, c)
	return c
}

// node returns the node with the given key, creating it in cluster c with
// make when it does not exist yet.
func (b *pictureBuilder) node(key string, c *pcluster, mk func() *pnode) *pnode {
	if n, ok := b.nodes[key]; ok {
		return n
	}
	n := mk()
	b.nodes[key] = n
	c.nodes = append(c.nodes, n)
	return n
}

func (b *pictureBuilder) edge(e *pedge) {
	key := e.from.id + "\x00" + e.to.id + "\x00" + e.label
	if b.edgeSeen[key] {
		return
	}
	b.edgeSeen[key] = true
	b.p.edges = append(b.p.edges, e)
}

func (b *pictureBuilder) resID(r *graph.Resource) string {
	return b.prefix + "_r" + strconv.Itoa(b.index[r])
}

// resource returns the node of a resource of the file.
func (b *pictureBuilder) resource(r *graph.Resource) *pnode {
	return b.node("res:"+b.resID(r), b.cluster(r.Deployment), func() *pnode {
		n := &pnode{id: b.resID(r), kind: nodeResource, lines: []string{typeLast(r.Type), nameText(r.Name)}}
		if isUserIdentity(r) {
			n.kind = nodeUserIdentity
			n.lines[0] = "user-assigned identity"
		}
		switch {
		case r.Res.Existing:
			n.lines = append(n.lines, "(existing)")
			n.faded = true
		case r.Deployed == graph.No:
			n.lines = append(n.lines, "(not deployed)")
			n.faded = true
		case r.Deployed == graph.Maybe:
			n.lines = append(n.lines, "(conditional)")
		}
		if r.Loop != "" && r.Instance < 0 {
			n.lines = append(n.lines, "(copy loop, count unknown)")
		}
		n.unknown = r.Name.Unknown() != nil
		return n
	})
}

// systemIdentity returns the node of r's system-assigned identity, with
// the edge from r.
func (b *pictureBuilder) systemIdentity(r *graph.Resource, maybe bool) *pnode {
	owner := b.resource(r)
	n := b.node("sys:"+b.resID(r), b.cluster(r.Deployment), func() *pnode {
		n := &pnode{id: b.resID(r) + "_sys", kind: nodeSystemIdentity, lines: []string{"system identity"}, faded: owner.faded}
		if maybe {
			n.lines[0] = "system identity?"
			n.unknown = true
		}
		return n
	})
	b.edge(&pedge{from: owner, to: n, label: "has system identity", kind: edgeHasSystem, unknown: n.unknown})
	return n
}

// userAssignedTarget returns the node a userAssignedIdentities key names.
func (b *pictureBuilder) userAssignedTarget(r *graph.Resource, ref *graph.UserAssignedRef) (*pnode, bool) {
	if ref.Target != nil {
		return b.resource(ref.Target), false
	}
	if s, ok := ref.ID.Str(); ok {
		return b.externalIdentity(s, "user-assigned identity", lastSegment(s)), false
	}
	e := valueText(ref.ID)
	return b.unknownNode(r.Deployment, "uai", append([]string{"user-assigned identity?"}, exprLines(e)...), nodeExternalIdentity, e), true
}

// externalIdentity returns the node of an identity outside the file, by
// its resource ID.
func (b *pictureBuilder) externalIdentity(id, what, name string) *pnode {
	return b.node("ext:"+what+":"+strings.ToLower(id), b.file, func() *pnode {
		return &pnode{id: b.nextID("x"), kind: nodeExternalIdentity, lines: []string{what, name, "(outside the file)"}}
	})
}

// managedIdentity returns the node of an identity a resource manages
// itself (AKS kubelet identity), with the edge from its resource.
func (b *pictureBuilder) managedIdentity(p *graph.Principal) *pnode {
	owner := b.resource(p.Owner)
	n := b.node("managed:"+p.ID, b.cluster(p.Owner.Deployment), func() *pnode {
		return &pnode{id: b.nextID("m"), kind: nodeSystemIdentity, lines: []string{"managed identity", managedName(p.Path)}, faded: owner.faded}
	})
	b.edge(&pedge{from: owner, to: n, label: "manages", kind: edgeHasSystem})
	return n
}

// managedName names a managed identity by the property it is read from:
// "identityProfile.kubeletidentity.objectId" → "kubeletidentity".
func managedName(path string) string {
	parts := strings.Split(path, ".")
	for i := len(parts) - 1; i >= 0; i-- {
		switch strings.ToLower(parts[i]) {
		case "objectid", "principalid", "clientid", "identity", "properties", "":
			continue
		}
		return parts[i]
	}
	return path
}

// unknownNode returns a dashed node for an unknown value, one per
// expression and template (the same text in two templates with their own
// parameters need not be the same value).
func (b *pictureBuilder) unknownNode(d *graph.Resource, what string, lines []string, kind nodeKind, expression string) *pnode {
	c := b.cluster(d)
	return b.node("unknown:"+what+":"+c.id+":"+expression, c, func() *pnode {
		return &pnode{id: b.nextID("u"), kind: kind, lines: lines, unknown: true}
	})
}

func (b *pictureBuilder) nextID(kind string) string {
	b.counter++
	return b.prefix + "_" + kind + strconv.Itoa(b.counter)
}

func (b *pictureBuilder) assignment(a *graph.Assignment) {
	t := a.Resource.Deployment
	var from *pnode
	p := a.Principal
	switch {
	case p == nil:
		e := valueText(a.PrincipalID)
		from = b.unknownNode(t, "principal", append([]string{"principal?"}, exprLines(e)...), nodePrincipal, e)
	case p.Kind == graph.PrincipalSystemAssigned && p.Owner != nil:
		from = b.systemIdentity(p.Owner, false)
	case p.Kind == graph.PrincipalUserAssigned && p.Owner != nil:
		from = b.resource(p.Owner)
	case p.Kind == graph.PrincipalUserAssigned && p.External != "":
		from = b.externalIdentity(p.External, "user-assigned identity", lastSegment(p.External))
	case p.Kind == graph.PrincipalSystemAssigned && p.External != "":
		typ, name := splitResourceID(p.External)
		from = b.externalIdentity(p.External, "system identity of", typ+" "+name)
	case p.Kind == graph.PrincipalManaged && p.Owner != nil:
		from = b.managedIdentity(p)
	default:
		from = b.node("principal:"+p.ID, b.file, func() *pnode {
			n := &pnode{id: b.nextID("p"), kind: nodePrincipal, lines: []string{"principal"}}
			switch p.Kind {
			case graph.PrincipalParameter:
				n.lines = append(n.lines, "parameter '"+p.Param+"'")
			case graph.PrincipalLiteral:
				n.lines = append(n.lines, p.GUID)
			case graph.PrincipalDeployer:
				n.lines = []string{"deploying principal", "deployer()"}
			default:
				n.lines = append(n.lines, p.Describe())
			}
			return n
		})
	}
	to, scopeUnknown := b.scope(a)
	e := &pedge{from: from, to: to, kind: edgeAssignment, privileged: a.Role.Privileged}
	role := a.Role.Name
	switch {
	case role != "":
	case a.Role.Known():
		role = "role " + a.Role.ID
	default:
		role = "role? " + shorten(compactExpr(valueText(a.RoleValue)), 40)
	}
	e.label = role + " @ " + scopeWords(a.Scope.Kind)
	switch a.Resource.Deployed {
	case graph.No:
		e.label += " (not deployed)"
		e.faded = true
	case graph.Maybe:
		e.label += " (conditional)"
	}
	if t != nil {
		// Declared in a nested deployment: say which, since the edge
		// may leave its cluster.
		e.label += "\n(" + b.cluster(t).label + ")"
	}
	e.unknown = p == nil || !a.Role.Known() || scopeUnknown
	b.edge(e)
}

// scope returns the node an assignment's scope denotes: a resource of the
// file when it can be found, else a scope node.
func (b *pictureBuilder) scope(a *graph.Assignment) (*pnode, bool) {
	sc := a.Scope
	t := a.Resource.Deployment
	switch sc.Kind {
	case graph.ScopeUnknown:
		e := valueText(sc.Value)
		return b.unknownNode(t, "scope", append([]string{"scope?"}, exprLines(e)...), nodeScope, e), true
	case graph.ScopeResource:
		if r := b.scopeResource(a); r != nil {
			return b.resource(r), false
		}
		if sc.Target == "" {
			e := valueText(sc.Value)
			return b.unknownNode(t, "scope", append([]string{"resource?"}, exprLines(e)...), nodeExternalResource, e), true
		}
		return b.node("scope:"+strings.ToLower(sc.Target), b.file, func() *pnode {
			typ, name := splitResourceID(sc.Target)
			return &pnode{id: b.nextID("s"), kind: nodeExternalResource, lines: []string{typ, name, "(outside the file)"}}
		}), false
	}
	return b.node("scope:"+sc.Kind.String()+":"+strings.ToLower(sc.Target), b.file, func() *pnode {
		n := &pnode{id: b.nextID("s"), kind: nodeScope, lines: []string{scopeWords(sc.Kind)}}
		if name := scopeName(sc); name != "" {
			n.lines = append(n.lines, name)
		}
		return n
	}), false
}

// scopeResource finds the resource of the file an assignment at resource
// scope applies to.
func (b *pictureBuilder) scopeResource(a *graph.Assignment) *graph.Resource {
	r := a.Resource
	if i := strings.Index(strings.ToLower(r.Type), "/providers/roleassignments"); i >= 0 {
		// Legacy form: type {parentType}/providers/roleAssignments, name
		// {parentName}/Microsoft.Authorization/{guid}.
		name, ok := r.Name.Str()
		if !ok {
			return nil
		}
		parentType := r.Type[:i]
		k := strings.Count(parentType, "/")
		segs := strings.Split(name, "/")
		if len(segs) < k {
			return nil
		}
		parentName := strings.Join(segs[:k], "/")
		for _, c := range b.g.Resources {
			if n, ok := c.Name.Str(); ok && strings.EqualFold(c.Type, parentType) && strings.EqualFold(n, parentName) {
				return c
			}
		}
		return nil
	}
	return findResource(b.g, a.Scope.Value)
}

// findResource returns the resource of g a value denotes: its resource ID
// (or the same unknown ID expression), its symbolic name, a relative
// "{namespace}/{type}/{name}" ID, or, without a leading slash, its unique
// name. It returns nil when none or several match.
func findResource(g *graph.Graph, v expr.Value) *graph.Resource {
	s, ok := v.Str()
	if !ok {
		if u := v.Unknown(); u != nil {
			for _, r := range g.Resources {
				if ru := r.ID.Unknown(); ru != nil && ru.Expr == u.Expr {
					return r
				}
			}
		}
		return nil
	}
	s = strings.TrimSpace(s)
	for _, r := range g.Resources {
		if id, ok := r.ID.Str(); ok && strings.EqualFold(id, s) {
			return r
		}
	}
	for _, r := range g.Resources {
		if r.Res != nil && r.Res.Symbolic != "" && r.Res.Symbolic == s {
			return r
		}
	}
	if strings.HasPrefix(s, "/") {
		return nil
	}
	var found *graph.Resource
	unique := func(r *graph.Resource) bool {
		if found != nil && found != r {
			return false
		}
		found = r
		return true
	}
	for _, r := range g.Resources {
		if id, ok := r.ID.Str(); ok && strings.HasSuffix(strings.ToLower(id), "/providers/"+strings.ToLower(s)) {
			if !unique(r) {
				return nil
			}
		}
	}
	if found != nil {
		return found
	}
	for _, r := range g.Resources {
		if n, ok := r.Name.Str(); ok && strings.EqualFold(n, s) {
			if !unique(r) {
				return nil
			}
		}
	}
	return found
}

func isUserIdentity(r *graph.Resource) bool {
	return strings.EqualFold(r.Type, "Microsoft.ManagedIdentity/userAssignedIdentities")
}

// scopeWords names a scope kind for people.
func scopeWords(k graph.ScopeKind) string {
	switch k {
	case graph.ScopeResource:
		return "resource"
	case graph.ScopeResourceGroup:
		return "resource group"
	case graph.ScopeSubscription:
		return "subscription"
	case graph.ScopeManagementGroup:
		return "management group"
	case graph.ScopeTenant:
		return "tenant"
	}
	return "scope?"
}

// scopeName is the name shown under a scope node: the resource group,
// subscription or management group name, "" for the placeholders of the
// default deployment context (the deployment's own target).
func scopeName(sc graph.Scope) string {
	segs := strings.Split(strings.Trim(sc.Target, "/"), "/")
	var name string
	switch sc.Kind {
	case graph.ScopeResourceGroup, graph.ScopeSubscription, graph.ScopeManagementGroup:
		name = segs[len(segs)-1]
	}
	switch name {
	case expr.PlaceholderResourceGroup, expr.PlaceholderSubscriptionID, expr.PlaceholderManagementGroup:
		return ""
	}
	return name
}

// splitResourceID returns the last type segment and the name of a
// resource ID: ".../providers/Microsoft.KeyVault/vaults/kv1" → "vaults", "kv1".
func splitResourceID(id string) (string, string) {
	segs := strings.Split(strings.Trim(id, "/"), "/")
	if len(segs) >= 2 {
		return segs[len(segs)-2], segs[len(segs)-1]
	}
	return "resource", id
}

// typeLast is the last segment of a resource type.
func typeLast(t string) string {
	if t == "" {
		return "resource"
	}
	return t[strings.LastIndex(t, "/")+1:]
}

func lastSegment(id string) string {
	id = strings.TrimRight(id, "/")
	return id[strings.LastIndex(id, "/")+1:]
}

// nameText is a resource name for a label: the name, or the shortened
// expression it stands for.
func nameText(v expr.Value) string {
	if s, ok := v.Str(); ok {
		return s
	}
	return shorten(compactExpr(valueText(v)), 40)
}

// valueText is the text of a value: its expression when unknown, the
// string, or ARM-like text otherwise.
func valueText(v expr.Value) string {
	if u := v.Unknown(); u != nil {
		return u.Expr
	}
	switch v.Kind() {
	case expr.KString:
		s, _ := v.Str()
		return "'" + s + "'"
	case expr.KNull:
		return "null"
	case expr.KUnknown:
		return "unknown"
	}
	return v.Kind().String()
}

// shorten cuts s to at most n runes, keeping its beginning and its end
// (the function called and the property read) around an ellipsis.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	head := (n - 1) * 11 / 20
	tail := n - 1 - head
	return string(r[:head]) + "…" + string(r[len(r)-tail:])
}

var (
	// a quoted absolute resource ID inside an expression
	quotedIDRe = regexp.MustCompile(`'/(?:subscriptions|providers)/[^']*'`)
	// an API version argument: , '2023-03-01' or , '2023-03-01-preview'
	apiVersionRe = regexp.MustCompile(`,\s*'\d{4}-\d{2}-\d{2}(?:-[A-Za-z]+)?'`)
	// a quoted resource type, or a format string of a relative ID:
	// 'Microsoft.Compute/virtualMachines', 'Microsoft.KeyVault/vaults/{0}'
	quotedTypeRe = regexp.MustCompile(`'[A-Za-z]+\.[A-Za-z.]+/([A-Za-z][A-Za-z/{}0-9]*)'`)
	// reference()'s 'Full' argument
	fullArgRe = regexp.MustCompile(`(?i),\s*'full'`)
)

// compactExpr shortens an expression for a label without changing what it
// says: resource IDs keep their last type and name ('…/virtualMachines/vm1'),
// resource types lose their namespace, API versions and 'Full' are dropped.
func compactExpr(e string) string {
	e = quotedIDRe.ReplaceAllStringFunc(e, func(q string) string {
		segs := strings.Split(strings.Trim(q, "'/"), "/")
		if len(segs) < 4 {
			return q
		}
		return "'…/" + strings.Join(segs[len(segs)-2:], "/") + "'"
	})
	e = quotedTypeRe.ReplaceAllString(e, "'$1'")
	e = apiVersionRe.ReplaceAllString(e, "")
	return fullArgRe.ReplaceAllString(e, "")
}

// labelWidth is the widest line of an expression in a label, and
// labelLines the most lines it takes.
const (
	labelWidth = 40
	labelLines = 3
)

// exprLines is an unknown expression as label lines: compacted, wrapped
// after punctuation, cut in the middle when longer than labelLines lines.
func exprLines(e string) []string {
	e = compactExpr(e)
	for limit := labelLines*labelWidth - 8; ; limit -= 8 {
		if lines := wrapLabel(shorten(e, limit)); len(lines) <= labelLines || limit <= labelWidth {
			return lines
		}
	}
}

// wrapLabel cuts s into lines of at most labelWidth runes, after
// punctuation where it can.
func wrapLabel(str string) []string {
	s := []rune(str)
	var lines []string
	for len(s) > labelWidth {
		cut := -1
		for i := labelWidth; i > labelWidth/2; i-- {
			if strings.ContainsRune(".,( ", s[i-1]) {
				cut = i
				break
			}
		}
		if cut < 0 {
			cut = labelWidth
		}
		lines = append(lines, strings.TrimRight(string(s[:cut]), " "))
		s = []rune(strings.TrimLeft(string(s[cut:]), " "))
	}
	return append(lines, string(s))
}
