package format

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// The constants of github/codeql-action src/fingerprints.ts.
const (
	fpBlockSize = 100   // characters hashed per line
	fpMod       = 37    // multiplier of the rolling hash
	fpEOF       = 65535 // the value fed after the last character
)

// fpFirstMod is fpMod^fpBlockSize modulo 2^64.
var fpFirstMod = func() uint64 {
	m := uint64(1)
	for range fpBlockSize {
		m *= fpMod
	}
	return m
}()

// lineHasher computes GitHub's primaryLocationLineHash of the lines of a
// text, exactly as github/codeql-action's fingerprints.ts (and so
// upload-sarif) does: a rolling hash over the first 100 characters of each
// line that are not spaces or tabs, reaching into the following lines, with
// "\r\n" and "\r" read as "\n", the value 65535 after the last character and
// zeros after that. Characters are UTF-16 code units, as JavaScript's
// charCodeAt sees them. The Long arithmetic of the original is 64-bit
// two's-complement, which uint64 wrap-around reproduces; the value is
// printed as unsigned hex. Each hash is followed by ":" and the number of
// times it has occurred so far in the file.
//
// Lines are numbered from 1, as template.File counts them ("\n", "\r\n"
// and a lone "\r" end a line). The text is hashed as decoded (a UTF-8 byte
// order mark is already gone), so the hash of line 1 of a file saved with a
// BOM differs from upload-sarif's, which keeps U+FEFF; upload-sarif then
// keeps ours and logs a warning.
//
// The text is hashed only as far as the lines asked for need (a line's
// hash covers the 100 characters from its start, and its count the lines
// before it), and a hash is printed only when asked for.
type lineHasher struct {
	window      [fpBlockSize]uint64
	lineNumbers [fpBlockSize]int // line starting at this window slot, or -1
	hash        uint64
	index       int
	lineNumber  int
	lineStart   bool // the next character kept starts a line
	prevCR      bool
	counts      map[uint64]int
	lines       []lineHashCount // by line number - 1; count 0 until the hash is known
	src         []byte          // the text not hashed yet
	ended       bool            // the text, the 65535 and the zeros after it are hashed
}

// lineHashCount is a line's hash and the number of times it has occurred
// up to that line.
type lineHashCount struct {
	hash  uint64
	count int
}

func newLineHasher(src []byte) *lineHasher {
	h := &lineHasher{lineStart: true, counts: map[uint64]int{}, src: src}
	for i := range h.lineNumbers {
		h.lineNumbers[i] = -1
	}
	return h
}

// line returns the primaryLocationLineHash of line n, or "" when the text
// has no line n.
func (h *lineHasher) line(n int) string {
	for !h.known(n) && !h.ended {
		h.advance()
	}
	if !h.known(n) {
		return ""
	}
	v := h.lines[n-1]
	return strconv.FormatUint(v.hash, 16) + ":" + strconv.Itoa(v.count)
}

func (h *lineHasher) known(n int) bool {
	return n >= 1 && n <= len(h.lines) && h.lines[n-1].count > 0
}

// advance hashes the next characters of the text (up to 64), or its end.
func (h *lineHasher) advance() {
	if len(h.src) == 0 {
		h.process(fpEOF)
		for range fpBlockSize {
			if h.lineNumbers[h.index] != -1 {
				h.output()
			}
			h.update(0)
		}
		h.ended = true
		return
	}
	for i := 0; i < 64 && len(h.src) > 0; i++ {
		r, size := utf8.DecodeRune(h.src)
		h.src = h.src[size:]
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			h.process(uint64(r1))
			h.process(uint64(r2))
			continue
		}
		h.process(uint64(r)) // invalid UTF-8 is U+FFFD per byte; Node may merge a truncated sequence
	}
}

func (h *lineHasher) output() {
	h.counts[h.hash]++
	h.lines[h.lineNumbers[h.index]-1] = lineHashCount{h.hash, h.counts[h.hash]}
	h.lineNumbers[h.index] = -1
}

func (h *lineHasher) update(c uint64) {
	begin := h.window[h.index]
	h.window[h.index] = c
	h.hash = fpMod*h.hash + c - fpFirstMod*begin
	h.index = (h.index + 1) % fpBlockSize
}

func (h *lineHasher) process(c uint64) {
	const tab, space, lf, cr = '\t', ' ', '\n', '\r'
	if c == space || c == tab || (h.prevCR && c == lf) {
		h.prevCR = false
		return
	}
	if c == cr {
		c = lf
		h.prevCR = true
	} else {
		h.prevCR = false
	}
	if h.lineNumbers[h.index] != -1 {
		h.output()
	}
	if h.lineStart {
		h.lineStart = false
		h.lineNumber++
		h.lineNumbers[h.index] = h.lineNumber
		h.lines = append(h.lines, lineHashCount{})
	}
	if c == lf {
		h.lineStart = true
	}
	h.update(c)
}
