package template

import (
	"strconv"
	"unicode/utf8"
)

// SyntaxError reports a file that cannot be read as a template: invalid
// encoding, invalid JSON (with ARM's extensions), nesting that is too deep,
// or a document whose structure is not that of a template (for example
// "resources" that is neither an array nor an object). Callers report it as
// a parse diagnostic at Pos.
type SyntaxError struct {
	Path   string // the file's path as shown to users; "" for Clean
	Offset int    // byte offset in the decoded UTF-8 text
	Pos    Pos    // Offset as line and column
	Msg    string // one-line reason, without position
}

// Error returns "path:line:col: msg" (without "path:" when Path is empty).
func (e *SyntaxError) Error() string {
	s := strconv.Itoa(e.Pos.Line) + ":" + strconv.Itoa(e.Pos.Col) + ": " + e.Msg
	if e.Path != "" {
		s = e.Path + ":" + s
	}
	return s
}

// newSyntaxError builds a SyntaxError at off of src.
func newSyntaxError(path string, src []byte, lines []int, off int, msg string) *SyntaxError {
	if lines == nil {
		lines = lineStarts(src)
	}
	p := position(src, lines, off)
	return &SyntaxError{Path: path, Offset: p.Offset, Pos: p, Msg: msg}
}

// errorAt builds a SyntaxError anchored on off of f.
func (f *File) errorAt(off int, msg string) *SyntaxError {
	return newSyntaxError(f.Path, f.Src, f.lineTable(), off, msg)
}

// quoteChar renders the character starting at src[off] for an error
// message, in single quotes and Go-escaped as encoding/json does; an
// invalid UTF-8 byte is shown as a \x escape.
func quoteChar(src []byte, off int) string {
	r, size := utf8.DecodeRune(src[off:])
	if r == utf8.RuneError && size <= 1 {
		const hex = "0123456789abcdef"
		b := src[off]
		return `'\x` + string([]byte{hex[b>>4], hex[b&0xF]}) + "'"
	}
	if r == '\'' {
		return `'\''`
	}
	if r == '"' {
		return `'"'`
	}
	s := strconv.Quote(string(r))
	return "'" + s[1:len(s)-1] + "'"
}
