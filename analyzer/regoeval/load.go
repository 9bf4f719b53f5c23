// Package regoeval turns Rego policies into armlint rules.
//
// Load parses the built-in policies (an fs.FS, normally policies.FS) and
// any user policy directories, compiles them once in a sandbox (no network,
// no environment, no clock, no randomness: see sandbox.go), prepares one
// query per rule package and returns ordinary *analyzer.Rule values whose
// Check evaluates that query against the file's model. It is the only
// package that imports OPA.
//
// The input a policy sees and the findings it must produce are the
// contract documented in policies/lib/armlint/input.rego.
package regoeval

import (
	"bytes"
	"cmp"
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/storage"
	"github.com/open-policy-agent/opa/v1/storage/inmem"

	"github.com/armlint/armlint/analyzer"
	"github.com/armlint/armlint/policies"
)

// DefaultTimeout is the evaluation budget of one rule on one file.
const DefaultTimeout = 5 * time.Second

// Options configures Load.
type Options struct {
	// Root is the name the paths of the built-in file system are shown
	// under, in Rule.Origin and in errors: "policies" for policies.FS, so
	// that a rule's origin reads "policies/rules/identity/x.rego".
	Root string
	// Extra lists user policy directories (--policy DIR), read from disk
	// recursively. Their modules must declare packages under
	// armlint.custom.
	Extra []string
	// Config holds rule options by rule ID; policies read them as
	// data.armlint.config[<rule ID>]. It is the only data document.
	Config map[string]map[string]any
	// Timeout bounds the evaluation of one rule on one file; zero means
	// DefaultTimeout.
	Timeout time.Duration
	// Background compiles the built-in policies in the background when
	// there are no user directories (see Load).
	Background bool
	// Complete evaluates the built-in policies as user policies are: on
	// every file, even those without anything they read findings from
	// (see relevant) or without the facts they start from (see facts),
	// and with the complete input (see buildInputFor). For tests that
	// check these shortcuts.
	Complete bool
}

// module is one parsed policy file.
type module struct {
	origin string // the file as shown to users
	custom bool   // from a user directory
	mod    *ast.Module
}

