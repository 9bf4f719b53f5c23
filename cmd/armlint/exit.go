package main

// Exit codes, following the diff/grep convention.
const (
	exitOK       = 0 // no unsuppressed finding at or above the fail level
	exitFindings = 1 // findings at or above the fail level (an invalid template counts)
	exitError    = 2 // usage, configuration, I/O or policy compilation error
)
