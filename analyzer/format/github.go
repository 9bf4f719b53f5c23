package format

import (
	"bytes"
	"io"
	"strconv"
	"strings"

	"github.com/armlint/armlint/analyzer"
)

// githubFormatter writes GitHub Actions workflow commands, which the runner
// turns into annotations on the pull request:
//
//	::error file=F,line=L,col=C,endLine=EL,endColumn=EC,title=AL1201 privileged-role-to-identity::message
//
// Notes become ::notice. A suppressed finding (ShowSuppressed) is always a
// ::notice, with its justification, so that it cannot read as a failure.
// Related locations are appended to the message, one per line.
type githubFormatter struct{}

// githubCommand is the workflow command of each severity.
var githubCommand = map[analyzer.Severity]string{
	analyzer.SeverityError:   "error",
	analyzer.SeverityWarning: "warning",
	analyzer.SeverityNote:    "notice",
}

// Format implements [Formatter].
func (githubFormatter) Format(w io.Writer, r *analyzer.Result, o Options) error {
	var b bytes.Buffer
	for _, f := range visible(r, o) {
		cmd, ok := githubCommand[f.Severity]
		if !ok || f.Suppressed != nil {
			cmd = "notice"
		}
		l := f.Location
		props := [][2]string{
			{"file", l.File},
			{"line", posField(l.Start.Line)},
			{"col", posField(l.Start.Col)},
		}
		if hasEnd(l) {
			props = append(props, [2]string{"endLine", posField(l.End.Line)}, [2]string{"endColumn", posField(l.End.Col)})
		}
		props = append(props, [2]string{"title", ruleLabel(r, f.RuleID)})

		msg := f.Message
		if f.Suppressed != nil {
			msg += " " + suppressedNote(f.Suppressed)
		}
		for _, rel := range f.Related {
			msg += "\n" + position(rel.Location) + ": " + rel.Message
		}
		b.WriteString(workflowCommand(cmd, props, msg))
		b.WriteString("\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}

// posField formats a line or column; zero (unknown) is left out.
func posField(n int) string {
	if n <= 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// workflowCommand renders "::name k=v,k=v::message" exactly as
// actions/toolkit's command.ts does: properties with an empty value are
// left out, values go through escapeProperty and the message through
// escapeData.
func workflowCommand(name string, props [][2]string, msg string) string {
	var b strings.Builder
	b.WriteString("::")
	b.WriteString(name)
	first := true
	for _, kv := range props {
		if kv[1] == "" {
			continue
		}
		if first {
			b.WriteByte(' ')
			first = false
		} else {
			b.WriteByte(',')
		}
		b.WriteString(kv[0])
		b.WriteByte('=')
		b.WriteString(escapeProperty(kv[1]))
	}
	b.WriteString("::")
	b.WriteString(escapeData(msg))
	return b.String()
}

var (
	dataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

// escapeData escapes a workflow command's message (toolkit escapeData).
func escapeData(s string) string { return dataEscaper.Replace(s) }

// escapeProperty escapes a workflow command's property value (toolkit
// escapeProperty).
func escapeProperty(s string) string { return propertyEscaper.Replace(s) }
