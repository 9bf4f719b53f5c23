// Package config reads armlint's configuration file, .armlint.json.
//
// The file is JSON with comments and trailing commas (JSONC), cleaned by the
// same scanner that reads templates, then decoded with encoding/json into a
// typed Config that rejects unknown keys. Every error names the file, line
// and column. Paths in the file (policy directories, parameter files,
// exclude and ignore globs) are relative to the file's directory.
//
// The typical sequence is Find, Load, Validate; cmd then turns the Config
// into analyzer.Options (RuleSettings, FailSeverity, Excluded, Ignores,
// PolicyDirs, ParameterFiles).
package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/armlint/armlint/analyzer"
	"github.com/armlint/armlint/analyzer/template"
)

// FileName is the name Find looks for.
const FileName = ".armlint.json"

// Config is the content of a .armlint.json file.
type Config struct {
	// Schema is the optional "$schema" key, for editor completion. It is
	// accepted and otherwise ignored.
	Schema string `json:"$schema,omitempty"`
	// FailLevel is the lowest unsuppressed severity that fails a run:
	// "note", "warning" or "error". Empty means the CLI default.
	FailLevel string `json:"failLevel,omitempty"`
	// Rules configures rules, keyed by rule ID or rule name.
	Rules map[string]RuleConfig `json:"rules,omitempty"`
	// Exclude lists paths that are not linted.
	Exclude []Exclude `json:"exclude,omitempty"`
	// Ignore lists suppressions of findings.
	Ignore []Ignore `json:"ignore,omitempty"`
	// Policies are extra directories of Rego policies.
	Policies []string `json:"policies,omitempty"`
	// Parameters maps a template path to its parameter files.
	Parameters map[string][]string `json:"parameters,omitempty"`
	// Context holds placeholder values of the deployment context.
	Context Context `json:"context,omitzero"`

	// Path is the file the configuration was read from; "" for a Config
	// built in code.
	Path string `json:"-"`
	// Dir is the directory relative paths in the file are resolved against:
	// the directory of Path, or "." for a Config built in code.
	Dir string `json:"-"`

	file  *template.File // the loaded file, for positions; nil for a Config built in code
	state validated      // set by Validate
	abs   absDir         // Dir made absolute, computed once
}

// RuleConfig configures one rule.
type RuleConfig struct {
	// Enabled turns the rule on or off; nil keeps the rule's default.
	Enabled *bool `json:"enabled,omitempty"`
	// Severity overrides the rule's default severity.
	Severity string `json:"severity,omitempty"`
	// Options are the rule's options; each rule documents its own.
	Options map[string]any `json:"options,omitempty"`
}

// Exclude is a path pattern that is not linted.
type Exclude struct {
	Path   string `json:"path"`             // glob, relative to the config file's directory
	Reason string `json:"reason,omitempty"` // why; recommended
}

// Ignore is a suppression in the configuration file.
type Ignore struct {
	Rule     string `json:"rule"`               // rule ID or name; required
	Path     string `json:"path,omitempty"`     // glob of the files it applies to; "" means every file
	Resource string `json:"resource,omitempty"` // name of the resource the finding is about; "" means any
	Reason   string `json:"reason"`             // why; required
}

// Context holds placeholder values for deployment functions such as
// subscription() and resourceGroup(). Empty fields keep the analyzer's
// placeholders.
type Context struct {
	SubscriptionID string `json:"subscriptionId,omitempty"`
	ResourceGroup  string `json:"resourceGroup,omitempty"`
	Location       string `json:"location,omitempty"`
}

// absDir caches the absolute form of Config.Dir.
type absDir struct {
	once sync.Once
	wd   string // the working directory
	dir  string
	err  error
}

// Load reads and decodes the configuration file at path. It does not check
// rule keys: call Validate once the rules are known.
func Load(path string) (*Config, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, raw)
}

