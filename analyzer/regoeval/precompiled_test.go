package regoeval

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"unsafe"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/armlint/armlint/policies"
)

// loadCompilations returns the embedded policies compiled as Load
// compiles them without precompiled.bin (parseAnnounced and compile) and
// as it does with it (compilePrecompiled).
func loadCompilations(t *testing.T) (srcs []source, normal, pre *ast.Compiler) {
	t.Helper()
	srcs, err := readSources(policies.FS, Options{Root: "policies"})
	if err != nil {
		t.Fatal(err)
	}
	if !precompiledFor(srcs) {
		t.Fatal("precompiled.bin is not the compilation of the embedded policies: run go generate ./analyzer/regoeval")
	}
	headers, ok, err := parseHeaders(srcs)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	pkgs := rulePackages(headers, true)
	byName, err := parseAnnounced(srcs, pkgs)
	if err != nil {
		t.Fatal(err)
	}
	if normal, err = compile(byName, skippedStages(policies.FS, Options{})); err != nil {
		t.Fatal(err)
	}
	if pre, err = compilePrecompiled(srcs, pkgs); err != nil {
		t.Fatal(err)
	}
	return srcs, normal, pre
}

// TestPrecompiledCompilesAsLoad compares the modules decoded from
// precompiled.bin, and the compiler built from them, with the embedded
// policies compiled as Load compiles them otherwise: every field of every
// node, locations included (file, row, column, offset, text, tabs), the
// rewritten variables, the rule and module trees and the comprehension
// and rule indices.
func TestPrecompiledCompilesAsLoad(t *testing.T) {
	srcs, normal, pre := loadCompilations(t)
	decoded, rewritten, err := decodePrecompiled(precompiledData, srcs)
	if err != nil {
		t.Fatal(err)
	}
	var d deepCompare
	d.compare("decoded", reflect.ValueOf(decoded), reflect.ValueOf(normal.Modules))
	d.compare("rewritten", reflect.ValueOf(rewritten), reflect.ValueOf(normal.RewrittenVars))
	d.compare("Modules", reflect.ValueOf(pre.Modules), reflect.ValueOf(normal.Modules))
	d.compare("RewrittenVars", reflect.ValueOf(pre.RewrittenVars), reflect.ValueOf(normal.RewrittenVars))
	d.compare("RuleTree", reflect.ValueOf(pre.RuleTree), reflect.ValueOf(normal.RuleTree))
	d.compare("ModuleTree", reflect.ValueOf(pre.ModuleTree), reflect.ValueOf(normal.ModuleTree))
	indexed := 0
	for _, name := range slices.Sorted(maps.Keys(normal.Modules)) {
		// Comprehension indices, by comprehension in walk order.
		var a, b []*ast.Term
		collect := func(out *[]*ast.Term) func(*ast.Term) bool {
			return func(x *ast.Term) bool {
				switch x.Value.(type) {
				case *ast.ArrayComprehension, *ast.SetComprehension, *ast.ObjectComprehension:
					*out = append(*out, x)
				}
				return false
			}
		}
		ast.WalkTerms(pre.Modules[name], collect(&a))
		ast.WalkTerms(normal.Modules[name], collect(&b))
		if len(a) != len(b) {
			t.Fatalf("%s: %d comprehensions, want %d", name, len(a), len(b))
		}
		for j := range a {
			ia, ib := pre.ComprehensionIndex(a[j]), normal.ComprehensionIndex(b[j])
			if ib != nil {
				indexed++
			}
			d.compare(fmt.Sprintf("%s comprehension %d index", name, j), reflect.ValueOf(ia), reflect.ValueOf(ib))
		}
		// Rule indices, by rule.
		for _, r := range normal.Modules[name].Rules {
			path := r.Ref().GroundPrefix()
			path = append(normal.Modules[name].Package.Path.Copy(), path...)
			d.compare(fmt.Sprintf("%s rule index %v", name, path), reflect.ValueOf(pre.RuleIndex(path)), reflect.ValueOf(normal.RuleIndex(path)))
		}
	}
	if indexed == 0 {
		t.Error("no comprehension index compared")
	}
	if d.nodes < 10000 || d.locations < 1000 {
		t.Errorf("compared %d nodes, %d locations: too few to be the policies", d.nodes, d.locations)
	}
	for _, diff := range d.diffs[:min(len(d.diffs), 20)] {
		t.Error(diff)
	}
}

