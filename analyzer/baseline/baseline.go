// Package baseline records the findings a repository already has, so that a
// team can adopt armlint on a large code base and fail only on new
// problems.
//
// A baseline file is JSON (version 1):
//
//	{
//	  "version": 1,
//	  "findings": [
//	    {
//	      "rule": "AL1201",
//	      "file": "infra/vm.json",
//	      "fingerprint": "3f0c2a9d51e07b84",
//	      "count": 1,
//	      "message": "role assignment \"…\" grants Owner to …"
//	    }
//	  ]
//	}
//
// Entries are sorted by file, rule and fingerprint and written with a
// fixed indentation, so the file is stable and diffs well. "file" is
// slash-separated and relative to the directory of the baseline file.
// "message" is the message of the first matching finding, for people
// reading the file; matching ignores it.
//
// A finding matches an entry when the rule ID, the file and the fingerprint
// are equal. The fingerprint ([Fingerprint]) does not depend on lines,
// columns or array positions, so it survives unrelated edits and lines
// moving. "count" is the number of findings with that key: when a file has
// more, the extra ones are new.
//
// This package does no printing and reads no configuration; cmd decides
// what to say about stale entries.
package baseline

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/armlint/armlint/analyzer"
)

// Version is the version of the file format.
const Version = 1

// Justification is the justification of the suppression a baselined
// finding carries (its kind is [analyzer.SuppressionExternal]).
const Justification = "baseline"

// File is a baseline document.
type File struct {
	Version  int     `json:"version"`
	Findings []Entry `json:"findings"`
}

// Entry is one recorded finding, or several identical ones (Count).
type Entry struct {
	Rule        string `json:"rule"`
	File        string `json:"file"`
	Fingerprint string `json:"fingerprint"`
	Count       int    `json:"count"`
	Message     string `json:"message,omitempty"`
}

type key struct{ rule, file, fingerprint string }

func (e Entry) key() key { return key{e.Rule, e.File, e.Fingerprint} }

// Read decodes a baseline file. Unknown fields are errors, so that a file
// of another kind is not taken for an empty baseline.
func Read(r io.Reader) (*File, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var f File
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("not a baseline file: %w", err)
	}
	if f.Version != Version {
		return nil, fmt.Errorf("baseline version %d is not supported (want %d)", f.Version, Version)
	}
	for i, e := range f.Findings {
		if e.Rule == "" || e.File == "" || e.Fingerprint == "" {
			return nil, fmt.Errorf("baseline entry %d: rule, file and fingerprint are required", i+1)
		}
		if e.Count < 1 {
			f.Findings[i].Count = 1
		}
	}
	return &f, nil
}