// Parse decodes raw as the content of the configuration file at path (used
// for messages and as the base of relative paths). Errors have the form
// "path:line:col: message".
func Parse(path string, raw []byte) (*Config, error) {
	f, err := template.Load(path, raw)
	if err != nil {
		return nil, err // a *template.SyntaxError: already "path:line:col: msg"
	}
	if f.Root == nil || f.Root.Kind != template.Object {
		return nil, fmt.Errorf("%s:1:1: the configuration must be a JSON object", path)
	}
	clean, _, err := template.Clean(f.Src)
	if err != nil {
		return nil, err // cannot happen: Load accepted the same bytes
	}
	c := &Config{Path: path, Dir: filepath.Dir(path), file: f}
	dec := json.NewDecoder(bytes.NewReader(clean))
	dec.DisallowUnknownFields()
	if err := dec.Decode(c); err != nil {
		return nil, c.decodeError(err)
	}
	return c, nil
}

// decodeError turns an encoding/json error into "path:line:col: message",
// locating the offending key or value in the file's tree.
func (c *Config) decodeError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if v := valueAt(c.file.Root, int(te.Offset)); v != nil {
			return c.errorf(v.Start(), "%s: expected %s, found %s", pointerOrRoot(v.Pointer()), typeName(te.Type), te.Value)
		}
		return c.errorf(int(te.Offset), "expected %s, found %s", typeName(te.Type), te.Value)
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if u := findUnknownKey(c.file.Root, configType); u != nil {
			return c.errorf(u.member.KeyStart(), "unknown key %q in %s (known keys: %s)",
				u.member.Key, pointerOrRoot(u.parent.Pointer()), strings.Join(u.known, ", "))
		}
		return fmt.Errorf("%s: unknown key %s", c.Path, name)
	}
	return fmt.Errorf("%s: %w", c.Path, err)
}

// errorf returns an error at byte offset off of the configuration file.
func (c *Config) errorf(off int, format string, args ...any) error {
	return fmt.Errorf("%s: %s", c.posAt(off), fmt.Sprintf(format, args...))
}

// posAt renders offset off as "path:line:col", or just the path for a
// Config built in code.
func (c *Config) posAt(off int) string {
	name := c.Path
	if name == "" {
		name = FileName
	}
	if c.file == nil {
		return name
	}
	p := c.file.Position(off)
	return fmt.Sprintf("%s:%d:%d", name, p.Line, p.Col)
}

// node returns the value at the given steps of the file's tree, or nil.
func (c *Config) node(steps ...string) *template.Value {
	if c.file == nil {
		return nil
	}
	return c.file.Root.Path(steps...)
}

// posOf renders the position of the value at steps ("path:line:col"), or
// the closest enclosing value that exists.
func (c *Config) posOf(steps ...string) string {
	for i := len(steps); i >= 0; i-- {
		if v := c.node(steps[:i]...); v != nil {
			return c.posAt(v.Start())
		}
	}
	return c.posAt(0)
}

// posOfKey renders the position of the key of member key in the object at
// steps, falling back to the object itself.
func (c *Config) posOfKey(key string, steps ...string) string {
	if m := c.node(steps...).Member(key); m != nil {
		return c.posAt(m.KeyStart())
	}
	return c.posOf(steps...)
}

// locationOf returns the analyzer location of the value at steps, for
// diagnostics anchored in the configuration file.
func (c *Config) locationOf(steps ...string) analyzer.Location {
	loc := analyzer.Location{File: filepath.ToSlash(c.Path)}
	if loc.File == "" {
		loc.File = FileName
	}
	v := c.node(steps...)
	if v == nil {
		loc.Start = analyzer.Pos{Line: 1, Col: 1}
		loc.End = loc.Start
		return loc
	}
	loc.Path = v.Pointer()
	loc.Start = c.file.Position(v.Start())
	loc.End = c.file.Position(v.End())
	return loc
}

func pointerOrRoot(p string) string {
	if p == "" {
		return "the top level"
	}
	return p
}
