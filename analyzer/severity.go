// Package analyzer holds armlint's core vocabulary (rules, findings,
// severities, passes) and drives a run: load, evaluate, build the identity
// graph, run the rules, apply suppressions, sort.
package analyzer

import (
	"fmt"
	"strings"
)

// Severity is ordered; the zero value is invalid so that a missing severity
// is caught by registry validation.
type Severity uint8

// Severities, lowest first.
const (
	SeverityNote Severity = iota + 1
	SeverityWarning
	SeverityError
)

// ParseSeverity parses "note", "warning" or "error" (case-insensitive).
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "note":
		return SeverityNote, nil
	case "warning":
		return SeverityWarning, nil
	case "error":
		return SeverityError, nil
	}
	return 0, fmt.Errorf("invalid severity %q (want note, warning or error)", s)
}

// String returns "note", "warning" or "error": the SARIF level.
func (s Severity) String() string {
	switch s {
	case SeverityNote:
		return "note"
	case SeverityWarning:
		return "warning"
	case SeverityError:
		return "error"
	}
	return fmt.Sprintf("severity(%d)", uint8(s))
}

// Valid reports whether s is one of the three severities.
func (s Severity) Valid() bool { return s >= SeverityNote && s <= SeverityError }
