package expr

import (
	"encoding/base64"
	"net/url"
	"strings"
)

// Encoding functions: base64, base64ToString, base64ToJson, uri,
// uriComponent, uriComponentToString, dataUri, dataUriToString.

func encodingFunctions() []*function {
	return []*function{
		{name: "base64", minArgs: 1, maxArgs: 1, eval: strFn(func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) })},
		{name: "base64ToString", minArgs: 1, maxArgs: 1, eval: fnBase64ToString},
		{name: "base64ToJson", minArgs: 1, maxArgs: 1, eval: func(c *call, a []Value) Value {
			s := fnBase64ToString(c, a)
			if s.k != KString {
				return s
			}
			v, err := parseLenientJSON(s.str())
			if err != nil {
				return c.fail("invalid JSON: %v", err)
			}
			return v
		}},
		{name: "uri", minArgs: 2, maxArgs: 2, eval: fnURI},
		{name: "uriComponent", minArgs: 1, maxArgs: 1, eval: strFn(escapeDataString)},
		{name: "uriComponentToString", minArgs: 1, maxArgs: 1, eval: func(c *call, a []Value) Value {
			s, ok := a[0].Str()
			if !ok {
				return c.typeErr(a, 0, "a string")
			}
			out, err := url.PathUnescape(s)
			if err != nil {
				return c.fail("invalid percent-encoding")
			}
			return String(out)
		}},
		{name: "dataUri", minArgs: 1, maxArgs: 1, eval: func(_ *call, a []Value) Value {
			return String("data:text/plain;charset=utf8;base64," + base64.StdEncoding.EncodeToString([]byte(toString(a[0]))))
		}},
		{name: "dataUriToString", minArgs: 1, maxArgs: 1, eval: fnDataURIToString},
	}
}

func fnBase64ToString(c *call, a []Value) Value {
	s, ok := a[0].Str()
	if !ok {
		return c.typeErr(a, 0, "a string")
	}
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return c.fail("invalid base64")
	}
	return String(string(b))
}

// escapeDataString percent-encodes everything but RFC 3986 unreserved
// characters, as .NET's Uri.EscapeDataString.
func escapeDataString(s string) string {
	var b strings.Builder
	for i := range len(s) {
		ch := s[i]
		if ch >= 'A' && ch <= 'Z' || ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || strings.IndexByte("-._~", ch) >= 0 {
			b.WriteByte(ch)
			continue
		}
		b.WriteByte('%')
		b.WriteByte("0123456789ABCDEF"[ch>>4])
		b.WriteByte("0123456789ABCDEF"[ch&15])
	}
	return b.String()
}

// fnURI resolves a relative URI against an absolute base URI.
func fnURI(c *call, a []Value) Value {
	base, ok := a[0].Str()
	if !ok {
		return c.typeErr(a, 0, "a string")
	}
	rel, ok := a[1].Str()
	if !ok {
		return c.typeErr(a, 1, "a string")
	}
	bu, err := url.Parse(base)
	if err != nil || !bu.IsAbs() {
		return c.fail("base %s is not an absolute URI", quote(base))
	}
	ru, err := url.Parse(rel)
	if err != nil {
		return c.fail("invalid relative URI %s", quote(rel))
	}
	return String(bu.ResolveReference(ru).String())
}

func fnDataURIToString(c *call, a []Value) Value {
	s, ok := a[0].Str()
	if !ok {
		return c.typeErr(a, 0, "a string")
	}
	comma := strings.IndexByte(s, ',')
	if !strings.HasPrefix(strings.ToLower(s), "data:") || comma < 0 {
		return c.fail("not a data URI")
	}
	meta, data := s[5:comma], s[comma+1:]
	if strings.HasSuffix(strings.ToLower(meta), ";base64") {
		b, err := base64.StdEncoding.DecodeString(data)
		if err != nil {
			return c.fail("invalid base64 in data URI")
		}
		return String(string(b))
	}
	out, err := url.PathUnescape(data)
	if err != nil {
		return c.fail("invalid percent-encoding in data URI")
	}
	return String(out)
}
