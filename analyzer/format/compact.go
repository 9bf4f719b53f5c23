package format

import (
	"bytes"
	"io"

	"github.com/armlint/armlint/analyzer"
)

// compactFormatter writes one line per finding and nothing else:
//
//	file:line:col: severity: message [AL1201 rule-name]
//
// It is the editor format (problem matchers, Vim errorformat, Emacs
// compile-mode).
type compactFormatter struct{}

// Format implements [Formatter].
func (compactFormatter) Format(w io.Writer, r *analyzer.Result, o Options) error {
	var b bytes.Buffer
	for _, f := range visible(r, o) {
		b.WriteString(position(f.Location))
		b.WriteString(": ")
		b.WriteString(f.Severity.String())
		b.WriteString(": ")
		b.WriteString(oneLine(f.Message))
		b.WriteString(" [")
		b.WriteString(ruleLabel(r, f.RuleID))
		b.WriteString("]")
		if f.Suppressed != nil {
			b.WriteString(" ")
			b.WriteString(suppressedNote(f.Suppressed))
		}
		b.WriteString("\n")
	}
	_, err := w.Write(b.Bytes())
	return err
}
