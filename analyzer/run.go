package analyzer

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/armlint/armlint/analyzer/expr"
	"github.com/armlint/armlint/analyzer/graph"
	"github.com/armlint/armlint/analyzer/template"
)

// Options configure a run. The zero value runs no rules but still reports
// tool diagnostics.
type Options struct {
	// Rules are the enabled rules (Go and Rego). Tool diagnostics
	// (AL0001–AL0003) are always on and need not be listed.
	Rules []*Rule
	// Registry resolves rule names in ignore directives; it should hold
	// every known rule, enabled or not.
	Registry *Registry
	// Severity overrides the default severity of rules, by rule ID.
	Severity map[string]Severity
	// RuleOptions are the options of each rule, by rule ID.
	RuleOptions map[string]map[string]any

	// Jobs is the number of files analysed in parallel (0: GOMAXPROCS).
	Jobs int

	// ParameterFiles are parameter files given on the command line; they
	// apply to every template of the run. When empty, each template uses
	// its conventional parameter file if there is one
	// (<name>.parameters.json beside <name>.json), or TemplateParameters.
	ParameterFiles []string
	// TemplateParameters maps a template path (as walked) to its parameter
	// files (from config).
	TemplateParameters map[string][]string
	// ParameterValues are name=value pairs given on the command line; they
	// win over parameter files.
	ParameterValues map[string]string
	// Context is the placeholder deployment context (its parameter fields
	// are ignored: see ParameterFiles and ParameterValues).
	Context expr.Options

	// Exclude reports whether a walked path is excluded (config).
	Exclude func(path string) bool
	// Ignores are config suppressions.
	Ignores []ConfigIgnore
	// SkipNonTemplates makes explicitly named files that are not templates
	// skipped silently instead of being a usage error (pre-commit passes
	// every JSON file).
	SkipNonTemplates bool

	// KeepGraphs keeps the identity graph of every template in
	// Result.Graphs (armlint graph, --stats).
	KeepGraphs bool

	// FindingSourcesOnly makes Result.Files keep the source, comments and
	// line table of only the files some finding of the run is located in
	// (what the formats read: excerpts and line hashes); the other files
	// keep their Path and Kind, and their source is dropped as soon as
	// their own analysis is done, so that memory does not grow with every
	// byte the run reads. A file without findings of its own that another
	// file's finding turns out to be located in (a linked template, a
	// config ignore) is read and loaded again at the end of the run (if it
	// changed meanwhile, it keeps only its path and kind). Files
	// read from standard input, and every file with KeepGraphs, keep their
	// source.
	FindingSourcesOnly bool

	// MaxFileSize is the largest file, in bytes, that is analysed (0:
	// DefaultMaxFileSize; negative: no limit). A larger file is not read:
	// it gets an AL0003 note and the run goes on.
	MaxFileSize int64

	// Stdin and StdinFilename serve the path "-".
	Stdin         io.Reader
	StdinFilename string

	getwd   func() (string, error) // the working directory, read once by Run
	sources *sourceCache           // files read more than once in a Run
	enabled map[string]bool        // enabledSet(Rules), built once by Run; read only
}

// UsageError is an error in what the user asked for (exit code 2).
type UsageError struct{ Msg string }

func (e *UsageError) Error() string { return e.Msg }

// job is one file to analyse.
type job struct {
	path     string     // as shown to users
	diskPath string     // path to read and resolve neighbours against ("" for stdin without filename)
	data     []byte     // stdin content, nil to read diskPath
	explicit bool       // named on the command line
	skip     string     // why the file is not analysed (an AL0003 note), "" to analyse it
	key      string     // the file's de-duplication key when the walk knows it, else "" (see sameFileKey)
	params   paramsHint // what the walk saw of the conventional parameter file
	shared   bool       // path, opened, opens diskPath: the file may be shared through Options.sources
	awaits   string     // the conventional parameter file this job awaits in Options.sources and releases, or ""
}

