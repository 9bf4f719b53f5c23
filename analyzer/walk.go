package analyzer

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/armlint/armlint/analyzer/template"
)

// walkFunc is fs.WalkDirFunc with the listing of the directory that
// holds path (nil for the root of the walk).
type walkFunc func(path string, d fs.DirEntry, listing *dirListing, err error) error

// dirListing is the content of a walked directory, sorted by name as
// os.ReadDir returns it.
type dirListing struct {
	entries []dirEntry
	folded  map[string]bool // lower-cased names, built on first use
	unicode bool            // some name is not ASCII (set with folded)
}

// dirEntry is an entry of a listing, an fs.DirEntry as os.ReadDir's.
type dirEntry struct {
	name string
	dir  string      // the path of the directory listed
	typ  fs.FileMode // type bits
}

func (e *dirEntry) Name() string               { return e.name }
func (e *dirEntry) IsDir() bool                { return e.typ.IsDir() }
func (e *dirEntry) Type() fs.FileMode          { return e.typ }
func (e *dirEntry) Info() (fs.FileInfo, error) { return os.Lstat(filepath.Join(e.dir, e.name)) }
func (e *dirEntry) String() string             { return fs.FormatDirEntry(e) }

// sortEntries sorts entries by name.
func sortEntries(entries []dirEntry) {
	slices.SortFunc(entries, func(a, b dirEntry) int { return strings.Compare(a.name, b.name) })
}

// walker is one walk: fn, and the buffers its directories are read with
// (each is read whole before the walk goes into its entries).
type walker struct {
	fn   walkFunc
	dirs dirReader
}

// walkTree is filepath.WalkDir (the same order, the same calls, the same
// handling of errors and of fs.SkipDir), except that fn also gets the
// listing each entry was found in: what the walk has already read about
// a file's neighbours need not be asked of the file system again.
func walkTree(root string, fn walkFunc) error {
	info, err := os.Lstat(root)
	if err != nil {
		err = fn(root, nil, nil, err)
	} else {
		w := &walker{fn: fn}
		err = w.walkEntry(root, filepath.Clean(root), fs.FileInfoToDirEntry(info), nil)
	}
	if errors.Is(err, filepath.SkipDir) || errors.Is(err, filepath.SkipAll) {
		return nil
	}
	return err
}

// walkEntry is filepath's walkDir; clean is filepath.Clean(path), which
// the paths of the entries of a directory are joined to.
func (w *walker) walkEntry(path, clean string, d fs.DirEntry, listing *dirListing) error {
	if err := w.fn(path, d, listing, nil); err != nil || !d.IsDir() {
		if errors.Is(err, filepath.SkipDir) && d.IsDir() {
			err = nil
		}
		return err
	}
	entries, err := w.dirs.read(path)
	if err != nil {
		// Second call, to report the error of ReadDir.
		err = w.fn(path, d, listing, err)
		if err != nil {
			if errors.Is(err, filepath.SkipDir) && d.IsDir() {
				err = nil
			}
			return err
		}
	}
	here := &dirListing{entries: entries}
	for i := range entries {
		d1 := &entries[i]
		p1 := joinEntry(clean, d1.name)
		if err := w.walkEntry(p1, p1, d1, here); err != nil {
			if errors.Is(err, filepath.SkipDir) {
				break
			}
			return err
		}
	}
	return nil
}

// joinEntry is filepath.Join(dir, name) for a clean dir and the name of
// one of its entries, which has no separator and is neither "." nor "..":
// on Unix, nothing to clean.
func joinEntry(dir, name string) string {
	if filepath.Separator != '/' {
		return filepath.Join(dir, name)
	}
	switch dir {
	case ".":
		return name
	case "/":
		return "/" + name
	}
	return dir + "/" + name
}

// paramsHint is what the walk knows of a template's conventional
// parameter file.
type paramsHint uint8

const (
	paramsUnknown paramsHint = iota // ask the file system
	paramsNone                      // the directory has no such regular file
	paramsRegular                   // the directory lists it as a regular file
)

// conventionalHint looks up the conventional parameter file of the
// template named name in the listing of its directory. It answers
// paramsUnknown whenever the listing cannot settle what a stat of the
// file would say: the entry is a symbolic link, or it is missing while a
// name differs from it only in case (a case-insensitive file system would
// find that one) or some name is not ASCII (file systems that fold or
// normalise Unicode).
func conventionalHint(name string, listing *dirListing) paramsHint {
	want := conventionalParameterName(name)
	if want == "" || listing == nil || !template.IsASCII(want) {
		return paramsUnknown
	}
	entries := listing.entries
	i := sort.Search(len(entries), func(i int) bool { return entries[i].name >= want })
	if i < len(entries) && entries[i].name == want {
		switch t := entries[i].typ; {
		case t.IsRegular():
			return paramsRegular
		case t&fs.ModeSymlink != 0:
			return paramsUnknown
		}
		return paramsNone // a directory, a named pipe...: stat would not find a regular file
	}
	if listing.folded == nil {
		listing.folded = make(map[string]bool, len(entries))
		for _, e := range entries {
			listing.folded[strings.ToLower(e.name)] = true
			listing.unicode = listing.unicode || !template.IsASCII(e.name)
		}
	}
	if listing.unicode || listing.folded[strings.ToLower(want)] {
		return paramsUnknown
	}
	return paramsNone
}
