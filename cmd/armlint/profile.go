package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
)

// startProfiles starts the CPU profile (--profile-cpu) and returns a
// function that stops it and writes the heap profile (--profile-mem). The
// profiles cover the whole run: configuration, policy compilation,
// analysis and output.
func startProfiles(cpuPath, memPath string) (stop func() error, err error) {
	var cpu *os.File
	if cpuPath != "" {
		cpu, err = os.Create(cpuPath)
		if err != nil {
			return nil, fmt.Errorf("--profile-cpu: %w", err)
		}
		if err := pprof.StartCPUProfile(cpu); err != nil {
			_ = cpu.Close()
			return nil, fmt.Errorf("--profile-cpu: %w", err)
		}
	}
	if memPath != "" {
		// Record every allocation: a run is short, and the profile
		// serves to find where allocations come from.
		runtime.MemProfileRate = 4096
	}
	return func() error {
		if cpu != nil {
			pprof.StopCPUProfile()
			if err := cpu.Close(); err != nil {
				return fmt.Errorf("--profile-cpu: %w", err)
			}
		}
		if memPath == "" {
			return nil
		}
		f, err := os.Create(memPath)
		if err != nil {
			return fmt.Errorf("--profile-mem: %w", err)
		}
		// allocs: the sampled allocations since the start (alloc_space,
		// alloc_objects) and what is live now (inuse_space after a GC).
		runtime.GC()
		if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
			_ = f.Close()
			return fmt.Errorf("--profile-mem: %w", err)
		}
		return f.Close()
	}, nil
}
