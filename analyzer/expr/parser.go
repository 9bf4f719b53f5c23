package expr

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxExpressionLength is ARM's limit on the length of one expression, in
// characters.
const MaxExpressionLength = 24576

// MaxNestingDepth bounds how deeply calls and accesses may nest.
const MaxNestingDepth = 200

// SyntaxError is a parse error: the byte offset in the parsed text and a
// one-line reason.
type SyntaxError struct {
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("offset %d: %s", e.Offset, e.Msg) }

// Parse parses the text inside the brackets of a template expression
// ("concat('a', parameters('b'))" for "[concat('a', parameters('b'))]").
func Parse(src string) (Expr, error) {
	if n := runeCount(src); n > MaxExpressionLength {
		return nil, &SyntaxError{Offset: 0, Msg: fmt.Sprintf("expression is %d characters long; ARM allows at most %d", n, MaxExpressionLength)}
	}
	return parse(src)
}

// parse parses an expression no longer than MaxExpressionLength.
func parse(src string) (Expr, error) {
	p := &parser{lx: lexer{src: src}}
	p.countNodes(src)
	return p.parse()
}

// check reports whether an expression no longer than MaxExpressionLength
// parses: the parser's own code run without building the tree, so that it
// accepts exactly what parse accepts. Its error is the one parse returns.
func check(src string) error {
	p := parser{lx: lexer{src: src}, check: true}
	_, err := p.parse()
	return err
}

func (p *parser) parse() (Expr, error) {
	if err := p.advance(); err != nil {
		return nil, err
	}
	if p.tok.kind == tokEOF {
		return nil, &SyntaxError{Offset: 0, Msg: "empty expression"}
	}
	x, err := p.expr(0)
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tokEOF {
		return nil, p.unexpected("end of expression")
	}
	return x, nil
}

// ParseTemplateString interprets a JSON string of a template. When s is an
// expression ("[...]") it returns the parsed expression and isExpr; when s
// starts with "[[" and ends with "]" it is an escaped literal and lit is s
// without its first '['; any other string is returned unchanged as lit.
// Offsets in a returned *SyntaxError are relative to s.
func ParseTemplateString(s string) (x Expr, lit string, isExpr bool, err error) {
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return nil, s, false, nil
	}
	if s[1] == '[' {
		return nil, s[1:], false, nil
	}
	if n := runeCount(s); n > MaxExpressionLength {
		return nil, "", true, &SyntaxError{Offset: 0, Msg: fmt.Sprintf("expression is %d characters long; ARM allows at most %d", n, MaxExpressionLength)}
	}
	x, err = parse(s[1 : len(s)-1])
	if err != nil {
		var se *SyntaxError
		if errors.As(err, &se) {
			return nil, "", true, &SyntaxError{Offset: se.Offset + 1, Msg: se.Msg}
		}
	}
	return x, "", true, err
}

// CheckTemplateString reports what ParseTemplateString would, without
// building the expression: whether s is an expression, and its syntax
// error. It allocates nothing for an expression that parses. Common
// expressions are recognised in one pass over their bytes (quickValid);
// the others are parsed without building a tree.
func CheckTemplateString(s string) (isExpr bool, err error) {
	switch checkQuick(s) {
	case quickLiteral:
		return false, nil
	case quickParses:
		return true, nil
	}
	// Rare: let the parser build the error.
	_, _, _, err = ParseTemplateString(s)
	return true, err
}

// quickCheck is what checkQuick tells of a template string.
type quickCheck int

const (
	quickLiteral quickCheck = iota // not an expression
	quickParses                    // an expression that parses
	quickFails                     // an expression that does not parse
)

// checkQuick tells, without building the expression, whether a template
// string is an expression and whether it parses; the error of one that
// does not is the parser's to build.
func checkQuick(s string) quickCheck {
	if _, ok := literalText(s); ok {
		return quickLiteral
	}
	if len(s) <= MaxExpressionLength && quickValid(s[1:len(s)-1]) {
		return quickParses
	}
	if runeCount(s) > MaxExpressionLength || check(s[1:len(s)-1]) != nil {
		return quickFails
	}
	return quickParses
}

// runeCount returns the number of runes of s, or its length when that
// is within MaxExpressionLength (and so is the rune count).
func runeCount(s string) int {
	if len(s) <= MaxExpressionLength {
		return len(s)
	}
	return utf8.RuneCountInString(s)
}

type parser struct {
	lx  lexer
	tok token

	// Nodes are allocated a few at a time: the counts of quotes,
	// parentheses, dots and commas in the source bound how many of each
	// the expression can need.
	strs    slab[StringLit]
	calls   slab[Call]
	props   slab[PropAccess]
	argSlab slab[Expr]

	// check: only tell whether the text parses; build no node (every
	// Expr returned is nil).
	check bool
}

// countNodes sets how many string literals, calls, property accesses
// and arguments src may need, from its quotes, and its parentheses, dots
// and commas outside string literals.
func (p *parser) countNodes(src string) {
	var quotes, parens, dots, commas int
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '\'':
			// A string literal: skip to its closing quote (a doubled
			// quote inside closes it and opens the next one).
			quotes++
			end := strings.IndexByte(src[i+1:], '\'')
			if end < 0 {
				i = len(src)
			} else {
				i += end + 1
			}
		case '(':
			parens++
		case '.':
			dots++
		case ',':
			commas++
		}
	}
	p.strs.left, p.calls.left, p.props.left, p.argSlab.left = quotes, parens, dots, commas+parens
}

