package regoeval

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"maps"
	"os"
	"reflect"
	"slices"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/armlint/armlint/policies"
)

var update = flag.Bool("update", false, "rewrite precompiled.bin (go generate ./analyzer/regoeval)")

// TestPrecompiledIsFresh fails when precompiled.bin is not what the
// embedded policies compile to with this version of OPA; with -update it
// rewrites it (go generate ./analyzer/regoeval).
func TestPrecompiledIsFresh(t *testing.T) {
	want, err := precompile()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("precompiled.bin", want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if precompiledData != string(want) {
		t.Fatalf("precompiled.bin (%d bytes) is not the compilation of the embedded policies (%d bytes): run go generate ./analyzer/regoeval", len(precompiledData), len(want))
	}
}

// precompile compiles the embedded policies as Load does in the background
// (see parseAnnounced and compile) and encodes them (see precompiledData).
func precompile() ([]byte, error) {
	srcs, err := readSources(policies.FS, Options{Root: "policies"})
	if err != nil {
		return nil, err
	}
	mods, err := parseSources(srcs, false)
	if err != nil {
		return nil, err
	}
	byName := make(map[string]*ast.Module, len(mods))
	for _, m := range mods {
		byName[m.origin] = m.mod
	}
	c, err := compile(byName, skippedStages(policies.FS, Options{}))
	if err != nil {
		return nil, err
	}
	return encodePrecompiled(c.Modules, c.RewrittenVars, srcs)
}

// encoder writes what decoder reads.
type encoder struct {
	srcs    map[string][]byte
	strs    map[string]int
	strList []string
	locs    map[*ast.Location]int
	locList []*ast.Location
	buf     []byte
	err     error

	terms, termPtrs, exprs, exprPtrs int
}

func encodePrecompiled(mods map[string]*ast.Module, rewritten map[ast.Var]ast.Var, srcs []source) ([]byte, error) {
	rules, err := encodeSection(srcs, func(e *encoder) { e.rules(srcs) })
	if err != nil {
		return nil, err
	}
	modules, err := encodeSection(srcs, func(e *encoder) {
		e.uint(len(rewritten))
		for _, k := range slices.Sorted(maps.Keys(rewritten)) {
			e.str(string(k))
			e.str(string(rewritten[k]))
		}
		e.uint(len(mods))
		for _, name := range slices.Sorted(maps.Keys(mods)) {
			e.str(name)
			e.module(mods[name])
		}
	})
	if err != nil {
		return nil, err
	}
	hash := sourcesHash(srcs)
	out := append([]byte(precompiledMagic), hash[:]...)
	out = binary.AppendUvarint(out, uint64(len(rules)))
	out = append(out, rules...)
	return append(out, modules...), nil
}

// encodeSection returns the section (see precompiledData) whose payload
// the function writes.
func encodeSection(srcs []source, payload func(e *encoder)) ([]byte, error) {
	e := &encoder{srcs: map[string][]byte{}, strs: map[string]int{}, locs: map[*ast.Location]int{}}
	for _, s := range srcs {
		e.srcs[s.origin] = s.src
	}
	// The payload first, which names the strings and locations.
	payload(e)
	body := e.buf

	e.buf = nil
	for _, l := range e.locList {
		e.location(l)
	}
	locs := e.buf

	e.buf = nil
	for _, n := range []int{len(e.strList), len(e.locList), e.terms, e.termPtrs, e.exprs, e.exprPtrs} {
		e.uint(n)
	}
	for _, s := range e.strList {
		e.uint(len(s))
	}
	for _, s := range e.strList {
		e.buf = append(e.buf, s...)
	}
	e.buf = append(e.buf, locs...)
	e.buf = append(e.buf, body...)
	return e.buf, e.err
}

// rules writes the rule packages of the sources, the metadata of their
// rules and the facts they need, as Load reads them from the sources'
// headers (see parseHeaders and ruleMetadata).
func (e *encoder) rules(srcs []source) {
	headers, ok, err := parseHeaders(srcs)
	if err != nil || !ok {
		e.fail("parsing the headers: %v %v", ok, err)
		return
	}
	byName := map[string]*ast.Module{}
	for _, m := range headers {
		byName[m.origin] = m.mod
	}
	sorted := make([]*ast.Module, 0, len(byName))
	for _, name := range slices.Sorted(maps.Keys(byName)) {
		sorted = append(sorted, byName[name])
	}
	as, errs := ast.BuildAnnotationSet(sorted)
	if len(errs) > 0 {
		e.fail("annotations: %v", errs)
		return
	}
	pkgs := rulePackages(headers, true)
	e.uint(len(pkgs))
	for _, pkg := range pkgs {
		r, needs, err := ruleMetadata(as, pkg)
		if err != nil {
			e.fail("%v", err)
			return
		}
		if pkg.custom {
			e.fail("%v: a user rule", pkg.path)
		}
		e.ref(pkg.path)
		e.length(len(pkg.mods), false)
		for _, m := range pkg.mods {
			e.str(m.origin)
		}
		// Every field of analyzer.Rule but Check.
		if n := reflect.TypeOf(*r).NumField(); n != 9 {
			e.fail("analyzer.Rule has %d fields: encode the new ones", n)
		}
		e.str(r.ID)
		e.str(r.Name)
		e.str(r.Title)
		e.str(r.Description)
		e.uint(int(r.Severity))
		e.length(len(r.Tags), r.Tags == nil)
		for _, t := range r.Tags {
			e.str(t)
		}
		e.str(r.HelpURI)
		e.str(r.Origin)
		e.uint(int(needs))
	}
}

func (e *encoder) fail(format string, args ...any) {
	if e.err == nil {
		e.err = fmt.Errorf(format, args...)
	}
}

func (e *encoder) uint(n int) {
	if n < 0 {
		e.fail("negative integer %d", n)
	}
	e.buf = binary.AppendUvarint(e.buf, uint64(n))
}

func (e *encoder) bool(b bool) {
	if b {
		e.uint(1)
	} else {
		e.uint(0)
	}
}

func (e *encoder) strIndex(s string) int {
	i, ok := e.strs[s]
	if !ok {
		i = len(e.strList)
		e.strs[s] = i
		e.strList = append(e.strList, s)
	}
	return i
}

func (e *encoder) str(s string) { e.uint(e.strIndex(s)) }

// length writes a slice's length (see decoder.length).
func (e *encoder) length(n int, isNil bool) bool {
	if isNil {
		e.uint(0)
		return false
	}
	e.uint(n + 1)
	return true
}

func (e *encoder) location(l *ast.Location) {
	e.str(l.File)
	e.uint(l.Row)
	e.uint(l.Col)
	e.uint(l.Offset)
	src := e.srcs[l.File]
	switch {
	case l.Text == nil:
		e.uint(0)
	case l.Offset+len(l.Text) <= len(src) && bytes.Equal(src[l.Offset:l.Offset+len(l.Text)], l.Text):
		e.uint(2*len(l.Text) + 1)
	default:
		e.uint(2*e.strIndex(string(l.Text)) + 2)
	}
	if e.length(len(l.Tabs), l.Tabs == nil) {
		for _, t := range l.Tabs {
			e.uint(t)
		}
	}
}

func (e *encoder) loc(l *ast.Location) {
	if l == nil {
		e.uint(0)
		return
	}
	i, ok := e.locs[l]
	if !ok {
		i = len(e.locList)
		e.locs[l] = i
		e.locList = append(e.locList, l)
	}
	e.uint(i + 1)
}

func (e *encoder) bytes(b []byte) {
	if b == nil {
		e.uint(0)
		return
	}
	e.uint(e.strIndex(string(b)) + 1)
}

func (e *encoder) module(m *ast.Module) {
	if len(m.Annotations) > 0 {
		e.fail("%s: annotations are not encoded", m.Package.Location.File)
	}
	e.loc(m.Package.Location)
	e.ref(m.Package.Path)
	span := m.RegoVersionSpan()
	e.uint(int(span.Min()))
	e.uint(int(span.Max()))
	e.length(0, m.Annotations == nil) // empty (see above)
	if e.length(len(m.Imports), m.Imports == nil) {
		for _, imp := range m.Imports {
			e.term(imp.Path)
			e.str(string(imp.Alias))
			e.loc(imp.Location)
			e.loc(imp.AliasLocation)
		}
	}
	if e.length(len(m.Rules), m.Rules == nil) {
		for _, r := range m.Rules {
			e.rule(m, r)
		}
	}
	if e.length(len(m.Comments), m.Comments == nil) {
		for _, c := range m.Comments {
			e.bytes(c.Text)
			e.loc(c.Location)
		}
	}
}

func (e *encoder) rule(m *ast.Module, r *ast.Rule) {
	if len(r.Annotations) > 0 {
		e.fail("%v: annotations are not encoded", r.Location)
	}
	e.length(0, r.Annotations == nil) // empty (see above)
	e.head(r.Head)
	e.body(r.Body)
	e.bool(r.Else != nil)
	if r.Else != nil {
		e.rule(m, r.Else)
	}
	e.loc(r.Location)
	switch r.Module {
	case nil:
		e.uint(0)
	case m:
		e.uint(1)
	default:
		// An else rule keeps the module it was parsed in (Rule.Copy
		// does not set it), whose package and Rego version, all that
		// is read of it, are those of m: it is decoded as m.
		if o := r.Module; o.Package.Path.Equal(m.Package.Path) && o.RegoVersionSpan() == m.RegoVersionSpan() {
			e.uint(1)
			break
		}
		e.fail("%v: the rule's module is another module", r.Location)
	}
	e.bool(r.Default)
}

func (e *encoder) head(h *ast.Head) {
	if reflect.ValueOf(h).Elem().FieldByName("keywords").Len() > 0 {
		e.fail("%v: head keywords are not encoded", h.Location)
	}
	e.str(string(h.Name))
	e.terms1(h.Reference)
	e.terms1(h.Args)
	e.term(h.Key)
	e.term(h.Value)
	e.bool(h.Assign)
	e.loc(h.Location)
}

func (e *encoder) body(b ast.Body) {
	if !e.length(len(b), b == nil) {
		return
	}
	e.exprPtrs += len(b)
	for _, x := range b {
		e.expr(x)
	}
}

func (e *encoder) expr(x *ast.Expr) {
	e.exprs++
	if e.length(len(x.With), x.With == nil) {
		for _, w := range x.With {
			e.term(w.Target)
			e.term(w.Value)
			e.loc(w.Location)
		}
	}
	switch ts := x.Terms.(type) {
	case *ast.Term:
		e.uint(exprTerm)
		e.term(ts)
	case []*ast.Term:
		e.uint(exprCall)
		e.terms1(ts)
	case *ast.SomeDecl:
		e.uint(exprSome)
		e.terms1(ts.Symbols)
		e.loc(ts.Location)
	case *ast.Every:
		e.uint(exprEvery)
		e.term(ts.Key)
		e.term(ts.Value)
		e.term(ts.Domain)
		e.body(ts.Body)
		e.loc(ts.Location)
	default:
		e.fail("%v: expression terms %T are not encoded", x.Location, x.Terms)
	}
	e.uint(x.Index)
	e.bool(x.Generated)
	e.bool(x.Negated)
	e.loc(x.Location)
}

func (e *encoder) terms1(ts []*ast.Term) {
	if !e.length(len(ts), ts == nil) {
		return
	}
	e.termPtrs += len(ts)
	for _, t := range ts {
		if t == nil {
			e.fail("a nil term in a slice")
		}
		e.term(t)
	}
}

func (e *encoder) ref(r ast.Ref) { e.terms1(r) }

func (e *encoder) term(t *ast.Term) {
	if t == nil {
		e.uint(termNil)
		return
	}
	e.terms++
	switch v := t.Value.(type) {
	case ast.Null:
		e.uint(termNull)
		e.loc(t.Location)
	case ast.Boolean:
		if v {
			e.uint(termTrue)
		} else {
			e.uint(termFalse)
		}
		e.loc(t.Location)
	case ast.Number:
		e.uint(termNumber)
		e.loc(t.Location)
		e.str(string(v))
	case ast.String:
		e.uint(termString)
		e.loc(t.Location)
		e.str(string(v))
	case ast.Var:
		e.uint(termVar)
		e.loc(t.Location)
		e.str(string(v))
	case ast.Ref:
		e.uint(termRef)
		e.loc(t.Location)
		e.ref(v)
	case *ast.Array:
		e.uint(termArray)
		e.loc(t.Location)
		elems := make([]*ast.Term, 0, v.Len())
		v.Foreach(func(x *ast.Term) { elems = append(elems, x) })
		e.terms1(elems)
	case ast.Object:
		e.uint(termObject)
		e.loc(t.Location)
		e.length(v.Len(), false)
		v.Foreach(func(k, x *ast.Term) {
			e.term(k)
			e.term(x)
		})
	case ast.Set:
		e.uint(termSet)
		e.loc(t.Location)
		e.terms1(v.Slice())
	case *ast.ArrayComprehension:
		e.uint(termArrayCompr)
		e.loc(t.Location)
		e.term(v.Term)
		e.body(v.Body)
	case *ast.ObjectComprehension:
		e.uint(termObjectCompr)
		e.loc(t.Location)
		e.term(v.Key)
		e.term(v.Value)
		e.body(v.Body)
	case *ast.SetComprehension:
		e.uint(termSetCompr)
		e.loc(t.Location)
		e.term(v.Term)
		e.body(v.Body)
	case ast.Call:
		e.uint(termCall)
		e.loc(t.Location)
		e.terms1(v)
	default:
		e.fail("%v: term value %T is not encoded", t.Location, t.Value)
	}
}
