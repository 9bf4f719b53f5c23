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

	"github.com/armlint/armlint/analyzer/template"
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
	compare := func(root string) {
		t.Helper()
		var want []string
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			want = append(want, fmt.Sprintf("%s %v %v", path, d.Type(), err))
			return decide(path)
		})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		err = walkTree(root, func(path string, d fs.DirEntry, listing *dirListing, err error) error {
			got = append(got, fmt.Sprintf("%s %v %v", path, d.Type(), err))
			if path != root {
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
			t.Errorf("walkTree(%q):\n%s\nfilepath.WalkDir:\n%s", root, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	// Roots as given, not clean, and relative: the paths of the entries
	// are joined as filepath.Join joins them.
	sep := string(filepath.Separator)
	for _, root := range []string{dir, dir + sep, dir + sep + "." + sep + "b" + sep + ".."} {
		compare(root)
	}
	t.Chdir(dir)
	for _, root := range []string{".", "." + sep, "b", "b" + sep + ".." + sep + "f", ".." + sep + filepath.Base(dir)} {
		compare(root)
	}

	// A root that does not exist: one call with the error.
	missing := filepath.Join(dir, "missing")
	calls := 0
	err := walkTree(missing, func(path string, d fs.DirEntry, _ *dirListing, err error) error {
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
		list, err := fs.ReadDir(files, ".")
		if err != nil {
			t.Fatal(err)
		}
		entries := make([]dirEntry, len(list))
		for i, e := range list {
			entries[i] = dirEntry{name: e.Name(), typ: e.Type()}
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

// The walk's directory reader lists what os.ReadDir lists, in the same
// order, with the same types and errors, also for a directory too large
// for one read.
func TestDirReaderMatchesReadDir(t *testing.T) {
	dir := t.TempDir()
	for i := range 300 {
		writeFile(t, dir, fmt.Sprintf("%03d-a-name-long-enough-to-need-more-than-one-read.json", 299-i), "{}")
	}
	writeFile(t, dir, "bad\xff\nname.json", "{}")
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("sub", filepath.Join(dir, "link")); err != nil {
		t.Logf("no symbolic link: %v", err)
	}
	mkfifo(t, filepath.Join(dir, "pipe.json"))
	describe := func(entries []fs.DirEntry, err error) string {
		var b strings.Builder
		for _, e := range entries {
			fmt.Fprintf(&b, "%q %v %v\n", e.Name(), e.IsDir(), e.Type())
		}
		fmt.Fprintf(&b, "error: %v", err)
		return b.String()
	}
	var r dirReader
	for _, p := range []string{dir, filepath.Join(dir, "sub"), filepath.Join(dir, "missing"), filepath.Join(dir, "000-a-name-long-enough-to-need-more-than-one-read.json")} {
		want := describe(os.ReadDir(p))
		entries, err := r.read(p)
		list := make([]fs.DirEntry, len(entries))
		for i := range entries {
			list[i] = &entries[i]
		}
		if got := describe(list, err); got != want {
			t.Errorf("%s:\n%s\nos.ReadDir:\n%s", p, got, want)
		}
		for i := range entries {
			if info, err := entries[i].Info(); err != nil || info.Name() != entries[i].Name() || info.Mode().Type() != entries[i].Type() {
				t.Errorf("%s: Info %v %v", entries[i].Name(), info, err)
			}
		}
	}
}

// relBelow is filepath.Rel for the paths a walk of a clean root meets,
// and joinEntry is filepath.Join for the names of entries.
func TestRelBelowAndJoinEntry(t *testing.T) {
	sep := string(filepath.Separator)
	for _, root := range []string{".", "..", "a", filepath.Join("..", "a", "b"), sep, sep + "a", filepath.Join(sep+"a", "b")} {
		for _, name := range []string{"x.json", "..x", ".x", "x y"} {
			p := joinEntry(root, name)
			if want := filepath.Join(root, name); p != want {
				t.Errorf("joinEntry(%q, %q) = %q, want %q", root, name, p, want)
			}
			p = joinEntry(p, "z.json")
			want, err := filepath.Rel(root, p)
			if err != nil || !filepath.IsLocal(want) {
				t.Fatalf("Rel(%q, %q): %q %v", root, p, want, err)
			}
			if rel, ok := relBelow(root, p); !ok || rel != want {
				t.Errorf("relBelow(%q, %q) = %q %v, want %q", root, p, rel, ok, want)
			}
		}
	}
	for _, c := range [][2]string{{"a", "ab" + sep + "x"}, {"a", "a"}, {sep + "a", "a" + sep + "x"}} {
		if rel, ok := relBelow(c[0], c[1]); ok {
			t.Errorf("relBelow(%q, %q) = %q: not below", c[0], c[1], rel)
		}
	}
}

// conventionalParameterName names <name>.parameters.json for <name>.json,
// in any case, and nothing for a parameter file's name.
func TestConventionalParameterName(t *testing.T) {
	for name, want := range map[string]string{
		"a.json":                   "a.parameters.json",
		"dir/a.JSON":               "dir/a.parameters.json",
		"a.b.json":                 "a.b.parameters.json",
		"a.parameters.json":        "",
		"a.PARAMETERS.json":        "",
		"a.Parameters.JSON":        "",
		"parameters.json":          "parameters.parameters.json",
		"é.parameters.json":        "",
		"a.parameterſ.json":        "a.parameterſ.parameters.json", // ſ does not lower to s
		"a.txt":                    "",
		"a.json.parameters":        "",
		"x.prereq.parameters.json": "",
	} {
		if got := conventionalParameterName(name); got != want {
			t.Errorf("conventionalParameterName(%q) = %q, want %q", name, got, want)
		}
		base := strings.TrimSuffix(name, filepath.Ext(name))
		if got, old := template.HasSuffixFold(base, ".parameters"), strings.HasSuffix(strings.ToLower(base), ".parameters"); got != old {
			t.Errorf("HasSuffixFold(%q) = %v; HasSuffix of ToLower: %v", base, got, old)
		}
	}
}

// A file named on the command line gets the key sameFileKey gives it,
// with its directory resolved once: through linked directories, from
// relative paths with "..", and in a directory that cannot be resolved.
func TestResolvedDirsKeyIsSameFileKey(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "real", "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "real/sub/a.json", "{}")
	writeFile(t, dir, "real/b.json", "{}")
	for link, target := range map[string]string{"ln": "real", "ln2": "ln/sub", "dangling": "nowhere"} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Skipf("no symbolic links here: %v", err)
		}
	}
	t.Chdir(dir)
	getwd := os.Getwd // as filepath.Abs, in sameFileKey
	d := resolvedDirs{}
	for _, p := range []string{
		"real/sub/a.json", "ln/sub/a.json", "ln2/a.json", "./ln/../real/b.json", "ln/b.json",
		filepath.Join(dir, "ln2", "a.json"), "real//sub/./a.json", "dangling/x.json", "ln/sub/a.json",
	} {
		if got, want := d.key(p, getwd), sameFileKey(p); got != want {
			t.Errorf("%s: key %q, sameFileKey %q", p, got, want)
		}
	}
	if d.key("ln2/a.json", getwd) != d.key("real/sub/a.json", getwd) {
		t.Error("one file through two links: two keys")
	}
}
