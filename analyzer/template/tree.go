package template

import (
	"bytes"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// builder builds the Value tree of a file while the scanner validates it,
// in the same pass: the scanner reports each scalar, each container's
// opening and closing and each member key, with byte offsets of f.Src.
//
// Nodes are carved out of chunks (slabs) instead of being allocated one by
// one: the tree lives and dies as a whole (every node reaches the root
// through its parent), so sharing chunks keeps nothing alive longer. The
// values of object members and the members themselves (key, key span,
// value pointer) come in chunks of valueChunk and memberChunk sized by a
// bound on the file's members (see memberBound), so that a small file
// gets small chunks; only the few array elements and the pointers to them
// are carved out of chunks sized by estimate. The children of the open
// containers wait on the elems and mems stacks until their container
// closes, and are then copied into their chunk, so that each container's
// children are one run of exact length (see Value.data).
type builder struct {
	file *File
	text string // f.Src as a string sharing its memory: Str and keys are substrings of it
	root *Value

	open  []*Value // open containers, innermost last
	first []int    // for each open container, where its children start on elems or mems
	elems []*Value // elements of the open arrays
	mems  []Member // members of the open objects

	// The key of the member whose value comes next: its span, and whether
	// it has an escape sequence.
	keyStart, keyEnd int
	keyEscaped       bool

	stack []byte // the scanner's stack of open containers, kept for reuse

	values      []Value     // the unused part of the current chunk of member values
	valuesLeft  int         // member values the file may still have beyond values
	members     []Member    // the unused part of the current chunk of members
	membersLeft int         // members the bound leaves beyond members (see closeContainer)
	elemVals    slab[Value] // array elements
	elemPtrs    slab[*Value]
}

// Source bytes per array element assumed for the first chunk of the
// element slabs: about twice what the quickstart corpus has on average
// (475), so that a file with few elements wastes little of it. Later chunks
// follow the density seen so far, for three quarters of the rest: a file's
// tail is often sparser than its head, and what a chunk does not use is
// lost. Members need no estimate (see builder).
const (
	bytesPerElem = 960
	minChunk     = 4
)

// valueChunk and memberChunk are the numbers of member values and of
// members per chunk: 8,192 bytes each, the 8 KiB size class. Chunks this
// small are cleared by the allocator just before the builder fills them,
// while they are still in the cache; one chunk for the whole file was
// cleared long before most of it was written (a third more first-level
// cache write misses in cachegrind), and its size was rounded up to whole
// pages.
const (
	valueChunk  = 256
	memberChunk = 256
)

// builders keeps builders between Loads for their scratch stacks.
var builders = sync.Pool{New: func() any { return new(builder) }}

// maxScratch is the largest scratch stack a builder keeps in the pool.
const maxScratch = 1 << 14

// newBuilder returns a builder for f, from the pool. Its text is f.Src
// without a copy: Src is never modified once loaded (Load's caller gives up
// raw), so the strings of the tree can share its memory, which the File
// keeps anyway.
func newBuilder(f *File) *builder {
	b := builders.Get().(*builder)
	b.file, b.text = f, unsafe.String(unsafe.SliceData(f.Src), len(f.Src)) //nolint:gosec // G103: Src is immutable once loaded (see Load)
	b.valuesLeft = memberBound(f.Src)
	b.membersLeft = b.valuesLeft
	return b
}

// memberBound returns a number of object members src cannot exceed: each
// member has a ':' after its key, and takes at least five bytes with the
// comma that separates it from the next (`"":0,`). The count of ':' bytes
// (a fast, vectorised count) is tight on templates, which have few colons
// in strings and comments (4% more than members on the quickstart corpus);
// the second bound caps the memory a file of colons could claim.
func memberBound(src []byte) int {
	return min(bytes.Count(src, colon), len(src)/5+1)
}

var colon = []byte{':'}

// release puts b back in the pool. It keeps only the scratch stacks,
// cleared so that the pool holds nothing of the tree (the unused parts of
// the chunks belong to the tree's allocations and are dropped).
func (b *builder) release() {
	open, first, elems, mems, stack := b.open[:0], b.first[:0], b.elems[:0], b.mems[:0], b.stack[:0]
	clear(open[:cap(open)])
	clear(elems[:cap(elems)])
	clear(mems[:cap(mems)])
	if cap(elems) > maxScratch || cap(mems) > maxScratch || cap(open) > maxDepth {
		return
	}
	*b = builder{open: open, first: first, elems: elems, mems: mems, stack: stack}
	builders.Put(b)
}

// slab hands out elements of T from chunks sized for the rest of the file.
type slab[T any] struct {
	free []T // the unused part of the current chunk
	used int // elements handed out so far
}

// take returns n fresh elements (len and cap n). off is the offset reached
// in the source of size bytes; prior is the source bytes per element
// assumed before any has been handed out.
func (s *slab[T]) take(n, off, size, prior int) []T {
	if len(s.free) < n {
		est := (size - off) / prior
		if s.used > 0 && off > 0 {
			est = int(float64(size-off) * float64(s.used) / float64(off) * 3 / 4)
		}
		s.free = make([]T, max(n, est+minChunk))
	}
	out := s.free[:n:n]
	s.free = s.free[n:]
	s.used += n
	return out
}

// node returns a new Value of kind k starting at start, attached to the
// innermost open container (or made the root).
func (b *builder) node(k Kind, start int) *Value {
	if len(b.open) == 0 {
		b.file.anchor.Kind = kindAnchor
		v := &Value{Kind: k, start: uint32(start), parent: &b.file.anchor} //nolint:gosec // G115: Load bounds the source by maxSource
		b.root = v
		return v
	}
	parent := b.open[len(b.open)-1]
	if parent.Kind == Array {
		v := &b.elemVals.take(1, start, len(b.text), bytesPerElem)[0]
		v.Kind, v.start, v.parent = k, uint32(start), parent //nolint:gosec // G115: Load bounds the source by maxSource
		b.elems = append(b.elems, v)
		return v
	}
	if len(b.values) == 0 {
		n := min(valueChunk, max(b.valuesLeft, 1)) // the bound holds: 1 is a safety net
		b.values = make([]Value, n)
		b.valuesLeft -= n
	}
	v := &b.values[0]
	b.values = b.values[1:]
	v.Kind, v.start, v.parent = k, uint32(start), parent //nolint:gosec // G115: Load bounds the source by maxSource
	b.mems = append(b.mems, Member{
		Key:      b.str(b.keyStart, b.keyEnd, b.keyEscaped),
		Value:    v,
		keyStart: uint32(b.keyStart), //nolint:gosec // G115: Load bounds the source by maxSource
		keyEnd:   uint32(b.keyEnd),   //nolint:gosec // G115: Load bounds the source by maxSource
	})
	return v
}

// scalar adds the string, number or literal token at src[start:end];
// escaped says whether a string has an escape sequence.
func (b *builder) scalar(k Kind, start, end int, escaped bool) {
	v := b.node(k, start)
	v.end = uint32(end) //nolint:gosec // G115: Load bounds the source by maxSource
	switch k {
	case String:
		v.setStr(b.str(start, end, escaped))
	case Number:
		v.setStr(b.text[start:end])
	case Bool:
		if b.text[start] == 't' {
			v.setStr("true")
		} else {
			v.setStr("false")
		}
	}
}

// key records the object key src[start:end] (quotes included) for the
// member whose value comes next.
func (b *builder) key(start, end int, escaped bool) {
	b.keyStart, b.keyEnd, b.keyEscaped = start, end, escaped
}

// str returns the contents of the string literal src[start:end]: a
// substring of the text when it has no escape sequence.
func (b *builder) str(start, end int, escaped bool) string {
	if !escaped {
		return b.text[start+1 : end-1]
	}
	return unquote(b.text[start:end])
}

// openContainer adds the array or object opening at start.
func (b *builder) openContainer(k Kind, start int) {
	v := b.node(k, start)
	b.open = append(b.open, v)
	if k == Array {
		b.first = append(b.first, len(b.elems))
	} else {
		b.first = append(b.first, len(b.mems))
	}
}

// closeContainer closes the innermost open container, whose closing
// bracket ends just before end.
func (b *builder) closeContainer(end int) {
	v := b.open[len(b.open)-1]
	first := b.first[len(b.first)-1]
	b.open = b.open[:len(b.open)-1]
	b.first = b.first[:len(b.first)-1]
	v.end = uint32(end) //nolint:gosec // G115: Load bounds the source by maxSource
	if v.Kind == Array {
		if n := len(b.elems) - first; n > 0 {
			elems := b.elemPtrs.take(n, end, len(b.text), bytesPerElem)
			copy(elems, b.elems[first:])
			v.setElems(elems)
			b.elems = b.elems[:first]
		}
		return
	}
	if n := len(b.mems) - first; n > 0 {
		if len(b.members) < n {
			// The rest of the current chunk is lost when an object's
			// members do not fit in it; what is lost is less than that
			// object's members, so members take at most twice the bound
			// in all (and chunks of exact size once it is used up).
			size := max(n, min(memberChunk, b.membersLeft))
			b.members = make([]Member, size)
			b.membersLeft -= size
		}
		ms := b.members[:n:n]
		b.members = b.members[n:]
		copy(ms, b.mems[first:])
		v.setMembers(ms)
		b.mems = b.mems[:first]
	}
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
	var b strings.Builder // one allocation: the result is never longer than s
	b.Grow(len(s))
	b.WriteString(s[:i])
	for i < len(s) {
		// Copy the run of plain bytes up to the next backslash at once.
		j := strings.IndexByte(s[i:], '\\')
		if j < 0 {
			b.WriteString(s[i:])
			break
		}
		b.WriteString(s[i : i+j])
		i += j
		if i+1 >= len(s) {
			b.WriteByte('\\')
			break
		}
		i++
		switch e := s[i]; e {
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, ok := hex4(s, i+1)
			if !ok {
				b.WriteString("\\u")
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
			b.WriteRune(r)
		default: // '"', '\\', '/'
			b.WriteByte(e)
		}
		i++
	}
	return b.String()
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
