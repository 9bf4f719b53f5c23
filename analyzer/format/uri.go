package format

import (
	"path/filepath"
	"strings"
)

// artifactURI turns a finding's file path into a SARIF artifactLocation
// URI. Separators become forward slashes. A relative path stays relative
// (relative to %SRCROOT%) with each segment percent-escaped per RFC 3986;
// an absolute path ("/x", "C:/x", "//host/share/x") becomes a file:// URI.
// It reports whether the result is relative.
func artifactURI(p string) (uri string, relative bool) {
	p = filepath.ToSlash(p)
	switch {
	case strings.HasPrefix(p, "//"): // UNC: //host/share/x → file://host/share/x
		return "file:" + escapePath(p), false
	case strings.HasPrefix(p, "/"):
		return "file://" + escapePath(p), false
	case hasDriveLetter(p):
		return "file:///" + p[:2] + escapePath(p[2:]), false
	}
	return escapePath(p), true
}

// dirURI returns the file:// URI of an absolute directory, ending in "/"
// as SARIF requires of a base URI, or "" when dir is not absolute.
func dirURI(dir string) string {
	uri, relative := artifactURI(dir)
	if relative {
		return ""
	}
	if !strings.HasSuffix(uri, "/") {
		uri += "/"
	}
	return uri
}

// hasDriveLetter reports whether p starts with a Windows drive, "C:/".
func hasDriveLetter(p string) bool {
	return len(p) >= 3 && p[1] == ':' && p[2] == '/' &&
		('a' <= p[0] && p[0] <= 'z' || 'A' <= p[0] && p[0] <= 'Z')
}

// escapePath percent-escapes a slash-separated path. Each segment keeps
// RFC 3986 unreserved characters, sub-delims and "@"; everything else,
// ":" included (a colon in the first segment of a relative reference
// would read as a scheme), is escaped byte by byte in upper-case hex.
func escapePath(p string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := range len(p) {
		c := p[i]
		if c == '/' || isPChar(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// isPChar reports whether c may appear unescaped in a path segment
// (RFC 3986 pchar without ":" and without pct-encoded).
func isPChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~!$&'()*+,;=@", c) >= 0
}
