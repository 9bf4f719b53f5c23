// Command corpuscheck reads armlint's JSON output for the quickstart corpus
// and fails unless every template and parameter file was loaded without
// an AL0001. CI runs it after linting ../shared/corpus/quickstart.
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"os"
	"sort"
)

const (
	wantTemplates  = 1922
	wantParameters = 1479
)

type output struct {
	Findings []struct {
		RuleID string `json:"rule_id"`
		File   string `json:"file"`
		Start  struct {
			Line   int `json:"line"`
			Column int `json:"column"`
		} `json:"start"`
		Message string `json:"message"`
	} `json:"findings"`
	Stats struct {
		Files      int `json:"files"`
		Templates  int `json:"templates"`
		Parameters int `json:"parameters"`
		Skipped    int `json:"skipped"`
	} `json:"stats"`
}

func main() {
	log.SetFlags(0)
	if len(os.Args) != 2 {
		log.Fatal("usage: corpuscheck ARMLINT-JSON-OUTPUT")
	}
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	var out output
	if err := json.Unmarshal(data, &out); err != nil {
		log.Fatalf("%s: %v", os.Args[1], err)
	}
	perRule := map[string]int{}
	var invalid []string
	for _, f := range out.Findings {
		perRule[f.RuleID]++
		if f.RuleID == "AL0001" {
			invalid = append(invalid, fmt.Sprintf("%s:%d:%d: %s", f.File, f.Start.Line, f.Start.Column, f.Message))
		}
	}
	ids := make([]string, 0, len(perRule))
	for id := range perRule {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	fmt.Fprintf(os.Stdout, "corpus: %d files, %d templates, %d parameter files, %d skipped\n",
		out.Stats.Files, out.Stats.Templates, out.Stats.Parameters, out.Stats.Skipped)
	for _, id := range ids {
		fmt.Fprintf(os.Stdout, "  %s: %d findings\n", id, perRule[id])
	}
	ok := true
	if out.Stats.Templates != wantTemplates || out.Stats.Parameters != wantParameters {
		fmt.Fprintf(os.Stdout, "FAIL: want %d templates and %d parameter files\n", wantTemplates, wantParameters)
		ok = false
	}
	for _, s := range invalid {
		fmt.Fprintf(os.Stdout, "FAIL: %s\n", s)
		ok = false
	}
	if !ok {
		log.Fatal("corpus check failed")
	}
	fmt.Fprintln(os.Stdout, "corpus check passed")
}