// TestDeepCompareSeesDifferences checks that deepCompare finds a
// difference in a location's offset, text and tabs, in an expression's
// index, in a rewritten variable and in an object.
func TestDeepCompareSeesDifferences(t *testing.T) {
	_, normal, _ := loadCompilations(t)
	srcs, err := readSources(policies.FS, Options{Root: "policies"})
	if err != nil {
		t.Fatal(err)
	}
	changes := map[string]func(map[string]*ast.Module){
		"offset": func(m map[string]*ast.Module) {
			for _, mod := range m {
				mod.Rules[0].Head.Location.Offset++
				return
			}
		},
		"text": func(m map[string]*ast.Module) {
			for _, mod := range m {
				l := mod.Rules[0].Body[0].Location
				l.Text = append([]byte(nil), l.Text...)
				l.Text[0]++
				return
			}
		},
		"tabs": func(m map[string]*ast.Module) {
			for _, mod := range m {
				mod.Rules[0].Location.Tabs = append(mod.Rules[0].Location.Tabs, 1)
				return
			}
		},
		"index": func(m map[string]*ast.Module) {
			for _, mod := range m {
				mod.Rules[0].Body[0].Index++
				return
			}
		},
		"object": func(m map[string]*ast.Module) {
			found := false
			for _, mod := range m {
				ast.WalkTerms(mod, func(x *ast.Term) bool {
					if o, ok := x.Value.(ast.Object); ok && !found && o.Len() > 0 {
						o.Insert(ast.StringTerm("extra"), ast.NullTerm())
						found = true
					}
					return found
				})
			}
		},
	}
	for name, change := range changes {
		decoded, _, err := decodePrecompiled(precompiledData, srcs)
		if err != nil {
			t.Fatal(err)
		}
		var same deepCompare
		same.compare("decoded", reflect.ValueOf(decoded), reflect.ValueOf(normal.Modules))
		if len(same.diffs) > 0 {
			t.Fatalf("%s: %v", name, same.diffs[0])
		}
		change(decoded)
		var d deepCompare
		d.compare("decoded", reflect.ValueOf(decoded), reflect.ValueOf(normal.Modules))
		if len(d.diffs) == 0 {
			t.Errorf("%s: a change is not seen", name)
		}
	}
}

