//go:build unix

package analyzer

import (
	"os"
	"syscall"
)

// openNonBlocking opens path for reading without blocking: opening a named
// pipe that has no writer returns at once (the caller then sees that it is
// not a regular file) instead of waiting for a writer for ever.
func openNonBlocking(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