// Load parses every policy module of fsys and of the directories in
// opts.Extra (test files, *_test.rego, are skipped), checks that each sits
// in its namespace, compiles them all once with the sandboxed capabilities
// and returns one rule per package that defines `findings`, sorted by ID.
// Every error names the policy file it is about.
//
// With opts.Background and no user directories, the rules (IDs, names,
// severities, documentation, read from METADATA) are returned as soon as
// the modules are parsed, and compilation runs in the background, from
// EvaluateTogether (when one of the rules is enabled) or the first Check:
// each rule's Check waits for it. Listing the rules (armlint rules,
// explain) or running with every policy rule disabled compiles nothing.
// Only built-in policies are compiled late, so an error in a user's
// policy is still reported by Load. The embedded policies (policies.FS)
// are even parsed late: Load parses only their headers (see parseHeaders),
// which hold the METADATA and package of each, and the modules are parsed
// in the background before they are compiled (checking that they define
// the rule packages their headers announced).
//
// When the embedded policies are exactly those precompiled.bin was
// generated from (same sources, same OPA version, same compile settings:
// see precompiledFor), Load reads their rules from it instead of their
// headers (see decodePrecompiledRules), and their compiled modules are
// decoded from it instead of being parsed and compiled (see
// compilePrecompiled), in the background or, without opts.Background, in
// Load.
func Load(fsys fs.FS, opts Options) (rules []*analyzer.Rule, err error) {
	// srcs is set when mods are only the headers of the sources, or
	// nothing when precompiled.
	var srcs []source
	var mods []module
	// precompiled is set when the rules and the compiled modules come
	// from precompiled.bin (see precompiledFor), and with it pkgs, rules
	// and needs.
	var precompiled bool
	var pkgs []*rulePackage
	var needs []facts
	if len(opts.Extra) == 0 && embedded(fsys) {
		all, err := readSources(fsys, opts)
		if err != nil {
			return nil, err
		}
		if precompiledFor(all) {
			// An error here is a bug (the hash matched): read the
			// sources instead.
			if pkgs, rules, needs, err = decodePrecompiledRules(precompiledData, all); err == nil {
				srcs, precompiled = all, true
			} else {
				pkgs, rules, needs = nil, nil, nil
			}
		}
		if !precompiled && opts.Background {
			srcs = all
			var ok bool
			if mods, ok, err = parseHeaders(srcs); err != nil || !ok {
				srcs = nil // parse them all now: errors are reported as before
			}
		}
	}
	if srcs == nil {
		if mods, err = readModules(fsys, opts); err != nil {
			return nil, err
		}
	}
	byName := make(map[string]*ast.Module, len(mods))
	for _, m := range mods {
		byName[m.origin] = m.mod
	}

	var compiler *ast.Compiler
	var annotations *ast.AnnotationSet
	if !precompiled && opts.Background && len(opts.Extra) == 0 {
		// The compiler builds its annotation set the same way, from the
		// modules sorted by name; if that fails, compile now so that the
		// compiler reports the errors as before.
		sorted := make([]*ast.Module, 0, len(mods))
		for _, name := range slices.Sorted(maps.Keys(byName)) {
			sorted = append(sorted, byName[name])
		}
		if as, errs := ast.BuildAnnotationSet(sorted); len(errs) == 0 {
			annotations = as
		} else if srcs != nil {
			if mods, err = readModules(fsys, opts); err != nil {
				return nil, err
			}
			srcs = nil
			clear(byName)
			for _, m := range mods {
				byName[m.origin] = m.mod
			}
		}
	}
	if !precompiled && annotations == nil {
		if compiler, err = compile(byName, skippedStages(fsys, opts)); err != nil {
			return nil, err
		}
		annotations = compiler.GetAnnotationSet()
	}

	// Metadata first: rule options may be keyed by rule ID or name, and
	// the data document is keyed by ID.
	if !precompiled {
		var errs []error
		for _, pkg := range rulePackages(mods, srcs != nil) {
			r, n, err := ruleMetadata(annotations, pkg)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			rules = append(rules, r)
			pkgs = append(pkgs, pkg)
			needs = append(needs, n)
		}
		if len(errs) > 0 {
			return nil, errors.Join(errs...)
		}
	}
	byID := configByID(opts.Config, rules)
	store, err := configStore(byID)
	if err != nil {
		return nil, err
	}
	timeout := cmp.Or(opts.Timeout, DefaultTimeout)
	inputs := &inputCache{complete: len(opts.Extra) > 0 || opts.Complete}
	st := &state{done: make(chan struct{}), store: store, timeout: timeout, inputs: inputs, start: func() {}, needs: needs, parsedLate: srcs != nil && opts.Background}
	st.skippable = make([]bool, len(pkgs))
	for i, pkg := range pkgs {
		st.skippable[i] = !pkg.custom && !opts.Complete
		st.anySkippable = st.anySkippable || st.skippable[i]
	}
	states.add(st)
	// byPkg is rules in the order of pkgs: the rules returned are sorted
	// by ID, possibly before the background compilation prepares them.
	byPkg := slices.Clone(rules)
	compileAndPrepare := func(c *ast.Compiler, eager bool) {
		defer close(st.done)
		if c == nil && precompiled {
			// An error here is a bug (the hash matched): parse and
			// compile the sources instead.
			if pc, err := compilePrecompiled(srcs, pkgs); err == nil {
				c, st.precompiled = pc, true
			}
		}
		if c == nil {
			if srcs != nil {
				if byName, st.err = parseAnnounced(srcs, pkgs); st.err != nil {
					return
				}
			}
			if c, st.err = compile(byName, skippedStages(fsys, opts)); st.err != nil {
				return
			}
		}
		st.compiler = c
		st.evals = make([]*evaluator, len(pkgs))
		for i, pkg := range pkgs {
			st.evals[i] = prepare(c, store, pkg, byPkg[i], timeout, inputs, byID[byPkg[i].ID])
		}
		if eager {
			// Report every rule's preparation error now.
			var errs []error
			for _, e := range st.evals {
				if _, err := e.prepared(); err != nil {
					errs = append(errs, err)
				}
			}
			st.err = errors.Join(errs...)
		}
		// In the background, the queries of the batch (see batch) are
		// prepared when first needed, and the rules' own if a rule runs
		// alone.
	}

	if compiler != nil || !opts.Background {
		compileAndPrepare(compiler, true)
		if st.err != nil {
			return nil, st.err
		}
	} else {
		// Compile and prepare in the background; the modules are not
		// touched here any more (the compiler works on copies).
		st.start = sync.OnceFunc(func() { go compileAndPrepare(nil, false) })
	}
	for i, r := range byPkg {
		st.index.Store(r, i)
		r.Check = func(pass *analyzer.Pass) error { return st.check(i, pass) }
	}
	slices.SortFunc(rules, func(a, b *analyzer.Rule) int { return cmp.Compare(a.ID, b.ID) })
	return rules, nil
}

