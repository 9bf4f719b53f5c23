//go:build !linux

package analyzer

import "os"

// dirReader reads directories with os.ReadDir.
type dirReader struct{}

// read is os.ReadDir(path): the entries sorted by name, and those read
// before an error with it.
func (*dirReader) read(path string) ([]dirEntry, error) {
	list, err := os.ReadDir(path)
	entries := make([]dirEntry, len(list))
	for i, e := range list {
		entries[i] = dirEntry{name: e.Name(), dir: path, typ: e.Type()}
	}
	return entries, err
}
