package analyzer

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/armlint/armlint/analyzer/template"
)

// suppressRegistry knows the tool diagnostics and two identity rules.
func suppressRegistry(t *testing.T) *Registry {
	t.Helper()
	mk := func(id, name string) *Rule {
		return &Rule{ID: id, Name: name, Title: "T", Description: "D", Severity: SeverityWarning, Check: noCheck}
	}
	reg, err := NewRegistry(append(DiagnosticRules(),
		mk("AL1201", "privileged-role-to-identity"),
		mk("AL1202", "role-assignment-escalation"),
	)...)
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// at is a finding of rule on line of t.json, optionally about a resource
// ("name") or at a JSON pointer ("@/resources/ra").
func at(rule string, line int, about ...string) Finding {
	f := Finding{RuleID: rule, Severity: SeverityWarning, Message: "m",
		Location: Location{File: "t.json", Start: Pos{Line: line, Col: 1}}}
	for _, a := range about {
		if p, ok := strings.CutPrefix(a, "@"); ok {
			f.Location.Path = p
		} else {
			f.Resource = &ResourceRef{Name: a}
		}
	}
	return f
}

// summary renders findings as "line rule [kind: reason] message" lines,
// the message only for tool diagnostics.
func summary(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		s := fmt.Sprintf("%d %s", f.Location.Start.Line, f.RuleID)
		if f.Suppressed != nil {
			s += fmt.Sprintf(" [%s: %s]", f.Suppressed.Kind, f.Suppressed.Justification)
		}
		if strings.HasPrefix(f.RuleID, "AL000") {
			s += " " + f.Message
		}
		out = append(out, s)
	}
	return out
}

