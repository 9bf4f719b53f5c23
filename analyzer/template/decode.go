package template

import (
	"bytes"
	"unicode/utf16"
	"unicode/utf8"
)

// Byte order marks recognised by decode.
var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// decode turns the raw bytes of a file into UTF-8 text without a byte order
// mark. UTF-8 (with or without BOM) is returned as is, minus the BOM, sharing
// raw's memory; UTF-16 LE and BE with a BOM are converted to UTF-8.
//
// On failure decode returns a message for a syntax error at offset 0.
func decode(raw []byte) (src []byte, errMsg string) {
	switch {
	case bytes.HasPrefix(raw, bomUTF8):
		return raw[len(bomUTF8):], ""
	case bytes.HasPrefix(raw, bomUTF16LE):
		return decodeUTF16(raw[len(bomUTF16LE):], false)
	case bytes.HasPrefix(raw, bomUTF16BE):
		return decodeUTF16(raw[len(bomUTF16BE):], true)
	}
	return raw, ""
}

// decodeUTF16 converts UTF-16 code units (without BOM) to UTF-8. An odd
// number of bytes or an unpaired surrogate is an error: the file would
// otherwise be silently altered and positions would be meaningless.
func decodeUTF16(b []byte, bigEndian bool) ([]byte, string) {
	if len(b)%2 != 0 {
		return nil, "invalid UTF-16: odd number of bytes after the byte order mark"
	}
	out := make([]byte, 0, len(b)/2+len(b)/8)
	for i := 0; i < len(b); i += 2 {
		u := unit(b, i, bigEndian)
		r := rune(u)
		switch {
		case utf16.IsSurrogate(r) && u < 0xDC00: // high surrogate
			if i+4 > len(b) {
				return nil, "invalid UTF-16: unpaired surrogate"
			}
			lo := rune(unit(b, i+2, bigEndian))
			r = utf16.DecodeRune(r, lo)
			if r == utf8.RuneError {
				return nil, "invalid UTF-16: unpaired surrogate"
			}
			i += 2
		case utf16.IsSurrogate(r): // low surrogate without a high one
			return nil, "invalid UTF-16: unpaired surrogate"
		}
		out = utf8.AppendRune(out, r)
	}
	return out, ""
}

func unit(b []byte, i int, bigEndian bool) uint16 {
	if bigEndian {
		return uint16(b[i])<<8 | uint16(b[i+1])
	}
	return uint16(b[i+1])<<8 | uint16(b[i])
}
