package format

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/armlint/armlint/analyzer/expr"
	"github.com/armlint/armlint/analyzer/graph"
)

// GraphStats measures how much of the identity graphs the evaluator could
// resolve (armlint graph --stats). Every count is over all graphs given.
// An assignment's principal counts as known only when the graph resolved
// it (Assignment.Principal != nil), its role when Role.Known(), its scope
// kind when it is not unknown and its scope ID when Scope.Target is set.
type GraphStats struct {
	Templates        int                 `json:"templates"`         // templates with a graph
	InvalidTemplates int                 `json:"invalid_templates"` // templates that did not load or parse
	Resources        GraphResourceStats  `json:"resources"`
	Identities       GraphIdentityStats  `json:"identities"`
	Assignments      GraphAssignStats    `json:"role_assignments"`
	UnknownCauses    []GraphUnknownCause `json:"unknown_causes"` // most frequent first
}

// GraphResourceStats counts resource declarations by deployment state.
type GraphResourceStats struct {
	Total       int `json:"total"`
	Deployed    int `json:"deployed"`
	NotDeployed int `json:"not_deployed"` // existing, or condition false
	Maybe       int `json:"maybe"`        // condition unknown
}

// GraphIdentityStats counts identities by kind.
type GraphIdentityStats struct {
	SystemAssigned      int `json:"system_assigned"`       // resources whose identity type has SystemAssigned
	SystemAssignedMaybe int `json:"system_assigned_maybe"` // identity type unknown
	UserAssigned        int `json:"user_assigned"`         // userAssignedIdentities resources declared
	UserAssignedRefs    int `json:"user_assigned_refs"`    // keys of identity.userAssignedIdentities
	RefsResolved        int `json:"user_assigned_refs_resolved"`
	RefsExternal        int `json:"user_assigned_refs_external"`   // a known ID of an identity outside the file
	RefsUnresolved      int `json:"user_assigned_refs_unresolved"` // an unknown ID
}

// GraphAssignStats counts role assignments and what is known about them.
type GraphAssignStats struct {
	Total          int            `json:"total"`
	KnownPrincipal int            `json:"known_principal"`
	PrincipalKinds map[string]int `json:"principal_kinds"` // by graph.PrincipalKind.String(), "unknown" included
	KnownRole      int            `json:"known_role"`
	KnownScope     int            `json:"known_scope"`        // the scope's kind is known
	KnownTarget    int            `json:"known_scope_target"` // and so is its resource ID
	FullyKnown     int            `json:"fully_known"`        // principal, role and scope target all known
	Privileged     int            `json:"privileged"`         // known privileged roles
}

// GraphUnknownCause is one reason why a principal, role or scope is
// unknown, with how often it occurs and an example expression.
type GraphUnknownCause struct {
	Cause     string `json:"cause"`
	Count     int    `json:"count"`
	Principal int    `json:"principal"`
	Role      int    `json:"role"`
	Scope     int    `json:"scope"`
	Example   string `json:"example"`
}

