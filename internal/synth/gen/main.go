// Command gen writes a synthetic template (package synth) to standard
// output: gen -resources 2000 -size 5000000 > big.json.
package main

import (
	"flag"
	"log"
	"os"

	"github.com/armlint/armlint/internal/synth"
)

func main() {
	n := flag.Int("resources", 2000, "top-level resources")
	size := flag.Int("size", 5_000_000, "approximate size in bytes")
	flag.Parse()
	if _, err := os.Stdout.Write(synth.Template(*n, *size)); err != nil {
		log.Fatal(err)
	}
}
