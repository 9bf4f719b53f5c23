package config

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/armlint/armlint/analyzer"
)

// Resolve returns p (a path as written in the configuration file) relative
// to the working directory: joined to Dir unless it is absolute.
func (c *Config) Resolve(p string) string {
	p = filepath.FromSlash(p)
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(c.dir(), p)
}

// PolicyDirs returns the policy directories, resolved.
func (c *Config) PolicyDirs() []string {
	out := make([]string, 0, len(c.Policies))
	for _, p := range c.Policies {
		out = append(out, c.Resolve(p))
	}
	return out
}

// ParameterFiles returns the resolved parameter files configured for the
// template at path (relative to the working directory, or absolute), or nil.
func (c *Config) ParameterFiles(path string) []string {
	rel, ok := c.relative(path)
	if !ok {
		return nil
	}
	for _, tmpl := range sortedKeys(c.Parameters) {
		key, ok := cleanRel(tmpl)
		if !ok || key != rel {
			continue
		}
		out := make([]string, 0, len(c.Parameters[tmpl]))
		for _, p := range c.Parameters[tmpl] {
			out = append(out, c.Resolve(p))
		}
		return out
	}
	return nil
}

// TemplateParameters returns every configured template with its resolved
// parameter files, for analyzer.Options.TemplateParameters. Keys have the
// form the analyzer shows walked paths in: slash-separated, relative to the
// working directory when below it, absolute otherwise.
func (c *Config) TemplateParameters() map[string][]string {
	if len(c.Parameters) == 0 {
		return nil
	}
	out := make(map[string][]string, len(c.Parameters))
	for tmpl, files := range c.Parameters {
		resolved := make([]string, 0, len(files))
		for _, p := range files {
			resolved = append(resolved, c.Resolve(p))
		}
		out[displayPath(c.Resolve(tmpl))] = resolved
	}
	return out
}

// displayPath makes p slash-separated and relative to the working
// directory when it lies below it, as the analyzer shows paths.
func displayPath(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				p = rel
			}
		}
	}
	return filepath.ToSlash(filepath.Clean(p))
}

// Excluded reports whether path (relative to the working directory, or
// absolute; either separator) is excluded by an "exclude" entry, and that
// entry's reason. A path is excluded when it, or one of its parent
// directories below the config file's directory, matches a pattern: so
// "samples" and "samples/**" both exclude everything under samples/.
// Paths outside the config file's directory are never excluded, and
// entries whose pattern does not compile (see Validate) match nothing.
func (c *Config) Excluded(path string) (excluded bool, reason string) {
	rel, ok := c.relative(path)
	if !ok {
		return false, ""
	}
	for _, e := range c.Exclude {
		g, err := CompileGlob(e.Path)
		if err != nil {
			continue
		}
		if matchSelfOrParent(g, rel) {
			return true, e.Reason
		}
	}
	return false, ""
}

// IgnoreMatches reports whether a finding of rule ruleID (an ID) in file
// path about the resource named resource ("" when unknown) is suppressed
// by an "ignore" entry, and returns that entry's reason. Rule keys are
// compared through the IDs Validate resolved (or as written, without
// Validate). cmd normally passes Ignores to the analyzer instead; this is
// the same test for callers outside a run.
func (c *Config) IgnoreMatches(ruleID, path, resource string) (matched bool, reason string) {
	for i, ig := range c.Ignore {
		if !strings.EqualFold(c.ignoreID(i), ruleID) {
			continue
		}
		if ig.Resource != "" && !strings.EqualFold(ig.Resource, resource) {
			continue
		}
		if ig.Path != "" && !c.pathMatcher(ig.Path)(path) {
			continue
		}
		return true, ig.Reason
	}
	return false, ""
}

// Ignores returns the "ignore" entries as analyzer suppressions, with rule
// keys resolved to IDs (call Validate first), path globs turned into
// matchers over finding paths, and each entry's location in this file so
// that an unused entry is reported where it is written.
func (c *Config) Ignores() []analyzer.ConfigIgnore {
	out := make([]analyzer.ConfigIgnore, 0, len(c.Ignore))
	for i, ig := range c.Ignore {
		ci := analyzer.ConfigIgnore{
			Rule:     c.ignoreID(i),
			Resource: ig.Resource,
			Reason:   ig.Reason,
			At:       c.locationOf("ignore", strconv.Itoa(i)),
		}
		if ig.Path != "" {
			ci.PathGlob = c.pathMatcher(ig.Path)
		}
		out = append(out, ci)
	}
	return out
}

// ignoreID returns the resolved rule ID of Ignore entry i, or its rule key
// as written when Validate has not run.
func (c *Config) ignoreID(i int) string {
	if c.state.ok && i < len(c.state.ignoreIDs) && c.state.ignoreIDs[i] != "" {
		return c.state.ignoreIDs[i]
	}
	return c.Ignore[i].Rule
}

// pathMatcher returns a matcher of working-directory paths against pattern
// (relative to the config file's directory). A pattern that does not
// compile matches nothing. Like Excluded, a match of a parent directory
// counts.
func (c *Config) pathMatcher(pattern string) func(string) bool {
	g, err := CompileGlob(pattern)
	if err != nil {
		return func(string) bool { return false }
	}
	return func(path string) bool {
		rel, ok := c.relative(path)
		return ok && matchSelfOrParent(g, rel)
	}
}

// matchSelfOrParent reports whether rel or one of its parent directories
// matches g.
func matchSelfOrParent(g *Glob, rel string) bool {
	for p := rel; p != "" && p != "."; {
		if g.Match(p) {
			return true
		}
		i := strings.LastIndexByte(p, '/')
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return false
}

// dir returns Dir, or "." when unset.
func (c *Config) dir() string {
	if c.Dir == "" {
		return "."
	}
	return c.Dir
}

// relative returns path relative to the config file's directory, slash
// separated and cleaned, and false when it lies outside that directory or
// cannot be made relative ("-" for stdin, for example).
func (c *Config) relative(path string) (string, bool) {
	if path == "" || path == "-" {
		return "", false
	}
	c.abs.once.Do(func() {
		// The working directory is read once: os.Getwd stats two
		// directories, and this runs for every file of a run.
		if c.abs.wd, c.abs.err = os.Getwd(); c.abs.err == nil {
			c.abs.dir = absIn(c.abs.wd, c.dir())
		}
	})
	if c.abs.err != nil {
		return "", false
	}
	p := absIn(c.abs.wd, filepath.FromSlash(path))
	rel, err := filepath.Rel(c.abs.dir, p)
	if err != nil {
		return "", false
	}
	return cleanRel(filepath.ToSlash(rel))
}

// absIn is filepath.Abs with the working directory wd.
func absIn(wd, p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(wd, p)
}

// cleanRel cleans a slash-separated relative path and reports false when it
// leaves its base directory.
func cleanRel(p string) (string, bool) {
	p = strings.TrimPrefix(filepath.ToSlash(filepath.Clean(filepath.FromSlash(p))), "./")
	if p == ".." || strings.HasPrefix(p, "../") || filepath.IsAbs(filepath.FromSlash(p)) {
		return "", false
	}
	return p, true
}
