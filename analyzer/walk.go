package analyzer

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
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
	entries []fs.DirEntry
	folded  map[string]bool // lower-cased names, built on first use
	unicode bool            // some name is not ASCII (set with folded)
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
		err = walkEntry(root, fs.FileInfoToDirEntry(info), nil, fn)
	}
	if errors.Is(err, filepath.SkipDir) || errors.Is(err, filepath.SkipAll) {
		return nil
	}
	return err
}

// walkEntry is filepath's walkDir.
func walkEntry(path string, d fs.DirEntry, listing *dirListing, fn walkFunc) error {
	if err := fn(path, d, listing, nil); err != nil || !d.IsDir() {
		if errors.Is(err, filepath.SkipDir) && d.IsDir() {
			err = nil
		}
		return err
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		// Second call, to report the error of ReadDir.
		err = fn(path, d, listing, err)
		if err != nil {
			if errors.Is(err, filepath.SkipDir) && d.IsDir() {
				err = nil
			}
			return err
		}
	}
	here := &dirListing{entries: entries}
	for _, d1 := range entries {
		if err := walkEntry(filepath.Join(path, d1.Name()), d1, here, fn); err != nil {
			if errors.Is(err, filepath.SkipDir) {
				break
			}
			return err
		}
	}
	return nil
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
	i := sort.Search(len(entries), func(i int) bool { return entries[i].Name() >= want })
	if i < len(entries) && entries[i].Name() == want {
		switch t := entries[i].Type(); {
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
			listing.folded[strings.ToLower(e.Name())] = true
			listing.unicode = listing.unicode || !template.IsASCII(e.Name())
		}
	}
	if listing.unicode || listing.folded[strings.ToLower(want)] {
		return paramsUnknown
	}
	return paramsNone
}