// NewGraphStats measures graphs; invalid is the number of templates that
// produced no graph.
func NewGraphStats(graphs []*graph.Graph, invalid int) *GraphStats {
	s := &GraphStats{InvalidTemplates: invalid, UnknownCauses: []GraphUnknownCause{}}
	s.Assignments.PrincipalKinds = map[string]int{}
	for _, k := range append(principalKinds, graph.PrincipalUnknown) {
		s.Assignments.PrincipalKinds[k.String()] = 0
	}
	causes := map[string]*GraphUnknownCause{}
	add := func(g *graph.Graph, v expr.Value, field string) {
		cause := unknownCause(g, v, field)
		c := causes[cause]
		if c == nil {
			c = &GraphUnknownCause{Cause: cause, Example: shorten(compactExpr(valueText(v)), 100)}
			causes[cause] = c
		}
		c.Count++
		switch field {
		case "principal":
			c.Principal++
		case "role":
			c.Role++
		case "scope":
			c.Scope++
		}
	}
	for _, g := range graphs {
		if g == nil {
			continue
		}
		s.Templates++
		for _, r := range g.Resources {
			s.Resources.Total++
			switch r.Deployed {
			case graph.Yes:
				s.Resources.Deployed++
			case graph.No:
				s.Resources.NotDeployed++
			default:
				s.Resources.Maybe++
			}
			if isUserIdentity(r) {
				s.Identities.UserAssigned++
			}
			id := r.Identity
			if id == nil {
				continue
			}
			switch id.System {
			case graph.Yes:
				s.Identities.SystemAssigned++
			case graph.Maybe:
				s.Identities.SystemAssignedMaybe++
			}
			for _, ref := range id.UserAssigned {
				s.Identities.UserAssignedRefs++
				switch {
				case ref.Target != nil:
					s.Identities.RefsResolved++
				case ref.ID.Unknown() == nil && ref.ID.Kind() == expr.KString:
					s.Identities.RefsExternal++
				default:
					s.Identities.RefsUnresolved++
				}
			}
		}
		for _, a := range g.Assignments {
			st := &s.Assignments
			st.Total++
			kind := graph.PrincipalUnknown
			if a.Principal != nil {
				st.KnownPrincipal++
				kind = a.Principal.Kind
			} else {
				add(g, a.PrincipalID, "principal")
			}
			st.PrincipalKinds[kind.String()]++
			if a.Role.Known() {
				st.KnownRole++
				if a.Role.Privileged {
					st.Privileged++
				}
			} else {
				add(g, a.RoleValue, "role")
			}
			// The deployment's own management group has no ID, as the
			// resource group has only a placeholder one: both count as known.
			targetKnown := a.Scope.Kind != graph.ScopeUnknown &&
				(a.Scope.Target != "" || a.Scope.Kind == graph.ScopeManagementGroup && a.Scope.Value.Kind() == expr.KNull)
			if a.Scope.Kind != graph.ScopeUnknown {
				st.KnownScope++
			}
			if targetKnown {
				st.KnownTarget++
			} else {
				add(g, a.Scope.Value, "scope")
			}
			if a.Principal != nil && a.Role.Known() && targetKnown {
				st.FullyKnown++
			}
		}
	}
	for _, c := range causes {
		s.UnknownCauses = append(s.UnknownCauses, *c)
	}
	sort.Slice(s.UnknownCauses, func(i, j int) bool {
		a, b := s.UnknownCauses[i], s.UnknownCauses[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		return a.Cause < b.Cause
	})
	return s
}

// principalKinds are the known principal kinds, in the order reported.
var principalKinds = []graph.PrincipalKind{
	graph.PrincipalSystemAssigned, graph.PrincipalUserAssigned, graph.PrincipalManaged,
	graph.PrincipalParameter, graph.PrincipalLiteral, graph.PrincipalDeployer,
}

var quotedRe = regexp.MustCompile(`'[^']*'`)

// unknownCause classifies why a principalId, roleDefinitionId or scope
// value could not be resolved, in words that group like with like:
// quoted names in reasons are elided.
func unknownCause(g *graph.Graph, v expr.Value, field string) string {
	u := v.Unknown()
	if u == nil {
		switch v.Kind() {
		case expr.KNull:
			if field == "scope" {
				return "scope ID not recorded (legacy {type}/providers/roleAssignments form, or absent)"
			}
			return "property absent"
		case expr.KString:
			switch field {
			case "principal":
				return "principalId is a known string that is not an object ID"
			case "role":
				return "roleDefinitionId is a known string without a role GUID"
			}
			return "scope is a known string that is not a scope ID"
		case expr.KUnknown:
			return "unknown (no reason recorded)"
		}
		return field + " is a known " + v.Kind().String()
	}
	if ref := u.Ref; ref != nil {
		fn := ref.Func + "()"
		target := findResource(g, ref.Target)
		switch {
		case ref.Target.Unknown() != nil && target == nil:
			return fn + " of a resource whose ID is unknown"
		case target == nil:
			return fn + " of a resource outside the template"
		case strings.EqualFold(target.Type, "Microsoft.Resources/deployments"):
			return fn + " of a nested deployment (outputs)"
		}
		return fn + " of a resource in the template, property " + refPathText(ref) + " not followed"
	}
	reason := u.Reason
	if reason == "" {
		reason = "unknown (no reason recorded)"
	}
	switch {
	case strings.HasPrefix(reason, "parameter '") && strings.HasSuffix(reason, "' has no value"):
		return "parameter without value"
	case strings.HasPrefix(reason, "parameter '") && strings.Contains(reason, "' defaults to "):
		return "parameter whose default is unknown"
	case strings.HasPrefix(reason, "copyIndex("):
		return "copyIndex() outside a loop"
	}
	return quotedRe.ReplaceAllString(reason, "'…'")
}

func refPathText(ref *expr.Ref) string {
	parts := make([]string, 0, len(ref.Path))
	for _, p := range ref.Path {
		if s, ok := p.Str(); ok {
			parts = append(parts, s)
		} else {
			parts = append(parts, "?")
		}
	}
	if len(parts) == 0 {
		return "(whole object)"
	}
	return strings.Join(parts, ".")
}

// WriteJSON writes the statistics as indented JSON.
func (s *GraphStats) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(s)
}

