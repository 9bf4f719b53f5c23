package graph

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/armlint/armlint/analyzer/expr"
	"github.com/armlint/armlint/analyzer/template"
	"github.com/armlint/armlint/internal/synth"
)

// indexFixtures builds the graph of every template under the test data
// directories and of a small synthetic template.
func indexFixtures(t *testing.T) map[string]*Graph {
	t.Helper()
	out := map[string]*Graph{}
	add := func(name string, f *template.File) {
		tpl, err := template.Parse(f)
		if err != nil || tpl == nil {
			return
		}
		g, _ := Build(tpl, Options{LoadLinked: func(from *template.File, rel string) (*template.Template, error) {
			lf, err := template.ReadFile(path.Join(path.Dir(from.Path), rel))
			if err != nil {
				return nil, err
			}
			return template.Parse(lf)
		}})
		out[name] = g
	}
	for _, dir := range []string{"testdata", "../../testdata"} {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
				return err
			}
			f, err := template.ReadFile(filepath.ToSlash(p))
			if err == nil && f.Kind == template.KindTemplate {
				add(p, f)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "synthetic.json")
	if err := os.WriteFile(p, synth.Template(30, 30_000), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := template.ReadFile(filepath.ToSlash(p))
	if err != nil {
		t.Fatal(err)
	}
	add("synthetic", f)
	if len(out) < 20 {
		t.Fatalf("only %d fixtures", len(out))
	}
	return out
}

// lookupScan is lookup as a scan of every resource: the definition the
// index must agree with.
func (b *builder) lookupScan(v expr.Value, from *Resource) []*Resource {
	matchAll := func(match func(*Resource) bool) []*Resource {
		var out []*Resource
		for _, r := range b.g.Resources {
			if match(r) {
				out = append(out, r)
			}
		}
		return out
	}
	matchLocal := func(match func(*Resource) bool) []*Resource {
		if from != nil {
			local := matchAll(func(r *Resource) bool {
				return r.Deployment == from.Deployment && r.Res.Template == from.Res.Template && match(r)
			})
			if len(local) > 0 {
				return local
			}
		}
		return matchAll(match)
	}
	s, ok := v.Str()
	if !ok {
		u := v.Unknown()
		if u == nil {
			return nil
		}
		out := matchAll(func(r *Resource) bool { ru := r.ID.Unknown(); return ru != nil && ru.Expr == u.Expr })
		if len(out) == 0 {
			out = matchLocal(func(r *Resource) bool { nu := r.Name.Unknown(); return nu != nil && nu.Expr == u.Expr })
		}
		return out
	}
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "/") {
		return matchAll(func(r *Resource) bool { id, ok := r.ID.Str(); return ok && strings.EqualFold(id, s) })
	}
	sym, index := s, -1
	if i := strings.LastIndexByte(s, '['); i > 0 && strings.HasSuffix(s, "]") {
		if n, err := strconv.Atoi(s[i+1 : len(s)-1]); err == nil {
			sym, index = s[:i], n
		}
	}
	if out := matchLocal(func(r *Resource) bool {
		return r.Res.Symbolic != "" && r.Res.Symbolic == sym && (index < 0 || r.Instance == index)
	}); len(out) > 0 {
		return out
	}
	if strings.Count(s, "/") >= 2 && strings.Contains(s[:strings.IndexByte(s, '/')], ".") {
		suffix := "/providers/" + strings.ToLower(s)
		if out := matchAll(func(r *Resource) bool {
			id, ok := r.ID.Str()
			return ok && strings.HasSuffix(strings.ToLower(id), suffix)
		}); len(out) > 0 {
			return out
		}
	}
	if out := matchLocal(func(r *Resource) bool { return r.Loop != "" && strings.EqualFold(r.Loop, s) }); len(out) > 0 {
		return out
	}
	return matchLocal(func(r *Resource) bool { n, ok := r.Name.Str(); return ok && strings.EqualFold(n, s) })
}

// TestLookupIndex checks that the indexed lookup finds what a scan of every
// resource finds, for every way each resource of the fixtures can be named,
// seen from every resource.
func TestLookupIndex(t *testing.T) {
	for name, g := range indexFixtures(t) {
		b := g.resolver
		var refs []expr.Value
		for _, r := range g.Resources {
			refs = append(refs, r.ID, r.Name)
			if id, ok := r.ID.Str(); ok {
				refs = append(refs, expr.String(strings.ToUpper(id)), expr.String(" "+id))
				if i := strings.Index(strings.ToLower(id), "/providers/"); i >= 0 {
					refs = append(refs, expr.String(strings.ToUpper(id[i+len("/providers/"):])))
				}
			}
			if n, ok := r.Name.Str(); ok {
				refs = append(refs, expr.String(strings.ToUpper(n)))
			}
			if r.Loop != "" {
				refs = append(refs, expr.String(strings.ToLower(r.Loop)))
			}
			if s := r.Res.Symbolic; s != "" {
				refs = append(refs, expr.String(s), expr.String(s+"["+strconv.Itoa(r.Instance)+"]"), expr.String(s+"[7]"))
			}
		}
		froms := append([]*Resource{nil}, g.Resources...)
		for _, v := range refs {
			for _, from := range froms {
				if got, want := b.lookup(v, from), b.lookupScan(v, from); !slices.Equal(got, want) {
					t.Errorf("%s: lookup(%s) from %v: %d resources, the scan finds %d", name, v.Expr(), from, len(got), len(want))
				}
			}
		}
	}
}