// Run analyses the given paths (files, directories, or "-" for stdin).
// It returns a usage error for paths that do not exist or explicit files
// that are not templates; I/O problems on single files are collected in
// Result.Errors and the run goes on.
func Run(ctx context.Context, paths []string, opts Options) (*Result, error) {
	opts.getwd = sync.OnceValues(os.Getwd)
	opts.sources = newSourceCache()
	opts.enabled = enabledSet(opts.Rules)
	var cli parameterSet
	for _, p := range opts.ParameterFiles {
		vals, err := readParameterFile(p, &opts)
		if err != nil {
			return nil, &UsageError{Msg: err.Error()}
		}
		if cli == nil {
			cli = parameterSet{}
		}
		for k, v := range vals {
			cli[k] = v
		}
	}
	res := &Result{Rules: enabledRules(opts.Rules)}
	n := opts.Jobs
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	// The walk feeds the workers as it goes: analysis starts with the
	// first file, not once every directory has been read.
	type task struct {
		j   job
		out *fileOutcome
	}
	var wg sync.WaitGroup
	// A queue lets the walk list directories ahead of the workers, so that
	// a worker done with a file does not wait for the walk to be scheduled
	// and reach the next one: the corpus 5 % faster than with a hand-over
	// per file, for the same CPU. Jobs are small (no file's bytes).
	next := make(chan task, 64)
	for range n {
		wg.Go(func() {
			for t := range next {
				*t.out = analyseFile(ctx, t.j, &opts, cli)
				if f := t.out.file; f != nil && !opts.KeepGraphs {
					// Formatters need the source and line table, not
					// the tree: keeping every file's tree would make
					// memory grow with the whole run.
					if opts.FindingSourcesOnly && t.j.data == nil && !locatedIn(t.out.findings, f.Path) {
						t.out.file = &template.File{Path: f.Path, Kind: f.Kind}
						t.out.dropped = true
					} else {
						t.out.file = f.WithoutTree()
					}
				}
			}
		})
	}
	var jobs []job
	var outs []*fileOutcome
	walkErrs, err := collect(paths, opts, func(j job) {
		out := &fileOutcome{}
		jobs, outs = append(jobs, j), append(outs, out)
		next <- task{j, out}
	})
	close(next)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	res.Errors = walkErrs

	var dropped []droppedSource // files of res.Files without their source
	for i, o := range outs {
		if o.err != nil {
			var ue *UsageError
			if errors.As(o.err, &ue) {
				return nil, o.err
			}
			res.Errors = append(res.Errors, o.err)
			continue
		}
		res.Stats.Files++
		if o.file != nil {
			if o.dropped {
				dropped = append(dropped, droppedSource{len(res.Files), jobs[i].diskPath, o.sum})
			}
			res.Files = append(res.Files, o.file)
		}
		switch o.kind {
		case template.KindTemplate:
			res.Stats.Templates++
		case template.KindParameters:
			res.Stats.Parameters++
		default:
			if jobs[i].explicit && !opts.SkipNonTemplates && o.syntaxOK {
				return nil, &UsageError{Msg: fmt.Sprintf("%s: not an ARM deployment template (%s)", jobs[i].path, o.why)}
			}
			res.Stats.Skipped++
		}
		if o.graph != nil {
			res.Graphs = append(res.Graphs, o.graph)
		}
		res.Findings = append(res.Findings, o.findings...)
		res.Errors = append(res.Errors, o.ruleErrs...)
	}
	if len(opts.Ignores) > 0 {
		paths := make([]string, 0, len(res.Files))
		for _, f := range res.Files {
			paths = append(paths, f.Path)
		}
		res.Findings = append(res.Findings, UnusedConfigIgnores(opts.Ignores, paths, res.Findings, opts.enabledRules())...)
	}
	var uses []linkedUse
	for _, o := range outs {
		uses = append(uses, o.linkedUse...)
	}
	res.Findings = dropUsedLinkedIgnores(res.Findings, uses)
	SortFindings(res.Findings)
	res.Findings = dedupe(res.Findings)
	restoreSources(res, dropped, opts.maxFileSize())
	return res, nil
}

// droppedSource is a file of Result.Files whose source was dropped
// (Options.FindingSourcesOnly): its index, the path to read it again, and
// the hash of the source that was analysed.
type droppedSource struct {
	index    int
	diskPath string
	sum      uint64 // maphash.Bytes(sourceSeed, the bytes read)
}