func TestSuppressIgnores(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		findings []Finding
		cfg      []ConfigIgnore
		enabled  []string // nil: every rule
		want     []string
	}{
		{
			name: "same line",
			src: `{
  "a": 1, // armlint:ignore AL1201 -- break-glass identity
  "b": 2
}`,
			findings: []Finding{at("AL1201", 2), at("AL1201", 4), at("AL1202", 2)},
			want: []string{
				"2 AL1201 [inSource: break-glass identity]",
				"2 AL1202",
				"4 AL1201",
			},
		},
		{
			name: "line above",
			src: `{
  // armlint:ignore AL1201 -- reviewed
  "a": 1,
  "b": 2
}`,
			findings: []Finding{at("AL1201", 3), at("AL1201", 4)},
			want:     []string{"3 AL1201 [inSource: reviewed]", "4 AL1201"},
		},
		{
			name: "a trailing directive does not cover the next line",
			src: `{
  "a": 1, // armlint:ignore AL1201 -- trailing
  "b": 2,
  /* armlint:ignore AL1201 -- leading block */ "c": 3
}`,
			findings: []Finding{at("AL1201", 2), at("AL1201", 3), at("AL1201", 4), at("AL1201", 5)},
			want: []string{
				"2 AL1201 [inSource: trailing]",
				"3 AL1201",
				"4 AL1201 [inSource: leading block]",
				"5 AL1201",
			},
		},
		{
			name: "block comment over several lines",
			src: `{
  /* armlint:ignore AL1201 --
     the reason goes on
     over lines */
  "a": 1,
  "b": 2
}`,
			findings: []Finding{at("AL1201", 2), at("AL1201", 5), at("AL1201", 3), at("AL1201", 6)},
			want: []string{
				"2 AL1201",
				"3 AL1201",
				"5 AL1201 [inSource: the reason goes on over lines]",
				"6 AL1201",
			},
		},
		{
			name: "names, lower-case IDs, commas and spaces",
			src: `{
  "a": 1 /* armlint:ignore al1201,role-assignment-escalation -- both */,
  "b": 2 // armlint:ignore privileged-role-to-identity AL1202 -- both again
}`,
			findings: []Finding{at("AL1201", 2), at("AL1202", 2), at("AL1201", 3), at("AL1202", 3)},
			want: []string{
				"2 AL1201 [inSource: both]",
				"2 AL1202 [inSource: both]",
				"3 AL1201 [inSource: both again]",
				"3 AL1202 [inSource: both again]",
			},
		},
		{
			name: "ignore-file with a rule list",
			src: `// armlint:ignore-file AL1201 -- sample template
{
  "a": 1
}`,
			findings: []Finding{at("AL1201", 3), at("AL1201", 40), at("AL1202", 3)},
			want: []string{
				"3 AL1201 [inSource: sample template]",
				"3 AL1202",
				"40 AL1201 [inSource: sample template]",
			},
		},
		{
			name: "ignore-file without a rule list: every rule but AL0001, AL0002 and AL0003",
			src: `{
  // armlint:ignore-file -- generated file
  "a": 1
}`,
			findings: []Finding{
				at("AL1201", 3), at("AL1202", 9),
				at(IDInvalidTemplate, 1), at(IDUnsupportedConstruct, 5),
			},
			want: []string{
				"1 AL0001 m",
				"3 AL1201 [inSource: generated file]",
				"5 AL0003 m",
				"9 AL1202 [inSource: generated file]",
			},
		},
		{
			name: "missing reason: AL0003, not applied",
			src: `{
  "a": 1, // armlint:ignore AL1201
  "b": 2 // armlint:ignore AL1202 --
}`,
			findings: []Finding{at("AL1201", 2), at("AL1202", 3)},
			want: []string{
				"2 AL1201",
				"2 AL0003 ignore directive needs a reason: write `// armlint:ignore AL1201 -- why`",
				"3 AL1202",
				"3 AL0003 ignore directive needs a reason: write `// armlint:ignore AL1202 -- why`",
			},
		},
		{
			name: "no rule on a line directive",
			src: `{
  "a": 1 // armlint:ignore -- why not
}`,
			findings: []Finding{at("AL1201", 2)},
			want: []string{
				"2 AL1201",
				"2 AL0003 ignore directive names no rule: write `// armlint:ignore AL1201 -- why`",
			},
		},
		{
			name: "unknown rule: AL0003 with a suggestion, directive not applied",
			src: `{
  "a": 1, // armlint:ignore privileged-role-to-identiy -- typo
  "b": 2 // armlint:ignore AL1201 AL9999 -- one known, one not
}`,
			findings: []Finding{at("AL1201", 2), at("AL1201", 3)},
			want: []string{
				"2 AL1201",
				`2 AL0003 ignore directive names unknown rule "privileged-role-to-identiy"; did you mean "privileged-role-to-identity"?`,
				"3 AL1201",
				`3 AL0003 ignore directive names unknown rule "AL9999"`,
			},
		},
		{
			name: "unknown directive and prose",
			src: `{
  // armlint:ignor AL1201 -- typo in the verb
  // armlint: this file is linted in CI
  "a": 1
}`,
			findings: []Finding{at("AL1201", 3)},
			want: []string{
				`2 AL0003 unknown directive "armlint:ignor": use armlint:ignore or armlint:ignore-file`,
				"3 AL1201",
			},
		},
		{
			name: "unused: AL0002 at the directive, naming the unused rules",
			src: `{
  "a": 1, // armlint:ignore AL1201, AL1202 -- stale
  "b": 2
}`,
			findings: []Finding{at("AL1202", 2)},
			want: []string{
				"2 AL1202 [inSource: stale]",
				"2 AL0002 ignore directive for AL1201 matched no finding",
			},
		},
		{
			name: "unused ignore-file without rules",
			src: `// armlint:ignore-file -- nothing here
{}`,
			want: []string{"1 AL0002 ignore-file directive for all rules matched no finding"},
		},
		{
			name: "a rule that did not run is not unused",
			src: `{
  "a": 1 // armlint:ignore AL1201 AL1202 -- one of them runs
}`,
			enabled: []string{"AL1202"},
			want:    []string{"2 AL0002 ignore directive for AL1202 matched no finding"},
		},
		{
			name: "AL0001 cannot be ignored",
			src: `{
  // armlint:ignore-file AL0001 -- no
  "a": 1 // armlint:ignore invalid-template -- no
}`,
			findings: []Finding{at(IDInvalidTemplate, 3)},
			want: []string{
				"2 AL0003 AL0001 cannot be ignored",
				"3 AL0001 m",
				"3 AL0003 AL0001 cannot be ignored",
			},
		},
		{
			name: "AL0002 only file-wide",
			src: `// armlint:ignore-file unused-ignore -- directives kept for a rollout
{
  "a": 1, // armlint:ignore AL1201 -- stale but wanted
  "b": 2 // armlint:ignore AL0002 -- not here
}`,
			want: []string{
				"3 AL0002 [inSource: directives kept for a rollout] ignore directive for AL1201 matched no finding",
				"4 AL0003 AL0002 can only be ignored file-wide: write `// armlint:ignore-file AL0002 -- why`, or a metadata entry without \"resource\"",
			},
		},
		{
			name: "an unused ignore of AL0002 is reported and cannot be suppressed",
			src: `// armlint:ignore-file AL0002 -- nothing stale
{}`,
			want: []string{"1 AL0002 ignore-file directive for AL0002 matched no finding"},
		},
		{
			name: "metadata by resource name, symbolic name and for the whole file",
			src: `{
  "languageVersion": "2.0",
  "metadata": {"armlint": {"ignore": [
    {"rule": "AL1201", "resource": "ra-owner", "reason": "by name"},
    {"rule": "role-assignment-escalation", "resource": "raSym", "reason": "by symbolic name"},
    {"rule": "AL1201", "resource": "nothing-here", "reason": "stale"}
  ]}},
  "resources": {
    "raSym": {"name": "[guid('x')]"}
  }
}`,
			findings: []Finding{
				at("AL1201", 20, "ra-owner"), at("AL1201", 21, "ra-other"),
				at("AL1202", 30, "@/resources/raSym/properties/roleDefinitionId"),
				at("AL1202", 31, "@/resources/raSymOther"),
			},
			want: []string{
				`6 AL0002 metadata ignore for AL1201 on resource "nothing-here" matched no finding`,
				"20 AL1201 [inSource: by name]",
				"21 AL1201",
				"30 AL1202 [inSource: by symbolic name]",
				"31 AL1202",
			},
		},
		{
			name: "metadata by literal name finds the resource's findings without a ResourceRef",
			src: `{
  "metadata": {"armlint": {"ignore": [{"rule": "AL1201", "resource": "ra-owner", "reason": "literal name"}]}},
  "resources": [{"name": "other"}, {"name": "ra-owner", "resources": [{"name": "child"}]}]
}`,
			findings: []Finding{at("AL1201", 3, "@/resources/1/properties"), at("AL1201", 3, "@/resources/0")},
			want:     []string{"3 AL1201 [inSource: literal name]", "3 AL1201"},
		},
		{
			name: "malformed metadata entries: AL0003",
			src: `{
  "metadata": {"armlint": {"ignore": [
    {"rule": "AL1201"},
    {"reason": "no rule"},
    "AL1201",
    {"rule": "AL9999", "reason": "unknown"},
    {"rule": "AL0002", "resource": "x", "reason": "only file-wide"}
  ]}}
}`,
			want: []string{
				`3 AL0003 metadata ignore needs a reason: add "reason": "why"`,
				`4 AL0003 metadata ignore needs a "rule" (a rule ID or name)`,
				`5 AL0003 metadata ignore entry must be an object with "rule", "reason" and optional "resource"`,
				`6 AL0003 metadata ignore names unknown rule "AL9999"`,
				"7 AL0003 AL0002 can only be ignored file-wide: write `// armlint:ignore-file AL0002 -- why`, or a metadata entry without \"resource\"",
			},
		},
		{
			name: "metadata ignore list of the wrong type",
			src:  `{"metadata": {"armlint": {"ignore": {"rule": "AL1201"}}}}`,
			want: []string{`1 AL0003 metadata.armlint.ignore must be an array of {"rule", "resource", "reason"} objects`},
		},
		{
			name: "config ignores are external; in-file ignores win",
			src: `{
  "a": 1 // armlint:ignore AL1201 -- in the file
}`,
			findings: []Finding{at("AL1201", 2, "ra-owner"), at("AL1201", 3, "ra-owner"), at("AL1201", 4, "ra-other"), at("AL1202", 5)},
			cfg: []ConfigIgnore{
				{Rule: "AL1201", Resource: "RA-OWNER", Reason: "from config", PathGlob: func(f string) bool { return f == "t.json" }},
				{Rule: "AL1202", Reason: "other files only", PathGlob: func(f string) bool { return f != "t.json" }},
				{Rule: "AL0001", Reason: "never"},
			},
			want: []string{
				"2 AL1201 [inSource: in the file]",
				"3 AL1201 [external: from config]",
				"4 AL1201",
				"5 AL1202",
			},
		},
		{
			name: "config ignores never suppress tool diagnostics",
			src:  `{}`,
			findings: []Finding{
				at(IDInvalidTemplate, 1), at(IDUnusedIgnore, 2), at(IDUnsupportedConstruct, 3),
			},
			cfg: []ConfigIgnore{{Rule: "AL0001", Reason: "r"}, {Rule: "AL0002", Reason: "r"}, {Rule: "AL0003", Reason: "r"}},
			want: []string{
				"1 AL0001 m",
				"2 AL0002 m",
				"3 AL0003 m",
			},
		},
	}
	reg := suppressRegistry(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := template.Load("t.json", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			var enabled map[string]bool
			if tt.enabled != nil {
				enabled = map[string]bool{}
				for _, id := range tt.enabled {
					enabled[id] = true
				}
			}
			ignores, bad := CollectIgnores(f, f.Root, reg)
			all := append(slices.Clone(tt.findings), bad...)
			got := ApplyIgnores(f, all, ignores, tt.cfg, enabled)
			SortFindings(got)
			if s := summary(got); !slices.Equal(s, tt.want) {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(s, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
}

// TestSuppressLocations checks where AL0002 and AL0003 are reported: at
// the comment or the metadata entry, with line and column.
func TestSuppressLocations(t *testing.T) {
	src := "{\n  \"a\": 1, /* armlint:ignore AL1201 -- stale */\n" +
		"  \"metadata\": {\"armlint\": {\"ignore\": [{\"rule\": \"AL1202\", \"reason\": \"stale\"}]}}\n}"
	f, err := template.Load("t.json", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	ignores, bad := CollectIgnores(f, nil, suppressRegistry(t))
	if len(bad) != 0 {
		t.Fatalf("unexpected diagnostics: %v", summary(bad))
	}
	got := ApplyIgnores(f, nil, ignores, nil, nil)
	want := []Location{
		{File: "t.json", Start: Pos{Line: 2, Col: 11, Offset: 12}, End: Pos{Line: 2, Col: 47, Offset: 48}},
		{File: "t.json", Path: "/metadata/armlint/ignore/0",
			Start: Pos{Line: 3, Col: 39, Offset: 87}, End: Pos{Line: 3, Col: 76, Offset: 124}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %v, want two AL0002", summary(got))
	}
	for i := range want {
		if got[i].RuleID != IDUnusedIgnore || got[i].Severity != SeverityWarning || got[i].Location != want[i] {
			t.Errorf("finding %d = %s %v at %+v, want AL0002 warning at %+v", i, got[i].RuleID, got[i].Severity, got[i].Location, want[i])
		}
	}
}

// TestSuppressOnlyOwnFile checks that directives only match findings of
// the file they are written in.
func TestSuppressOnlyOwnFile(t *testing.T) {
	src := "{\n  \"a\": 1 // armlint:ignore AL1201 -- here only\n}"
	f, err := template.Load("t.json", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	ignores, _ := CollectIgnores(f, nil, suppressRegistry(t))
	other := at("AL1201", 2)
	other.Location.File = "other.json"
	got := ApplyIgnores(f, []Finding{other}, ignores, nil, nil)
	if got[0].Suppressed != nil {
		t.Error("a directive suppressed a finding in another file")
	}
	if len(got) != 2 || got[1].RuleID != IDUnusedIgnore {
		t.Errorf("got %v, want the directive reported unused", summary(got))
	}
}

func TestCollectIgnoresWithoutTree(t *testing.T) {
	// A file that did not parse has only AL0001: directives are not read.
	f := &template.File{Path: "t.json", Src: []byte("// armlint:ignore AL1201\n{"),
		Comments: []template.Comment{{Start: 0, End: 24, Text: " armlint:ignore AL1201"}}}
	if ig, bad := CollectIgnores(f, nil, suppressRegistry(t)); ig != nil || bad != nil {
		t.Errorf("CollectIgnores on an unparsed file = %v, %v; want nothing", ig, bad)
	}
	if ig, bad := CollectIgnores(nil, nil, nil); ig != nil || bad != nil {
		t.Error("CollectIgnores(nil) returned something")
	}
}

func TestCollectIgnoresNilRegistry(t *testing.T) {
	src := "{\n  \"a\": 1, // armlint:ignore al1201 xcorp001 -- ids only\n  \"b\": 2 // armlint:ignore some-name unused-ignore -- names\n}"
	f, err := template.Load("t.json", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	ignores, bad := CollectIgnores(f, nil, nil)
	if len(ignores) != 1 || !slices.Equal(ignores[0].Rules, []string{"AL1201", "XCORP001"}) {
		t.Errorf("ignores = %+v, want one with AL1201 and XCORP001", ignores)
	}
	want := []string{
		`3 AL0003 ignore directive names unknown rule "some-name"`,
		"3 AL0003 AL0002 can only be ignored file-wide: write `// armlint:ignore-file AL0002 -- why`, or a metadata entry without \"resource\"",
	}
	if s := summary(bad); !slices.Equal(s, want) {
		t.Errorf("diagnostics\n  %s\nwant\n  %s", strings.Join(s, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestUnusedConfigIgnores(t *testing.T) {
	legacy := func(f string) bool { return strings.HasPrefix(f, "legacy/") }
	cfg := []ConfigIgnore{
		{Rule: "AL1201", PathGlob: legacy, Reason: "used", At: Location{File: ".armlint.json", Start: Pos{Line: 3}}},
		{Rule: "AL1202", PathGlob: legacy, Reason: "stale", At: Location{File: ".armlint.json", Start: Pos{Line: 4}}},
		{Rule: "AL1202", PathGlob: func(f string) bool { return strings.HasPrefix(f, "elsewhere/") }, Reason: "files not analysed", At: Location{File: ".armlint.json", Start: Pos{Line: 5}}},
		{Rule: "AL1301", Reason: "rule did not run", At: Location{File: ".armlint.json", Start: Pos{Line: 6}}},
		{Rule: "AL1201", Resource: "ra-x", Reason: "stale resource", At: Location{File: ".armlint.json", Start: Pos{Line: 7}}},
	}
	used := at("AL1201", 2, "ra-owner")
	used.Location.File = "legacy/main.json"
	enabled := map[string]bool{"AL1201": true, "AL1202": true}
	got := UnusedConfigIgnores(cfg, []string{"legacy/main.json", "main.json"}, []Finding{used}, enabled)
	want := []string{
		"4 AL0002 config ignore for AL1202 matched no finding",
		`7 AL0002 config ignore for AL1201 on resource "ra-x" matched no finding`,
	}
	if s := summary(got); !slices.Equal(s, want) {
		t.Errorf("got\n  %s\nwant\n  %s", strings.Join(s, "\n  "), strings.Join(want, "\n  "))
	}
	for _, f := range got {
		if f.Location.File != ".armlint.json" {
			t.Errorf("AL0002 reported in %q, want the config file", f.Location.File)
		}
	}
}
