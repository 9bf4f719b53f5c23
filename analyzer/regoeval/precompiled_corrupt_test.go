package regoeval

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/armlint/armlint/policies"
)

// TestDecodePrecompiledHugeCount checks that a count larger than the
// bytes left is an error at once: the rewritten variables' count below,
// 2^31, once made the decoder loop that many times on a truncated
// section.
func TestDecodePrecompiledHugeCount(t *testing.T) {
	data := precompiledMagic + strings.Repeat("h", sha256.Size) + "\x00" +
		"\x01\x00\x00\x00\x00\x00" + "\x01a" + "\x80\x80\x80\x80\x08"
	_, _, err := decodePrecompiled(data, nil)
	if err == nil || !strings.Contains(err.Error(), "bad count") {
		t.Errorf("decoding a count of 2^31 with no bytes left: error %v, want bad count", err)
	}
	// Every count of the section header, and the modules' and rules'.
	for _, section := range []string{
		"\x05", "\x00\x05", "\x00\x00\x05", "\x00\x00\x00\x05", "\x00\x00\x00\x00\x05", "\x00\x00\x00\x00\x00\x05",
		"\x01\x00\x00\x00\x00\x00\x05",
		"\x00\x00\x00\x00\x00\x00\x05",
	} {
		d, err := newDecoder(section, nil)
		if err == nil {
			d.count()
			err = d.end()
		}
		if err == nil || !strings.Contains(err.Error(), "bad count") {
			t.Errorf("section %q: error %v, want bad count", section, err)
		}
	}
}

// TestDecodeNilTerms checks that a nil term (kind 0) where a term is
// required is an error: OPA's constructors panic on it (arrays, sets,
// objects), or its compiler would.
func TestDecodeNilTerms(t *testing.T) {
	for _, tc := range []struct{ name, s string }{
		{"array", "\x08\x00\x02\x00"},
		{"set", "\x0a\x00\x02\x00"},
		{"object key", "\x09\x00\x02\x00\x01\x00"},
		{"object value", "\x09\x00\x02\x01\x00\x00"},
		{"ref", "\x07\x00\x02\x00"},
		{"call", "\x0e\x00\x02\x00"},
	} {
		d := &decoder{s: tc.s, terms: make([]ast.Term, 4), termPtrs: make([]*ast.Term, 4)}
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: panic: %v", tc.name, r)
				}
			}()
			d.term()
		}()
		if d.err == nil {
			t.Errorf("%s with a nil element decodes without error", tc.name)
		}
	}
}

// TestCompilePrecompiledRecovers checks that a decoded tree OPA's
// compiler panics on is an error of compilePrecompiledData, which Load
// falls back from, not a panic (in the background, it would end the
// process).
func TestCompilePrecompiledRecovers(t *testing.T) {
	src := "package armlint.lib.x\n\np if { true }\n"
	srcs := []source{{origin: "policies/lib/x.rego", src: []byte(src)}}
	m, err := parseModuleOpts(srcs[0].origin, srcs[0].src, false, false)
	if err != nil {
		t.Fatal(err)
	}
	c, err := compile(map[string]*ast.Module{srcs[0].origin: m}, embeddedSkippedStages)
	if err != nil {
		t.Fatal(err)
	}
	m = c.Modules[srcs[0].origin]
	m.Rules[0].Body[0].Terms = (*ast.Term)(nil)
	data, err := encodePrecompiled(map[string]*ast.Module{srcs[0].origin: m}, nil, srcs)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := decodePrecompiled(string(data), srcs); err != nil {
		t.Fatalf("the malformed tree does not decode: %v", err)
	}
	c, err = compilePrecompiledData(string(data), srcs, nil)
	if err == nil {
		t.Fatalf("a malformed tree compiles: %v", c.Modules)
	}
	t.Log(err)
}

