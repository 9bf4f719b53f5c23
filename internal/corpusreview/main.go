// Command corpusreview reads armlint's JSON output (-f json=FILE) and
// prints a Markdown table for reviewing rules on a corpus: per rule, the
// number of findings and of templates with findings, then the first N
// findings of each rule as file:line: message.
//
//	armlint -f json=/tmp/out.json ../shared/corpus/quickstart
//	go run ./internal/corpusreview -n 10 -rules AL1402,AL1403 /tmp/out.json
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"sort"
	"strings"
)

type output struct {
	Findings []struct {
		RuleID   string `json:"rule_id"`
		RuleName string `json:"rule_name"`
		File     string `json:"file"`
		Start    struct {
			Line int `json:"line"`
		} `json:"start"`
		Message    string `json:"message"`
		Suppressed *struct {
			Kind string `json:"kind"`
		} `json:"suppressed"`
	} `json:"findings"`
}

type ruleStats struct {
	name     string
	findings int
	files    map[string]bool
	samples  []string
}

func main() {
	log.SetFlags(0)
	n := flag.Int("n", 5, "findings listed per rule")
	only := flag.String("rules", "", "comma-separated rule IDs to report (default: all)")
	trim := flag.String("trim", "", "prefix removed from file paths")
	flag.Parse()
	if flag.NArg() != 1 {
		log.Fatal("usage: corpusreview [-n N] [-rules ID,...] [-trim PREFIX] ARMLINT-JSON-OUTPUT")
	}
	w := bufio.NewWriter(os.Stdout)
	if err := review(w, flag.Arg(0), *n, *only, *trim); err != nil {
		log.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
}

// review writes the table for the armlint JSON output in file.
func review(w io.Writer, file string, n int, only, trim string) error {
	data, err := os.ReadFile(file) // #nosec G304 -- the file the user names
	if err != nil {
		return err
	}
	var out output
	if err := json.Unmarshal(data, &out); err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	want := map[string]bool{}
	for _, id := range strings.Split(only, ",") {
		if id = strings.TrimSpace(id); id != "" {
			want[strings.ToUpper(id)] = true
		}
	}
	stats := map[string]*ruleStats{}
	for _, f := range out.Findings {
		if f.Suppressed != nil || (len(want) > 0 && !want[f.RuleID]) {
			continue
		}
		s := stats[f.RuleID]
		if s == nil {
			s = &ruleStats{name: f.RuleName, files: map[string]bool{}}
			stats[f.RuleID] = s
		}
		s.findings++
		s.files[f.File] = true
		if len(s.samples) < n {
			file := strings.TrimPrefix(f.File, trim)
			s.samples = append(s.samples, fmt.Sprintf("%s:%d: %s", file, f.Start.Line, f.Message))
		}
	}
	ids := make([]string, 0, len(stats))
	for id := range stats {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	fmt.Fprintln(w, "| rule | name | findings | templates |")
	fmt.Fprintln(w, "|---|---|---:|---:|")
	for _, id := range ids {
		s := stats[id]
		fmt.Fprintf(w, "| %s | %s | %d | %d |\n", id, s.name, s.findings, len(s.files))
	}
	for _, id := range ids {
		s := stats[id]
		fmt.Fprintf(w, "\n### %s %s (first %d of %d)\n\n", id, s.name, len(s.samples), s.findings)
		for _, line := range s.samples {
			fmt.Fprintf(w, "- `%s`\n", strings.ReplaceAll(line, "`", "'"))
		}
	}
	return nil
}