// maxSlab bounds the nodes allocated together, so that an expression
// whose strings are full of parentheses does not allocate for nothing.
const maxSlab = 16

// slab hands out elements of a shared backing array.
type slab[T any] struct {
	buf  []T
	left int // elements the expression may still need (an upper bound)
}

// take returns n fresh elements, capped at n.
func (s *slab[T]) take(n int) []T {
	if cap(s.buf)-len(s.buf) < n {
		size := min(max(s.left, n), max(maxSlab, n))
		s.buf = make([]T, 0, size)
	}
	i := len(s.buf)
	s.buf = s.buf[:i+n]
	s.left -= n
	return s.buf[i : i+n : i+n]
}

// one returns a pointer to a fresh element.
func (s *slab[T]) one() *T { return &s.take(1)[0] }

func (p *parser) advance() error {
	return p.lx.next(&p.tok)
}

func (p *parser) unexpected(want string) error {
	got := p.tok.kind.String()
	switch p.tok.kind {
	case tokIdent:
		got = "identifier " + p.tok.text
	case tokString:
		got = "string literal"
	case tokInt:
		got = "integer " + p.tok.text
	}
	return &SyntaxError{Offset: p.tok.off, Msg: "expected " + want + ", found " + got}
}

func (p *parser) expect(k tokenKind) error {
	if p.tok.kind != k {
		return p.unexpected(k.String())
	}
	return p.advance()
}

// expr parses primary ( '.' name | '[' expr ']' )*.
func (p *parser) expr(depth int) (Expr, error) {
	if depth > MaxNestingDepth {
		return nil, &SyntaxError{Offset: p.tok.off, Msg: fmt.Sprintf("expression nests deeper than %d levels", MaxNestingDepth)}
	}
	x, err := p.primary(depth)
	if err != nil {
		return nil, err
	}
	for chain := 0; ; chain++ {
		if chain > MaxNestingDepth {
			return nil, &SyntaxError{Offset: p.tok.off, Msg: fmt.Sprintf("access chain longer than %d", MaxNestingDepth)}
		}
		switch p.tok.kind {
		case tokDot:
			off := p.tok.off
			t, err := p.lx.propName()
			if err != nil {
				return nil, err
			}
			if !p.check {
				pa := p.props.one()
				*pa = PropAccess{Offset: off, X: x, Name: t.text}
				x = pa
			}
			if err := p.advance(); err != nil {
				return nil, err
			}
		case tokLBrack:
			off := p.tok.off
			if err := p.advance(); err != nil {
				return nil, err
			}
			idx, err := p.expr(depth + 1)
			if err != nil {
				return nil, err
			}
			if err := p.expect(tokRBrack); err != nil {
				return nil, err
			}
			if !p.check {
				x = &IndexAccess{Offset: off, X: x, Index: idx}
			}
		default:
			return x, nil
		}
	}
}

func (p *parser) primary(depth int) (Expr, error) {
	t := p.tok
	switch t.kind {
	case tokString:
		if err := p.advance(); err != nil {
			return nil, err
		}
		if p.check {
			return nil, nil
		}
		sl := p.strs.one()
		*sl = StringLit{Offset: t.off, Value: t.text}
		return sl, nil
	case tokInt:
		if err := p.advance(); err != nil {
			return nil, err
		}
		if p.check {
			return nil, nil
		}
		return &IntLit{Offset: t.off, Value: t.val}, nil
	case tokIdent:
		return p.call(depth)
	}
	return nil, p.unexpected("a function call, string or integer")
}

// call parses name '(' args ')' or namespace '.' name '(' args ')'.
func (p *parser) call(depth int) (Expr, error) {
	if strings.Contains(p.tok.text, "-") {
		return nil, &SyntaxError{Offset: p.tok.off, Msg: "invalid function name " + p.tok.text}
	}
	off, namespace, name := p.tok.off, "", p.tok.text
	if err := p.advance(); err != nil {
		return nil, err
	}
	if p.tok.kind == tokDot {
		t, err := p.lx.propName()
		if err != nil {
			return nil, err
		}
		namespace, name = name, t.text
		if err := p.advance(); err != nil {
			return nil, err
		}
	}
	if p.tok.kind != tokLParen {
		if namespace != "" {
			return nil, p.unexpected("'(' after " + namespace + "." + name)
		}
		return nil, p.unexpected("'(' after " + name)
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	var c *Call
	if !p.check {
		c = p.calls.one()
		*c = Call{Offset: off, Namespace: namespace, Name: name}
		if namespace == "" {
			c.fn = lookupFunction(name)
		}
	}
	if p.tok.kind == tokRParen {
		if p.check {
			return nil, p.advance()
		}
		return c, p.advance()
	}
	var buf [4]Expr
	args := buf[:0]
	for {
		a, err := p.expr(depth + 1)
		if err != nil {
			return nil, err
		}
		if !p.check {
			args = append(args, a)
		}
		switch p.tok.kind {
		case tokComma:
			if err := p.advance(); err != nil {
				return nil, err
			}
		case tokRParen:
			if p.check {
				return nil, p.advance()
			}
			c.Args = p.argSlab.take(len(args))
			copy(c.Args, args)
			return c, p.advance()
		default:
			return nil, p.unexpected("',' or ')'")
		}
	}
}
