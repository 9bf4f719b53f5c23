package template

import (
	"os"
	"strings"
)

// Load reads one JSON file from its raw bytes: it decodes UTF-8 (with or
// without BOM) or UTF-16 with BOM, validates the text (comments and
// trailing commas allowed) while building the Value tree, and detects the
// file's Kind from the root "$schema". path is kept as given, for display.
// The line table is built on first use (Position, Line, LineCount).
//
// On a syntax error Load returns the partially filled *File (Path and Src
// set, Root nil, Kind KindOther) together with the *SyntaxError, so that
// callers can still report positions. When the bytes cannot be decoded Src
// is empty and the error is at 1:1.
//
// Src shares raw's memory when raw is UTF-8, and the strings of the tree
// (Value.Str, Member.Key) share Src's: raw belongs to the File from then on
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
func schemaKind(schema string) (FileKind, Scope) {
	s := strings.ToLower(strings.TrimSpace(schema))
	if !strings.HasPrefix(s, "https://") && !strings.HasPrefix(s, "http://") {
		return KindOther, ScopeUnknown
	}
	if i := strings.IndexByte(s, '#'); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		s = s[i+1:]
	}
	switch s {
	case "deploymenttemplate.json":
		return KindTemplate, ScopeResourceGroup
	case "subscriptiondeploymenttemplate.json":
		return KindTemplate, ScopeSubscription
	case "managementgroupdeploymenttemplate.json":
		return KindTemplate, ScopeManagementGroup
	case "tenantdeploymenttemplate.json":
		return KindTemplate, ScopeTenant
	case "deploymentparameters.json", "subscriptiondeploymentparameters.json",
		"managementgroupdeploymentparameters.json", "tenantdeploymentparameters.json":
		return KindParameters, ScopeUnknown
	}
	return KindOther, ScopeUnknown
}