// sourceSeed seeds the hashes that tell whether a dropped source read
// again is the one that was analysed.
var sourceSeed = maphash.MakeSeed()

// locatedIn reports whether a finding of fs, or one of its related
// locations, is in the file shown as path.
func locatedIn(fs []Finding, path string) bool {
	for i := range fs {
		if fs[i].Location.File == path {
			return true
		}
		for _, r := range fs[i].Related {
			if r.Location.File == path {
				return true
			}
		}
	}
	return false
}

// restoreSources reads and loads again the dropped files of res.Files that
// a finding of res is located in, so that every finding's file has its
// source. A file that can no longer be read, or that changed since it was
// analysed (its excerpts and line hashes would not be those of the
// findings), keeps only its path and kind (the formats then show no
// excerpt, as for a file that was not loaded).
func restoreSources(res *Result, dropped []droppedSource, limit int64) {
	if len(dropped) == 0 {
		return
	}
	located := map[string]bool{}
	for i := range res.Findings {
		fd := &res.Findings[i]
		located[fd.Location.File] = true
		for _, r := range fd.Related {
			located[r.Location.File] = true
		}
	}
	for _, d := range dropped {
		f := res.Files[d.index]
		if !located[f.Path] {
			continue
		}
		data, err := readSource(d.diskPath, limit)
		if err != nil || maphash.Bytes(sourceSeed, data) != d.sum {
			continue
		}
		if g, _ := template.Load(f.Path, data); g != nil {
			res.Files[d.index] = g.WithoutTree()
			res.files.Store(nil) // File's index may hold the file replaced
		}
	}
}