// FuzzDecodePrecompiled decodes arbitrary data as precompiled.bin and
// compiles what decodes: neither may panic (a panic of OPA's compiler is
// compilePrecompiledData's error, but the decoders themselves must not
// panic) or hang. Every count is bounded by the bytes left, so the work
// is bounded by the input's size. Seeded with precompiled.bin and
// truncations of it.
func FuzzDecodePrecompiled(f *testing.F) {
	srcs, err := readSources(policies.FS, Options{Root: "policies"})
	if err != nil {
		f.Fatal(err)
	}
	headers, ok, err := parseHeaders(srcs)
	if err != nil || !ok {
		f.Fatal(ok, err)
	}
	pkgs := rulePackages(headers, true)
	f.Add([]byte(precompiledData))
	for n := 0; n < len(precompiledData); n += 1 + len(precompiledData)/16 {
		f.Add([]byte(precompiledData[:n]))
	}
	// A small encoding, quicker to mutate and minimise: the library
	// modules alone.
	var lib []source
	byName := map[string]*ast.Module{}
	for _, s := range srcs {
		if strings.Contains(s.origin, "/lib/") && len(lib) < 3 {
			m, err := parseModuleOpts(s.origin, s.src, false, false)
			if err != nil {
				f.Fatal(err)
			}
			lib, byName[s.origin] = append(lib, s), m
		}
	}
	c, err := compile(byName, embeddedSkippedStages)
	if err != nil {
		f.Fatal(err)
	}
	small, err := encodePrecompiled(c.Modules, c.RewrittenVars, lib)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(small)
	f.Add([]byte(precompiledMagic + strings.Repeat("h", sha256.Size) + "\x00" +
		"\x01\x00\x00\x00\x00\x00" + "\x01a" + "\x80\x80\x80\x80\x08"))
	f.Fuzz(func(t *testing.T, b []byte) {
		data := string(b)
		_, _, _, _ = decodePrecompiledRules(data, srcs)
		mods, _, err := decodePrecompiled(data, srcs)
		if err != nil {
			return
		}
		// Compile for the sources decoded (all for precompiled.bin).
		var sub []source
		for _, s := range srcs {
			if mods[s.origin] != nil {
				sub = append(sub, s)
			}
		}
		pkgs := pkgs
		if len(sub) != len(srcs) {
			headers, ok, err := parseHeaders(sub)
			if err != nil || !ok {
				t.Fatal(ok, err)
			}
			pkgs = rulePackages(headers, true)
		}
		_, _ = compilePrecompiledData(data, sub, pkgs)
	})
}

// TestPrecompiledHashCoversSettings checks that the hash of
// precompiled.bin changes with the compile settings: a change of a stage
// list or of the parser options makes it stale.
func TestPrecompiledHashCoversSettings(t *testing.T) {
	srcs, err := readSources(policies.FS, Options{Root: "policies"})
	if err != nil {
		t.Fatal(err)
	}
	if !precompiledFor(srcs) {
		t.Fatal("precompiled.bin is stale: run go generate ./analyzer/regoeval")
	}
	for _, l := range []struct {
		name   string
		stages *[]ast.StageID
	}{{"embeddedSkippedStages", &embeddedSkippedStages}, {"precompiledStages", &precompiledStages}, {"allStages", &allStages}} {
		saved := *l.stages
		*l.stages = saved[:len(saved)-1]
		if precompiledFor(srcs) {
			t.Errorf("precompiled.bin matches the sources with another %s", l.name)
		}
		*l.stages = saved
	}
	settings := compileSettings()
	for _, annotations := range []bool{false, true} {
		if opts := fmt.Sprintf("%+v", parserOptions(annotations)); !strings.Contains(settings, opts) {
			t.Errorf("the hash does not cover the parser options %s", opts)
		}
	}
}