// WriteText writes the statistics as aligned tables: counts with
// percentages of their whole, then the unknown causes.
func (s *GraphStats) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	row := func(label string, n, of int) { fmt.Fprintf(bw, "%-44s %6d  %6s\n", label, n, pct(n, of)) }
	head := func(label string, n int) { fmt.Fprintf(bw, "%-44s %6d\n", label, n) }
	head("templates", s.Templates)
	if s.InvalidTemplates > 0 {
		head("  invalid (not measured)", s.InvalidTemplates)
	}
	r := s.Resources
	head("resources", r.Total)
	row("  deployed", r.Deployed, r.Total)
	row("  not deployed (existing, condition false)", r.NotDeployed, r.Total)
	row("  maybe (condition unknown)", r.Maybe, r.Total)
	id := s.Identities
	head("identities", id.SystemAssigned+id.UserAssigned)
	head("  system-assigned", id.SystemAssigned)
	head("  system-assigned maybe (type unknown)", id.SystemAssignedMaybe)
	head("  user-assigned identity resources", id.UserAssigned)
	head("user-assigned identity references", id.UserAssignedRefs)
	row("  resolved to a resource of the file", id.RefsResolved, id.UserAssignedRefs)
	row("  external (known ID outside the file)", id.RefsExternal, id.UserAssignedRefs)
	row("  unresolved (unknown ID)", id.RefsUnresolved, id.UserAssignedRefs)
	a := s.Assignments
	head("role assignments", a.Total)
	row("  known principal", a.KnownPrincipal, a.Total)
	for _, k := range principalKinds {
		row("    "+strings.ReplaceAll(k.String(), "_", "-"), a.PrincipalKinds[k.String()], a.Total)
	}
	row("  unknown principal", a.PrincipalKinds[graph.PrincipalUnknown.String()], a.Total)
	row("  known role", a.KnownRole, a.Total)
	row("    privileged", a.Privileged, a.Total)
	row("  known scope kind", a.KnownScope, a.Total)
	row("    and known scope ID", a.KnownTarget, a.Total)
	row("  principal, role and scope ID known", a.FullyKnown, a.Total)
	if len(s.UnknownCauses) == 0 {
		return bw.Flush()
	}
	fmt.Fprintf(bw, "\nunknown principals, roles and scopes, by cause\n")
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "count\tprincipal\trole\tscope\tcause\texample\n")
	for _, c := range s.UnknownCauses {
		fmt.Fprintf(tw, "%d\t%d\t%d\t%d\t%s\t%s\n", c.Count, c.Principal, c.Role, c.Scope, c.Cause, c.Example)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return bw.Flush()
}

func pct(n, of int) string {
	if of == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(of))
}
