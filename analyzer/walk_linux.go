package analyzer

import (
	"encoding/binary"
	"errors"
	"io/fs"
	"syscall"
	"unsafe"
)

// dirReader reads directories with plain system calls, into buffers that
// one walk reuses: no *os.File, and one string for the names of a
// directory instead of two allocations per entry.
type dirReader struct {
	buf   []byte     // getdents64 records
	names []byte     // the names of the directory being read, end to end
	ents  []nameSpan // where each is in names, and its type
}

type nameSpan struct {
	start, end int
	typ        fs.FileMode
}

// Offsets in a linux_dirent64 record.
const (
	direntReclen = int(unsafe.Offsetof(syscall.Dirent{}.Reclen))
	direntType   = int(unsafe.Offsetof(syscall.Dirent{}.Type))
	direntName   = int(unsafe.Offsetof(syscall.Dirent{}.Name))
)

// read is os.ReadDir(path): the entries sorted by name, without "." and
// "..", and with the entries read before an error the error (an
// *fs.PathError: os.ReadDir's Op and Path for opening and reading the
// directory; "lstat" and the entry's path where the file system does not
// give an entry's type, which os.ReadDir asks of fstatat on the directory:
// the walk reports only the underlying error). An entry gone meanwhile is
// left out, as os.ReadDir does.
func (r *dirReader) read(path string) ([]dirEntry, error) {
	fd, err := openDir(path)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	defer syscall.Close(fd)
	if r.buf == nil {
		r.buf = make([]byte, 8192) // os.ReadDir's block size
	}
	r.names, r.ents = r.names[:0], r.ents[:0]
	var readErr error
read:
	for {
		n, err := getdents(fd, r.buf)
		if err != nil {
			readErr = &fs.PathError{Op: "readdirent", Path: path, Err: err}
			break
		}
		if n <= 0 {
			break
		}
		for buf := r.buf[:n]; len(buf) > 0; {
			if len(buf) <= direntName {
				break read
			}
			reclen := int(binary.NativeEndian.Uint16(buf[direntReclen:]))
			if reclen <= direntName || reclen > len(buf) {
				break read // as os.ReadDir: what was read so far
			}
			rec := buf[:reclen]
			buf = buf[reclen:]
			name := rec[direntName:]
			for i, c := range name {
				if c == 0 {
					name = name[:i]
					break
				}
			}
			if string(name) == "." || string(name) == ".." {
				continue
			}
			typ, known := dtType(rec[direntType])
			if !known {
				var st syscall.Stat_t
				full := path + "/" + string(name)
				err := lstat(full, &st)
				if errors.Is(err, syscall.ENOENT) {
					continue // gone since the listing
				}
				if err != nil {
					readErr = &fs.PathError{Op: "lstat", Path: full, Err: err}
					break read
				}
				typ = typeMode(st.Mode)
			}
			start := len(r.names)
			r.names = append(r.names, name...)
			r.ents = append(r.ents, nameSpan{start, len(r.names), typ})
		}
	}
	names := string(r.names)
	entries := make([]dirEntry, len(r.ents))
	for i, e := range r.ents {
		entries[i] = dirEntry{name: names[e.start:e.end], dir: path, typ: e.typ}
	}
	sortEntries(entries)
	return entries, readErr
}

// dtType converts a dirent's d_type to fs.FileMode type bits; known is
// false for DT_UNKNOWN (and any other value).
func dtType(t uint8) (typ fs.FileMode, known bool) {
	switch t {
	case syscall.DT_REG:
		return 0, true
	case syscall.DT_DIR:
		return fs.ModeDir, true
	case syscall.DT_LNK:
		return fs.ModeSymlink, true
	case syscall.DT_FIFO:
		return fs.ModeNamedPipe, true
	case syscall.DT_SOCK:
		return fs.ModeSocket, true
	case syscall.DT_CHR:
		return fs.ModeDevice | fs.ModeCharDevice, true
	case syscall.DT_BLK:
		return fs.ModeDevice, true
	}
	return 0, false
}

func openDir(path string) (int, error) {
	for {
		fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			return fd, err
		}
	}
}

func getdents(fd int, buf []byte) (int, error) {
	for {
		n, err := syscall.Getdents(fd, buf)
		if err != syscall.EINTR {
			return n, err
		}
	}
}

func lstat(path string, st *syscall.Stat_t) error {
	for {
		err := syscall.Lstat(path, st)
		if err != syscall.EINTR {
			return err
		}
	}
}