func enabledRules(rules []*Rule) []*Rule {
	out := append([]*Rule(nil), DiagnosticRules()...)
	seen := map[string]bool{}
	for _, r := range out {
		seen[r.ID] = true
	}
	for _, r := range rules {
		if !seen[r.ID] {
			seen[r.ID] = true
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// collect expands paths into jobs, passed to emit in order, each file
// once. Directories are walked for *.json files, skipping hidden
// directories.
func collect(paths []string, opts Options, emit func(job)) ([]error, error) {
	var errs []error
	seen := map[string]bool{}
	dirKeys := resolvedDirs{}
	add := func(j job) {
		key := j.key
		switch {
		case key != "":
		case j.diskPath == "":
			key = "\x00stdin"
		case j.data == nil:
			key = sameFileKey(j.diskPath)
		default:
			key = j.diskPath
		}
		if !seen[key] {
			seen[key] = true
			if j.awaits != "" {
				opts.sources.await(j.awaits)
			}
			emit(j)
		}
	}
	for _, p := range paths {
		if p == "-" {
			if opts.Stdin == nil {
				return nil, &UsageError{Msg: "-: no standard input"}
			}
			data, err := readStdin(opts.Stdin, opts.maxFileSize())
			if err != nil {
				return nil, fmt.Errorf("reading standard input: %w", err)
			}
			name := opts.StdinFilename
			j := job{path: "-", data: data, explicit: true}
			if name != "" {
				j.path = opts.displayPath(name)
				j.diskPath = name
			}
			add(j)
			continue
		}
		info, err := os.Lstat(p)
		link := err == nil && info.Mode()&fs.ModeSymlink != 0
		if link {
			info, err = os.Stat(p)
		}
		if err != nil {
			return nil, &UsageError{Msg: fmt.Sprintf("%s: %v", p, unwrapPathErr(err))}
		}
		if !info.IsDir() {
			shown, exact := opts.displayPathExact(p)
			j := job{path: shown, diskPath: p, explicit: true, shared: exact}
			if !link {
				j.key = dirKeys.key(p, opts.getwd)
			}
			if !info.Mode().IsRegular() {
				j.skip = fmt.Sprintf("not a regular file (%s); skipped", fileKind(info.Mode()))
			}
			add(j)
			continue
		}
		// A regular file met in the walk lies below p through real
		// directories only (the walk does not follow links), so its
		// de-duplication key is p's key joined with the rest of its
		// path: one resolution per walk, not one per file.
		rootKey, root := sameFileKey(p), filepath.Clean(p)
		err = walkTree(p, func(path string, d fs.DirEntry, listing *dirListing, err error) error {
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", opts.displayPath(path), unwrapPathErr(err)))
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			name := d.Name()
			if d.IsDir() {
				if path != p && strings.HasPrefix(name, ".") {
					return fs.SkipDir
				}
				if path != p && opts.Exclude != nil && opts.Exclude(opts.displayPath(path)) {
					return fs.SkipDir
				}
				return nil
			}
			if !strings.EqualFold(filepath.Ext(name), ".json") {
				return nil
			}
			shown, exact := opts.displayPathExact(path)
			if opts.Exclude != nil && opts.Exclude(shown) {
				return nil
			}
			j := job{path: shown, diskPath: path, shared: exact, params: conventionalHint(name, listing)}
			switch mode := d.Type(); {
			case mode.IsRegular():
				if rel, ok := relBelow(root, path); ok {
					j.key = joinEntry(rootKey, rel)
				}
			case mode&fs.ModeSymlink != 0:
				// A symbolic link to a file is followed (its target is
				// analysed once, under the first name met); one to a
				// directory is not, as WalkDir does not follow them.
				info, err := os.Stat(path)
				switch {
				case err != nil:
					j.skip = openProblem(path, err).Error()
				case info.IsDir():
					return nil
				case !info.Mode().IsRegular():
					j.skip = fmt.Sprintf("symbolic link to a file that is not regular (%s); skipped", fileKind(info.Mode()))
				}
			default:
				j.skip = fmt.Sprintf("not a regular file (%s); skipped", fileKind(mode))
			}
			j.awaits = awaitedParameterFile(j, opts)
			add(j)
			return nil
		})
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errs, nil
}

// awaitedParameterFile returns the key in Options.sources of the
// conventional parameter file that the walked job j is to ask for (see
// parametersFor), when the walk lists it as a regular file in j's
// directory, after j: the walk announces it so that the parameter file's
// own job keeps what it read for j. "" when j is not analysed, when other
// parameter files apply, or when the file cannot be shared.
//
// The key is the path the parameter file is shown as, which is j.path
// with the name changed: both lie in the same directory, and when
// j.path is exact, so is the parameter file's (the names differ only in
// ASCII characters).
func awaitedParameterFile(j job, opts Options) string {
	if j.params != paramsRegular || j.skip != "" || !j.shared || len(opts.ParameterFiles) > 0 {
		return ""
	}
	if _, ok := opts.TemplateParameters[j.path]; ok {
		return ""
	}
	return conventionalParameterName(j.path)
}

// relBelow is filepath.Rel(root, path) for a path the walk of the clean
// root met below it (see joinEntry); ok is false when path is not below.
func relBelow(root, path string) (rel string, ok bool) {
	if filepath.Separator != '/' {
		rel, err := filepath.Rel(root, path)
		return rel, err == nil && filepath.IsLocal(rel)
	}
	switch {
	case root == ".":
		return path, filepath.IsLocal(path)
	case root == "/":
		return path[1:], len(path) > 1 && path[0] == '/'
	case len(path) > len(root)+1 && path[len(root)] == '/' && path[:len(root)] == root:
		return path[len(root)+1:], true
	}
	return "", false
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// displayPathExact makes a path slash-separated and relative to the
// working directory (from getwd: a Run reads it once, as os.Getwd stats
// two directories) when it lies below it; exact tells whether the path shown is p
// itself made relative and slash-separated, with no name escaped: opening
// it opens the file at p.
func displayPathExact(getwd func() (string, error), p string) (shown string, exact bool) {
	if filepath.IsAbs(p) {
		if wd, err := getwd(); err == nil {
			if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
				p = rel
			}
		}
	}
	plain := filepath.ToSlash(filepath.Clean(p))
	shown = escapeName(plain)
	return shown, shown == plain
}

// displayPath is displayPath for the files of a Run, which reads the
// working directory once.
func (o *Options) displayPath(p string) string {
	shown, _ := o.displayPathExact(p)
	return shown
}

// displayPathExact is displayPathExact for the files of a Run.
func (o *Options) displayPathExact(p string) (string, bool) {
	if o.getwd == nil {
		return displayPathExact(os.Getwd, p)
	}
	return displayPathExact(o.getwd, p)
}

// sameFileKey identifies the file at path for de-duplication: its absolute
// path with symbolic links resolved, or path itself when that fails.
func sameFileKey(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	if resolved, err := filepath.EvalSymlinks(path); err == nil {
		return resolved
	}
	return path
}

// resolvedDirs gives the files named on the command line their
// sameFileKey with one resolution of symbolic links per directory, not
// one per file (filepath.EvalSymlinks reads every element of the path:
// 6 % of the CPU of a run over the corpus's 1,922 templates named one by
// one). It maps an absolute directory to its resolved path ("" when
// resolving it fails).
type resolvedDirs map[string]string

// key returns sameFileKey(path) for a path whose last element is not a
// symbolic link: the resolved directory joined with that element, which
// is what resolving the whole path gives. getwd is the working directory
// of the Run, as filepath.Abs would read it.
func (d resolvedDirs) key(path string, getwd func() (string, error)) string {
	abs := filepath.Clean(path)
	if !filepath.IsAbs(abs) {
		wd, err := getwd()
		if err != nil {
			return sameFileKey(path)
		}
		abs = filepath.Join(wd, abs)
	}
	dir, name := filepath.Split(abs)
	dir = filepath.Clean(dir)
	resolved, ok := d[dir]
	if !ok {
		if r, err := filepath.EvalSymlinks(dir); err == nil {
			resolved = r
		}
		d[dir] = resolved
	}
	if resolved == "" || name == "" {
		return abs // as sameFileKey, when resolving fails
	}
	return filepath.Join(resolved, name)
}

// fileOutcome is what analysing one file produced.
type fileOutcome struct {
	file      *template.File
	kind      template.FileKind
	syntaxOK  bool
	why       string // why a file is not a template
	findings  []Finding
	linkedUse []linkedUse  // ignore directives of linked files used through this file
	dropped   bool         // file keeps only its path and kind (Options.FindingSourcesOnly)
	sum       uint64       // with Options.FindingSourcesOnly: hash of the bytes analysed (droppedSource.sum)
	graph     *graph.Graph // kept when Options.KeepGraphs
	ruleErrs  []error
	err       error // I/O error: the file could not be analysed
}

func analyseFile(ctx context.Context, j job, opts *Options, cli parameterSet) (out fileOutcome) {
	if j.awaits != "" {
		defer opts.sources.release(j.awaits)
	}
	if j.skip != "" {
		out.findings = append(out.findings, skipNote(j.path, j.skip))
		return out
	}
	data := j.data
	var f *template.File // the file already loaded by another user (see sourceCache)
	claimed := false     // read here for the cache: filed there once loaded
	if data == nil {
		if j.shared {
			data, f = opts.sources.take(j.path)
			claimed = data == nil
		}
		if data == nil {
			var err error
			data, err = readSource(j.diskPath, opts.maxFileSize())
			if err != nil && claimed {
				opts.sources.put(j.path, nil, nil, true) // other users read it themselves
			}
			var sk *skipped
			if errors.As(err, &sk) {
				out.findings = append(out.findings, skipNote(j.path, sk.why))
				return out
			}
			if err != nil {
				out.err = fmt.Errorf("%s: %w", j.path, unwrapPathErr(err))
				return out
			}
		}
	}
	if opts.FindingSourcesOnly && j.data == nil {
		// Hashed while the bytes are fresh in the cache (after the
		// analysis they mostly are not: three times the cost), for the
		// source may be dropped (see Run) and read again.
		out.sum = maphash.Bytes(sourceSeed, data)
	}
	if limit := opts.maxFileSize(); limit >= 0 && int64(len(data)) > limit {
		// Bytes read by another user, with another limit, or from
		// standard input (readSource enforces the limit: a claimed
		// file is never too large here).
		out.findings = append(out.findings, skipNote(j.path, tooLarge(int64(len(data)), limit).why))
		return out
	}
	var err error
	if f == nil {
		f, err = template.Load(j.path, data)
		if claimed {
			// Kept only while a template awaits the file (its
			// conventional parameter file): see sourceCache.
			if err != nil {
				opts.sources.put(j.path, data, nil, true)
			} else {
				opts.sources.put(j.path, data, f, true)
			}
		}
	}
	out.file = f
	if err != nil {
		out.kind = template.KindTemplate // an invalid file counts as a template that failed
		if f == nil {
			out.err = fmt.Errorf("%s: %w", j.path, err)
			return out
		}
		out.findings = append(out.findings, syntaxFinding(f, err))
		return out
	}
	out.syntaxOK = true
	out.kind = f.Kind
	switch f.Kind {
	case template.KindParameters:
		return out
	case template.KindOther:
		out.why = notTemplateReason(f)
		return out
	}
	t, err := template.Parse(f)
	if err != nil {
		out.findings = append(out.findings, syntaxFinding(f, err))
		return out
	}
	parses := expr.NewParseCache()
	out.findings = append(out.findings, expressionNotes(f, f.Root, parses)...)
	params, notes := parametersFor(j, opts, cli)
	out.findings = append(out.findings, notes...)
	eval := opts.Context
	eval.Parses = parses
	eval.Parameters = params
	eval.ParameterValues = opts.ParameterValues
	g, unsupported := graph.Build(t, graph.Options{Eval: eval, LoadLinked: opts.linkedLoader()})
	if opts.KeepGraphs {
		out.graph = g
	}
	for _, n := range unsupported {
		out.findings = append(out.findings, Finding{
			RuleID: IDUnsupportedConstruct, Severity: SeverityNote, Message: n.Message, Location: LocationOf(n.Node),
		})
	}
	for _, r := range opts.Rules {
		if err := ctx.Err(); err != nil {
			out.ruleErrs = append(out.ruleErrs, err)
			break
		}
		fs, err := runRule(r, t, g, opts)
		out.findings = append(out.findings, fs...)
		if err != nil {
			out.ruleErrs = append(out.ruleErrs, fmt.Errorf("%s: rule %s (%s): %w", f.Path, r.ID, r.Name, err))
		}
	}
	ignores, bad := CollectIgnores(f, t.Root, opts.Registry)
	out.findings = append(out.findings, bad...)
	out.findings = ApplyIgnores(f, out.findings, ignores, opts.Ignores, opts.enabledRules())
	out.findings, out.linkedUse = applyLinkedIgnores(g, f, out.findings, opts)
	return out
}

// applyLinkedIgnores applies the inline ignores of linked template files
// to the findings located in them. Unused or malformed directives of a
// linked file are reported when that file is linted itself, not here.
func applyLinkedIgnores(g *graph.Graph, f *template.File, findings []Finding, opts *Options) ([]Finding, []linkedUse) {
	linked := map[string]*template.File{}
	for _, r := range g.Resources {
		if lf := r.Res.File(); lf != nil && lf != f {
			linked[lf.Path] = lf
		}
	}
	if len(linked) == 0 {
		return findings, nil
	}
	var here []Finding
	byFile := map[string][]Finding{}
	for _, fd := range findings {
		if lf, ok := linked[fd.Location.File]; ok && lf.Path != f.Path {
			byFile[lf.Path] = append(byFile[lf.Path], fd)
		} else {
			here = append(here, fd)
		}
	}
	enabled := opts.enabledRules()
	var uses []linkedUse
	for path, fs := range byFile {
		lf := linked[path]
		ignores, _ := CollectIgnores(lf, lf.Root, opts.Registry)
		use := linkedUse{file: path, unused: map[string]bool{}}
		for _, fd := range ApplyIgnores(lf, fs, ignores, nil, enabled) {
			if fd.RuleID == IDUnusedIgnore {
				use.unused[unusedKey(fd)] = true // reported when the linked file is linted itself
				continue
			}
			here = append(here, fd)
		}
		uses = append(uses, use)
	}
	return here, uses
}

// linkedUse records, for a linked template analysed through a parent, the
// ignore directives of the linked file that matched nothing there.
type linkedUse struct {
	file   string
	unused map[string]bool // unusedKey of each AL0002 of the file in this context
}

func unusedKey(fd Finding) string {
	return fd.Location.File + ":" + strconv.Itoa(fd.Location.Start.Line) + ":" + strconv.Itoa(fd.Location.Start.Col) + ":" + fd.Message
}

// dropUsedLinkedIgnores removes AL0002 findings of a file for directives
// that did match a finding when the file was analysed as a linked template
// of another one.
func dropUsedLinkedIgnores(fs []Finding, uses []linkedUse) []Finding {
	if len(uses) == 0 {
		return fs
	}
	out := fs[:0]
	for _, fd := range fs {
		if fd.RuleID == IDUnusedIgnore && usedElsewhere(fd, uses) {
			continue
		}
		out = append(out, fd)
	}
	return out
}

func usedElsewhere(fd Finding, uses []linkedUse) bool {
	key := unusedKey(fd)
	for _, u := range uses {
		if u.file == fd.Location.File && !u.unused[key] {
			return true
		}
	}
	return false
}

// dedupe removes findings reported twice at the same place with the same
// message (a linked template linted on its own and through its parent).
// fs must be sorted.
func dedupe(fs []Finding) []Finding {
	out := fs[:0]
	for i, fd := range fs {
		if i > 0 {
			p := out[len(out)-1]
			if p.RuleID == fd.RuleID && p.Location.File == fd.Location.File && p.Location.Start == fd.Location.Start &&
				p.Location.End == fd.Location.End && p.Message == fd.Message && (p.Suppressed == nil) == (fd.Suppressed == nil) {
				continue
			}
		}
		out = append(out, fd)
	}
	return out
}

// skipNote is the AL0003 note of a file that is not analysed.
func skipNote(path, why string) Finding {
	return Finding{
		RuleID: IDUnsupportedConstruct, Severity: SeverityNote, Message: why,
		Location: Location{File: path, Start: Pos{Line: 1, Col: 1}, End: Pos{Line: 1, Col: 1}},
	}
}

// runRule runs one rule over one file and applies severity overrides. A
// panicking rule is an error of that rule on that file, not of the run.
func runRule(r *Rule, t *template.Template, g *graph.Graph, opts *Options) (fs []Finding, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error: %v", p)
		}
	}()
	sev, override := opts.Severity[r.ID]
	pass := NewPass(r, t, g, opts.RuleOptions[r.ID], func(f Finding) {
		if override {
			f.Severity = sev
		}
		fs = append(fs, f)
	})
	err = r.Check(pass)
	return fs, err
}

// enabledRules returns enabledSet(o.Rules): the set Run built once, or a
// new one outside a Run.
func (o *Options) enabledRules() map[string]bool {
	if o.enabled != nil {
		return o.enabled
	}
	return enabledSet(o.Rules)
}

func enabledSet(rules []*Rule) map[string]bool {
	m := make(map[string]bool, len(rules)+3)
	for _, r := range DiagnosticRules() {
		m[r.ID] = true
	}
	for _, r := range rules {
		m[r.ID] = true
	}
	return m
}

func notTemplateReason(f *template.File) string {
	if f.Root == nil || f.Root.Kind != template.Object {
		return "the root is not a JSON object"
	}
	s := f.Root.Get("$schema")
	if s == nil {
		return "it has no $schema"
	}
	return fmt.Sprintf("$schema %q is not a deployment template schema", s.StringOr(""))
}

// syntaxFinding turns a load or parse error into an AL0001 finding.
func syntaxFinding(f *template.File, err error) Finding {
	loc := Location{File: f.Path, Start: Pos{Line: 1, Col: 1}, End: Pos{Line: 1, Col: 1}}
	msg := err.Error()
	var se *template.SyntaxError
	if errors.As(err, &se) {
		loc.Start = f.Position(se.Offset)
		loc.End = loc.Start
		msg = se.Msg
	}
	return Finding{RuleID: IDInvalidTemplate, Severity: SeverityError, Message: msg, Location: loc}
}