// compile compiles the modules once with the sandboxed capabilities,
// without the given stages (see skippedStages).
func compile(byName map[string]*ast.Module, skip []ast.StageID) (*ast.Compiler, error) {
	compiler := ast.NewCompiler().WithCapabilities(sandboxCapabilities())
	if len(skip) > 0 {
		compiler = compiler.WithSkipStages(skip...)
	}
	compiler.Compile(byName)
	if compiler.Failed() {
		return nil, fmt.Errorf("compiling policies: %w%s", compiler.Errors, sandboxHint(compiler.Errors))
	}
	return compiler, nil
}

// skippedStages returns the compiler stages Load skips. When the modules
// are exactly the embedded policies (policies.FS) without user
// directories, they pass every check of the compiler
// (TestBuiltinPoliciesPassEveryCheck): the stages that only check, and
// change nothing the evaluation uses, are skipped, which saves about a
// fifth of the compilation of every run; so are the stages that change
// nothing in them (their compiled form is checked by
// TestBuiltinNoOpStagesChangeNothing), about a third more. Any other
// modules, user policies first, get every stage.
func skippedStages(fsys fs.FS, opts Options) []ast.StageID {
	if len(opts.Extra) > 0 || !embedded(fsys) {
		return nil
	}
	return embeddedSkippedStages
}

// checkOnlyStages are the compiler stages that only report errors (or
// record what the policies require of OPA) and change nothing the
// evaluation uses.
var checkOnlyStages = []ast.StageID{
	ast.StageCheckUnusedImports,
	ast.StageCheckKeywordOverrides,
	ast.StageCheckDuplicateImports,
	ast.StageCheckVoidCalls,
	ast.StageCheckRuleConflicts,
	ast.StageCheckUndefinedFuncs,
	ast.StageCheckSafetyRuleHeads,
	ast.StageCheckRecursion,
	ast.StageCheckTypes,
	ast.StageCheckUnsafeBuiltins,
	ast.StageCheckDeprecatedBuiltins,
	ast.StageBuildRequiredCapabilities,
	// The rule dependency graph: only the recursion and type checks read
	// it.
	ast.StageSetGraph,
}

