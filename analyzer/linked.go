package analyzer

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/armlint/armlint/analyzer/template"
)

// maxLinkedSize bounds the size of a linked template file.
const maxLinkedSize = 32 << 20

// linkedLoader returns the graph.Options.LoadLinked of one file's graph:
// it reads a linked template (templateLink.relativePath or a local uri)
// relative to the directory of the linking file. Only regular files are
// read. A file already read in the run (its bytes, or its tree when no
// one has dropped it yet) comes from o.sources; but each link of the
// graph gets a tree of its own, as the graph tells the instances of a
// template linked twice apart by their nodes.
func (o *Options) linkedLoader() func(from *template.File, rel string) (*template.Template, error) {
	var given map[*template.File]bool // the trees this graph has
	return func(from *template.File, rel string) (*template.Template, error) {
		if from == nil || from.Path == "-" || from.Path == "" {
			return nil, errors.New("the linking template has no path")
		}
		p := filepath.FromSlash(path.Join(path.Dir(from.Path), rel))
		shown, exact := o.displayPathExact(p)
		var f *template.File
		var err error
		if exact && o.sources != nil {
			f, err = o.sharedLinkedFile(p, shown, given)
		} else {
			f, err = readLinkedFile(p, shown)
		}
		if err != nil {
			return nil, err
		}
		if f.Kind != template.KindTemplate {
			return nil, fmt.Errorf("%s is not a deployment template", f.Path)
		}
		if given == nil {
			given = map[*template.File]bool{}
		}
		given[f] = true
		return template.Parse(f)
	}
}

// readLinkedFile loads the linked template at p, shown as shown: it must
// be a regular file of at most maxLinkedSize bytes.
func readLinkedFile(p, shown string) (*template.File, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, unwrapPathErr(err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", shown)
	}
	if st.Size() > maxLinkedSize {
		return nil, fmt.Errorf("%s is larger than %d MiB", shown, maxLinkedSize>>20)
	}
	return template.ReadFile(shown)
}

// sharedLinkedFile is readLinkedFile through o.sources, where shown
// (opened, it opens p) is the file's key; a tree in given is not
// returned again. A file not there yet is opened once, not stat-ed then
// opened; the errors are readLinkedFile's.
func (o *Options) sharedLinkedFile(p, shown string, given map[*template.File]bool) (*template.File, error) {
	raw, f := o.sources.get(shown)
	claimed := raw == nil
	if claimed {
		// Claimed: what is read (nothing, on an error) is filed.
		var err error
		raw, f, err = readLinkedSource(p, shown)
		if raw == nil {
			o.sources.put(shown, nil, nil, false)
			return f, err
		}
	} else if len(raw) > maxLinkedSize {
		return nil, fmt.Errorf("%s is larger than %d MiB", shown, maxLinkedSize>>20)
	}
	if f != nil && !given[f] {
		return f, nil
	}
	f, err := o.sources.load(shown, raw, claimed)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// readLinkedSource reads the linked template at p, shown as shown (which
// opens it), with readLinkedFile's checks and errors. When the file
// cannot be opened, readLinkedFile tells why (raw nil), or loads it all
// the same (raw nil, f set).
func readLinkedSource(p, shown string) (raw []byte, f *template.File, err error) {
	sf, err := openSource(shown)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, nil, unwrapPathErr(err) // what the stat would say
	case err != nil:
		// Let readLinkedFile tell the stat's errors from the open's
		// (a file that cannot be read is one that can be stat-ed).
		f, err := readLinkedFile(p, shown)
		return nil, f, err
	}
	raw, err = readLinked(sf, shown)
	if err != nil {
		return nil, nil, err // not the bytes read before the error
	}
	return raw, nil, nil
}

// readLinked reads the open linked template sf, shown as shown, and
// closes it.
func readLinked(sf *sourceFile, shown string) ([]byte, error) {
	defer sf.Close()
	mode, size, err := sf.stat()
	if err != nil {
		return nil, unwrapPathErr(err)
	}
	if !mode.IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", shown)
	}
	if size > maxLinkedSize {
		return nil, fmt.Errorf("%s is larger than %d MiB", shown, maxLinkedSize>>20)
	}
	return readAll(sf, size, -1)
}
