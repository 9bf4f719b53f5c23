//go:build !unix

package analyzer

import (
	"io/fs"
	"os"
)

// sourceFile is a file opened for reading.
type sourceFile struct{ *os.File }

// openSource opens path for reading. Outside Unix there are no named
// pipes in the file system to block on.
func openSource(path string) (*sourceFile, error) {
	if openHook != nil {
		openHook(path)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return &sourceFile{f}, nil
}

// stat returns the type bits and the size of the open file.
func (f *sourceFile) stat() (fs.FileMode, int64, error) {
	info, err := f.Stat()
	if err != nil {
		return 0, 0, err
	}
	return info.Mode().Type(), info.Size(), nil
}