// builtinNoOpStages are the compiler stages that leave armlint's embedded
// policies as they are: their rule bodies are written in an order safe to
// evaluate (CheckSafetyRuleBodies reorders the bodies that are not, and
// is a third of the compilation), and they have no print calls, template
// strings, `with` modifiers, rego.metadata calls (for which the compiler
// would parse METADATA), test rules or rule head refs to rewrite.
// TestBuiltinNoOpStagesChangeNothing compiles them with and without these
// stages and compares the result: a policy that needs one of them fails it
// (reorder its body, or take the stage off this list). Other modules,
// even in the built-in namespaces, get these stages: a body in an unsafe
// order is then reordered, or reported, as OPA does.
var builtinNoOpStages = []ast.StageID{
	ast.StageCheckSafetyRuleBodies,
	ast.StageRewritePrintCalls,
	ast.StageRewriteTemplateStrings,
	ast.StageRewriteWithValues,
	ast.StageRewriteRegoMetadataCalls,
	ast.StageParseMetadataBlocks,
	ast.StageRewriteTestRulesForTracing,
	ast.StageRewriteRuleHeadRefs,
}

// embeddedSkippedStages are the stages skipped when compiling the
// embedded policies alone.
var embeddedSkippedStages = slices.Concat(checkOnlyStages, builtinNoOpStages)

// source is one policy file as read.
type source struct {
	origin string
	custom bool
	src    []byte
}

// readModules parses the non-test modules of fsys and of every user
// directory, in parallel, and checks their namespaces. Modules and errors
// keep the order of the walk.
func readModules(fsys fs.FS, opts Options) ([]module, error) {
	srcs, err := readSources(fsys, opts)
	if err != nil {
		return nil, err
	}
	return parseSources(srcs, true)
}

// readSources reads the non-test modules of fsys and of every user
// directory, in the order of the walk.
func readSources(fsys fs.FS, opts Options) ([]source, error) {
	var srcs []source
	seen := map[string]bool{}
	add := func(root fs.FS, display func(string) string, custom bool) error {
		return fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || !strings.HasSuffix(p, ".rego") || strings.HasSuffix(p, "_test.rego") {
				return nil
			}
			origin := display(p)
			if seen[origin] {
				return nil
			}
			seen[origin] = true
			src, err := fs.ReadFile(root, p)
			if err != nil {
				return err
			}
			srcs = append(srcs, source{origin: origin, custom: custom, src: src})
			return nil
		})
	}

	if fsys != nil {
		if err := add(fsys, func(p string) string { return path.Join(opts.Root, p) }, false); err != nil {
			return nil, fmt.Errorf("reading built-in policies: %w", err)
		}
	}
	for _, dir := range opts.Extra {
		info, err := os.Stat(dir)
		if err == nil && !info.IsDir() {
			err = errors.New("not a directory")
		}
		if err == nil {
			err = add(os.DirFS(dir), func(p string) string { return filepath.ToSlash(filepath.Join(dir, filepath.FromSlash(p))) }, true)
		}
		if err != nil {
			return nil, fmt.Errorf("policy directory %s: %w", dir, err)
		}
	}
	return srcs, nil
}

