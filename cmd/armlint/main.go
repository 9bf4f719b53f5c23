// Command armlint lints Azure Resource Manager templates for managed
// identity and role assignment problems.
package main

import (
	"os"
	"runtime"
)

func main() {
	// Go samples one allocation in every 512 kB for the heap profile by
	// default: a stack walk and a bucket look-up each time, and the
	// pages of the bucket table faulted in, about 2 % of a corpus run's
	// CPU for a profile nobody reads. --profile-mem turns it back on.
	runtime.MemProfileRate = 0
	tuneGC()
	os.Exit(Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
