package template

// This file holds the lenient scanner: one iterative pass that validates
// JSON grammar exactly and accepts ARM's extensions (comments, trailing
// commas, raw control characters in strings). For Load it hands every token
// to the tree builder (tree.go) as it goes; for Clean it blanks the
// extensions out of a same-length copy so that a strict JSON reader sees
// plain JSON at the original byte offsets.

import (
	"encoding/binary"
	"math/bits"
	"strconv"
)

// maxDepth is the deepest nesting of arrays and objects the scanner accepts.
// Deeper documents are rejected with a SyntaxError, so that the recursive
// tree builder and model parser stay bounded. Real templates stay far below
// it.
const maxDepth = 512

// Clean validates src as JSON with ARM's extensions (// and /* */ comments,
// trailing commas, raw control characters inside strings) and returns a copy
// of the same length in which comments and trailing commas are replaced by
// spaces ('\n' and '\r' inside block comments are kept so line numbers stay),
// plus the comments in source order. When src needs no blanking, clean is src
// itself. src must already be UTF-8 without a byte order mark.
//
// The error, if any, is a *SyntaxError for the first problem found; clean and
// comments are then nil.
func Clean(src []byte) (clean []byte, comments []Comment, err error) {
	s := scanner{src: src}
	if !s.scan() {
		return nil, nil, newSyntaxError("", src, nil, s.errOff, s.errMsg)
	}
	clean = s.out
	if clean == nil {
		clean = src
	}
	return clean, s.comments, nil
}

// scanner is the state of one Clean pass.
type scanner struct {
	src      []byte
	pos      int
	out      []byte // copy of src with blanks; nil until the first blank
	comments []Comment
	stack    []byte // open containers: '{' or '['
	escaped  bool   // the last string read has an escape sequence

	// tree, when set (Load), builds the Value tree during the scan; Clean
	// only validates.
	tree *builder

	errOff int
	errMsg string
}

// fail records an error at off and returns false.
func (s *scanner) fail(off int, msg string) bool {
	s.errOff, s.errMsg = off, msg
	return false
}

// failChar records "invalid character 'c' <context>" at the current byte.
func (s *scanner) failChar(context string) bool {
	return s.fail(s.pos, "invalid character "+quoteChar(s.src, s.pos)+" "+context)
}

func (s *scanner) failEOF() bool { return s.fail(len(s.src), "unexpected end of file") }

// blank replaces src[start:end] with spaces in the output, keeping line
// terminators. When building a tree there is no output to blank.
func (s *scanner) blank(start, end int) {
	if s.tree != nil {
		return
	}
	if s.out == nil {
		s.out = make([]byte, len(s.src))
		copy(s.out, s.src)
	}
	for i := start; i < end; i++ {
		if c := s.out[i]; c != '\n' && c != '\r' {
			s.out[i] = ' '
		}
	}
}

// scan validates the whole document. It is iterative: nesting is tracked on
// s.stack, so depth costs heap, bounded by MaxDepth, never Go stack.
func (s *scanner) scan() bool {
	if !s.space() {
		return false
	}
	if s.pos == len(s.src) {
		return s.fail(0, "empty file")
	}
	for {
		// Expecting a value.
		if !s.space() {
			return false
		}
		if s.pos == len(s.src) {
			return s.failEOF()
		}
		opened := false
		start := s.pos
		switch c := s.src[s.pos]; c {
		case '{', '[':
			if len(s.stack) >= maxDepth {
				return s.fail(s.pos, "nesting too deep (more than "+strconv.Itoa(maxDepth)+" levels)")
			}
			s.stack = append(s.stack, c)
			if s.tree != nil {
				k := Object
				if c == '[' {
					k = Array
				}
				s.tree.openContainer(k, s.pos)
			}
			s.pos++
			if !s.space() {
				return false
			}
			if s.pos == len(s.src) {
				return s.failEOF()
			}
			if s.src[s.pos] == closer(c) {
				s.closeContainer()
				break
			}
			if c == '{' && !s.key() {
				return false
			}
			opened = true
		case '"':
			if !s.str() {
				return false
			}
			s.scalar(String, start)
		case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
			if !s.number() {
				return false
			}
			s.scalar(Number, start)
		case 't':
			if !s.literal("true") {
				return false
			}
			s.scalar(Bool, start)
		case 'f':
			if !s.literal("false") {
				return false
			}
			s.scalar(Bool, start)
		case 'n':
			if !s.literal("null") {
				return false
			}
			s.scalar(Null, start)
		default:
			return s.failChar("looking for beginning of value")
		}
		if opened {
			continue
		}
		more, ok := s.afterValue()
		if !ok {
			return false
		}
		if !more {
			return true
		}
	}
}