// parseSources parses the sources in parallel (see parseModule), METADATA
// included when annotations is set.
func parseSources(srcs []source, annotations bool) ([]module, error) {
	mods := make([]module, len(srcs))
	errs := make([]error, len(srcs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(srcs)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(srcs) {
					return
				}
				s := srcs[i]
				m, err := parseModuleOpts(s.origin, s.src, s.custom, annotations)
				mods[i], errs[i] = module{origin: s.origin, custom: s.custom, mod: m}, err
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return mods, nil
}

// parseHeaders parses, of each source, only what comes before the end of
// its package line: comments, the METADATA block and the package, all
// Load needs of the modules to return the rules. ok is false when a source
// has no package line.
func parseHeaders(srcs []source) (mods []module, ok bool, err error) {
	mods = make([]module, len(srcs))
	for i, s := range srcs {
		n := headerLength(s.src)
		if n < 0 {
			return nil, false, nil
		}
		m, err := parseModule(s.origin, s.src[:n], s.custom)
		if err != nil {
			return nil, false, err
		}
		mods[i] = module{origin: s.origin, custom: s.custom, mod: m}
	}
	return mods, true, nil
}

// headerLength returns the length of src up to the end of its first line
// that starts with "package ", or -1 when it has none.
func headerLength(src []byte) int {
	for off := 0; off < len(src); {
		end := len(src)
		if i := bytes.IndexByte(src[off:], '\n'); i >= 0 {
			end = off + i + 1
		}
		if bytes.HasPrefix(src[off:end], []byte("package ")) {
			return end
		}
		off = end
	}
	return -1
}

// parseModule parses one policy file (Rego v1 syntax, METADATA processed)
// and checks its namespace: built-in modules declare armlint.rules.* or
// armlint.lib.*; user modules declare armlint.custom.* and nothing else,
// so that they cannot merge into a built-in package.
func parseModule(origin string, src []byte, custom bool) (*ast.Module, error) {
	return parseModuleOpts(origin, src, custom, true)
}

// parseModuleOpts is parseModule, with METADATA processed only when
// annotations is set: compiling and evaluating the built-in policies does
// not read it (they make no rego.metadata calls and are not type-checked).
func parseModuleOpts(origin string, src []byte, custom, annotations bool) (*ast.Module, error) {
	m, err := ast.ParseModuleWithOpts(origin, string(src), parserOptions(annotations))
	if err != nil {
		return nil, err // OPA's parse errors carry file:line
	}
	pkg := packageName(m)
	ns := namespace(m.Package.Path)
	switch {
	case custom && (ns == "rules" || ns == "lib"):
		return nil, fmt.Errorf("%s: package %s is reserved for armlint's built-in policies; "+
			"user policies must declare a package under armlint.custom", origin, pkg)
	case custom && ns != "custom":
		return nil, fmt.Errorf("%s: package %s is not under armlint.custom; "+
			"user policies must declare a package under armlint.custom", origin, pkg)
	case !custom && ns != "rules" && ns != "lib":
		return nil, fmt.Errorf("%s: package %s is not under armlint.rules or armlint.lib", origin, pkg)
	}
	return m, nil
}

// parserOptions are the options parseModuleOpts parses with (part of
// the hash of precompiled.bin: see compileSettings).
func parserOptions(annotations bool) ast.ParserOptions {
	return ast.ParserOptions{
		ProcessAnnotation: annotations,
		RegoVersion:       ast.RegoV1,
	}
}

// namespace returns the second segment of an armlint package path
// (data.armlint.<ns>...): "rules", "lib", "custom", or "" for anything
// else, including a bare data.armlint.<ns>.
func namespace(p ast.Ref) string {
	if len(p) < 4 || !p[1].Equal(ast.InternedTerm("armlint")) {
		return ""
	}
	s, ok := p[2].Value.(ast.String)
	if !ok {
		return ""
	}
	return string(s)
}

// packageName returns a module's package without the data. prefix.
func packageName(m *ast.Module) string {
	return strings.TrimPrefix(m.Package.Path.String(), "data.")
}

// embedded reports whether fsys is the embedded policies, policies.FS.
func embedded(fsys fs.FS) bool {
	e, ok := fsys.(embed.FS)
	return ok && e == policies.FS
}

// parseAnnounced parses the modules whose headers Load read (see
// parseHeaders), without their METADATA, which Load has read, and checks
// that they define the rule packages pkgs the headers announced. It
// returns them by name, for the compiler.
func parseAnnounced(srcs []source, pkgs []*rulePackage) (map[string]*ast.Module, error) {
	mods, err := parseSources(srcs, false)
	if err != nil {
		return nil, err
	}
	if err := checkAnnounced(mods, pkgs); err != nil {
		return nil, err
	}
	byName := make(map[string]*ast.Module, len(mods))
	for _, m := range mods {
		byName[m.origin] = m.mod
	}
	return byName, nil
}

// checkAnnounced checks that the modules define the rule packages pkgs
// that their headers announced.
func checkAnnounced(mods []module, pkgs []*rulePackage) error {
	found := rulePackages(mods, false)
	same := len(found) == len(pkgs)
	for i := 0; same && i < len(found); i++ {
		same = found[i].path.Equal(pkgs[i].path) && slices.EqualFunc(found[i].mods, pkgs[i].mods, func(a, b module) bool { return a.origin == b.origin })
	}
	if !same {
		return errors.New("policies: the modules define other rule packages than their headers announce (every module of a rule package must define findings)")
	}
	return nil
}

// rulePackage is a package that defines `findings`, with its modules.
type rulePackage struct {
	path   ast.Ref
	custom bool
	mods   []module // in load order; the first defines findings
}

// rulePackages groups the modules that define `findings` by package, in
// package order, ignoring library packages. When mods are headers (see
// parseHeaders), every module of a rule namespace is taken to define
// findings (parseAnnounced checks it).
func rulePackages(mods []module, headers bool) []*rulePackage {
	byPath := map[string]*rulePackage{}
	for _, m := range mods {
		ns := namespace(m.mod.Package.Path)
		if (ns != "rules" && ns != "custom") || (!headers && !definesFindings(m.mod)) {
			continue
		}
		key := m.mod.Package.Path.String()
		p := byPath[key]
		if p == nil {
			p = &rulePackage{path: m.mod.Package.Path, custom: m.custom}
			byPath[key] = p
		}
		p.mods = append(p.mods, m)
	}
	out := make([]*rulePackage, 0, len(byPath))
	for _, p := range byPath {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b *rulePackage) int { return a.path.Compare(b.path) })
	return out
}

// definesFindings reports whether a module has a rule named findings.
func definesFindings(m *ast.Module) bool {
	for _, r := range m.Rules {
		if ref := r.Head.Ref(); len(ref) == 1 && ref[0].Equal(ast.VarTerm(entryPoint)) {
			return true
		}
	}
	return false
}

// entryPoint is the one rule a policy package exposes.
const entryPoint = "findings"

// prepare returns the evaluator of one rule, whose query is prepared on
// first use.
// config is the rule's options as loaded into the store.
func prepare(c *ast.Compiler, store storage.Store, pkg *rulePackage, r *analyzer.Rule, timeout time.Duration, inputs *inputCache, config map[string]any) *evaluator {
	query := pkg.path.Append(ast.StringTerm(entryPoint))
	e := &evaluator{rule: r, ref: query, timeout: timeout, inputs: inputs, store: store, config: config}
	e.prepared = sync.OnceValues(func() (rego.PreparedEvalQuery, error) {
		pq, err := rego.New(
			rego.ParsedQuery(ast.NewBody(ast.NewExpr(ast.NewTerm(query)))),
			rego.Compiler(c),
			rego.Store(store),
			rego.StrictBuiltinErrors(true),
		).PrepareForEval(context.Background())
		if err != nil {
			return pq, fmt.Errorf("%s: preparing %s: %w", r.Origin, query, err)
		}
		return pq, nil
	})
	return e
}

// configByID re-keys rule options by rule ID: the configuration may name
// a rule by its ID (any case) or its name. Keys that name no policy rule
// are kept as written (Go rules read their options from the pass).
func configByID(cfg map[string]map[string]any, rules []*analyzer.Rule) map[string]map[string]any {
	out := make(map[string]map[string]any, len(cfg))
	for key, opts := range cfg {
		id := key
		for _, r := range rules {
			if strings.EqualFold(r.ID, key) || r.Name == key {
				id = r.ID
				break
			}
		}
		out[id] = opts
	}
	return out
}

// configStore returns the store holding the only data document,
// data.armlint.config.
func configStore(cfg map[string]map[string]any) (storage.Store, error) {
	obj := make(map[string]any, len(cfg))
	for id, opts := range cfg {
		obj[id] = opts
	}
	v, err := ast.InterfaceToValue(map[string]any{"armlint": map[string]any{"config": obj}})
	if err != nil {
		return nil, fmt.Errorf("rule options: %w", err)
	}
	data, ok := v.(ast.Object)
	if !ok {
		return nil, errors.New("rule options: not an object")
	}
	return inmem.NewFromASTObject(data), nil
}
