package regoeval

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/armlint/armlint/analyzer/graph"
)

// hostileBudget is the evaluation budget of the tests below: short, so
// that they stay quick, and the policies all run far longer without it.
const hostileBudget = 300 * time.Millisecond

// TestPolicyBudgetStopsRunawayPolicies checks that a user policy that
// would run for ever or build huge values is stopped by the evaluation
// budget, with an error that names the policy file and its rule ID.
func TestPolicyBudgetStopsRunawayPolicies(t *testing.T) {
	tests := map[string]string{
		// numbers.range builds the whole array: 10^9 numbers would take
		// tens of gigabytes; the budget stops the generation.
		"huge range": `findings contains x if {
	n := count(numbers.range(0, 1e9))
	n < 0
	x := {"resource": "/resources/0", "message": "never"}
}
`,
		// walk over the input, times a million.
		"walk": `findings contains x if {
	walk(input, [_, v])
	some i in numbers.range(1, 1000000)
	is_string(v)
	i < 0
	x := {"resource": "/resources/0", "message": "never"}
}
`,
		// Comprehensions nested three deep over a million elements.
		"nested comprehensions": `findings contains x if {
	s := {a | some i in numbers.range(1, 1000000); a := {b | some j in numbers.range(1, 1000); b := i * j}}
	count(s) < 0
	x := {"resource": "/resources/0", "message": "never"}
}
`,
		// A string doubled until it no longer fits.
		"string growth": `findings contains x if {
	s := concat("", [y | some _ in numbers.range(1, 100000000); y := "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"])
	count(s) < 0
	x := {"resource": "/resources/0", "message": "never"}
}
`,
	}
	for name, body := range tests {
		t.Run(name, func(t *testing.T) {
			rule, origin := loadCustom(t, body, Options{Timeout: hostileBudget})
			_, err := newFixture(t, graph.ScopeSubscription).run(t, rule)
			wantErr(t, err, "policy "+origin, "XTEST001", "exceeded its budget of "+hostileBudget.String())
		})
	}
}

// TestPolicyRecursionIsRejected checks that recursion, which Rego forbids,
// fails at load time with an error that names the policy file, instead of
// looping at evaluation.
func TestPolicyRecursionIsRejected(t *testing.T) {
	tests := map[string]string{
		"rule":             "f(n) := f(n + 1)\n\nfindings := {x | x := f(0)}\n",
		"mutual":           "a contains x if { some x in b }\n\nb contains x if { some x in a }\n\nfindings := a\n",
		"in comprehension": "deep := {x | some y in deep; x := y}\n\nfindings := deep\n",
	}
	for name, body := range tests {
		t.Run(name, func(t *testing.T) {
			dir := writePolicies(t, map[string]string{"probe.rego": customHeader + body})
			_, err := Load(nil, Options{Extra: []string{dir}})
			wantErr(t, err, filepath.ToSlash(filepath.Join(dir, "probe.rego")), "recursion")
		})
	}
}

// TestPolicyCannotReadOutside checks that a policy sees no data but the
// rule options: data files beside the policies are not loaded, and the
// environment is not reachable.
func TestPolicyCannotReadOutside(t *testing.T) {
	// Iterating over data as a whole would make findings recursive (the
	// policy is part of data), so the test names what a data file would
	// create.
	body := `leaks contains "data.secret" if data.secret
leaks contains "data.sub.secret" if data.sub.secret
leaks contains "data.armlint.leak" if data.armlint.leak
leaks contains k if {
	some k, _ in data.armlint.config
	k != "XTEST001"
}

findings contains x if {
	some k in leaks
	x := {"resource": "/resources/0", "message": sprintf("%s is visible", [k])}
}
`
	dir := writePolicies(t, map[string]string{
		"probe.rego":        customHeader + body,
		"data.json":         `{"secret": true}`,
		"sub/data.yaml":     "secret: true\n",
		"armlint/data.json": `{"armlint": {"leak": 1}}`,
		".manifest":         `{"roots": [""]}`,
	})
	rules, err := Load(nil, Options{Extra: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	var probe = rules[0]
	for _, r := range rules {
		if r.ID == "XTEST001" {
			probe = r
		}
	}
	got, err := newFixture(t, graph.ScopeSubscription).run(t, probe)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range got {
		t.Errorf("policy reached outside its sandbox: %s", f.Message)
	}
}

// TestPolicySandboxedBuiltinsInRules checks the sandbox from inside a rule
// body (TestSandboxRejectsImpureBuiltins checks top-level assignments):
// every builtin that reaches the network, the environment, the clock or
// randomness fails to compile, naming the file.
func TestPolicySandboxedBuiltinsInRules(t *testing.T) {
	calls := map[string]string{
		"http.send":          `http.send({"method": "get", "url": "file:///etc/passwd"})`,
		"net.lookup_ip_addr": `net.lookup_ip_addr("example.com")`,
		"opa.runtime":        `opa.runtime().env.HOME`,
		"time.now_ns":        `time.now_ns()`,
		"rand.intn":          `rand.intn("x", 10)`,
	}
	for builtin, call := range calls {
		t.Run(builtin, func(t *testing.T) {
			body := "findings contains x if {\n\tv := " + call + "\n\tx := {\"resource\": \"/resources/0\", \"message\": sprintf(\"%v\", [v])}\n}\n"
			dir := writePolicies(t, map[string]string{"probe.rego": customHeader + body})
			_, err := Load(nil, Options{Extra: []string{dir}})
			wantErr(t, err, filepath.ToSlash(filepath.Join(dir, "probe.rego")), "undefined function "+builtin)
		})
	}
}
