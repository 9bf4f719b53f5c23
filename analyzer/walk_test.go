package analyzer

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// walkTree makes the same calls as filepath.WalkDir, fs.SkipDir from a
// directory and from a file included, and passes each entry the listing
// it was found in.
func TestWalkTreeMatchesWalkDir(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{
		"a.json", "b/c.json", "b/skip/d.json", "b/e.json", "f/stop.json", "f/z.json", "f/zz/y.json", "g/h/i.json", ".hidden/j.json",
	} {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, dir, p, "{}")
	}
	if err := os.Symlink("b", filepath.Join(dir, "link")); err != nil {
		t.Logf("no symbolic link: %v", err)
	}
	decide := func(path string) error {
		switch filepath.Base(path) {
		case "skip", "stop.json":
			return fs.SkipDir
		}
		return nil
	}
	var want []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		want = append(want, fmt.Sprintf("%s %v %v", path, d.Type(), err))
		return decide(path)
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	err = walkTree(dir, func(path string, d fs.DirEntry, listing *dirListing, err error) error {
		got = append(got, fmt.Sprintf("%s %v %v", path, d.Type(), err))
		if path != dir {
			names := make([]string, 0, len(listing.entries))
			for _, e := range listing.entries {
				names = append(names, e.Name())
			}
			if !strings.Contains(" "+strings.Join(names, " ")+" ", " "+d.Name()+" ") {
				t.Errorf("%s: not in its listing %v", path, names)
			}
		} else if listing != nil {
			t.Errorf("the root has a listing")
		}
		return decide(path)
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("walkTree:\n%s\nfilepath.WalkDir:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// A root that does not exist: one call with the error.
	missing := filepath.Join(dir, "missing")
	calls := 0
	err = walkTree(missing, func(path string, d fs.DirEntry, _ *dirListing, err error) error {
		calls++
		if path != missing || d != nil || !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("call (%s, %v, %v)", path, d, err)
		}
		return nil
	})
	if err != nil || calls != 1 {
		t.Errorf("missing root: %v, %d calls", err, calls)
	}
}

// conventionalHint says what a stat of the conventional parameter file
// would, or that only a stat can tell.
func TestConventionalHint(t *testing.T) {
	listing := func(files fstest.MapFS) *dirListing {
		entries, err := fs.ReadDir(files, ".")
		if err != nil {
			t.Fatal(err)
		}
		return &dirListing{entries: entries}
	}
	file := &fstest.MapFile{}
	cases := []struct {
		name  string
		files fstest.MapFS
		tmpl  string
		want  paramsHint
	}{
		{"regular", fstest.MapFS{"a.json": file, "a.parameters.json": file, "b.json": file}, "a.json", paramsRegular},
		{"upper-case extension", fstest.MapFS{"a.JSON": file, "a.parameters.json": file}, "a.JSON", paramsRegular},
		{"none", fstest.MapFS{"a.json": file, "b.parameters.json": file}, "a.json", paramsNone},
		{"a directory", fstest.MapFS{"a.json": file, "a.parameters.json/x": file}, "a.json", paramsNone},
		{"a named pipe", fstest.MapFS{"a.json": file, "a.parameters.json": &fstest.MapFile{Mode: fs.ModeNamedPipe}}, "a.json", paramsNone},
		{"a symbolic link", fstest.MapFS{"a.json": file, "a.parameters.json": &fstest.MapFile{Mode: fs.ModeSymlink}}, "a.json", paramsUnknown},
		{"differs in case", fstest.MapFS{"a.json": file, "A.Parameters.json": file}, "a.json", paramsUnknown},
		{"a name not ASCII", fstest.MapFS{"a.json": file, "é.json": file}, "a.json", paramsUnknown},
		{"template name not ASCII", fstest.MapFS{"é.json": file}, "é.json", paramsUnknown},
		{"a parameter file", fstest.MapFS{"a.parameters.json": file}, "a.parameters.json", paramsUnknown},
		{"not json", fstest.MapFS{"a.txt": file, "a.parameters.json": file}, "a.txt", paramsUnknown},
	}
	for _, c := range cases {
		if got := conventionalHint(c.tmpl, listing(c.files)); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	if got := conventionalHint("a.json", nil); got != paramsUnknown {
		t.Errorf("no listing: %v", got)
	}
}

// A walked template uses its conventional parameter file, whether the walk
// lists it as a regular file or as a symbolic link to one, and none that
// is not a regular file.
func TestWalkFindsConventionalParameterFile(t *testing.T) {
	const broken = `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "parameters": [}`
	dir := t.TempDir()
	regular := writeFile(t, dir, "regular.json", validTemplate)
	writeFile(t, dir, "regular.parameters.json", broken)
	alone := writeFile(t, dir, "alone.json", validTemplate)
	folder := writeFile(t, dir, "folder.json", validTemplate)
	if err := os.Mkdir(filepath.Join(dir, "folder.parameters.json"), 0o755); err != nil {
		t.Fatal(err)
	}
	paths := []string{regular, alone, folder}
	other := t.TempDir()
	target := writeFile(t, other, "target.json", broken)
	linked := writeFile(t, dir, "linked.json", validTemplate)
	if err := os.Symlink(target, filepath.Join(dir, "linked.parameters.json")); err == nil {
		paths = append(paths, linked)
	}
	res, err := runWithin(t, []string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		notes := findingsFor(res, IDUnsupportedConstruct, rel(t, p))
		used := len(notes) == 1 && strings.Contains(notes[0].Message, "parameter defaults are used instead")
		if want := p == regular || p == linked; used != want {
			t.Errorf("%s: notes %+v; want the broken parameter file used: %v", p, notes, want)
		}
	}
}
