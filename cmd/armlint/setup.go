package main

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/armlint/armlint/analyzer"
	"github.com/armlint/armlint/analyzer/config"
	"github.com/armlint/armlint/analyzer/regoeval"
	"github.com/armlint/armlint/policies"
	"github.com/armlint/armlint/rules"
)

// setup is everything a lint run needs from flags and configuration.
type setup struct {
	cfg       *config.Config
	registry  *analyzer.Registry
	options   analyzer.Options
	failLevel analyzer.Severity
}

// loadConfig finds and reads the configuration: --config, else
// .armlint.json walking up from the directory of --stdin-filename or the
// working directory.
func loadConfig(path, stdinFilename string) (*config.Config, error) {
	if path == "" {
		start := "."
		if stdinFilename != "" {
			start = filepath.Dir(stdinFilename)
		}
		found, err := config.Find(start)
		if err != nil {
			return nil, err
		}
		if found == "" {
			return nil, nil
		}
		path = found
	}
	return config.Load(path)
}

// loadRules loads the Go rules and the Rego policies (built-in and user),
// and returns a registry of every known rule.
func loadRules(cfg *config.Config, policyDirs []string) (*analyzer.Registry, error) {
	dirs := append([]string(nil), policyDirs...)
	var ruleOpts map[string]map[string]any
	if cfg != nil {
		dirs = append(dirs, cfg.PolicyDirs()...)
		ruleOpts = map[string]map[string]any{}
		for key, rc := range cfg.Rules {
			if rc.Options != nil {
				ruleOpts[key] = rc.Options
			}
		}
	}
	// Without user policies, Load reads only the built-in policies'
	// headers (about 1.5 ms); they are parsed and compiled in the
	// background (about 12 ms of CPU) while the configuration and the
	// files are read and the Go rules run; each policy rule waits for it.
	regoRules, err := regoeval.Load(policies.FS, regoeval.Options{
		Root: "policies", Extra: dirs, Config: ruleOpts, Background: len(dirs) == 0,
	})
	if err != nil {
		return nil, err
	}
	all := append(analyzer.DiagnosticRules(), rules.All()...)
	all = append(all, regoRules...)
	return analyzer.NewRegistry(all...)
}

func newSetup(fl *lintFlags, paths []string) (*setup, error) {
	cfg, err := loadConfig(fl.configPath, fl.stdinFilename)
	if err != nil {
		return nil, err
	}
	reg, err := loadRules(cfg, fl.policies)
	if err != nil {
		return nil, err
	}
	s := &setup{cfg: cfg, registry: reg, failLevel: analyzer.SeverityWarning}
	lookup := func(key string) (string, bool) {
		r, ok := reg.Lookup(key)
		if !ok {
			return "", false
		}
		return r.ID, true
	}
	enabled := map[string]bool{}
	for _, r := range reg.Rules() {
		enabled[r.ID] = true
	}
	opts := analyzer.Options{
		Registry:         reg,
		Severity:         map[string]analyzer.Severity{},
		RuleOptions:      map[string]map[string]any{},
		Jobs:             defaultJobs(fl.jobs),
		SkipNonTemplates: fl.skipNonTemplates,
		MaxFileSize:      maxFileSize(fl.maxFileSize),
	}
	if cfg != nil {
		if err := cfg.Validate(lookup, ruleKeys(reg)...); err != nil {
			return nil, err
		}
		if lvl := cfg.FailSeverity(); lvl != 0 {
			s.failLevel = lvl
		}
		for _, rs := range cfg.RuleSettings() {
			if rs.Enabled != nil {
				enabled[rs.ID] = *rs.Enabled
			}
			if rs.Severity != 0 {
				opts.Severity[rs.ID] = rs.Severity
			}
			if rs.Options != nil {
				opts.RuleOptions[rs.ID] = rs.Options
			}
		}
		opts.Exclude = func(p string) bool { ex, _ := cfg.Excluded(p); return ex }
		opts.Ignores = cfg.Ignores()
		opts.TemplateParameters = cfg.TemplateParameters()
	}
	if err := applyToggles(enabled, fl.enable, true, lookup); err != nil {
		return nil, err
	}
	if err := applyToggles(enabled, fl.disable, false, lookup); err != nil {
		return nil, err
	}
	for _, r := range reg.Rules() {
		if strings.HasPrefix(r.ID, "AL0") {
			continue // tool diagnostics always run, inside the engine
		}
		if enabled[r.ID] {
			opts.Rules = append(opts.Rules, r)
		}
	}
	// Go rules run first on each file: a policy rule may wait for the
	// policies to compile, and the Go rules' work is done meanwhile.
	// Findings are sorted, so the order changes nothing else.
	slices.SortStableFunc(opts.Rules, func(a, b *analyzer.Rule) int {
		return cmp.Compare(policyRank(a), policyRank(b))
	})
	// The enabled policy rules evaluate in one query per file.
	regoeval.EvaluateTogether(opts.Rules)
	if fl.failLevel != "" {
		lvl, err := analyzer.ParseSeverity(fl.failLevel)
		if err != nil {
			return nil, fmt.Errorf("--fail-level: %w", err)
		}
		s.failLevel = lvl
	}
	if err := parameterFlags(fl.parameters, &opts); err != nil {
		return nil, err
	}
	opts.Context = contextFrom(fl, cfg)
	_ = paths
	s.options = opts
	return s, nil
}

// policyRank orders Go rules before policy rules.
func policyRank(r *analyzer.Rule) int {
	if r.Origin == "go" {
		return 0
	}
	return 1
}

func ruleKeys(reg *analyzer.Registry) []string {
	var keys []string
	for _, r := range reg.Rules() {
		keys = append(keys, r.ID, r.Name)
	}
	sort.Strings(keys)
	return keys
}

// applyToggles applies --enable/--disable. Tool diagnostics cannot be
// disabled.
func applyToggles(enabled map[string]bool, keys []string, on bool, lookup func(string) (string, bool)) error {
	for _, k := range keys {
		k = strings.TrimSpace(k)
		if k == "" {
			continue
		}
		id, ok := lookup(k)
		if !ok {
			return fmt.Errorf("unknown rule %q (see 'armlint rules')", k)
		}
		if strings.HasPrefix(id, "AL0") && !on {
			return fmt.Errorf("rule %s is a tool diagnostic and cannot be disabled", id)
		}
		enabled[id] = on
	}
	return nil
}

// parameterFlags splits --parameters into files and NAME=VALUE pairs. A
// value that names an existing file is a file.
func parameterFlags(values []string, opts *analyzer.Options) error {
	for _, v := range values {
		if st, err := os.Stat(v); err == nil && !st.IsDir() {
			opts.ParameterFiles = append(opts.ParameterFiles, v)
			continue
		}
		name, val, ok := strings.Cut(v, "=")
		if !ok || strings.TrimSpace(name) == "" {
			return fmt.Errorf("--parameters %q: no such file, and not NAME=VALUE", v)
		}
		if opts.ParameterValues == nil {
			opts.ParameterValues = map[string]string{}
		}
		opts.ParameterValues[strings.TrimSpace(name)] = val
	}
	return nil
}

// maxFileSize turns --max-file-size into Options.MaxFileSize: 0 on the
// command line means no limit, which the engine spells -1.
func maxFileSize(n int64) int64 {
	if n == 0 {
		return -1
	}
	return n
}
