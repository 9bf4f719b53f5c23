package expr

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// parseLenientJSON parses JSON text the way ARM's json() and
// base64ToJson() do (Newtonsoft.Json): besides strict JSON it accepts
// single-quoted strings (the documented base64ToJson example decodes
// "{'one': 'a', 'two': 'b'}"), unquoted property names, /* */ and //
// comments and trailing commas. Key order is kept.
func parseLenientJSON(s string) (Value, error) {
	p := &jsonParser{s: s}
	p.skip()
	v, err := p.value(0)
	if err != nil {
		return Value{}, err
	}
	p.skip()
	if p.i < len(p.s) {
		return Value{}, errTrailing
	}
	return v, nil
}

type jsonParser struct {
	s string
	i int
}

func (p *jsonParser) fail(what string) error {
	return jsonError(what + " at offset " + strconv.Itoa(p.i))
}

// skip skips white space and comments.
func (p *jsonParser) skip() {
	for p.i < len(p.s) {
		switch c := p.s[p.i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			p.i++
		case c == '/' && p.i+1 < len(p.s) && p.s[p.i+1] == '/':
			for p.i < len(p.s) && p.s[p.i] != '\n' {
				p.i++
			}
		case c == '/' && p.i+1 < len(p.s) && p.s[p.i+1] == '*':
			end := strings.Index(p.s[p.i+2:], "*/")
			if end < 0 {
				p.i = len(p.s)
				return
			}
			p.i += end + 4
		default:
			return
		}
	}
}

func (p *jsonParser) value(depth int) (Value, error) {
	if depth > maxValueDepth {
		return Value{}, errDeep
	}
	if p.i >= len(p.s) {
		return Value{}, p.fail("unexpected end of JSON")
	}
	switch c := p.s[p.i]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"' || c == '\'':
		s, err := p.str()
		return String(s), err
	case c == '-' || c == '+' || c == '.' || c >= '0' && c <= '9':
		return p.number()
	}
	w := p.word()
	switch w {
	case "true":
		return Bool(true), nil
	case "false":
		return Bool(false), nil
	case "null", "undefined":
		return Null(), nil
	}
	return Value{}, p.fail("unexpected character")
}

// word reads an identifier-like token (true, false, null, unquoted key).
func (p *jsonParser) word() string {
	start := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80 {
			p.i++
			continue
		}
		break
	}
	return p.s[start:p.i]
}

func (p *jsonParser) number() (Value, error) {
	start := p.i
	for p.i < len(p.s) && strings.IndexByte("+-0123456789.eE", p.s[p.i]) >= 0 {
		p.i++
	}
	t := strings.TrimPrefix(p.s[start:p.i], "+")
	if i, err := strconv.ParseInt(t, 10, 64); err == nil {
		return Int(i), nil
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil {
		p.i = start
		return Value{}, p.fail("invalid number")
	}
	return Float(f), nil
}

func (p *jsonParser) str() (string, error) {
	quoteCh := p.s[p.i]
	p.i++
	var b strings.Builder
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case quoteCh:
			p.i++
			return b.String(), nil
		case '\\':
			if p.i+1 >= len(p.s) {
				return "", p.fail("unterminated escape")
			}
			e := p.s[p.i+1]
			p.i += 2
			switch e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'u':
				r, ok := p.hex4()
				if !ok {
					return "", p.fail("invalid \\u escape")
				}
				if utf16.IsSurrogate(r) && strings.HasPrefix(p.s[p.i:], `\u`) {
					save := p.i
					p.i += 2
					if r2, ok := p.hex4(); ok {
						r = utf16.DecodeRune(r, r2)
					} else {
						p.i = save
					}
				}
				b.WriteRune(r)
			default:
				b.WriteByte(e) // \" \' \\ \/ and any other escaped character
			}
		default:
			_, size := utf8.DecodeRuneInString(p.s[p.i:])
			b.WriteString(p.s[p.i : p.i+size])
			p.i += size
		}
	}
	return "", p.fail("unterminated string")
}

func (p *jsonParser) hex4() (rune, bool) {
	if p.i+4 > len(p.s) {
		return 0, false
	}
	n, err := strconv.ParseUint(p.s[p.i:p.i+4], 16, 16)
	if err != nil {
		return 0, false
	}
	p.i += 4
	return rune(uint16(n)), true
}

func (p *jsonParser) array(depth int) (Value, error) {
	p.i++ // [
	var out []Value
	for {
		p.skip()
		if p.i >= len(p.s) {
			return Value{}, p.fail("unterminated array")
		}
		if p.s[p.i] == ']' {
			p.i++
			return Array(out), nil
		}
		v, err := p.value(depth + 1)
		if err != nil {
			return Value{}, err
		}
		out = append(out, v)
		p.skip()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.s) && p.s[p.i] == ']' {
			continue
		}
		return Value{}, p.fail("expected ',' or ']'")
	}
}

func (p *jsonParser) object(depth int) (Value, error) {
	p.i++ // {
	b := &objBuilder{}
	for {
		p.skip()
		if p.i >= len(p.s) {
			return Value{}, p.fail("unterminated object")
		}
		if p.s[p.i] == '}' {
			p.i++
			return b.value(), nil
		}
		var key string
		if c := p.s[p.i]; c == '"' || c == '\'' {
			k, err := p.str()
			if err != nil {
				return Value{}, err
			}
			key = k
		} else if key = p.word(); key == "" {
			return Value{}, p.fail("expected a property name")
		}
		p.skip()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			return Value{}, p.fail("expected ':'")
		}
		p.i++
		p.skip()
		v, err := p.value(depth + 1)
		if err != nil {
			return Value{}, err
		}
		b.set(key, false, v)
		p.skip()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			continue
		}
		if p.i < len(p.s) && p.s[p.i] == '}' {
			continue
		}
		return Value{}, p.fail("expected ',' or '}'")
	}
}
