package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/armlint/armlint/analyzer"
	"github.com/armlint/armlint/analyzer/format"
)

func runRules(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("armlint rules", stderr)
	formatName := fs.String("format", "text", "output format: text, json or md (md generates rules/README.md)")
	configPath := fs.String("config", "", "configuration file (for --policy directories it names)")
	policies := fs.StringArray("policy", nil, "directory of custom Rego policies (repeatable)")
	dir := fs.String("dir", "", "with --format md: write one page per rule (DIR/<ID>.md) and an index (DIR/README.md) instead of the catalogue")
	header := "Usage:\n  armlint rules [--format text|json|md] [--dir DIR]\n\nLists every rule: built-in Go rules, built-in Rego policies and custom policies.\n\nFlags:\n"
	if done, code := parseFlags(fs, args, header, stdout, stderr); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(stderr, "rules takes no arguments")
	}
	reg, err := registryFor(*configPath, *policies)
	if err != nil {
		return usageError(stderr, "%v", err)
	}
	if *dir != "" {
		if *formatName != "md" {
			return usageError(stderr, "--dir needs --format md")
		}
		if err := writeRulePages(*dir, reg.Rules()); err != nil {
			return usageError(stderr, "%v", err)
		}
		return exitOK
	}
	switch *formatName {
	case "text":
		if err := format.RulesText(stdout, reg.Rules()); err != nil {
			return usageError(stderr, "%v", err)
		}
	case "json":
		if err := format.RulesJSON(stdout, reg.Rules()); err != nil {
			return usageError(stderr, "%v", err)
		}
	case "md":
		if err := format.RulesMarkdown(stdout, reg.Rules()); err != nil {
			return usageError(stderr, "%v", err)
		}
	default:
		return usageError(stderr, "unknown format %q (text, json or md)", *formatName)
	}
	return exitOK
}

// writeRulePages writes the generated rule pages into dir and removes
// generated pages of rules that no longer exist.
func writeRulePages(dir string, rules []*analyzer.Rule) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	pages := format.RulePages(rules)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if _, ok := pages[e.Name()]; ok || e.IsDir() || filepath.Ext(e.Name()) != ".md" {
			continue
		}
		p := filepath.Join(dir, e.Name())
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if bytes.HasPrefix(data, []byte(format.RulePagesHeader)) {
			if err := os.Remove(p); err != nil {
				return err
			}
		}
	}
	for name, data := range pages {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func registryFor(configPath string, policies []string) (*analyzer.Registry, error) {
	cfg, err := loadConfig(configPath, "")
	if err != nil {
		return nil, err
	}
	return loadRules(cfg, policies)
}

func runExplain(args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("armlint explain", stderr)
	configPath := fs.String("config", "", "configuration file (for --policy directories it names)")
	policies := fs.StringArray("policy", nil, "directory of custom Rego policies (repeatable)")
	header := "Usage:\n  armlint explain ID|NAME\n\nPrints a rule's documentation: what it finds, why it matters, and how to fix it.\n\nFlags:\n"
	if done, code := parseFlags(fs, args, header, stdout, stderr); done {
		return code
	}
	if fs.NArg() != 1 {
		return usageError(stderr, "explain takes one rule ID or name, e.g. 'armlint explain AL1201'")
	}
	reg, err := registryFor(*configPath, *policies)
	if err != nil {
		return usageError(stderr, "%v", err)
	}
	r, ok := reg.Lookup(fs.Arg(0))
	if !ok {
		return usageError(stderr, "unknown rule %q (see 'armlint rules')", fs.Arg(0))
	}
	fmt.Fprintf(stdout, "%s %s: %s\n\n", r.ID, r.Name, r.Title)
	fmt.Fprintf(stdout, "Severity: %s\n", r.Severity)
	if len(r.Tags) > 0 {
		fmt.Fprintf(stdout, "Tags: %s\n", strings.Join(r.Tags, ", "))
	}
	fmt.Fprintf(stdout, "Source: %s\n", format.RuleSource(r))
	if r.HelpURI != "" {
		fmt.Fprintf(stdout, "Online: %s\n", r.HelpURI)
	}
	fmt.Fprintf(stdout, "\n%s\n", strings.TrimSpace(r.Description))
	return exitOK
}
