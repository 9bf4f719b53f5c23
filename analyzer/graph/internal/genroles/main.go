// Command genroles copies the built-in Azure role table into the project in
// the compact form analyzer/graph embeds. It is run by `go generate` in
// analyzer/graph with the shared role catalogue as input:
//
//	go run ./internal/genroles -in ../../../shared/data/builtin-roles.json -out builtinroles.json
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
)

type role struct {
	ID                      string   `json:"id"`
	Name                    string   `json:"name"`
	Actions                 []string `json:"actions"`
	NotActions              []string `json:"notActions"`
	DataActions             []string `json:"dataActions"`
	NotDataActions          []string `json:"notDataActions"`
	Privileged              bool     `json:"privileged"`
	CanWriteRoleAssignments bool     `json:"canWriteRoleAssignments"`
	HasWildcardAction       bool     `json:"hasWildcardAction"`
}

func main() {
	in := flag.String("in", "", "builtin-roles.json to read")
	out := flag.String("out", "builtinroles.json", "file to write")
	flag.Parse()
	if err := run(*in, *out); err != nil {
		fmt.Fprintln(os.Stderr, "genroles:", err)
		os.Exit(1)
	}
}

func run(in, out string) error {
	data, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	var roles []role
	if err := json.Unmarshal(data, &roles); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	sort.Slice(roles, func(i, j int) bool { return roles[i].ID < roles[j].ID })
	var buf bytes.Buffer
	buf.WriteString("[\n")
	for i, r := range roles {
		r.ID = strings.ToLower(r.ID)
		line, err := json.Marshal(r)
		if err != nil {
			return err
		}
		buf.Write(line)
		if i < len(roles)-1 {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
	}
	buf.WriteString("]\n")
	return os.WriteFile(out, buf.Bytes(), 0o644)
}