// TestLookupIndexGrows checks that the index, filled on demand, finds
// what a scan finds while resources are still being added: a builder's
// resources grow one at a time and every resource's ID and name are
// looked up after each addition, and only after some of them.
func TestLookupIndexGrows(t *testing.T) {
	checked := 0
	for name, g := range indexFixtures(t) {
		for _, every := range []int{1, 3} {
			b := &builder{g: &Graph{}}
			for i, r := range g.Resources {
				b.g.Resources = append(b.g.Resources, r)
				if i%every != 0 {
					continue
				}
				for _, x := range g.Resources {
					for _, v := range []expr.Value{x.ID, x.Name} {
						if got, want := b.lookup(v, r), b.lookupScan(v, r); !slices.Equal(got, want) {
							t.Errorf("%s: after %d resources: lookup(%s): %d resources, the scan finds %d", name, i+1, v.Expr(), len(got), len(want))
						}
						checked++
					}
				}
			}
		}
	}
	if checked < 1000 {
		t.Errorf("only %d lookups checked", checked)
	}
}

// TestReferencesIndex checks that the indexed References finds the uses a
// scan of every mention finds, for every resource of the fixtures.
func TestReferencesIndex(t *testing.T) {
	found := 0
	for name, g := range indexFixtures(t) {
		g.References(nil)
		if len(g.Resources) == 0 {
			continue
		}
		g.References(g.Resources[0]) // collects the mentions
		idx := newRefIndex(g.mentions)
		for _, r := range g.Resources {
			m := newMatcher(g, r)
			var want []int
			for i := range g.mentions {
				if m.match(g.mentions[i].atoms) {
					want = append(want, i)
				}
			}
			if got := idx.matching(m); !slices.Equal(got, want) {
				t.Errorf("%s: %s: the index finds mentions %v, the scan %v", name, r.Label(), got, want)
			}
			found += len(want)
		}
	}
	if found < 100 {
		t.Errorf("only %d mentions found: the fixtures do not exercise the index", found)
	}
}

func TestFoldKey(t *testing.T) {
	words := []string{"", "a", "A", "k", "K", "\u212a", "s", "S", "\u017f", "straße", "STRASSE", "ǅ", "ǆ", "Ǆ", "σ", "ς", "Σ", "\xff", "\xfe", "\ufffd", "Id-App", "id-app"}
	for _, a := range words {
		for _, b := range words {
			if eq := foldKey(a) == foldKey(b); eq != strings.EqualFold(a, b) {
				t.Errorf("foldKey(%q) == foldKey(%q) is %v, EqualFold says %v", a, b, eq, !eq)
			}
		}
	}
}

// structuralScan is what References finds in the graph's structure, as a
// scan of every resource and assignment for r: the definition the filed
// structural uses must agree with, order included.
func (g *Graph) structuralScan(r *Resource) []Use {
	var out []Use
	for _, x := range g.Resources {
		if x == r {
			continue
		}
		if x.Parent == r {
			out = append(out, Use{By: x, Node: x.Res, What: "child resource"})
		}
		if x.Identity != nil {
			for _, u := range x.Identity.UserAssigned {
				switch {
				case u.Target == r:
					out = append(out, Use{By: x, Node: nodeOrKey(u, x.Identity.Node), What: "identity"})
				case u.Target == nil && !u.ID.IsKnown():
					out = append(out, Use{By: x, Node: nodeOrKey(u, x.Identity.Node), What: "identity", Maybe: true})
				case u.Target == nil && !r.ID.IsKnown() && isUserAssignedIdentity(r):
					out = append(out, Use{By: x, Node: nodeOrKey(u, x.Identity.Node), What: "identity", Maybe: true})
				}
			}
			if _, ok := x.Identity.Value.Obj(); !ok && !x.Identity.Value.IsKnown() {
				out = append(out, Use{By: x, Node: x.Identity.Node, What: "identity", Maybe: true})
			}
		}
	}
	for _, a := range g.Assignments {
		if a.Principal != nil && a.Principal.Owner == r && a.Resource != r {
			out = append(out, Use{By: a.Resource, Node: a.PrincipalNode, What: "role assignment"})
		}
	}
	return out
}

// TestStructuralUses checks that the structural uses filed by target are
// those a scan finds, in the same order, for every resource of the
// fixtures.
func TestStructuralUses(t *testing.T) {
	found, maybe := 0, 0
	for name, g := range indexFixtures(t) {
		s := g.structuralUses()
		for _, r := range g.Resources {
			got, want := s.of(r), g.structuralScan(r)
			if !slices.Equal(got, want) {
				t.Errorf("%s: %s: filed uses %v, the scan finds %v", name, r.Label(), got, want)
			}
			found += len(want)
			for _, u := range want {
				if u.Maybe {
					maybe++
				}
			}
		}
	}
	if found < 50 || maybe == 0 {
		t.Errorf("%d structural uses (%d maybe): the fixtures do not exercise them", found, maybe)
	}
}
