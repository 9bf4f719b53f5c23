package format

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/fatih/color"

	"github.com/armlint/armlint/analyzer"
)

// textFormatter writes human output: per finding a header line, the source
// line with a caret under the start column and the related locations,
// then a summary line.
//
//	templates/main.json:12:9: error: role assignment … [AL1201 privileged-role-to-identity]
//	        "roleDefinitionId": "[…]",
//	        ^
//	  templates/main.json:30:5: identity declared here
//	1 problem (1 error, 0 warnings, 0 notes) in 1 of 3 templates
//
// Tool errors (Result.Errors) are not written: cmd prints them to stderr.
type textFormatter struct{}

// textStyles are the colours of the text format, one *color.Color per
// style so that the global color.NoColor is never touched.
type textStyles struct {
	severity map[analyzer.Severity]*color.Color
	unknown  *color.Color // an out-of-range severity
	rule     *color.Color
	position *color.Color
	summary  *color.Color
}

func newTextStyles(on bool) textStyles {
	mk := func(attrs ...color.Attribute) *color.Color {
		c := color.New(attrs...)
		if on {
			c.EnableColor() // color.New honours NO_COLOR; Options.Color is the decision already made by cmd
		} else {
			c.DisableColor()
		}
		return c
	}
	return textStyles{
		severity: map[analyzer.Severity]*color.Color{
			analyzer.SeverityError:   mk(color.FgRed, color.Bold),
			analyzer.SeverityWarning: mk(color.FgYellow, color.Bold),
			analyzer.SeverityNote:    mk(color.FgCyan, color.Bold),
		},
		unknown:  mk(color.Bold),
		rule:     mk(color.Faint),
		position: mk(color.Bold),
		summary:  mk(color.Bold),
	}
}

func (s textStyles) sev(v analyzer.Severity) *color.Color {
	if c, ok := s.severity[v]; ok {
		return c
	}
	return s.unknown
}

// Format implements [Formatter].
func (textFormatter) Format(w io.Writer, r *analyzer.Result, o Options) error {
	st := newTextStyles(o.Color)
	var b bytes.Buffer
	for _, f := range visible(r, o) {
		sev := st.sev(f.Severity)
		b.WriteString(st.position.Sprint(sanitize(position(f.Location))))
		b.WriteString(": ")
		b.WriteString(sev.Sprint(f.Severity.String()))
		b.WriteString(": ")
		b.WriteString(sanitize(oneLine(f.Message)))
		b.WriteString(" ")
		b.WriteString(st.rule.Sprint("[" + ruleLabel(r, f.RuleID) + "]"))
		if f.Suppressed != nil {
			b.WriteString(" ")
			b.WriteString(st.rule.Sprint(sanitize(suppressedNote(f.Suppressed))))
		}
		b.WriteString("\n")
		if file := r.File(f.Location.File); file != nil && f.Location.Start.Line > 0 {
			if line, caret, ok := excerpt(file.Line(f.Location.Start.Line), f.Location.Start.Col); ok {
				b.WriteString(line)
				b.WriteString("\n")
				b.WriteString(caret)
				b.WriteString(sev.Sprint("^"))
				b.WriteString("\n")
			}
		}
		for _, rel := range f.Related {
			b.WriteString("  ")
			b.WriteString(sanitize(position(rel.Location)))
			b.WriteString(": ")
			b.WriteString(sanitize(oneLine(rel.Message)))
			b.WriteString("\n")
		}
	}
	b.WriteString(st.summary.Sprint(summary(r)))
	b.WriteString("\n")
	_, err := w.Write(b.Bytes())
	return err
}

// summary returns the last line of the text format, for example
// "3 problems (1 error, 2 warnings, 0 notes) in 2 of 5 templates, 1 suppressed".
// Problems are unsuppressed findings whatever Options.ShowSuppressed says.
func summary(r *analyzer.Result) string {
	var problems, suppressed int
	bySev := map[analyzer.Severity]int{}
	files := map[string]bool{}
	for _, f := range r.Findings {
		if f.Suppressed != nil {
			suppressed++
			continue
		}
		problems++
		bySev[f.Severity]++
		files[f.Location.File] = true
	}
	// A finding can be on a file that is not a template (AL0001 on broken
	// JSON), so the total never drops below the files with problems.
	total := max(r.Stats.Templates, len(files))
	var s string
	if problems == 0 {
		s = "no problems in " + plural(total, "template")
	} else {
		s = fmt.Sprintf("%s (%s, %s, %s) in %d of %s",
			plural(problems, "problem"),
			plural(bySev[analyzer.SeverityError], "error"),
			plural(bySev[analyzer.SeverityWarning], "warning"),
			plural(bySev[analyzer.SeverityNote], "note"),
			len(files), plural(total, "template"))
	}
	if suppressed > 0 {
		s += fmt.Sprintf(", %d suppressed", suppressed)
	}
	return s
}

// plural returns "1 error" or "2 errors".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// Excerpt limits: lines longer than maxExcerpt code points (minified
// templates) are cut to a window that starts excerptContext code points
// before the column.
const (
	maxExcerpt     = 160
	excerptContext = 40
)

// excerpt returns the source line to print and the indentation of the
// caret under 1-based column col: tabs before the column are kept so the
// caret lines up in a terminal. It reports false for an empty line.
func excerpt(src []byte, col int) (line, indent string, ok bool) {
	if len(bytes.TrimSpace(src)) == 0 {
		return "", "", false
	}
	runes := []rune(sanitize(string(src)))
	at := min(max(col-1, 0), len(runes)) // index of the caret rune
	start, end := 0, len(runes)
	if len(runes) > maxExcerpt {
		start = max(0, at-excerptContext)
		end = min(len(runes), start+maxExcerpt)
		start = max(0, min(start, end-maxExcerpt))
	}
	var lb, ib strings.Builder
	if start > 0 {
		lb.WriteString("…")
		ib.WriteByte(' ')
	}
	lb.WriteString(string(runes[start:end]))
	if end < len(runes) {
		lb.WriteString("…")
	}
	for _, c := range runes[start:at] {
		if c == '\t' {
			ib.WriteByte('\t')
		} else {
			ib.WriteByte(' ')
		}
	}
	return lb.String(), ib.String(), true
}

// sanitize replaces control characters other than tab (C0, DEL, C1) with
// U+FFFD, one code point for one, so that text taken from a template
// cannot drive the terminal and carets stay aligned. Invalid UTF-8 becomes
// U+FFFD as well.
func sanitize(s string) string {
	clean := true
	for _, c := range s {
		if isControl(c) || c == utf8.RuneError {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, c := range s {
		if isControl(c) {
			c = utf8.RuneError
		}
		b.WriteRune(c)
	}
	return b.String()
}

func isControl(c rune) bool {
	return (c < 0x20 && c != '\t') || (c >= 0x7f && c < 0xa0)
}