// afterValue consumes what follows a complete value: closers of finished
// containers, and the comma (plus the next key in an object) before the
// next value. It reports more=false when the root value is complete and
// only whitespace and comments follow it.
func (s *scanner) afterValue() (more, ok bool) {
	for {
		if !s.space() {
			return false, false
		}
		if len(s.stack) == 0 {
			if s.pos < len(s.src) {
				return false, s.failChar("after top-level value")
			}
			return false, true
		}
		if s.pos == len(s.src) {
			return false, s.failEOF()
		}
		open := s.stack[len(s.stack)-1]
		switch c := s.src[s.pos]; {
		case c == closer(open):
			s.closeContainer()
		case c == ',':
			comma := s.pos
			s.pos++
			if !s.space() {
				return false, false
			}
			if s.pos == len(s.src) {
				return false, s.failEOF()
			}
			if s.src[s.pos] == closer(open) { // trailing comma
				s.blank(comma, comma+1)
				s.closeContainer()
				continue
			}
			if open == '{' && !s.key() {
				return false, false
			}
			return true, true
		case open == '{':
			return false, s.fail(s.pos, "expected ',' or '}' after object member")
		default:
			return false, s.fail(s.pos, "expected ',' or ']' after array element")
		}
	}
}

// scalar hands the string, number or literal that ends at s.pos to the
// tree builder, if any.
func (s *scanner) scalar(k Kind, start int) {
	if s.tree != nil {
		s.tree.scalar(k, start, s.pos, s.escaped)
	}
}

func closer(open byte) byte {
	if open == '{' {
		return '}'
	}
	return ']'
}

// key consumes an object key and the colon after it; s.pos is at the
// first non-space byte where the key should start.
func (s *scanner) key() bool {
	if s.src[s.pos] != '"' {
		return s.failChar("looking for beginning of object key string")
	}
	start := s.pos
	if !s.str() {
		return false
	}
	if s.tree != nil {
		s.tree.key(start, s.pos, s.escaped)
	}
	if !s.space() {
		return false
	}
	if s.pos == len(s.src) {
		return s.failEOF()
	}
	if s.src[s.pos] != ':' {
		return s.fail(s.pos, "expected ':' after object key")
	}
	s.pos++
	return true
}

// spaceStart holds the bytes that start whitespace or a comment.
var spaceStart = [256]bool{' ': true, '\t': true, '\n': true, '\r': true, '/': true}

// space skips whitespace and comments, recording and blanking comments.
func (s *scanner) space() bool {
	// Most calls find a token right away.
	if s.pos < len(s.src) && !spaceStart[s.src[s.pos]] {
		return true
	}
	return s.skipSpace()
}

func (s *scanner) skipSpace() bool {
	src, i := s.src, s.pos
	for i < len(src) {
		switch src[i] {
		case ' ', '\t', '\r':
			i++
		case '\n':
			// Indentation: skip the spaces after the line break a word
			// at a time.
			i = skipSpaces(src, i+1)
		case '/':
			s.pos = i
			if !s.comment() {
				return false
			}
			i = s.pos
		default:
			s.pos = i
			return true
		}
	}
	s.pos = i
	return true
}

// skipSpaces returns the offset of the first byte from i on that is not a
// space (' '), or len(src), reading eight bytes at a time.
func skipSpaces(src []byte, i int) int {
	for i+8 <= len(src) {
		if w := binary.LittleEndian.Uint64(src[i:]) ^ spaces; w != 0 {
			return i + bits.TrailingZeros64(w)/8
		}
		i += 8
	}
	for i < len(src) && src[i] == ' ' {
		i++
	}
	return i
}

const spaces = 0x2020202020202020 // eight ' '

// comment consumes a // or /* */ comment starting at s.pos.
func (s *scanner) comment() bool {
	start := s.pos
	if start+1 >= len(s.src) || (s.src[start+1] != '/' && s.src[start+1] != '*') {
		return s.fail(start, "invalid character '/': a comment starts with // or /*")
	}
	if s.src[start+1] == '/' {
		end := start + 2
		for end < len(s.src) && s.src[end] != '\n' && s.src[end] != '\r' {
			end++
		}
		s.comments = append(s.comments, Comment{Start: start, End: end, Text: string(s.src[start+2 : end])})
		s.blank(start, end)
		s.pos = end
		return true
	}
	for i := start + 2; i+1 < len(s.src); i++ {
		if s.src[i] == '*' && s.src[i+1] == '/' {
			end := i + 2
			s.comments = append(s.comments, Comment{Start: start, End: end, Text: string(s.src[start+2 : i]), Block: true})
			s.blank(start, end)
			s.pos = end
			return true
		}
	}
	return s.fail(start, "unterminated comment")
}

