package template

import (
	"bytes"
	"sort"
	"sync"
	"unicode/utf8"
)

// File is one loaded JSON file: its decoded text, its line table and its
// JSON tree.
type File struct {
	Path string   // slash-separated path as shown to users ("-" or --stdin-filename for stdin)
	Kind FileKind // template, parameter file or other JSON
	Src  []byte   // decoded UTF-8 text, BOM removed, comments intact; never to be modified
	Root *Value   // the JSON tree; nil when the file did not parse

	// Comments are the // and /* */ comments of the file, in order.
	Comments []Comment

	lines *lineIndex // set by Load, shared with the copies WithoutTree makes

	// anchor is the parent of Root (see Value.File). Its Kind is
	// kindAnchor; Value.Parent hides it.
	anchor Value
}

// lineIndex is the line table of a loaded file, built on first use: most
// files never have an offset turned into a line and column (only those
// with findings, notes or directives do), and building the table costs a
// pass over the whole text. The once makes it safe for concurrent readers.
type lineIndex struct {
	once   sync.Once
	starts []int // byte offset of the start of each line
}

// WithoutTree returns a copy of f without its JSON tree (Root is nil):
// path, kind, source, comments and line table, all that positions,
// excerpts and fingerprints need. The tree, which is several times the
// size of the source, can then be collected.
func (f *File) WithoutTree() *File {
	c := *f
	c.Root = nil
	return &c
}

// Comment is one comment of a JSONC file.
type Comment struct {
	Start, End int    // byte span of the whole comment, delimiters included
	Text       string // the text without the delimiters
	Block      bool   // /* */ rather than //
}

// Pos is a position in a file: Line and Col are 1-based, Col counts Unicode
// code points, Offset is in bytes of File.Src.
type Pos struct{ Line, Col, Offset int }

// Position maps a byte offset of Src to a line and column. Offsets out of
// range are clamped to the file. It is safe for concurrent use.
func (f *File) Position(off int) Pos {
	return position(f.Src, f.lineTable(), off)
}

// Line returns the text of 1-based line n without its line terminator, or
// nil when n is out of range.
func (f *File) Line(n int) []byte {
	lines := f.lineTable()
	if n < 1 || n > len(lines) {
		return nil
	}
	start := lines[n-1]
	end := len(f.Src)
	if n < len(lines) {
		end = lines[n]
	}
	for end > start && (f.Src[end-1] == '\n' || f.Src[end-1] == '\r') {
		end--
	}
	return f.Src[start:end]
}

// LineCount returns the number of lines of the file.
func (f *File) LineCount() int { return len(f.lineTable()) }

// lineTable returns the line table of the file, built on the first call
// for a File from Load (and shared with its WithoutTree copies). For a File
// built by hand (tests) it computes a fresh table without storing it, so
// that such a File is never mutated and stays safe for concurrent readers.
func (f *File) lineTable() []int {
	if l := f.lines; l != nil {
		l.once.Do(func() { l.starts = lineStarts(f.Src) })
		return l.starts
	}
	return lineStarts(f.Src)
}

// position maps off to a Pos using the line table lines of src.
func position(src []byte, lines []int, off int) Pos {
	if off < 0 {
		off = 0
	}
	if off > len(src) {
		off = len(src)
	}
	i := sort.Search(len(lines), func(i int) bool { return lines[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	start := lines[i]
	return Pos{Line: i + 1, Col: utf8.RuneCount(src[start:off]) + 1, Offset: off}
}

// lineStarts returns the offsets at which lines start. "\n", "\r\n" and a
// lone "\r" each end a line.
func lineStarts(src []byte) []int {
	// Size the table for one terminator kind (LF, CRLF or CR); files that
	// mix them may grow it.
	lf := bytes.Count(src, []byte{'\n'})
	cr := 0
	if bytes.IndexByte(src, '\r') >= 0 {
		cr = bytes.Count(src, []byte{'\r'})
	}
	starts := make([]int, 1, max(lf, cr)+1)
	if cr == 0 { // fast path: LF only
		for i := 0; ; {
			j := bytes.IndexByte(src[i:], '\n')
			if j < 0 {
				return starts
			}
			i += j + 1
			starts = append(starts, i)
		}
	}
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '\n':
			starts = append(starts, i+1)
		case '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
			starts = append(starts, i+1)
		}
	}
	return starts
}
