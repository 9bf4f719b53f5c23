package template

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/tidwall/gjson"
)

// buildTree builds the Value tree of f from clean, the output of Clean for
// f.Src (same length, same offsets, plain JSON). clean must have passed the
// scanner: gjson does not validate, it only walks.
//
// gjson supplies structure, kinds and byte offsets (Result.Index and the
// length of Result.Raw). Strings and keys are unescaped here by hand, not
// with gjson's Result.Str: gjson's unescaper stops at the first raw control
// character, so a multi-line ARM expression that also holds an escape
// ("[concat('a',\n 'b\"')]") would come out truncated.
func buildTree(f *File, clean []byte) *Value {
	res := gjson.ParseBytes(clean)
	if !res.Exists() {
		return nil
	}
	root := newValue(f, res)
	// For a root object or array gjson's Raw runs to the end of the input;
	// the scanner guarantees that only whitespace follows the root value.
	end := len(clean)
	for end > root.Start && isSpace(clean[end-1]) {
		end--
	}
	root.End = end
	return root
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// newValue converts one gjson result, recursively. Depth is bounded by the
// scanner's maxDepth.
func newValue(f *File, r gjson.Result) *Value {
	v := &Value{file: f, Start: r.Index, End: r.Index + len(r.Raw)}
	switch r.Type {
	case gjson.Null:
		v.Kind = Null
	case gjson.False:
		v.Kind, v.Str = Bool, "false"
	case gjson.True:
		v.Kind, v.Str = Bool, "true"
	case gjson.Number:
		v.Kind, v.Str = Number, r.Raw
	case gjson.String:
		v.Kind, v.Str = String, unquote(r.Raw)
	case gjson.JSON:
		if strings.HasPrefix(r.Raw, "[") {
			v.Kind = Array
			r.ForEach(func(_, e gjson.Result) bool {
				c := newValue(f, e)
				c.parent, c.index = v, len(v.Elems)
				v.Elems = append(v.Elems, c)
				return true
			})
		} else {
			v.Kind = Object
			r.ForEach(func(k, e gjson.Result) bool {
				c := newValue(f, e)
				m := &Member{Key: unquote(k.Raw), KeyStart: k.Index, KeyEnd: k.Index + len(k.Raw), Value: c}
				c.parent, c.key, c.index = v, m.Key, len(v.Members)
				v.Members = append(v.Members, m)
				return true
			})
		}
	}
	return v
}

// unquote returns the contents of the JSON string literal raw (quotes
// included), with escapes resolved. Raw control characters are kept as
// they are. A lone surrogate escape becomes U+FFFD, as in encoding/json.
// raw has been validated by the scanner.
func unquote(raw string) string {
	if len(raw) < 2 {
		return ""
	}
	s := raw[1 : len(raw)-1]
	i := strings.IndexByte(s, '\\')
	if i < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	b = append(b, s[:i]...)
	for i < len(s) {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b = append(b, c)
			i++
			continue
		}
		i++
		switch e := s[i]; e {
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r, ok := hex4(s, i+1)
			if !ok {
				b = append(b, '\\', 'u')
				break
			}
			i += 4
			if utf16.IsSurrogate(r) {
				if lo, ok := hex4(s, i+3); ok && i+2 < len(s) && s[i+1] == '\\' && s[i+2] == 'u' {
					if d := utf16.DecodeRune(r, lo); d != utf8.RuneError {
						r = d
						i += 6
					} else {
						r = utf8.RuneError
					}
				} else {
					r = utf8.RuneError
				}
			}
			b = utf8.AppendRune(b, r)
		default: // '"', '\\', '/'
			b = append(b, e)
		}
		i++
	}
	return string(b)
}

// hex4 decodes the four hex digits at s[i:i+4].
func hex4(s string, i int) (rune, bool) {
	if i < 0 || i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
