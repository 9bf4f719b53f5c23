package analyzer

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"syscall"
	"unicode/utf8"
)

// DefaultMaxFileSize is the largest file analysed when Options.MaxFileSize
// is zero: 32 MiB. ARM itself rejects templates over 4 MB.
const DefaultMaxFileSize = 32 << 20

// maxFileSize returns the effective file size limit (-1: none).
func (o *Options) maxFileSize() int64 {
	switch {
	case o.MaxFileSize == 0:
		return DefaultMaxFileSize
	case o.MaxFileSize < 0:
		return -1
	}
	return o.MaxFileSize
}

// openHook, when set (by tests), is called with the path of every file
// openSource opens.
var openHook func(path string)

// skipped is a file that is not analysed, and why: the reason becomes an
// AL0003 note on the file, and the run goes on.
type skipped struct{ why string }

func (s *skipped) Error() string { return s.why }

// readSource reads the file of a job: it never blocks on a named pipe or
// a device, never reads more than limit bytes (limit < 0: no limit), and
// turns what is wrong with the file itself (not a regular file, too
// large, vanished since the walk, a dangling or looping symbolic link)
// into a *skipped. Other errors (permissions, I/O) are returned as they
// are: the run could not do its job for this file.
func readSource(path string, limit int64) ([]byte, error) {
	f, err := openSource(path)
	if err != nil {
		return nil, openProblem(path, err)
	}
	defer f.Close()
	mode, size, err := f.stat()
	if err != nil {
		return nil, err
	}
	if !mode.IsRegular() {
		return nil, &skipped{why: fmt.Sprintf("not a regular file (%s); skipped", fileKind(mode))}
	}
	if limit >= 0 && size > limit {
		return nil, tooLarge(size, limit)
	}
	data, err := readAll(f, size, limit)
	if err != nil {
		return nil, err
	}
	if limit >= 0 && int64(len(data)) > limit {
		return nil, tooLarge(int64(len(data)), limit)
	}
	return data, nil
}

// readAll reads f, whose size was size when it was opened, and at most
// limit+1 bytes (no limit when negative). The buffer is sized for the
// whole file at once, with a byte to spare to see that it ends there: a
// first read that returns exactly size bytes of the size+1 asked for
// has met the end of the file (a regular file returns fewer bytes than
// asked for only there), and the file is not read again to be told so.
func readAll(f io.Reader, size, limit int64) ([]byte, error) {
	r := f
	if limit >= 0 {
		r = io.LimitReader(f, limit+1)
	}
	if size <= 0 || size > 1<<30 {
		return io.ReadAll(r)
	}
	buf := make([]byte, 0, size+1)
	for first := true; ; first = false {
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF || err == nil && first && int64(n) == size {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
		if len(buf) == cap(buf) {
			// The file grew since it was opened: read the rest.
			rest, err := io.ReadAll(r)
			if err != nil {
				return nil, err
			}
			return append(buf, rest...), nil
		}
	}
}

// readStdin reads standard input, at most limit bytes.
func readStdin(r io.Reader, limit int64) ([]byte, error) {
	if limit >= 0 {
		r = io.LimitReader(r, limit+1)
	}
	return io.ReadAll(r)
}

func tooLarge(size, limit int64) *skipped {
	return &skipped{why: fmt.Sprintf("the file is %s, larger than the %s armlint reads (--max-file-size); not analysed",
		formatSize(size), formatSize(limit))}
}

// formatSize renders a byte count for messages: "32 MiB", "1.5 KiB", "12 bytes".
func formatSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	case n == 1:
		return "1 byte"
	}
	return fmt.Sprintf("%d bytes", n)
}

// openProblem classifies an error opening path.
func openProblem(path string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if target, lerr := os.Readlink(path); lerr == nil {
			return &skipped{why: fmt.Sprintf("symbolic link to %s, which does not exist; skipped", escapeName(target))}
		}
		return &skipped{why: "the file vanished before it could be read; not analysed"}
	case errors.Is(err, syscall.ELOOP):
		return &skipped{why: "symbolic link loop; skipped"}
	}
	return err
}

// fileKind names the type of a file that is not regular.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "directory"
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeCharDevice != 0:
		return "character device"
	case m&fs.ModeDevice != 0:
		return "device"
	case m&fs.ModeSymlink != 0:
		return "symbolic link"
	case m&fs.ModeIrregular != 0:
		return "irregular file"
	}
	return "special file"
}

// escapeName makes a file name safe to print: bytes that are not valid
// UTF-8 and control characters are written as \xNN escapes (a name may
// contain a newline, which would forge an output line).
func escapeName(s string) string {
	clean := utf8.ValidString(s)
	for i := 0; clean && i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			clean = false
		}
	}
	if clean {
		return s
	}
	const hex = "0123456789abcdef"
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 || r < 0x20 || r == 0x7f {
			b.WriteString(`\x`)
			b.WriteByte(hex[s[i]>>4])
			b.WriteByte(hex[s[i]&0xF])
			i++
			continue
		}
		b.WriteString(s[i : i+size])
		i += size
	}
	return b.String()
}
