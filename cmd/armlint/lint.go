package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/fatih/color"

	"github.com/armlint/armlint/analyzer"
	"github.com/armlint/armlint/analyzer/baseline"
	"github.com/armlint/armlint/analyzer/config"
	"github.com/armlint/armlint/analyzer/expr"
	"github.com/armlint/armlint/analyzer/format"
)

// lintFlags are the flags of the main command.
type lintFlags struct {
	formats          []string
	failLevel        string
	enable, disable  []string
	parameters       []string
	configPath       string
	policies         []string
	jobs             int
	stdinFilename    string
	noColor          bool
	showSuppressed   bool
	skipNonTemplates bool
	subscriptionID   string
	resourceGroup    string
	location         string
	baseline         string
	writeBaseline    string
	profileCPU       string
	profileMem       string
	maxFileSize      int64
}

func (f *lintFlags) register(fs interface {
	StringArrayVarP(p *[]string, name, shorthand string, value []string, usage string)
	StringVar(p *string, name string, value string, usage string)
	StringSliceVar(p *[]string, name string, value []string, usage string)
	StringArrayVar(p *[]string, name string, value []string, usage string)
	IntVar(p *int, name string, value int, usage string)
	Int64Var(p *int64, name string, value int64, usage string)
	BoolVar(p *bool, name string, value bool, usage string)
},
) {
	fs.StringArrayVarP(&f.formats, "format", "f", nil,
		"output format NAME or NAME=PATH (repeatable): "+strings.Join(format.Names(), ", ")+"; default text on stdout")
	fs.StringVar(&f.failLevel, "fail-level", "", "lowest severity that makes the exit code 1: note, warning or error (default warning)")
	fs.StringSliceVar(&f.enable, "enable", nil, "enable rules by ID or name (repeatable, comma-separated)")
	fs.StringSliceVar(&f.disable, "disable", nil, "disable rules by ID or name (repeatable, comma-separated)")
	fs.StringArrayVar(&f.parameters, "parameters", nil,
		"parameter file, or NAME=VALUE (repeatable); default: <template>.parameters.json beside each template")
	fs.StringVar(&f.configPath, "config", "", "configuration file (default: .armlint.json found by walking up from the working directory)")
	fs.StringArrayVar(&f.policies, "policy", nil, "directory of custom Rego policies (repeatable; packages under armlint.custom)")
	fs.IntVar(&f.jobs, "jobs", 0, "files analysed in parallel (default: number of CPUs)")
	fs.Int64Var(&f.maxFileSize, "max-file-size", analyzer.DefaultMaxFileSize,
		"largest file analysed, in bytes; larger files get an AL0003 note (0: no limit)")
	fs.StringVar(&f.stdinFilename, "stdin-filename", "", "path of the file read from standard input (-), for positions, config and parameter files")
	fs.BoolVar(&f.noColor, "no-color", false, "disable colour in text output (also NO_COLOR, or when stdout is not a terminal)")
	fs.BoolVar(&f.showSuppressed, "show-suppressed", false, "show suppressed findings in text, compact, github and junit output")
	fs.BoolVar(&f.skipNonTemplates, "skip-non-templates", false, "skip explicitly named files that are not templates instead of failing (for pre-commit)")
	fs.StringVar(&f.subscriptionID, "subscription-id", "", "subscription ID used for subscription() (default: a placeholder)")
	fs.StringVar(&f.resourceGroup, "resource-group", "", "resource group name used for resourceGroup() (default: a placeholder)")
	fs.StringVar(&f.location, "location", "", "location of the resource group and deployment (default: unknown, so no rule compares it)")
	fs.StringVar(&f.baseline, "baseline", "", "baseline FILE: findings recorded in it are suppressed (kind external, justification \"baseline\")")
	fs.StringVar(&f.writeBaseline, "write-baseline", "", "write the unsuppressed findings to baseline FILE (stale entries dropped), then apply it")
	fs.StringVar(&f.profileCPU, "profile-cpu", "", "write a pprof CPU profile of the whole run to FILE")
	fs.StringVar(&f.profileMem, "profile-mem", "", "write a pprof allocation profile of the whole run to FILE")
}

// output is one --format destination.
type output struct {
	name string
	path string // "" for stdout
	f    format.Formatter
}

func parseOutputs(specs []string) ([]output, error) {
	if len(specs) == 0 {
		specs = []string{"text"}
	}
	var outs []output
	stdout := 0
	for _, s := range specs {
		name, path, _ := strings.Cut(s, "=")
		f, ok := format.Get(name)
		if !ok {
			return nil, fmt.Errorf("unknown format %q (known: %s)", name, strings.Join(format.Names(), ", "))
		}
		if path == "" || path == "-" {
			path = ""
			stdout++
		}
		outs = append(outs, output{name: name, path: path, f: f})
	}
	if stdout > 1 {
		return nil, errors.New("only one --format may write to standard output; give the others a path: -f sarif=armlint.sarif")
	}
	return outs, nil
}

