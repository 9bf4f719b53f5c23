// Package policies holds armlint's built-in Rego policies.
//
// The policies are embedded in the binary: lib/armlint holds the helper
// packages (armlint.lib.*) and rules/<category>/<rule_name>.rego the rules
// (armlint.rules.<category>.<rule_name>), each with a _test.rego beside it.
// analyzer/regoeval compiles them; test files are embedded too and skipped
// by name at load time. The input contract the policies are written
// against is documented in lib/armlint/input.rego.
package policies

import "embed"

// FS holds the policy tree, rooted at this directory: "lib/armlint/*.rego"
// and "rules/<category>/*.rego".
//
//go:embed lib rules
var FS embed.FS
