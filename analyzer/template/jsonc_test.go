package template

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
	"unsafe"
)

// posOf returns "line:col" of the node at ptr, or a description of why
// there is none.
func posOf(f *File, ptr string) string {
	v := f.Root.Lookup(ptr)
	if v == nil {
		return "no node at " + ptr
	}
	p := f.Position(v.Start())
	return fmt.Sprintf("%d:%d", p.Line, p.Col)
}

func utf16Bytes(s string, bigEndian bool) []byte {
	var b []byte
	if bigEndian {
		b = []byte{0xFE, 0xFF}
	} else {
		b = []byte{0xFF, 0xFE}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			b = binary.BigEndian.AppendUint16(b, u)
		} else {
			b = binary.LittleEndian.AppendUint16(b, u)
		}
	}
	return b
}

func TestScannerAccepts(t *testing.T) {
	tests := []struct {
		name     string
		raw      []byte
		src      string   // expected File.Src ("" means same as raw)
		clean    string   // expected cleaned text
		comments []string // expected comment texts
		ptr      string   // a node to locate
		pos      string   // its line:col
		str      string   // its Str
	}{
		{
			name:     "schema URL is not a comment",
			raw:      []byte("{\"$schema\": \"https://x//y.json#\", // c\n \"a\": 1}"),
			clean:    "{\"$schema\": \"https://x//y.json#\",     \n \"a\": 1}",
			comments: []string{" c"},
			ptr:      "/$schema", pos: "1:13", str: "https://x//y.json#",
		},
		{
			name:     "escaped quote and backslash before closing quote",
			raw:      []byte(`{"a": "x\"//y", "b": "z\\"//c` + "\n}"),
			clean:    `{"a": "x\"//y", "b": "z\\"   ` + "\n}",
			comments: []string{"c"},
			ptr:      "/b", pos: "1:22", str: `z\`,
		},
		{
			name:     "block comment across lines keeps line breaks",
			raw:      []byte("{/* a\r\nb\n*/\"k\": [1, /*x*/ 2]}"),
			clean:    "{    \r\n \n  \"k\": [1,       2]}",
			comments: []string{" a\r\nb\n", "x"},
			ptr:      "/k/1", pos: "3:18", str: "2",
		},
		{
			name:     "line comment at EOF without newline",
			raw:      []byte("[1] // end"),
			clean:    "[1]       ",
			comments: []string{" end"},
			ptr:      "/0", pos: "1:2", str: "1",
		},
		{
			name:  "trailing commas before } and ]",
			raw:   []byte(`{"a": [1, 2,], "b": {"c": 3,},}`),
			clean: `{"a": [1, 2 ], "b": {"c": 3 } }`,
			ptr:   "/b/c", pos: "1:27", str: "3",
		},
		{
			name:  "raw newline and escape in one string",
			raw:   []byte("{\"e\": \"[concat('a',\n\t'b\\\"')]\", \"n\": 1}"),
			clean: "{\"e\": \"[concat('a',\n\t'b\\\"')]\", \"n\": 1}",
			ptr:   "/e", pos: "1:7", str: "[concat('a',\n\t'b\"')]",
		},
		{
			name:  "node after the multi-line string",
			raw:   []byte("{\"e\": \"a\nbc\", \"n\": 1}"),
			clean: "{\"e\": \"a\nbc\", \"n\": 1}",
			ptr:   "/n", pos: "2:11", str: "1",
		},
		{
			name:  "UTF-8 BOM is dropped; columns count code points",
			raw:   append([]byte{0xEF, 0xBB, 0xBF}, "{\"é\": \"日本\", \"x\": true}"...),
			src:   "{\"é\": \"日本\", \"x\": true}",
			clean: "{\"é\": \"日本\", \"x\": true}",
			ptr:   "/x", pos: "1:18", str: "true",
		},
		{
			name:  "UTF-16 LE with BOM",
			raw:   utf16Bytes("{\n \"日本\": [\"😀\", null]}", false),
			src:   "{\n \"日本\": [\"😀\", null]}",
			clean: "{\n \"日本\": [\"😀\", null]}",
			ptr:   "/日本/1", pos: "2:14", str: "",
		},
		{
			name:  "UTF-16 BE with BOM",
			raw:   utf16Bytes("{\"é\": /* ü */ -1.5e3}", true),
			src:   "{\"é\": /* ü */ -1.5e3}",
			clean: "{\"é\":          -1.5e3}",
			// "ü" is two bytes, so the comment blanks to 8 spaces
			comments: []string{" ü "},
			ptr:      "/é", pos: "1:15", str: "-1.5e3",
		},
		{
			name:  "CRLF line ends",
			raw:   []byte("{\r\n  \"a\": 1,\r\n  \"b\": \"x\"\r\n}\r\n"),
			clean: "{\r\n  \"a\": 1,\r\n  \"b\": \"x\"\r\n}\r\n",
			ptr:   "/b", pos: "3:8", str: "x",
		},
		{
			name:     "lone CR line ends and a line comment ended by CR",
			raw:      []byte("{ // c\r\"a\": [\r 0]}"),
			clean:    "{     \r\"a\": [\r 0]}",
			comments: []string{" c"},
			ptr:      "/a/0", pos: "3:2", str: "0",
		},
		{
			name:  "escapes and surrogate pairs",
			raw:   []byte(`["\u00e9\ud83d\ude00\/\b\f\n\r\t", "\ud800x"]`),
			clean: `["\u00e9\ud83d\ude00\/\b\f\n\r\t", "\ud800x"]`,
			ptr:   "/1", pos: "1:36", str: "\uFFFDx",
		},
		{
			name:  "scalar root",
			raw:   []byte("  -0.5E+2  "),
			clean: "  -0.5E+2  ",
			ptr:   "", pos: "1:3", str: "-0.5E+2",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Load("t.json", tt.raw)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			wantSrc := tt.src
			if wantSrc == "" {
				wantSrc = string(tt.raw)
			}
			if string(f.Src) != wantSrc {
				t.Errorf("Src = %q, want %q", f.Src, wantSrc)
			}
			clean, comments, err := Clean(f.Src)
			if err != nil {
				t.Fatalf("Clean: %v", err)
			}
			if string(clean) != tt.clean {
				t.Errorf("clean = %q, want %q", clean, tt.clean)
			}
			if len(clean) != len(f.Src) {
				t.Errorf("clean has %d bytes, Src %d", len(clean), len(f.Src))
			}
			var texts []string
			for _, c := range f.Comments {
				texts = append(texts, c.Text)
				if !strings.HasPrefix(string(f.Src[c.Start:c.End]), "/") {
					t.Errorf("comment span %q does not start at '/'", f.Src[c.Start:c.End])
				}
			}
			if fmt.Sprint(texts) != fmt.Sprint(tt.comments) || len(comments) != len(f.Comments) {
				t.Errorf("comments = %q, want %q", texts, tt.comments)
			}
			if got := posOf(f, tt.ptr); got != tt.pos {
				t.Errorf("position of %q = %s, want %s", tt.ptr, got, tt.pos)
			}
			if v := f.Root.Lookup(tt.ptr); v != nil && v.Str() != tt.str {
				t.Errorf("Str of %q = %q, want %q", tt.ptr, v.Str(), tt.str)
			}
		})
	}
}

func TestCleanReturnsSourceWhenNothingToBlank(t *testing.T) {
	src := []byte(`{"a": [1, "//"]}`)
	clean, comments, err := Clean(src)
	if err != nil || comments != nil {
		t.Fatalf("Clean = %v, %v", comments, err)
	}
	if &clean[0] != &src[0] {
		t.Error("Clean copied a source that needed no blanking")
	}
	src = []byte(`{"a": 1,}`)
	clean, _, _ = Clean(src)
	if string(src) != `{"a": 1,}` || string(clean) != `{"a": 1 }` {
		t.Errorf("Clean modified its input or blanked wrongly: src %q clean %q", src, clean)
	}
}

func TestSyntaxErrors(t *testing.T) {
	tests := []struct {
		name string
		raw  []byte
		want string // "line:col: message"
	}{
		{"missing comma", []byte("{\"a\": 1\n \"b\": 2}"), "2:2: expected ',' or '}' after object member"},
		{"missing comma in array", []byte(`[1 2]`), "1:4: expected ',' or ']' after array element"},
		{"missing colon", []byte(`{"a" 1}`), "1:6: expected ':' after object key"},
		{"unquoted key", []byte(`{a: 1}`), "1:2: invalid character 'a' looking for beginning of object key string"},
		{"unterminated string", []byte(`{"a": "abc`), "1:7: unterminated string"},
		{"unterminated string after backslash", []byte(`["ab\`), "1:2: unterminated string"},
		{"unterminated comment", []byte(`{"a": 1 /* x`), "1:9: unterminated comment"},
		{"lone slash", []byte(`{"a": 1 / 2}`), "1:9: invalid character '/': a comment starts with // or /*"},
		{"trailing garbage", []byte(`{} x`), "1:4: invalid character 'x' after top-level value"},
		{"second root value", []byte("{}\n// c\n{}"), "3:1: invalid character '{' after top-level value"},
		{"bad escape", []byte(`["a\qb"]`), "1:5: invalid character 'q' in string escape code"},
		{"bad unicode escape", []byte(`["\u12G4"]`), `1:7: invalid character 'G' in \u hexadecimal character escape`},
		{"leading zero", []byte(`[01]`), "1:2: invalid number: leading zero"},
		{"negative leading zero", []byte(`[-012]`), "1:2: invalid number: leading zero"},
		{"minus alone", []byte(`[-]`), "1:3: invalid character ']' in numeric literal"},
		{"no fraction digits", []byte(`[1.]`), "1:4: invalid character ']' after decimal point in numeric literal"},
		{"no exponent digits", []byte(`[1e+]`), "1:5: invalid character ']' in exponent of numeric literal"},
		{"plus sign", []byte(`[+1]`), "1:2: invalid character '+' looking for beginning of value"},
		{"double comma", []byte(`[1,,2]`), "1:4: invalid character ',' looking for beginning of value"},
		{"leading comma in array", []byte(`[,1]`), "1:2: invalid character ',' looking for beginning of value"},
		{"comma only in object", []byte(`{,}`), "1:2: invalid character ',' looking for beginning of object key string"},
		{"closer after trailing comma", []byte(`[1,]]`), "1:5: invalid character ']' after top-level value"},
		{"bad literal", []byte(`[tru]`), "1:5: invalid character ']' in literal true (expecting 'e')"},
		{"capitalised literal", []byte(`[True]`), "1:2: invalid character 'T' looking for beginning of value"},
		{"single quotes", []byte(`{'a': 1}`), `1:2: invalid character '\'' looking for beginning of object key string`},
		{"NUL outside string", []byte("{\x00}"), `1:2: invalid character '\x00' looking for beginning of object key string`},
		{"invalid UTF-8 byte", []byte("[\xff]"), `1:2: invalid character '\xff' looking for beginning of value`},
		{"columns count code points", []byte(`{"日本": x}`), "1:8: invalid character 'x' looking for beginning of value"},
		{"error after CRLF lines", []byte("{\r\n\"a\": 1,\r\n]"), "3:1: invalid character ']' looking for beginning of object key string"},
		{"unexpected end of file", []byte(`{"a": [1, 2`), "1:12: unexpected end of file"},
		{"end of file after key", []byte(`{"a"`), "1:5: unexpected end of file"},
		{"empty file", []byte(""), "1:1: empty file"},
		{"whitespace only", []byte(" \r\n\t "), "1:1: empty file"},
		{"comments only", []byte("// nothing\n/* here */"), "1:1: empty file"},
		{"BOM only", []byte{0xEF, 0xBB, 0xBF}, "1:1: empty file"},
		{"too deep", []byte(strings.Repeat("[", 10000)), "1:513: nesting too deep (more than 512 levels)"},
		{"too deep objects", []byte(strings.Repeat(`{"a":`, 600)), "1:2561: nesting too deep (more than 512 levels)"},
		{"UTF-16 odd length", []byte{0xFF, 0xFE, '{', 0, '}'}, "1:1: invalid UTF-16: odd number of bytes after the byte order mark"},
		{"UTF-16 lone high surrogate", []byte{0xFF, 0xFE, 0x00, 0xD8, '{', 0}, "1:1: invalid UTF-16: unpaired surrogate"},
		{"UTF-16 lone low surrogate", []byte{0xFE, 0xFF, 0xDC, 0x00}, "1:1: invalid UTF-16: unpaired surrogate"},
		{"UTF-16 high surrogate at end", []byte{0xFE, 0xFF, 0xD8, 0x00}, "1:1: invalid UTF-16: unpaired surrogate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Load("", tt.raw)
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Load error = %v, want a *SyntaxError", err)
			}
			if got := se.Error(); got != tt.want {
				t.Errorf("error = %q\n want %q", got, tt.want)
			}
			if f == nil || f.Root != nil || f.Kind != KindOther {
				t.Fatalf("Load returned file %+v, want partial file without tree", f)
			}
			if se.Pos != f.Position(se.Offset) {
				t.Errorf("Pos %+v disagrees with Position(%d) = %+v", se.Pos, se.Offset, f.Position(se.Offset))
			}
			// Clean agrees with Load on the decoded text.
			if len(f.Src) > 0 {
				if _, _, cerr := Clean(f.Src); cerr == nil || cerr.Error() != tt.want {
					t.Errorf("Clean error = %v, want %q", cerr, tt.want)
				}
			}
		})
	}
}

func TestSyntaxErrorWithPath(t *testing.T) {
	_, err := Load("dir/main.json", []byte("{\n  \"a\": ,\n}"))
	if err == nil || err.Error() != "dir/main.json:2:8: invalid character ',' looking for beginning of value" {
		t.Errorf("error = %v", err)
	}
}

func TestLines(t *testing.T) {
	f, err := Load("t.json", []byte("{\r\n\"a\": 1,\r\"b\":\n 2}"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"{", `"a": 1,`, `"b":`, " 2}"}
	if f.LineCount() != len(want) {
		t.Fatalf("LineCount = %d, want %d", f.LineCount(), len(want))
	}
	for i, w := range want {
		if got := string(f.Line(i + 1)); got != w {
			t.Errorf("Line(%d) = %q, want %q", i+1, got, w)
		}
	}
	if f.Line(0) != nil || f.Line(5) != nil {
		t.Error("Line out of range is not nil")
	}
	if got := f.Position(-5); got != (Pos{Line: 1, Col: 1, Offset: 0}) {
		t.Errorf("Position(-5) = %+v", got)
	}
	if got := f.Position(1000); got != (Pos{Line: 4, Col: 4, Offset: len(f.Src)}) {
		t.Errorf("Position(1000) = %+v", got)
	}
	// A File built by hand works without Load, and is not mutated.
	hand := &File{Src: []byte("a\nb")}
	if got := hand.Position(2); got.Line != 2 || got.Col != 1 || hand.lines != nil {
		t.Errorf("hand-built Position = %+v (lines %v)", got, hand.lines)
	}
}

func TestConcurrentReaders(t *testing.T) {
	f, err := Load("t.json", bytes.Repeat([]byte("[1,\n"), 100))
	if err == nil {
		t.Fatal("expected an error for an unterminated array")
	}
	done := make(chan Pos)
	for i := range 8 {
		go func() { done <- f.Position(i * 40) }()
	}
	for range 8 {
		<-done
	}
	// A file that loads builds its line table on first use: concurrent
	// first uses (run with -race) must agree.
	ok, err := Load("t.json", append(bytes.Repeat([]byte("[1,\n"), 100), bytes.Repeat([]byte("]"), 100)...))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 8 {
		go func() { done <- ok.Position(i * 40) }()
	}
	for range 8 {
		if p := <-done; p.Line != p.Offset/4+1 || p.Col != 1 {
			t.Errorf("Position(%d) = %+v", p.Offset, p)
		}
	}
}

func TestLineTableOnFirstUse(t *testing.T) {
	f, err := Load("t.json", []byte("{\n\"a\":\r\n 1}"))
	if err != nil {
		t.Fatal(err)
	}
	if f.lines == nil || f.lines.starts != nil {
		t.Fatalf("Load built the line table: %+v", f.lines)
	}
	c := f.WithoutTree()
	if got := c.Position(9); got != (Pos{Line: 3, Col: 2, Offset: 9}) {
		t.Errorf("Position(9) = %+v", got)
	}
	// The copy and the original share one table, built once.
	if want := []int{0, 2, 8}; !slices.Equal(f.lines.starts, want) || c.lines != f.lines {
		t.Errorf("line table %v (shared %v), want %v", f.lines.starts, c.lines == f.lines, want)
	}
	if f.LineCount() != 3 || string(f.Line(2)) != `"a":` {
		t.Errorf("LineCount %d, Line(2) %q", f.LineCount(), f.Line(2))
	}
}

// TestTreeSharesSource checks that keys, strings without escapes and
// numbers are views of Src, not copies.
func TestTreeSharesSource(t *testing.T) {
	f, err := Load("t.json", []byte(`{"key": ["text", 12.5, "a\nb"]}`))
	if err != nil {
		t.Fatal(err)
	}
	inSrc := func(s string) bool {
		p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
		start := uintptr(unsafe.Pointer(unsafe.SliceData(f.Src)))
		return p >= start && p+uintptr(len(s)) <= start+uintptr(len(f.Src))
	}
	m := f.Root.Members()[0]
	for _, s := range []string{m.Key, m.Value.Elems()[0].Str(), m.Value.Elems()[1].Str()} {
		if !inSrc(s) {
			t.Errorf("%q is a copy, not a view of Src", s)
		}
	}
	if s := m.Value.Elems()[2].Str(); s != "a\nb" || inSrc(s) {
		t.Errorf("escaped string %q", s)
	}
}

// TestWordScans checks plainEnd and skipSpaces, which read eight bytes at
// a time, against a byte-by-byte scan from every offset.
func TestWordScans(t *testing.T) {
	srcs := []string{
		"", `"`, `\`, "abcdefgh", `abcdefg"`, `abcdefgh\`, `a"b\c`, "\x22\x5c\x21\x5b\x01\x00\xff\x80",
		"\"\x23\x5d\x01\x21!\x22\x22", `0123456789abcdef"0123456789abcdef`, "é\"ü\\ñ", "!!!!!!!!\"",
		"        ", "         x", "  \t  ", " \n       a", "                \x00", "\xa0       ",
	}
	for _, src := range srcs {
		b := []byte(src)
		for i := 0; i <= len(b); i++ {
			want := i
			for want < len(b) && b[want] != '"' && b[want] != '\\' {
				want++
			}
			if got := plainEnd(b, i); got != want {
				t.Errorf("plainEnd(%q, %d) = %d, want %d", src, i, got, want)
			}
			want = i
			for want < len(b) && b[want] == ' ' {
				want++
			}
			if got := skipSpaces(b, i); got != want {
				t.Errorf("skipSpaces(%q, %d) = %d, want %d", src, i, got, want)
			}
		}
	}
}

// strByBytes is the scanner's str without the word-at-a-time skip: str
// must agree with it on every input, errors included.
func strByBytes(s *scanner) bool {
	start := s.pos
	i := start + 1
	s.escaped = false
	for i < len(s.src) {
		switch s.src[i] {
		case '"':
			s.pos = i + 1
			return true
		case '\\':
			s.escaped = true
			i++
			if i >= len(s.src) {
				return s.fail(start, "unterminated string")
			}
			switch s.src[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				i++
				for range 4 {
					if i >= len(s.src) {
						return s.fail(start, "unterminated string")
					}
					if !isHex(s.src[i]) {
						s.pos = i
						return s.failChar(`in \u hexadecimal character escape`)
					}
					i++
				}
			default:
				s.pos = i
				return s.failChar("in string escape code")
			}
		default:
			i++
		}
	}
	return s.fail(start, "unterminated string")
}

// checkStr runs str and strByBytes on the string literal starting at
// src[0] and reports any difference in outcome, end, escape flag or error.
func checkStr(t *testing.T, src []byte) {
	t.Helper()
	a, b := scanner{src: src}, scanner{src: src}
	okA, okB := a.str(), strByBytes(&b)
	if okA != okB || a.pos != b.pos || a.escaped != b.escaped || a.errOff != b.errOff || a.errMsg != b.errMsg {
		t.Errorf("str(%q) = %v pos %d esc %v err %d %q; byte by byte: %v pos %d esc %v err %d %q",
			src, okA, a.pos, a.escaped, a.errOff, a.errMsg, okB, b.pos, b.escaped, b.errOff, b.errMsg)
	}
}

func TestStrAgreesByteByByte(t *testing.T) {
	bodies := []string{
		``, `a`, `abcdefg`, `abcdefgh`, `abcdefghijklmnopqrstuvwxyz0123456789`, `\"`, `a\"b`, `\\`, `\\\"`,
		`\u00e9`, `\u00E9xyz`, `\u12`, `\u12g4`, `\x`, `\`, `abcdefgh\`, `abcdefgh\u`, "line\nbreak\traw",
		strings.Repeat(`x\"`, 30), strings.Repeat(`\\`, 20), strings.Repeat("é", 20), `[concat('a', \"b\")]`,
	}
	for _, body := range bodies {
		for _, tail := range []string{`"`, `" , "next"`, ``, `\`, `"` + strings.Repeat(" ", 16)} {
			checkStr(t, []byte(`"`+body+tail))
		}
	}
}

func FuzzStr(f *testing.F) {
	f.Add([]byte(`"abc\"def\u00e9" tail "`))
	f.Add([]byte(`"\u12`))
	f.Fuzz(func(t *testing.T, body []byte) {
		checkStr(t, append([]byte{'"'}, body...))
	})
}

// TestMemberBound checks the bound the builder sizes its member chunk by
// on the densest documents, and on colons outside members.
func TestMemberBound(t *testing.T) {
	tests := []struct {
		src     string
		members int
	}{
		{`{"":0}`, 1},
		{`{"":0,"":0,"":0,"":0}`, 4},
		{`{"":{"":{"":{"":0}}}}`, 4},
		{`[{"":0},{"":0},{"":0}]`, 3},
		{`{"a":"::::::::::::::::::::::::::::::::::::::::"}`, 1},
		{"{/*:::*/\"a\"//::\n:1}", 1},
		{`[]`, 0},
	}
	for _, tt := range tests {
		f := mustLoad(t, tt.src)
		n := 0
		walk(f.Root, func(v *Value) { n += len(v.Members()) })
		if n != tt.members || memberBound(f.Src) < n {
			t.Errorf("%s: %d members (want %d), bound %d", tt.src, n, tt.members, memberBound(f.Src))
		}
	}
	if b := memberBound([]byte(`{"a":"` + strings.Repeat(":", 1000) + `"}`)); b > 1010/5+1 {
		t.Errorf("a string of colons claims %d members", b)
	}
}

// TestNodeSizes pins the sizes the builder's chunks are planned for.
func TestNodeSizes(t *testing.T) {
	if s := unsafe.Sizeof(Value{}); s != 32 {
		t.Errorf("Value is %d bytes, want 32", s)
	}
	if s := unsafe.Sizeof(Member{}); s != 32 {
		t.Errorf("Member is %d bytes, want 32", s)
	}
	if s := unsafe.Sizeof(Value{}) * valueChunk; s > 8192 || s < 8192-unsafe.Sizeof(Value{}) {
		t.Errorf("a chunk of member values is %d bytes, want the most that fits 8 KiB", s)
	}
}
