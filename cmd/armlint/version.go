package main

import (
	"fmt"
	"io"
	"runtime/debug"
)

// version is set with -ldflags "-X main.version=1.2.3" by release builds;
// otherwise it comes from the module's build information.
var version = ""

type buildInfo struct {
	Version, Commit, GoVersion string
	Dirty                      bool
}

func readBuildInfo() buildInfo {
	bi := buildInfo{Version: version}
	info, ok := debug.ReadBuildInfo()
	if ok {
		bi.GoVersion = info.GoVersion
		if bi.Version == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			bi.Version = info.Main.Version
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				bi.Commit = s.Value
			case "vcs.modified":
				bi.Dirty = s.Value == "true"
			}
		}
	}
	if bi.Version == "" {
		bi.Version = "dev"
	}
	return bi
}

func runVersion(stdout io.Writer) int {
	bi := readBuildInfo()
	commit := bi.Commit
	if commit == "" {
		commit = "unknown"
	} else if bi.Dirty {
		commit += " (modified)"
	}
	fmt.Fprintf(stdout, "armlint %s\ncommit: %s\ngo: %s\n", bi.Version, commit, bi.GoVersion)
	return exitOK
}
