package expr

import "strings"

// quickMaxDepth bounds the nesting quickValid follows; deeper expressions
// are left to the parser (whose limit is MaxNestingDepth).
const quickMaxDepth = 64

// quickValid reports, in one pass over the bytes, that src (an
// expression without its brackets, no longer than MaxExpressionLength)
// certainly parses. It follows the parser's grammar for the common
// forms: ASCII names without '-' for functions, string literals, integers
// of up to 18 digits, property and index accesses, nesting and access
// chains up to quickMaxDepth. Anything else (non-ASCII outside string
// literals, a '-' in a function name, a long integer, an error) makes it
// answer false, and the caller asks the parser: false does not mean the
// expression is invalid.
func quickValid(src string) bool {
	// stack holds, for each open call or index, the byte that closes it
	// and the accesses the expression it belongs to had so far; chain
	// counts those of the expression being read.
	type open struct {
		close byte
		chain int
	}
	var stackBuf [quickMaxDepth]open
	stack := stackBuf[:0]
	chain := 0
	i, n := 0, len(src)
	for {
		// A primary: string, integer or call. It starts an expression.
		chain = 0
		i = skipSpace(src, i)
		if i >= n {
			return false
		}
		switch c := src[i]; {
		case c == '\'':
			for {
				j := strings.IndexByte(src[i+1:], '\'')
				if j < 0 {
					return false
				}
				i += j + 2 // past the closing quote
				if i >= n || src[i] != '\'' {
					break
				}
				// A doubled quote: the literal goes on.
			}
		case c == '-' || isDigit(c):
			if c == '-' {
				i++
			}
			start := i
			for i < n && isDigit(src[i]) {
				i++
			}
			if i == start || i-start > 18 || i+1 < n && src[i] == '.' && isDigit(src[i+1]) {
				return false
			}
		case isLetter(c) || c == '_' || c == '$':
			if i = quickName(src, i, false); i < 0 {
				return false
			}
			i = skipSpace(src, i)
			if i < n && src[i] == '.' { // namespace.function
				if i = quickDotName(src, i); i < 0 {
					return false
				}
				i = skipSpace(src, i)
			}
			if i >= n || src[i] != '(' {
				return false
			}
			i++
			i = skipSpace(src, i)
			if i < n && src[i] == ')' {
				i++
				break
			}
			if len(stack) == cap(stack) {
				return false
			}
			stack = append(stack, open{')', 0})
			continue // the first argument
		default:
			return false
		}
		// After a primary, or a closed index: accesses, then what closes
		// the enclosing call or index.
	accesses:
		for {
			i = skipSpace(src, i)
			if i >= n {
				return len(stack) == 0
			}
			switch src[i] {
			case '.':
				if i = quickDotName(src, i); i < 0 {
					return false
				}
				if chain++; chain > quickMaxDepth {
					return false
				}
			case '[':
				if len(stack) == cap(stack) || chain+1 > quickMaxDepth {
					return false
				}
				i++
				stack = append(stack, open{']', chain + 1})
				break accesses // the index expression
			case ',':
				if len(stack) == 0 || stack[len(stack)-1].close != ')' {
					return false
				}
				i++
				break accesses // the next argument
			case ')':
				// The call was the primary of its expression, whose
				// accesses start now.
				if len(stack) == 0 || stack[len(stack)-1].close != ')' {
					return false
				}
				i++
				stack = stack[:len(stack)-1]
				chain = 0
			case ']':
				if len(stack) == 0 || stack[len(stack)-1].close != ']' {
					return false
				}
				i++
				chain = stack[len(stack)-1].chain
				stack = stack[:len(stack)-1]
			default:
				return false
			}
		}
	}
}

func isPropStart(c byte) bool { return isLetter(c) || isDigit(c) || c == '_' || c == '$' }

// quickDotName returns the end of the name after the '.' at i (white
// space allowed between them; '-' allowed in the name, as in a property
// name), or -1 when no such name follows.
func quickDotName(src string, i int) int {
	i = skipSpace(src, i+1)
	if i >= len(src) || !isPropStart(src[i]) {
		return -1
	}
	return quickName(src, i, true)
}

// quickName returns the end of the ASCII name at i (its first byte
// already checked); dash says whether '-' may appear in it (property
// names). It returns -1 for a '-' it may not have, or a non-ASCII byte.
func quickName(src string, i int, dash bool) int {
	for i++; i < len(src); i++ {
		c := src[i]
		if isLetter(c) || isDigit(c) || c == '_' || c == '$' || dash && c == '-' {
			continue
		}
		if c == '-' || c >= 0x80 {
			return -1
		}
		break
	}
	return i
}

// skipSpace returns the index of the first byte at or after i that is
// not white space.
func skipSpace(src string, i int) int {
	for i < len(src) && isSpace(src[i]) {
		i++
	}
	return i
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
