//go:build unix

package analyzer

import (
	"syscall"
	"testing"
)

// mkfifo creates a named pipe at p, or skips the test.
func mkfifo(t *testing.T, p string) {
	t.Helper()
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
}