// str consumes a string starting at the opening quote at s.pos. Raw control
// characters are allowed (ARM accepts multi-line strings); escapes must be
// valid JSON escapes.
func (s *scanner) str() bool {
	start := s.pos
	i := start + 1
	s.escaped = false
	for i < len(s.src) {
		// Skip the plain bytes first, eight at a time: most strings have
		// no escape.
		i = plainEnd(s.src, i)
		if i == len(s.src) {
			break
		}
		switch s.src[i] {
		case '"':
			s.pos = i + 1
			return true
		case '\\':
			s.escaped = true
			i++
			if i >= len(s.src) {
				return s.fail(start, "unterminated string")
			}
			switch s.src[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				i++
				for range 4 {
					if i >= len(s.src) {
						return s.fail(start, "unterminated string")
					}
					if !isHex(s.src[i]) {
						s.pos = i
						return s.failChar(`in \u hexadecimal character escape`)
					}
					i++
				}
			default:
				s.pos = i
				return s.failChar("in string escape code")
			}
		default:
			i++
		}
	}
	return s.fail(start, "unterminated string")
}

// plainEnd returns the offset of the first '"' or '\\' of src from i on,
// or len(src), reading eight bytes at a time.
func plainEnd(src []byte, i int) int {
	for i+8 <= len(src) {
		if m := quoteOrBackslash(binary.LittleEndian.Uint64(src[i:])); m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
		i += 8
	}
	for i < len(src) && src[i] != '"' && src[i] != '\\' {
		i++
	}
	return i
}

// quoteOrBackslash returns a mask of the bytes of w (in memory order, low
// byte first) that are '"' or '\\': zero when there is none, and otherwise
// with its lowest set bit in the high bit of the first such byte. (The
// classic test for a zero byte can also flag a byte just above a true
// match, through the borrow, but never one below the first: the lowest
// bit is exact.)
func quoteOrBackslash(w uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	q := w ^ ('"' * ones)
	b := w ^ ('\\' * ones)
	return ((q-ones)&^q | (b-ones)&^b) & highs
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// number consumes an RFC 8259 number starting at s.pos:
// -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
func (s *scanner) number() bool {
	start := s.pos
	if s.src[s.pos] == '-' {
		s.pos++
	}
	switch {
	case s.pos == len(s.src):
		return s.failEOF()
	case s.src[s.pos] == '0':
		s.pos++
		if s.pos < len(s.src) && isDigit(s.src[s.pos]) {
			return s.fail(start, "invalid number: leading zero")
		}
	case isDigit(s.src[s.pos]):
		s.skipDigits()
	default:
		return s.failChar("in numeric literal")
	}
	if s.pos < len(s.src) && s.src[s.pos] == '.' {
		s.pos++
		if !s.digits("after decimal point in numeric literal") {
			return false
		}
	}
	if s.pos < len(s.src) && (s.src[s.pos] == 'e' || s.src[s.pos] == 'E') {
		s.pos++
		if s.pos < len(s.src) && (s.src[s.pos] == '+' || s.src[s.pos] == '-') {
			s.pos++
		}
		if !s.digits("in exponent of numeric literal") {
			return false
		}
	}
	return true
}

// digits consumes one or more decimal digits.
func (s *scanner) digits(context string) bool {
	if s.pos == len(s.src) {
		return s.failEOF()
	}
	if !isDigit(s.src[s.pos]) {
		return s.failChar(context)
	}
	s.skipDigits()
	return true
}

func (s *scanner) skipDigits() {
	for s.pos < len(s.src) && isDigit(s.src[s.pos]) {
		s.pos++
	}
}

// literal consumes the keyword lit (true, false or null) at s.pos.
func (s *scanner) literal(lit string) bool {
	for k := range len(lit) {
		if s.pos == len(s.src) {
			return s.failEOF()
		}
		if s.src[s.pos] != lit[k] {
			return s.failChar("in literal " + lit + " (expecting '" + lit[k:k+1] + "')")
		}
		s.pos++
	}
	return true
}

// closeContainer reads the closing bracket or brace of the innermost open
// array or object, at s.pos.
func (s *scanner) closeContainer() {
	s.pos++
	s.stack = s.stack[:len(s.stack)-1]
	if s.tree != nil {
		s.tree.closeContainer(s.pos)
	}
}
