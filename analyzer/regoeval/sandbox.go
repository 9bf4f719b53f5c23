package regoeval

import (
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

// deniedBuiltins are removed from the capabilities whatever OPA says
// about them. Every builtin OPA marks nondeterministic is removed as well:
// today that adds io.jwt.decode_verify (reads the clock), io.jwt.encode_sign
// and io.jwt.encode_sign_raw (random), and json.verify_schema and
// json.match_schema (may fetch remote $refs).
var deniedBuiltins = map[string]bool{
	"http.send":          true, // network
	"net.lookup_ip_addr": true, // network (DNS)
	"opa.runtime":        true, // exposes the environment and the OPA config
	"time.now_ns":        true, // clock
	"rand.intn":          true, // randomness
	"uuid.rfc4122":       true, // randomness
}

// sandboxCapabilities returns the capabilities every policy, built-in or
// user, is compiled with: OPA's own minus anything that does I/O, reads
// the environment or the clock, or is random, and no network host. A
// policy that calls a removed builtin fails to compile ("undefined
// function"), naming its file and line.
//
// Pure builtins stay, among them the CIDR math (net.cidr_*), uuid.parse,
// regex, glob, crypto parsing, trace and print.
func sandboxCapabilities() *ast.Capabilities {
	caps := ast.CapabilitiesForThisVersion() // a fresh copy
	caps.Builtins = slices.DeleteFunc(caps.Builtins, denied)
	caps.AllowNet = []string{} // empty: no host at all; nil would mean any host
	return caps
}

// denied reports whether a builtin is kept out of the sandbox.
func denied(b *ast.Builtin) bool { return deniedBuiltins[b.Name] || b.Nondeterministic }

// sandboxHint explains compile errors caused by the sandbox: a call of a
// builtin that exists in OPA but was removed reads as "undefined function".
func sandboxHint(errs ast.Errors) string {
	for _, e := range errs {
		name, ok := strings.CutPrefix(e.Message, "undefined function ")
		if b := ast.BuiltinMap[name]; ok && b != nil && denied(b) {
			return "\n(armlint policies run in a sandbox: builtins that reach the network, the environment, " +
				"the clock or randomness are not available)"
		}
	}
	return ""
}