// TestLoadUsesPrecompiled checks that Load compiles the embedded policies
// from precompiled.bin, eagerly and in the background, and nothing else.
func TestLoadUsesPrecompiled(t *testing.T) {
	for _, bg := range []bool{false, true} {
		rules, err := Load(policies.FS, Options{Root: "policies", Background: bg})
		if err != nil {
			t.Fatal(err)
		}
		st := stateOf(t, rules[0])
		st.start()
		<-st.done
		if st.err != nil || !st.precompiled {
			t.Errorf("background %v: precompiled %v, error %v; want compiled from precompiled.bin (stale? run go generate ./analyzer/regoeval)", bg, st.precompiled, st.err)
		}
	}

	// Other sources, even the same files in another file system, are
	// parsed and compiled.
	fsys := fstest.MapFS{}
	srcs, err := readSources(policies.FS, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range srcs {
		fsys[s.origin] = &fstest.MapFile{Data: s.src}
	}
	rules, err := Load(fsys, Options{Root: "policies", Background: true})
	if err != nil {
		t.Fatal(err)
	}
	st := stateOf(t, rules[0])
	st.start()
	<-st.done
	if st.err != nil || st.precompiled {
		t.Errorf("a file system other than policies.FS: precompiled %v, error %v; want parsed and compiled", st.precompiled, st.err)
	}
	dir := writePolicies(t, map[string]string{"p.rego": customHeader + "findings := set()\n"})
	rules, err = Load(policies.FS, Options{Root: "policies", Extra: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	if st := stateOf(t, rules[0]); st.precompiled {
		t.Error("policies with a user directory are compiled from precompiled.bin")
	}
}

// TestPrecompiledStale checks that precompiled.bin is ignored when its
// hash is not that of the sources: the policies are then parsed and
// compiled, with the same findings.
func TestPrecompiledStale(t *testing.T) {
	saved := precompiledData
	t.Cleanup(func() { precompiledData = saved })
	srcs, err := readSources(policies.FS, Options{Root: "policies"})
	if err != nil {
		t.Fatal(err)
	}
	if !precompiledFor(srcs) {
		t.Fatal("precompiled.bin is stale: run go generate ./analyzer/regoeval")
	}
	edited := slices.Clone(srcs)
	edited[0].src = append(slices.Clone(edited[0].src), '\n')
	if precompiledFor(edited) {
		t.Error("precompiled.bin matches edited sources")
	}

	fresh, err := Load(policies.FS, Options{Root: "policies"})
	if err != nil {
		t.Fatal(err)
	}
	hash := []byte(precompiledData)
	hash[len(precompiledMagic)]++
	precompiledData = string(hash)
	for _, bg := range []bool{false, true} {
		stale, err := Load(policies.FS, Options{Root: "policies", Background: bg})
		if err != nil {
			t.Fatal(err)
		}
		st := stateOf(t, stale[0])
		st.start()
		<-st.done
		if st.err != nil || st.precompiled {
			t.Fatalf("background %v: precompiled %v, error %v; want parsed and compiled", bg, st.precompiled, st.err)
		}
		// The same rules, facts and queries (with their locations) as
		// read from precompiled.bin.
		fst := stateOf(t, fresh[0])
		if !fst.precompiled {
			t.Fatal("not compiled from precompiled.bin")
		}
		if len(stale) != len(fresh) {
			t.Fatalf("%d rules, %d precompiled", len(stale), len(fresh))
		}
		for i := range fresh {
			a, b := *stale[i], *fresh[i]
			a.Check, b.Check = nil, nil
			if !reflect.DeepEqual(a, b) {
				t.Errorf("rule %d: parsed %+v, precompiled %+v", i, a, b)
			}
		}
		if !reflect.DeepEqual(st.needs, fst.needs) || !reflect.DeepEqual(st.skippable, fst.skippable) {
			t.Errorf("facts needed: parsed %v %v, precompiled %v %v", st.needs, st.skippable, fst.needs, fst.skippable)
		}
		var d deepCompare
		for i := range st.evals {
			d.compare(fmt.Sprintf("query %d", i), reflect.ValueOf(st.evals[i].ref), reflect.ValueOf(fst.evals[i].ref))
			d.compare(fmt.Sprintf("rule %d", i), reflect.ValueOf(*st.evals[i].rule), reflect.ValueOf(*fst.evals[i].rule))
		}
		if d.locations < len(st.evals) {
			t.Errorf("%d locations in the queries of %d rules", d.locations, len(st.evals))
		}
		for _, diff := range d.diffs {
			t.Error(diff)
		}
		fx := newFixture(t, 0)
		for i := range fresh {
			want, werr := fx.run(t, fresh[i])
			got, gerr := fx.run(t, stale[i])
			if (werr == nil) != (gerr == nil) || !reflect.DeepEqual(got, want) {
				t.Errorf("%s: parsed %v, %v; precompiled %v, %v", fresh[i].ID, got, gerr, want, werr)
			}
		}
	}
}

// TestDecodePrecompiledTruncated checks that a truncated encoding is an
// error, not a panic or a partial result.
func TestDecodePrecompiledTruncated(t *testing.T) {
	srcs, err := readSources(policies.FS, Options{Root: "policies"})
	if err != nil {
		t.Fatal(err)
	}
	_, modules, err := splitPrecompiled(precompiledData)
	if err != nil {
		t.Fatal(err)
	}
	rulesEnd := len(precompiledData) - len(modules)
	for n := 0; n < len(precompiledData); n += 1 + n/50 {
		if _, _, err := decodePrecompiled(precompiledData[:n], srcs); err == nil {
			t.Errorf("%d of %d bytes decode without error", n, len(precompiledData))
		}
		if _, _, _, err := decodePrecompiledRules(precompiledData[:n], srcs); n < rulesEnd && err == nil {
			t.Errorf("%d of %d bytes of rules decode without error", n, rulesEnd)
		}
	}
}

// deepCompare compares two values field by field, unexported fields
// included, following pointers, and records the differences. OPA's
// arrays, objects and sets are compared by their elements, hash and
// groundness (their internal order and sorting state are not kept by the
// encoding; they iterate in sorted order). Fields read by nothing after
// compilation are not compared (see ignoredFields).
type deepCompare struct {
	seen             map[[2]unsafe.Pointer]bool
	diffs            []string
	nodes, locations int
}

// ignoredFields are the unexported fields of OPA's nodes that the
// encoding does not keep: read only by the parser (generatedBody,
// generatedValue) or by the safety check of rule bodies (generatedFrom,
// generates, fromAssignment), a stage Load skips for the embedded
// policies (builtinNoOpStages). Rule.Module is compared by the package
// and Rego version, all that is read of it (see encoder.rule).
var ignoredFields = map[string]bool{
	"Rule.generatedBody":  true,
	"Head.generatedValue": true,
	"Expr.generatedFrom":  true,
	"Expr.generates":      true,
	"Expr.fromAssignment": true,
}

var (
	arrayType  = reflect.TypeFor[*ast.Array]()
	objectType = reflect.TypeOf(ast.NewObject())
	setType    = reflect.TypeOf(ast.NewSet())
	locType    = reflect.TypeFor[ast.Location]()
)

func (d *deepCompare) diff(path string, format string, args ...any) {
	d.diffs = append(d.diffs, path+": "+fmt.Sprintf(format, args...))
}

// usable returns v so that its Interface can be called, even if it was
// read from an unexported field.
func usable(v reflect.Value) reflect.Value {
	if v.CanInterface() {
		return v
	}
	if v.CanAddr() {
		return reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
	}
	panic("cannot read " + v.Type().String())
}

func (d *deepCompare) compare(path string, a, b reflect.Value) {
	if len(d.diffs) > 100 {
		return
	}
	if a.IsValid() != b.IsValid() {
		d.diff(path, "valid %v, want %v", a.IsValid(), b.IsValid())
		return
	}
	if !a.IsValid() {
		return
	}
	if a.Type() != b.Type() {
		d.diff(path, "type %v, want %v", a.Type(), b.Type())
		return
	}
	d.nodes++
	switch a.Type() {
	case arrayType, objectType, setType:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				d.diff(path, "nil %v, want %v", a.IsNil(), b.IsNil())
			}
			return
		}
		va, vb := usable(a).Interface().(ast.Value), usable(b).Interface().(ast.Value)
		if va.Hash() != vb.Hash() || va.IsGround() != vb.IsGround() {
			d.diff(path, "hash %d ground %v, want %d %v", va.Hash(), va.IsGround(), vb.Hash(), vb.IsGround())
		}
		d.compare(path+"[elements]", reflect.ValueOf(elements(va)), reflect.ValueOf(elements(vb)))
		return
	case locType:
		d.locations++
	}
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				d.diff(path, "nil %v, want %v", a.IsNil(), b.IsNil())
			}
			return
		}
		key := [2]unsafe.Pointer{a.UnsafePointer(), b.UnsafePointer()}
		if d.seen == nil {
			d.seen = map[[2]unsafe.Pointer]bool{}
		}
		if d.seen[key] {
			return
		}
		d.seen[key] = true
		d.compare(path, a.Elem(), b.Elem())
	case reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				d.diff(path, "nil %v, want %v", a.IsNil(), b.IsNil())
			}
			return
		}
		d.compare(path, a.Elem(), b.Elem())
	case reflect.Struct:
		if a.Type() == reflect.TypeFor[ast.Rule]() {
			ma, mb := a.FieldByName("Module"), b.FieldByName("Module")
			if ma.IsNil() != mb.IsNil() {
				d.diff(path+".Module", "nil %v, want %v", ma.IsNil(), mb.IsNil())
			} else if !ma.IsNil() {
				x, y := ma.Interface().(*ast.Module), mb.Interface().(*ast.Module)
				if !x.Package.Path.Equal(y.Package.Path) || x.RegoVersionSpan() != y.RegoVersionSpan() {
					d.diff(path+".Module", "package %v %v, want %v %v", x.Package.Path, x.RegoVersionSpan(), y.Package.Path, y.RegoVersionSpan())
				}
			}
		}
		for i := range a.NumField() {
			f := a.Type().Field(i)
			if ignoredFields[a.Type().Name()+"."+f.Name] || (a.Type() == reflect.TypeFor[ast.Rule]() && f.Name == "Module") {
				continue
			}
			d.compare(path+"."+f.Name, a.Field(i), b.Field(i))
		}
	case reflect.Slice:
		if a.IsNil() != b.IsNil() {
			d.diff(path, "nil %v, want %v", a.IsNil(), b.IsNil())
			return
		}
		if a.Len() != b.Len() {
			d.diff(path, "length %d, want %d", a.Len(), b.Len())
			return
		}
		for i := range a.Len() {
			d.compare(fmt.Sprintf("%s[%d]", path, i), a.Index(i), b.Index(i))
		}
	case reflect.Array:
		for i := range a.Len() {
			d.compare(fmt.Sprintf("%s[%d]", path, i), a.Index(i), b.Index(i))
		}
	case reflect.Map:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			d.diff(path, "nil %v length %d, want %v %d", a.IsNil(), a.Len(), b.IsNil(), b.Len())
			return
		}
		if a.Type().Key().Kind() == reflect.Pointer {
			// Keys by identity: a key of a not found in b is reported
			// below for keys holding pointers in interfaces.
			d.diff(path, "cannot compare a map keyed by %v", a.Type().Key())
			return
		}
		keys := usable(a).MapKeys()
		slices.SortFunc(keys, func(x, y reflect.Value) int { return strings.Compare(fmt.Sprint(x), fmt.Sprint(y)) })
		for _, k := range keys {
			vb := usable(b).MapIndex(k)
			if !vb.IsValid() {
				d.diff(path, "key %v, not wanted", k)
				continue
			}
			d.compare(fmt.Sprintf("%s[%v]", path, k), usable(a).MapIndex(k), vb)
		}
	case reflect.Func:
		if a.IsNil() != b.IsNil() {
			d.diff(path, "nil func %v, want %v", a.IsNil(), b.IsNil())
		}
	case reflect.String:
		if a.String() != b.String() {
			d.diff(path, "%q, want %q", a.String(), b.String())
		}
	case reflect.Bool:
		if a.Bool() != b.Bool() {
			d.diff(path, "%v, want %v", a.Bool(), b.Bool())
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if a.Int() != b.Int() {
			d.diff(path, "%d, want %d", a.Int(), b.Int())
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if a.Uint() != b.Uint() {
			d.diff(path, "%d, want %d", a.Uint(), b.Uint())
		}
	case reflect.Float32, reflect.Float64:
		if a.Float() != b.Float() {
			d.diff(path, "%v, want %v", a.Float(), b.Float())
		}
	default:
		d.diff(path, "cannot compare a %v", a.Kind())
	}
}

// elements returns the elements of an array, or the keys and values of an
// object, or the elements of a set, in their iteration order.
func elements(v ast.Value) []*ast.Term {
	var out []*ast.Term
	switch v := v.(type) {
	case *ast.Array:
		v.Foreach(func(x *ast.Term) { out = append(out, x) })
	case ast.Object:
		v.Foreach(func(k, x *ast.Term) { out = append(out, k, x) })
	case ast.Set:
		out = append(out, v.Slice()...)
	}
	return out
}