func runLint(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	var fl lintFlags
	fs := newFlagSet("armlint", stderr)
	fl.register(fs)
	if done, code := parseFlags(fs, args, usageHeader, stdout, stderr); done {
		return code
	}
	paths := fs.Args()
	if len(paths) == 0 {
		return usageError(stderr, "no path given\nRun 'armlint --help' for usage.")
	}
	outs, err := parseOutputs(fl.formats)
	if err != nil {
		return usageError(stderr, "%v", err)
	}
	stopProfiles, err := startProfiles(fl.profileCPU, fl.profileMem)
	if err != nil {
		return usageError(stderr, "%v", err)
	}
	defer func() {
		if err := stopProfiles(); err != nil {
			code = usageError(stderr, "%v", err)
		}
	}()

	setup, err := newSetup(&fl, paths)
	if err != nil {
		return usageError(stderr, "%v", err)
	}
	opts := setup.options
	opts.Stdin = stdin
	opts.StdinFilename = fl.stdinFilename
	// The formats read the source of the files findings are in, and
	// nothing else of the others.
	opts.FindingSourcesOnly = true

	res, err := analyzer.Run(context.Background(), paths, opts)
	if err != nil {
		return usageError(stderr, "%v", err)
	}
	for _, e := range res.Errors {
		fmt.Fprintf(stderr, "armlint: %v\n", e)
	}
	if err := applyBaseline(&fl, res, stderr); err != nil {
		return usageError(stderr, "%v", err)
	}

	fopts := format.Options{
		Color:          colorEnabled(fl.noColor, stdout),
		ShowSuppressed: fl.showSuppressed,
		ToolVersion:    readBuildInfo().Version,
	}
	if wd, err := os.Getwd(); err == nil {
		fopts.WorkDir = wd
	}
	for _, o := range outs {
		if err := writeOutput(o, res, fopts, stdout); err != nil {
			return usageError(stderr, "%v", err)
		}
	}

	if len(res.Errors) > 0 {
		return exitError
	}
	for _, f := range res.Findings {
		if f.Suppressed == nil && f.Severity >= setup.failLevel {
			return exitFindings
		}
	}
	return exitOK
}

// applyBaseline handles --baseline and --write-baseline: it suppresses
// the findings the baseline records, reports stale entries on stderr, and
// writes the new baseline. With both flags naming the same file, a missing
// file is an empty baseline.
func applyBaseline(fl *lintFlags, res *analyzer.Result, stderr io.Writer) error {
	if fl.baseline == "" && fl.writeBaseline == "" {
		return nil
	}
	files := make([]string, 0, len(res.Files))
	for _, f := range res.Files {
		files = append(files, f.Path)
	}
	var kept []baseline.Entry
	if fl.baseline != "" {
		paths := baseline.Paths{Dir: filepath.Dir(fl.baseline)}
		b, err := baseline.Load(fl.baseline)
		switch {
		case err == nil:
			out := b.Apply(res.Findings, files, paths)
			for _, e := range out.Kept { // entries of files this run did not look at
				e.File = filepath.ToSlash(filepath.Join(filepath.Dir(fl.baseline), filepath.FromSlash(e.File)))
				kept = append(kept, e)
			}
			if n := out.StaleCount(); n > 0 {
				what := "entries match"
				if n == 1 {
					what = "entry matches"
				}
				fmt.Fprintf(stderr, "armlint: baseline %s: %d %s no finding (fixed or changed); "+
					"update it with --write-baseline %s\n", fl.baseline, n, what, fl.baseline)
			}
		case errors.Is(err, os.ErrNotExist) && fl.writeBaseline != "" &&
			filepath.Clean(fl.writeBaseline) == filepath.Clean(fl.baseline):
		default:
			return fmt.Errorf("--baseline: %w", err)
		}
	}
	if fl.writeBaseline == "" {
		return nil
	}
	paths := baseline.Paths{Dir: filepath.Dir(fl.writeBaseline)}
	// Findings the old baseline suppressed are still there: record them
	// again, with everything else that is not suppressed.
	var record []analyzer.Finding
	for _, f := range res.Findings {
		if f.Suppressed == nil || (f.Suppressed.Kind == analyzer.SuppressionExternal && f.Suppressed.Justification == baseline.Justification) {
			g := f
			g.Suppressed = nil
			record = append(record, g)
		}
	}
	b := baseline.New(record, paths)
	for _, e := range kept {
		e.File = paths.Key(e.File)
		b.Findings = append(b.Findings, e)
	}
	if dir := filepath.Dir(fl.writeBaseline); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("--write-baseline: %w", err)
		}
	}
	if err := b.Save(fl.writeBaseline); err != nil {
		return fmt.Errorf("--write-baseline: %w", err)
	}
	b.Apply(res.Findings, files, paths)
	return nil
}

func writeOutput(o output, res *analyzer.Result, fopts format.Options, stdout io.Writer) error {
	if o.path == "" {
		return o.f.Format(stdout, res, fopts)
	}
	fopts.Color = false
	if dir := filepath.Dir(o.path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	f, err := os.Create(o.path)
	if err != nil {
		return err
	}
	if err := o.f.Format(f, res, fopts); err != nil {
		_ = f.Close()
		return fmt.Errorf("writing %s: %w", o.path, err)
	}
	return f.Close()
}

// colorEnabled decides colour for text on stdout: off with --no-color,
// with NO_COLOR set, or when stdout is not a terminal. Only cmd decides;
// it also sets color.NoColor for consistency.
func colorEnabled(noColor bool, stdout io.Writer) bool {
	on := !noColor && os.Getenv("NO_COLOR") == ""
	if on {
		on = isTerminal(stdout)
	}
	color.NoColor = !on
	return on
}

// contextFrom merges the deployment context: flags over config.
func contextFrom(fl *lintFlags, cfg *config.Config) expr.Options {
	var o expr.Options
	if cfg != nil {
		o.SubscriptionID = cfg.Context.SubscriptionID
		o.ResourceGroup = cfg.Context.ResourceGroup
		o.Location = cfg.Context.Location
	}
	if fl.subscriptionID != "" {
		o.SubscriptionID = fl.subscriptionID
	}
	if fl.resourceGroup != "" {
		o.ResourceGroup = fl.resourceGroup
	}
	if fl.location != "" {
		o.Location = fl.location
	}
	return o
}

func defaultJobs(n int) int {
	if n > 0 {
		return n
	}
	return runtime.GOMAXPROCS(0)
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
