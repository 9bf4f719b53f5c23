package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestProfiles runs with both profile flags as main runs (allocation
// sampling off until --profile-mem asks for it) and checks that both
// profiles are written, and that the allocation profile has samples in
// the loader (a run this short may have no CPU sample at all).
func TestProfiles(t *testing.T) {
	rate := runtime.MemProfileRate
	runtime.MemProfileRate = 0
	t.Cleanup(func() { runtime.MemProfileRate = rate })

	dir := t.TempDir()
	cpu, mem := filepath.Join(dir, "cpu.pprof"), filepath.Join(dir, "mem.pprof")
	_, errOut, code := runCLI(t, "--profile-cpu", cpu, "--profile-mem", mem, "-f", "compact", "../../testdata/examples")
	if code != exitFindings {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	for _, p := range []string{cpu, mem} {
		raw := readProfile(t, p)
		if len(raw) == 0 {
			t.Errorf("%s: empty profile", p)
		}
		if p == mem && !bytes.Contains(raw, []byte("github.com/armlint/armlint/analyzer/template.Load")) {
			t.Errorf("%s: no allocation sample in template.Load", p)
		}
	}
}

// readProfile returns the protocol buffer of a gzipped pprof profile.
func readProfile(t *testing.T, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	raw, err := io.ReadAll(z)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return raw
}
