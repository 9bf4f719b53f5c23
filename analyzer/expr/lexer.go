package expr

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// tokenKind is the kind of a lexical token.
type tokenKind uint8

const (
	tokEOF tokenKind = iota
	tokIdent
	tokString
	tokInt
	tokLParen
	tokRParen
	tokComma
	tokDot
	tokLBrack
	tokRBrack
)

func (k tokenKind) String() string {
	switch k {
	case tokEOF:
		return "end of expression"
	case tokIdent:
		return "identifier"
	case tokString:
		return "string"
	case tokInt:
		return "integer"
	case tokLParen:
		return "'('"
	case tokRParen:
		return "')'"
	case tokComma:
		return "','"
	case tokDot:
		return "'.'"
	case tokLBrack:
		return "'['"
	case tokRBrack:
		return "']'"
	}
	return "token"
}

// token is one lexical token. For tokString, text is the unescaped value;
// for tokInt, val holds the number.
type token struct {
	kind tokenKind
	off  int
	text string
	val  int64
}

// lexer splits expression text into tokens on demand.
type lexer struct {
	src string
	pos int
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (l *lexer) skipSpace() { l.pos = skipSpace(l.src, l.pos) }

// isNameRune reports whether r may appear in an identifier; first says
// whether it is the first rune. Digits and '-' may not start a name.
func isNameRune(r rune, first bool) bool {
	switch {
	case r == '_' || r == '$':
		return true
	case r < utf8.RuneSelf:
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return true
		}
		return !first && (r >= '0' && r <= '9' || r == '-')
	}
	return unicode.IsLetter(r) || !first && unicode.IsDigit(r)
}

// next returns the next token.
func (l *lexer) next(t *token) error {
	l.skipSpace()
	if l.pos >= len(l.src) {
		*t = token{kind: tokEOF, off: l.pos}
		return nil
	}
	start := l.pos
	c := l.src[l.pos]
	switch c {
	case '(':
		l.pos++
		*t = token{kind: tokLParen, off: start}
		return nil
	case ')':
		l.pos++
		*t = token{kind: tokRParen, off: start}
		return nil
	case ',':
		l.pos++
		*t = token{kind: tokComma, off: start}
		return nil
	case '.':
		l.pos++
		*t = token{kind: tokDot, off: start}
		return nil
	case '[':
		l.pos++
		*t = token{kind: tokLBrack, off: start}
		return nil
	case ']':
		l.pos++
		*t = token{kind: tokRBrack, off: start}
		return nil
	case '\'':
		return l.stringLit(t)
	}
	if c == '-' || c >= '0' && c <= '9' {
		return l.intLit(t)
	}
	r, _ := utf8.DecodeRuneInString(l.src[l.pos:])
	if isNameRune(r, true) {
		*t = token{kind: tokIdent, off: start, text: l.name()}
		return nil
	}
	if r == utf8.RuneError {
		return &SyntaxError{Offset: start, Msg: "invalid UTF-8"}
	}
	return &SyntaxError{Offset: start, Msg: "unexpected character " + strconv.QuoteRune(r)}
}

// name consumes an identifier or property name starting at pos (which
// may start with a digit when called after '.').
func (l *lexer) name() string {
	start := l.pos
	for l.pos < len(l.src) {
		if c := l.src[l.pos]; c < utf8.RuneSelf {
			if !isNameRune(rune(c), false) {
				break
			}
			l.pos++
			continue
		}
		r, size := utf8.DecodeRuneInString(l.src[l.pos:])
		if !isNameRune(r, false) {
			break
		}
		l.pos += size
	}
	return l.src[start:l.pos]
}

// propName lexes the name after a '.': an identifier that may also start
// with a digit ("outputs.1st"), since ARM property names are free-form.
func (l *lexer) propName() (token, error) {
	l.skipSpace()
	start := l.pos
	if l.pos < len(l.src) {
		r, _ := utf8.DecodeRuneInString(l.src[l.pos:])
		if isNameRune(r, false) && r != '-' {
			return token{kind: tokIdent, off: start, text: l.name()}, nil
		}
	}
	return token{}, &SyntaxError{Offset: start, Msg: "expected a property name after '.'"}
}

func (l *lexer) stringLit(t *token) error {
	start := l.pos
	l.pos++ // opening quote
	// Without doubled quotes the value is a slice of the source.
	if i := strings.IndexByte(l.src[l.pos:], '\''); i >= 0 {
		end := l.pos + i + 1
		if end >= len(l.src) || l.src[end] != '\'' {
			text := l.src[l.pos : l.pos+i]
			l.pos = end
			*t = token{kind: tokString, off: start, text: text}
			return nil
		}
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(l.src[l.pos:], '\'')
		if i < 0 {
			l.pos = len(l.src)
			return &SyntaxError{Offset: start, Msg: "unterminated string literal"}
		}
		b.WriteString(l.src[l.pos : l.pos+i])
		l.pos += i + 1
		if l.pos < len(l.src) && l.src[l.pos] == '\'' {
			b.WriteByte('\'')
			l.pos++
			continue
		}
		*t = token{kind: tokString, off: start, text: b.String()}
		return nil
	}
}

func (l *lexer) intLit(t *token) error {
	start := l.pos
	if l.src[l.pos] == '-' {
		l.pos++
	}
	digits := l.pos
	for l.pos < len(l.src) && l.src[l.pos] >= '0' && l.src[l.pos] <= '9' {
		l.pos++
	}
	if l.pos == digits {
		return &SyntaxError{Offset: start, Msg: "expected digits after '-'"}
	}
	if l.pos < len(l.src) && l.src[l.pos] == '.' && l.pos+1 < len(l.src) && l.src[l.pos+1] >= '0' && l.src[l.pos+1] <= '9' {
		return &SyntaxError{Offset: start, Msg: "floating-point literals are not supported (use json('1.5'))"}
	}
	v, err := strconv.ParseInt(l.src[start:l.pos], 10, 64)
	if err != nil {
		return &SyntaxError{Offset: start, Msg: "integer literal out of range"}
	}
	*t = token{kind: tokInt, off: start, val: v, text: l.src[start:l.pos]}
	return nil
}
