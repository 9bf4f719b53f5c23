package format

import (
	"testing"

	"github.com/armlint/armlint/analyzer"
)

func TestWorkflowCommandEscaping(t *testing.T) {
	got := workflowCommand("warning", [][2]string{
		{"file", "dir, with: odd%chars/a.json"},
		{"line", "3"},
		{"col", ""}, // empty values are left out, as toolkit does
		{"title", "AL1 x\r\ny"},
	}, "100% sure: a, b\r\nnext\rline")
	want := "::warning file=dir%2C with%3A odd%25chars/a.json,line=3,title=AL1 x%0D%0Ay::100%25 sure: a, b%0D%0Anext%0Dline"
	if got != want {
		t.Errorf("workflowCommand =\n%s\nwant\n%s", got, want)
	}
	if got := workflowCommand("notice", nil, ""); got != "::notice::" {
		t.Errorf("bare command = %q", got)
	}
}

func TestGitHubLevels(t *testing.T) {
	loc := analyzer.Location{File: "a.json", Start: analyzer.Pos{Line: 1, Col: 1}}
	r := &analyzer.Result{Findings: []analyzer.Finding{
		{RuleID: "AL1", Severity: analyzer.SeverityError, Message: "e", Location: loc},
		{RuleID: "AL2", Severity: analyzer.SeverityWarning, Message: "w", Location: loc},
		{RuleID: "AL3", Severity: analyzer.SeverityNote, Message: "n", Location: loc},
		{RuleID: "AL4", Severity: analyzer.SeverityError, Message: "s", Location: loc, Suppressed: &analyzer.Suppression{Kind: "external"}},
	}}
	want := "::error file=a.json,line=1,col=1,title=AL1::e\n" +
		"::warning file=a.json,line=1,col=1,title=AL2::w\n" +
		"::notice file=a.json,line=1,col=1,title=AL3::n\n" +
		"::notice file=a.json,line=1,col=1,title=AL4::s (suppressed)\n"
	if got := string(render(t, "github", r, Options{ShowSuppressed: true})); got != want {
		t.Errorf("github =\n%s\nwant\n%s", got, want)
	}
}
