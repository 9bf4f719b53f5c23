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

// lineHashes computes GitHub's primaryLocationLineHash for every line of
// src, exactly as github/codeql-action's fingerprints.ts (and so
// upload-sarif) does: a rolling hash over the first 100 characters of each
// line that are not spaces or tabs, reaching into the following lines, with
// "\r\n" and "\r" read as "\n", the value 65535 after the last character and
// zeros after that. Characters are UTF-16 code units, as JavaScript's
// charCodeAt sees them. The Long arithmetic of the original is 64-bit
// two's-complement, which uint64 wrap-around reproduces; the value is
// printed as unsigned hex. Each hash is followed by ":" and the number of
// times it has occurred so far in the file.
//
// The result maps 1-based line numbers, counted like template.File counts
// them ("\n", "\r\n" and a lone "\r" end a line), to hashes. The text is
// hashed as decoded (a UTF-8 byte order mark is already gone), so the hash
// of line 1 of a file saved with a BOM differs from upload-sarif's, which
// keeps U+FEFF; upload-sarif then keeps ours and logs a warning.
func lineHashes(src []byte) map[int]string {
	h := &lineHasher{
		lineStart: true,
		out:       map[int]string{},
		counts:    map[uint64]int{},
	}
	for i := range h.lineNumbers {
		h.lineNumbers[i] = -1
	}
	for len(src) > 0 {
		r, size := utf8.DecodeRune(src)
		src = src[size:]
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			h.process(uint64(r1))
			h.process(uint64(r2))
			continue
		}
		h.process(uint64(r)) // invalid UTF-8 is U+FFFD per byte; Node may merge a truncated sequence
	}
	h.process(fpEOF)
	for range fpBlockSize {
		if h.lineNumbers[h.index] != -1 {
			h.output()
		}
		h.update(0)
	}
	return h.out
}

// lineHasher is the state of fingerprints.ts's hash function.
type lineHasher struct {
	window      [fpBlockSize]uint64
	lineNumbers [fpBlockSize]int // line starting at this window slot, or -1
	hash        uint64
	index       int
	lineNumber  int
	lineStart   bool // the next character kept starts a line
	prevCR      bool
	counts      map[uint64]int
	out         map[int]string
}

func (h *lineHasher) output() {
	h.counts[h.hash]++
	h.out[h.lineNumbers[h.index]] = strconv.FormatUint(h.hash, 16) + ":" + strconv.Itoa(h.counts[h.hash])
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
	}
	if c == lf {
		h.lineStart = true
	}
	h.update(c)
}
