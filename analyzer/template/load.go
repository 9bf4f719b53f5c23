package template

import (
	"os"
	"strings"
	"unicode/utf8"
)

// Load reads one JSON file from its raw bytes: it decodes UTF-8 (with or
// without BOM) or UTF-16 with BOM, validates the text (comments and
// trailing commas allowed) while building the Value tree, and detects the
// file's Kind from the root "$schema". path is kept as given, for display.
// The line table is built on first use (Position, Line, LineCount).
//
// A decoded text of 4 GiB or more is refused with a syntax error at
// 1:1: the tree's offsets are 32 bits.
//
// On a syntax error Load returns the partially filled *File (Path and Src
// set, Root nil, Kind KindOther) together with the *SyntaxError, so that
// callers can still report positions. When the bytes cannot be decoded Src
// is empty and the error is at 1:1.
//
// Src shares raw's memory when raw is UTF-8, and the strings of the tree
// (Value.Str(), Member.Key) share Src's: raw belongs to the File from then on
// and the caller must not modify it.
//
// The returned File is never modified afterwards and is safe for
// concurrent use.
func Load(path string, raw []byte) (*File, error) {
	f := &File{Path: path, lines: new(lineIndex)}
	src, msg := decode(raw)
	if msg != "" {
		return f, f.errorAt(0, msg)
	}
	f.Src = src
	if uint64(len(src)) > maxSource {
		return f, f.errorAt(0, "file too large: the decoded text is 4 GiB or more")
	}
	tree := newBuilder(f)
	s := scanner{src: src, tree: tree, stack: tree.stack}
	ok := s.scan()
	root := tree.root
	tree.stack = s.stack
	tree.release()
	if !ok {
		return f, f.errorAt(s.errOff, s.errMsg)
	}
	f.Comments = s.comments
	f.Root = root
	f.Kind, _ = schemaKind(f.Root.Get("$schema").StringOr(""))
	return f, nil
}

// maxSource is the largest decoded source, in bytes, that Load accepts:
// the offsets of the tree are 32 bits (see Value). The analyzer reads no
// file larger than its size limit, 32 MiB by default (and linked templates
// and parameter files at most that), so only a run without a limit can
// reach it. A variable for tests.
var maxSource uint64 = 1<<32 - 1

// ReadFile reads the file at path from disk and calls Load. The path is
// shown as given. An I/O error is returned as is, with a nil *File.
func ReadFile(path string) (*File, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Load(path, raw)
}

// Scope returns the deployment scope of a template file from its root
// "$schema", or ScopeUnknown for other files and files that did not parse.
func (f *File) Scope() Scope {
	if f == nil || f.Root == nil {
		return ScopeUnknown
	}
	_, sc := schemaKind(f.Root.Get("$schema").StringOr(""))
	return sc
}

// schemaKind classifies a $schema URL. Matching is case-insensitive, accepts
// http and https and any API version folder; only the last path segment
// (before any "#") decides:
//
//	deploymentTemplate.json                 template, resource group
//	subscriptionDeploymentTemplate.json     template, subscription
//	managementGroupDeploymentTemplate.json  template, management group
//	tenantDeploymentTemplate.json           template, tenant
//	*DeploymentParameters.json, deploymentParameters.json   parameters
//
// It runs for every file and every template, so it does not allocate: a
// URL of ASCII bytes is compared ASCII-case-insensitively, which is what
// lowering it would give; one with other bytes is lowered whole with
// strings.ToLower first, so that Unicode case mapping applies as before.
func schemaKind(schema string) (FileKind, Scope) {
	s := strings.TrimSpace(schema)
	if !IsASCII(s) {
		s = strings.ToLower(s)
	}
	if !HasPrefixFold(s, "https://") && !HasPrefixFold(s, "http://") {
		return KindOther, ScopeUnknown
	}
	if i := strings.IndexByte(s, '#'); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		s = s[i+1:]
	}
	for _, n := range schemaNames {
		if len(s) == len(n.name) && HasPrefixFold(s, n.name) {
			return n.kind, n.scope
		}
	}
	return KindOther, ScopeUnknown
}

// schemaNames are the last segments of the $schema URLs schemaKind knows,
// lower-case.
var schemaNames = [...]struct {
	name  string
	kind  FileKind
	scope Scope
}{
	{"deploymenttemplate.json", KindTemplate, ScopeResourceGroup},
	{"subscriptiondeploymenttemplate.json", KindTemplate, ScopeSubscription},
	{"managementgroupdeploymenttemplate.json", KindTemplate, ScopeManagementGroup},
	{"tenantdeploymenttemplate.json", KindTemplate, ScopeTenant},
	{"deploymentparameters.json", KindParameters, ScopeUnknown},
	{"subscriptiondeploymentparameters.json", KindParameters, ScopeUnknown},
	{"managementgroupdeploymentparameters.json", KindParameters, ScopeUnknown},
	{"tenantdeploymentparameters.json", KindParameters, ScopeUnknown},
}

// HasPrefixFold reports whether s starts with the ASCII string prefix,
// ignoring ASCII case. (strings.EqualFold on as many bytes as prefix has
// folds only ASCII letters: a byte of a longer character leaves fewer
// characters than prefix has.)
func HasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// HasSuffixFold reports whether s ends with the ASCII string suffix,
// ignoring ASCII case (see HasPrefixFold).
func HasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}

// ContainsFold reports whether the ASCII string s contains the lower-case
// ASCII word sub in any case.
func ContainsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i]|0x20 == sub[0] && strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// IsASCII reports whether s has only ASCII bytes.
func IsASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