// TestAllStagesAreOPAs compares allStages, a copy of OPA's list of
// compiler stages, with the list OPA's compiler runs (its unexported
// field stages, each with a name): an OPA upgrade that adds, removes or
// moves a stage must update allStages (and precompiledStages or
// embeddedSkippedStages, whose stages it sorts).
func TestAllStagesAreOPAs(t *testing.T) {
	stages := reflect.ValueOf(ast.NewCompiler()).Elem().FieldByName("stages")
	if !stages.IsValid() || stages.Kind() != reflect.Slice {
		t.Fatal("OPA's Compiler has no slice field stages any more: read its stage list otherwise")
	}
	var opa []ast.StageID
	for i := range stages.Len() {
		name := stages.Index(i).FieldByName("name")
		if !name.IsValid() || name.Kind() != reflect.String {
			t.Fatal("OPA's compiler stages have no string field name any more: read their names otherwise")
		}
		opa = append(opa, ast.StageID(name.String()))
	}
	if !slices.Equal(opa, allStages) {
		t.Errorf("allStages is not OPA's list of compiler stages (OPA upgraded?): update allStages, and place each new stage in precompiledStages or embeddedSkippedStages:\n got: %q\nwant: %q", allStages, opa)
	}
}

// TestPrecompiledCorruptFallsBack checks that when precompiled.bin has
// the sources' hash but does not decode, Load falls back to the sources,
// eagerly and in the background: the rules and their findings are those
// of a load from the sources.
func TestPrecompiledCorruptFallsBack(t *testing.T) {
	saved := precompiledData
	t.Cleanup(func() { precompiledData = saved })
	srcs, err := readSources(policies.FS, Options{Root: "policies"})
	if err != nil {
		t.Fatal(err)
	}
	rulesSection, modules, err := splitPrecompiled(saved)
	if err != nil {
		t.Fatal(err)
	}
	head := saved[:len(precompiledMagic)+sha256.Size]
	withRules := func(rules string) string {
		return head + string(binary.AppendUvarint(nil, uint64(len(rules)))) + rules + modules
	}
	for _, tc := range []struct {
		name, data string
		rulesOK    bool // the rules decode, the modules do not
	}{
		{"truncated modules", saved[:len(saved)-len(modules)/2], true},
		{"garbage after the modules", saved + "garbage", true},
		{"truncated rules", withRules(rulesSection[:len(rulesSection)/2]), false},
		{"garbage after the rules", withRules(rulesSection + "garbage"), false},
	} {
		precompiledData = tc.data
		if _, _, _, err := decodePrecompiledRules(tc.data, srcs); (err == nil) != tc.rulesOK {
			t.Fatalf("%s: decoding the rules: %v", tc.name, err)
		}
		if _, _, err := decodePrecompiled(tc.data, srcs); tc.rulesOK && err == nil {
			t.Fatalf("%s: the modules decode", tc.name)
		}

		precompiledData = ""
		want, err := Load(policies.FS, Options{Root: "policies"})
		if err != nil {
			t.Fatal(err)
		}
		precompiledData = tc.data
		for _, bg := range []bool{false, true} {
			if !precompiledFor(srcs) {
				t.Fatalf("%s: the hash does not match", tc.name)
			}
			got, err := Load(policies.FS, Options{Root: "policies", Background: bg})
			if err != nil {
				t.Fatalf("%s, background %v: %v", tc.name, bg, err)
			}
			st := stateOf(t, got[0])
			st.start()
			<-st.done
			if st.err != nil || st.precompiled {
				t.Fatalf("%s, background %v: precompiled %v, error %v; want parsed and compiled", tc.name, bg, st.precompiled, st.err)
			}
			if len(got) != len(want) {
				t.Fatalf("%s, background %v: %d rules, want %d", tc.name, bg, len(got), len(want))
			}
			fx := newFixture(t, 0)
			for i := range want {
				a, b := *got[i], *want[i]
				a.Check, b.Check = nil, nil
				if !reflect.DeepEqual(a, b) {
					t.Errorf("%s, background %v: rule %d: %+v, want %+v", tc.name, bg, i, a, b)
				}
				wf, werr := fx.run(t, want[i])
				gf, gerr := fx.run(t, got[i])
				if (werr == nil) != (gerr == nil) || !reflect.DeepEqual(gf, wf) {
					t.Errorf("%s, background %v: %s: findings %v, %v; want %v, %v", tc.name, bg, want[i].ID, gf, gerr, wf, werr)
				}
			}
		}
	}
}
