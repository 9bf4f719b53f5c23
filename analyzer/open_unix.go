//go:build unix

package analyzer

import (
	"io"
	"io/fs"
	"syscall"
)

// sourceFile is a file opened for reading with plain system calls: no
// *os.File, so no attempt to register a regular file with the runtime's
// poller (an epoll_ctl that fails for every regular file), no cleanup to
// attach, and no fcntl calls.
type sourceFile struct {
	fd   int
	path string
}

// openSource opens path for reading without blocking: opening a named pipe
// that has no writer returns at once (the caller then sees that it is not
// a regular file) instead of waiting for a writer for ever. Errors are
// *fs.PathError, as os.Open returns them.
func openSource(path string) (*sourceFile, error) {
	if openHook != nil {
		openHook(path)
	}
	for {
		fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
		if err == nil {
			return &sourceFile{fd: fd, path: path}, nil
		}
		if err != syscall.EINTR {
			return nil, &fs.PathError{Op: "open", Path: path, Err: err}
		}
	}
}

// stat returns the type bits and the size of the open file.
func (f *sourceFile) stat() (fs.FileMode, int64, error) {
	var st syscall.Stat_t
	for {
		err := syscall.Fstat(f.fd, &st)
		if err == nil {
			break
		}
		if err != syscall.EINTR {
			return 0, 0, &fs.PathError{Op: "stat", Path: f.path, Err: err}
		}
	}
	return typeMode(uint32(st.Mode)), st.Size, nil //nolint:unconvert // Mode is uint16 on some systems
}

// typeMode converts the file type bits of a stat mode to fs.FileMode's.
func typeMode(mode uint32) fs.FileMode {
	switch mode & syscall.S_IFMT {
	case syscall.S_IFREG:
		return 0
	case syscall.S_IFDIR:
		return fs.ModeDir
	case syscall.S_IFIFO:
		return fs.ModeNamedPipe
	case syscall.S_IFLNK:
		return fs.ModeSymlink
	case syscall.S_IFSOCK:
		return fs.ModeSocket
	case syscall.S_IFCHR:
		return fs.ModeDevice | fs.ModeCharDevice
	case syscall.S_IFBLK:
		return fs.ModeDevice
	}
	return fs.ModeIrregular
}

// Read reads from the file; it returns io.EOF at the end.
func (f *sourceFile) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for {
		n, err := syscall.Read(f.fd, p)
		switch {
		case err == syscall.EINTR:
			continue
		case err != nil:
			return 0, &fs.PathError{Op: "read", Path: f.path, Err: err}
		case n == 0:
			return 0, io.EOF
		}
		return n, nil
	}
}

// Close closes the file.
func (f *sourceFile) Close() error {
	return syscall.Close(f.fd)
}
