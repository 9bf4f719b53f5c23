//go:build !unix

package analyzer

import "testing"

// mkfifo skips the test: there are no named pipes in the file system.
func mkfifo(t *testing.T, _ string) {
	t.Helper()
	t.Skip("no named pipes in the file system on this platform")
}
