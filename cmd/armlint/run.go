package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"
)

const usageHeader = `armlint checks Azure Resource Manager (ARM) templates for managed identity and
role assignment problems: identities in the wrong region, over-broad roles, role
assignments created before their identity exists, and leftovers.

Usage:
  armlint [flags] PATH...        lint files and directories (directories: every *.json
                                 whose $schema is a deployment template)
  armlint [flags] -              lint standard input (with --stdin-filename for editors)
  armlint rules [--format text|json|md]
                                 list the rules
  armlint explain ID|NAME        print a rule's documentation
  armlint graph [--format json|dot|mermaid] [--stats] PATH...
                                 print the identity graph (docs/graph.md)
  armlint version                print version, commit and Go version

Exit codes:
  0  no unsuppressed finding at or above --fail-level
  1  findings at or above --fail-level (an invalid template counts)
  2  usage, configuration, I/O or policy error

Flags:
`

// Run is the whole command line program: it parses args, runs the
// subcommand and returns the exit code. It is the in-process target of the
// end-to-end tests.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		switch args[0] {
		case "rules":
			return runRules(args[1:], stdout, stderr)
		case "explain":
			return runExplain(args[1:], stdout, stderr)
		case "version":
			return runVersion(stdout)
		case "graph":
			return runGraph(args[1:], stdin, stdout, stderr)
		}
	}
	return runLint(args, stdin, stdout, stderr)
}

// newFlagSet returns a flag set that reports errors instead of exiting.
func newFlagSet(name string, stderr io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.SortFlags = false
	return fs
}

// parseFlags parses args and handles --help. It returns (done, code): when
// done is true the caller returns code.
func parseFlags(fs *pflag.FlagSet, args []string, header string, stdout, stderr io.Writer) (bool, int) {
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fmt.Fprint(stdout, header)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return true, exitOK
		}
		fmt.Fprintf(stderr, "armlint: %v\nRun 'armlint --help' for usage.\n", err)
		return true, exitError
	}
	return false, 0
}

func usageError(stderr io.Writer, format string, args ...any) int {
	msg := fmt.Sprintf(format, args...)
	fmt.Fprintf(stderr, "armlint: %s\n", strings.TrimSpace(msg))
	return exitError
}
