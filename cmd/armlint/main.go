// Command armlint lints Azure Resource Manager templates for managed
// identity and role assignment problems.
package main

import "os"

func main() {
	tuneGC()
	os.Exit(Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