// Load reads the baseline file at path.
func Load(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := Read(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// Write encodes b sorted, with two-space indentation and a final newline.
func (b *File) Write(w io.Writer) error {
	out := File{Version: Version, Findings: merge(b.Findings)}
	if out.Findings == nil {
		out.Findings = []Entry{}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// Save writes b to path, replacing it.
func (b *File) Save(path string) error {
	var buf bytes.Buffer
	if err := b.Write(&buf); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// merge adds up entries with the same key and sorts them.
func merge(es []Entry) []Entry {
	byKey := map[key]int{}
	var out []Entry
	for _, e := range es {
		if i, ok := byKey[e.key()]; ok {
			out[i].Count += max(e.Count, 1)
			continue
		}
		e.Count = max(e.Count, 1)
		byKey[e.key()] = len(out)
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b Entry) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Fingerprint, b.Fingerprint))
	})
	return out
}

// Paths maps the file paths of findings (as armlint shows them: relative to
// the working directory, or absolute) to baseline paths (relative to the
// directory of the baseline file) and back.
type Paths struct {
	Dir string // directory of the baseline file; "" or "." for the working directory
}

// Key returns the baseline path of a finding's file: slash-separated and
// relative to Dir. Standard input without a file name ("-") stays "-".
func (p Paths) Key(file string) string {
	if file == "-" || file == "" {
		return file
	}
	dir := p.Dir
	if dir == "" {
		dir = "."
	}
	absDir, err1 := filepath.Abs(dir)
	absFile, err2 := filepath.Abs(filepath.FromSlash(file))
	if err1 != nil || err2 != nil {
		return filepath.ToSlash(filepath.Clean(file))
	}
	rel, err := filepath.Rel(absDir, absFile)
	if err != nil {
		return filepath.ToSlash(absFile)
	}
	return filepath.ToSlash(rel)
}

// exists reports whether the baseline path names an existing file.
func (p Paths) exists(keyPath string) bool {
	if keyPath == "-" {
		return false
	}
	dir := p.Dir
	if dir == "" {
		dir = "."
	}
	_, err := os.Stat(filepath.Join(dir, filepath.FromSlash(keyPath)))
	return !errors.Is(err, os.ErrNotExist)
}

// New records the unsuppressed findings. Suppressed findings are left out:
// they are already accounted for.
func New(findings []analyzer.Finding, paths Paths) *File {
	b := &File{Version: Version}
	for _, f := range findings {
		if f.Suppressed != nil {
			continue
		}
		b.Findings = append(b.Findings, Entry{
			Rule:        f.RuleID,
			File:        paths.Key(f.Location.File),
			Fingerprint: Fingerprint(f),
			Count:       1,
			Message:     f.Message,
		})
	}
	b.Findings = merge(b.Findings)
	return b
}

// Outcome is what applying a baseline did.
type Outcome struct {
	Matched int     // findings suppressed by the baseline
	Stale   []Entry // entries (Count: how many are left over) that matched nothing in files of this run, or whose file is gone
	// Kept are the entries for files this run did not look at; they are
	// neither applied nor stale, and a rewritten baseline keeps them.
	Kept []Entry
}

// StaleCount is the number of stale findings (the sum of their counts).
func (o Outcome) StaleCount() int {
	n := 0
	for _, e := range o.Stale {
		n += e.Count
	}
	return n
}

// Apply marks each unsuppressed finding recorded in b as suppressed (kind
// external, justification "baseline"), up to each entry's count, in place.
// files are the paths of the files the run analysed (as in
// Finding.Location.File); entries for other files are Kept when their file
// still exists, and Stale when it is gone.
func (b *File) Apply(findings []analyzer.Finding, files []string, paths Paths) Outcome {
	left := map[key]int{}
	for _, e := range merge(b.Findings) {
		left[e.key()] = e.Count
	}
	var out Outcome
	for i := range findings {
		f := &findings[i]
		if f.Suppressed != nil {
			continue
		}
		k := key{f.RuleID, paths.Key(f.Location.File), Fingerprint(*f)}
		if left[k] > 0 {
			left[k]--
			out.Matched++
			f.Suppressed = &analyzer.Suppression{Kind: analyzer.SuppressionExternal, Justification: Justification}
		}
	}
	inRun := map[string]bool{}
	for _, p := range files {
		inRun[paths.Key(p)] = true
	}
	for _, e := range merge(b.Findings) {
		n := left[e.key()]
		switch {
		case n == 0:
		case inRun[e.File] || !paths.exists(e.File):
			e.Count = n
			out.Stale = append(out.Stale, e)
		default:
			out.Kept = append(out.Kept, e)
		}
	}
	return out
}

// Fingerprint returns the stable fingerprint of a finding: a hash of the
// rule ID, the identity of the resource the finding is about, the JSON
// pointer of the finding relative to that resource, and the message with
// digits normalised. It leaves out the file (matched separately), lines,
// columns and array positions of resources, so that unrelated edits do not
// change it.
//
// The resource's identity is its type and evaluated name when known, else
// its symbolic name (resources written as an object), else its JSON
// pointer, which changes when resources are inserted before it.
func Fingerprint(f analyzer.Finding) string {
	resPtr, rel := splitPointer(f.Location.Path)
	identity := resPtr
	if r := f.Resource; r != nil && r.Name != "" {
		identity = "name:" + r.Type + "/" + r.Name
	} else if sym := lastSegment(resPtr); sym != "" && !isIndex(sym) {
		identity = "symbol:" + sym
	}
	h := sha256.New()
	for _, part := range []string{f.RuleID, identity, rel, NormalizeMessage(f.Message)} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

var digits = regexp.MustCompile(`[0-9]+`)

// NormalizeMessage replaces every run of digits by "0": line references,
// counts and array indexes in a message do not change its fingerprint.
func NormalizeMessage(msg string) string {
	return digits.ReplaceAllString(strings.Join(strings.Fields(msg), " "), "0")
}

// splitPointer splits a JSON pointer at its innermost resource
// ("/resources/<index or symbolic name>"): it returns the resource's
// pointer and the rest. Array indexes in the rest are normalised, since
// they also move when elements are inserted. A pointer outside any
// resource is all rest.
func splitPointer(p string) (resource, rest string) {
	segs := strings.Split(p, "/")
	cut := -1
	for i := 1; i+1 < len(segs); i++ {
		if segs[i] == "resources" {
			cut = i + 2
		}
	}
	if cut < 0 {
		return "", p
	}
	resource = strings.Join(segs[:cut], "/")
	for _, s := range segs[cut:] {
		if isIndex(s) {
			s = "#"
		}
		rest += "/" + s
	}
	return resource, rest
}

func lastSegment(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return ""
}

func isIndex(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}
