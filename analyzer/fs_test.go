package analyzer

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// validTemplate is a minimal template with no findings.
const validTemplate = `{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", "contentVersion": "1.0.0.0", "resources": []}`

// runWithin runs Run in a goroutine and fails the test when it does not
// end within a minute: reading a named pipe must never block. The limit
// is not a speed assertion; the run takes milliseconds.
func runWithin(t *testing.T, paths []string, opts Options) (*Result, error) {
	t.Helper()
	type ret struct {
		res *Result
		err error
	}
	done := make(chan ret, 1)
	go func() {
		res, err := Run(context.Background(), paths, opts)
		done <- ret{res, err}
	}()
	select {
	case r := <-done:
		return r.res, r.err
	case <-time.After(time.Minute):
		t.Fatalf("Run(%q) did not end: it blocked", paths)
		return nil, nil
	}
}

// writeFile writes data to dir/name and returns the path.
func writeFile(t *testing.T, dir, name, data string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// findingFor returns the findings of rule id on the file shown as path.
func findingsFor(res *Result, id, path string) []Finding {
	var out []Finding
	for _, f := range res.Findings {
		if f.RuleID == id && f.Location.File == path {
			out = append(out, f)
		}
	}
	return out
}

// wantNote checks that res has exactly one AL0003 note on path, at 1:1,
// whose message contains every part.
func wantNote(t *testing.T, res *Result, path string, parts ...string) {
	t.Helper()
	notes := findingsFor(res, IDUnsupportedConstruct, path)
	if len(notes) != 1 {
		t.Fatalf("AL0003 notes on %s: %+v; want one (all findings: %+v)", path, notes, res.Findings)
	}
	n := notes[0]
	if n.Severity != SeverityNote || n.Location.Start.Line != 1 || n.Location.Start.Col != 1 {
		t.Errorf("note %+v: want a note at 1:1", n)
	}
	for _, p := range parts {
		if !strings.Contains(n.Message, p) {
			t.Errorf("note %q does not say %q", n.Message, p)
		}
	}
}

// wantAnalysed checks that the valid template at path was analysed: the
// rest of the run went on.
func wantAnalysed(t *testing.T, res *Result, path string) {
	t.Helper()
	if res.File(path) == nil {
		t.Errorf("%s was not analysed; files: %d, errors: %v", path, len(res.Files), res.Errors)
	}
}

func rel(t *testing.T, p string) string {
	t.Helper()
	shown, _ := displayPathExact(os.Getwd, p)
	return shown
}

func TestWalkSymlinkLoop(t *testing.T) {
	dir := t.TempDir()
	ok := writeFile(t, dir, "ok.json", validTemplate)
	a, b := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")
	if err := os.Symlink(b, a); err != nil {
		t.Skipf("symbolic links: %v", err)
	}
	if err := os.Symlink(a, b); err != nil {
		t.Fatal(err)
	}
	res, err := runWithin(t, []string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantNote(t, res, rel(t, a), "symbolic link loop")
	wantNote(t, res, rel(t, b), "symbolic link loop")
	wantAnalysed(t, res, rel(t, ok))
	if len(res.Errors) > 0 {
		t.Errorf("errors: %v", res.Errors)
	}
}

func TestWalkDanglingSymlink(t *testing.T) {
	dir := t.TempDir()
	ok := writeFile(t, dir, "ok.json", validTemplate)
	link := filepath.Join(dir, "gone.json")
	if err := os.Symlink(filepath.Join(dir, "missing.json"), link); err != nil {
		t.Skipf("symbolic links: %v", err)
	}
	res, err := runWithin(t, []string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantNote(t, res, rel(t, link), "symbolic link to", "missing.json", "does not exist")
	wantAnalysed(t, res, rel(t, ok))
	if len(res.Errors) > 0 {
		t.Errorf("errors: %v", res.Errors)
	}
}

// A symbolic link to a template beside the template itself: the file is
// analysed once, under the first name the walk meets.
func TestWalkSymlinkToFileAnalysedOnce(t *testing.T) {
	dir := t.TempDir()
	target := writeFile(t, dir, "b.json", validTemplate)
	if err := os.Symlink(target, filepath.Join(dir, "a.json")); err != nil {
		t.Skipf("symbolic links: %v", err)
	}
	res, err := runWithin(t, []string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.Templates != 1 || len(res.Files) != 1 || res.Files[0].Path != rel(t, filepath.Join(dir, "a.json")) {
		t.Errorf("stats %+v, %d files; want the template once, as a.json", res.Stats, len(res.Files))
	}
}

// A file met in the walk of a directory named through a symbolic link,
// and named again directly, is analysed once.
func TestWalkThroughLinkedDirectoryAnalysedOnce(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target")
	if err := os.MkdirAll(filepath.Join(target, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	file := writeFile(t, filepath.Join(target, "sub"), "b.json", validTemplate)
	link := filepath.Join(dir, "link")
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symbolic links: %v", err)
	}
	res, err := runWithin(t, []string{link + string(filepath.Separator), file}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Stats.Templates != 1 || len(res.Files) != 1 {
		t.Errorf("stats %+v, %d files; want the template once", res.Stats, len(res.Files))
	}
}

// An explicitly named symbolic link loop is a path that cannot be read:
// a usage error that names it.
func TestExplicitSymlinkLoop(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")
	if err := os.Symlink(b, a); err != nil {
		t.Skipf("symbolic links: %v", err)
	}
	if err := os.Symlink(a, b); err != nil {
		t.Fatal(err)
	}
	_, err := runWithin(t, []string{a}, Options{})
	var ue *UsageError
	if !asUsage(err, &ue) || !strings.Contains(err.Error(), a) || !strings.Contains(err.Error(), "symbolic links") {
		t.Errorf("err = %v; want a usage error naming %s and the link loop", err, a)
	}
}

func asUsage(err error, ue **UsageError) bool {
	u, ok := err.(*UsageError) //nolint:errorlint // Run returns it unwrapped
	*ue = u
	return ok
}

func TestWalkNamedPipe(t *testing.T) {
	dir := t.TempDir()
	ok := writeFile(t, dir, "ok.json", validTemplate)
	fifo := filepath.Join(dir, "pipe.json")
	mkfifo(t, fifo)
	res, err := runWithin(t, []string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantNote(t, res, rel(t, fifo), "not a regular file (named pipe)")
	wantAnalysed(t, res, rel(t, ok))
}

func TestExplicitNamedPipe(t *testing.T) {
	dir := t.TempDir()
	ok := writeFile(t, dir, "ok.json", validTemplate)
	fifo := filepath.Join(dir, "pipe.json")
	mkfifo(t, fifo)
	res, err := runWithin(t, []string{fifo, ok}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantNote(t, res, rel(t, fifo), "not a regular file (named pipe)")
	wantAnalysed(t, res, rel(t, ok))
	if len(res.Errors) > 0 {
		t.Errorf("errors: %v", res.Errors)
	}
}

// A FIFO that becomes the file between the walk and the read (a race the
// walk cannot see): the non-blocking open still does not block.
func TestReadSourceNamedPipe(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe.json")
	mkfifo(t, fifo)
	done := make(chan error, 1)
	go func() { _, err := readSource(fifo, DefaultMaxFileSize); done <- err }()
	select {
	case err := <-done:
		var sk *skipped
		if !asSkipped(err, &sk) || !strings.Contains(sk.why, "named pipe") {
			t.Errorf("readSource(fifo) = %v; want a skip that names the pipe", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("readSource blocked on a named pipe")
	}
}

func asSkipped(err error, sk **skipped) bool {
	s, ok := err.(*skipped) //nolint:errorlint // readSource returns it unwrapped
	*sk = s
	return ok
}

func TestExplicitDevice(t *testing.T) {
	if _, err := os.Stat(os.DevNull); err != nil {
		t.Skipf("%s: %v", os.DevNull, err)
	}
	res, err := runWithin(t, []string{os.DevNull}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	wantNote(t, res, os.DevNull, "not a regular file (character device)")
}

// TestFileReadError reads a file that fails with an I/O error
// whoever reads it (/proc/self/mem at offset 0, through a symbolic link
// named *.json): an error that names the file, and the run goes on.
func TestFileReadError(t *testing.T) {
	if _, err := os.Stat("/proc/self/mem"); err != nil {
		t.Skipf("/proc/self/mem: %v", err)
	}
	dir := t.TempDir()
	ok := writeFile(t, dir, "ok.json", validTemplate)
	mem := filepath.Join(dir, "mem.json")
	if err := os.Symlink("/proc/self/mem", mem); err != nil {
		t.Skipf("symbolic links: %v", err)
	}
	res, err := runWithin(t, []string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 1 || !strings.HasPrefix(res.Errors[0].Error(), rel(t, mem)+": ") {
		t.Errorf("errors %v; want one that names %s", res.Errors, mem)
	}
	wantAnalysed(t, res, rel(t, ok))
}

func TestUnreadableFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root: permissions do not stop root from reading a file (TestFileReadError covers the error path)")
	}
	dir := t.TempDir()
	ok := writeFile(t, dir, "ok.json", validTemplate)
	secret := writeFile(t, dir, "secret.json", validTemplate)
	if err := os.Chmod(secret, 0); err != nil {
		t.Fatal(err)
	}
	res, err := runWithin(t, []string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Error(), rel(t, secret)) || !strings.Contains(res.Errors[0].Error(), "permission denied") {
		t.Errorf("errors %v; want one that names %s and says permission denied", res.Errors, secret)
	}
	wantAnalysed(t, res, rel(t, ok))
}

func TestUnreadableDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root: permissions do not stop root from reading a directory")
	}
	dir := t.TempDir()
	ok := writeFile(t, dir, "ok.json", validTemplate)
	locked := filepath.Join(dir, "locked")
	if err := os.Mkdir(locked, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, locked, "x.json", validTemplate)
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(locked, 0o755) })
	res, err := runWithin(t, []string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Error(), rel(t, locked)) {
		t.Errorf("errors %v; want one that names %s", res.Errors, locked)
	}
	wantAnalysed(t, res, rel(t, ok))
}

func TestNonUTF8FileName(t *testing.T) {
	dir := t.TempDir()
	name := "bad\xff\nname.json"
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(`{"$schema": `), 0o644); err != nil {
		t.Skipf("file system refuses the name: %v", err)
	}
	res, err := runWithin(t, []string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := displayPathExact(os.Getwd, p)
	if !strings.HasSuffix(want, `/bad\xff\x0aname.json`) {
		t.Fatalf("display path %q does not escape the name", want)
	}
	got := findingsFor(res, IDInvalidTemplate, want)
	if len(got) != 1 || got[0].Location.Start.Line != 1 || got[0].Location.Start.Col != 13 {
		t.Errorf("AL0001 on %q: %+v; want one at 1:13 (all findings: %+v)", want, got, res.Findings)
	}
}

func TestEscapeName(t *testing.T) {
	for in, want := range map[string]string{
		"a/b.json":         "a/b.json",
		"é/ü.json":         "é/ü.json",
		"a\xffb.json":      `a\xffb.json`,
		"a\nb.json":        `a\x0ab.json`,
		"\x1b[31mred.json": `\x1b[31mred.json`,
	} {
		if got := escapeName(in); got != want {
			t.Errorf("escapeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEmptyFile(t *testing.T) {
	for name, data := range map[string]string{"empty": "", "blank": " \n\t\r\n", "bom": "\xef\xbb\xbf", "utf16-bom": "\xff\xfe"} {
		t.Run(name, func(t *testing.T) {
			p := writeFile(t, t.TempDir(), "t.json", data)
			res, err := runWithin(t, []string{p}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := findingsFor(res, IDInvalidTemplate, rel(t, p))
			if len(got) != 1 || got[0].Message != "empty file" || got[0].Location.Start.Line != 1 || got[0].Location.Start.Col != 1 {
				t.Errorf("findings %+v; want AL0001 \"empty file\" at 1:1", res.Findings)
			}
		})
	}
}

// A file that vanishes between the walk and the read (an editor's
// temporary file): a note that names it, and the run goes on.
func TestFileVanishesDuringRun(t *testing.T) {
	dir := t.TempDir()
	ok := writeFile(t, dir, "ok.json", validTemplate)
	tmp := writeFile(t, dir, "tmp.json", validTemplate)
	var jobs []job
	errs, err := collect([]string{dir}, Options{}, func(j job) { jobs = append(jobs, j) })
	if err != nil || len(errs) > 0 || len(jobs) != 2 {
		t.Fatalf("collect: %v %v %d jobs", err, errs, len(jobs))
	}
	if err := os.Remove(tmp); err != nil {
		t.Fatal(err)
	}
	var notes []Finding
	for _, j := range jobs {
		out := analyseFile(context.Background(), j, &Options{}, nil)
		if out.err != nil {
			t.Errorf("%s: %v", j.path, out.err)
		}
		notes = append(notes, out.findings...)
		if j.path == rel(t, ok) && out.file == nil {
			t.Errorf("%s was not analysed", ok)
		}
	}
	if len(notes) != 1 || notes[0].Location.File != rel(t, tmp) || !strings.Contains(notes[0].Message, "vanished") {
		t.Errorf("findings %+v; want one note that %s vanished", notes, tmp)
	}
}

func TestMaxFileSize(t *testing.T) {
	dir := t.TempDir()
	big := writeFile(t, dir, "big.json", validTemplate+strings.Repeat(" ", 200))
	ok := writeFile(t, dir, "ok.json", validTemplate)
	res, err := runWithin(t, []string{dir}, Options{MaxFileSize: 150})
	if err != nil {
		t.Fatal(err)
	}
	wantNote(t, res, rel(t, big), "the file is 340 bytes, larger than the 150 bytes armlint reads (--max-file-size); not analysed")
	wantAnalysed(t, res, rel(t, ok))

	// Standard input is bounded the same way.
	res, err = runWithin(t, []string{"-"}, Options{MaxFileSize: 150, Stdin: bytes.NewReader([]byte(validTemplate + strings.Repeat(" ", 1000)))})
	if err != nil {
		t.Fatal(err)
	}
	wantNote(t, res, "-", "larger than the 150 bytes armlint reads")

	// A negative limit reads everything; the default is 32 MiB.
	res, err = runWithin(t, []string{big}, Options{MaxFileSize: -1})
	if err != nil || res.Stats.Templates != 1 || len(res.Findings) != 0 {
		t.Errorf("no limit: %v %+v %+v", err, res.Stats, res.Findings)
	}
	if got := tooLarge(40<<20, DefaultMaxFileSize).why; got != "the file is 40 MiB, larger than the 32 MiB armlint reads (--max-file-size); not analysed" {
		t.Errorf("message %q", got)
	}
}

// readAll sizes its buffer from the size the file had when opened, but
// reads what is there: a file that grew or shrank since, and the limit.
func TestReadAllSizes(t *testing.T) {
	data := strings.Repeat("0123456789", 100)
	cases := []struct {
		name        string
		size, limit int64
		want        int
	}{
		{"exact", 1000, -1, 1000},
		{"grew", 10, -1, 1000},
		{"shrank", 5000, -1, 1000},
		{"unknown size", 0, -1, 1000},
		{"limit", 1000, 100, 101},
		{"limit above size", 10, 500, 501},
	}
	for _, c := range cases {
		got, err := readAll(iotest.OneByteReader(strings.NewReader(data)), c.size, c.limit)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(got) != c.want || string(got) != data[:c.want] {
			t.Errorf("%s: read %d bytes, want the first %d", c.name, len(got), c.want)
		}
	}
}

// onceReader returns its data in one read and fails the test when it is
// read again.
type onceReader struct {
	t    *testing.T
	data string
	read bool
}

func (r *onceReader) Read(p []byte) (int, error) {
	if r.read {
		r.t.Error("read again after a read that met the end of the file")
		return 0, io.EOF
	}
	r.read = true
	return copy(p, r.data), nil
}

// A first read that returns all the bytes the file had when it was opened
// ends the reading: the file is not read again only to be told it ends.
func TestReadAllStopsAtSize(t *testing.T) {
	data := strings.Repeat("0123456789", 100)
	for _, limit := range []int64{-1, 1000, 5000} {
		got, err := readAll(&onceReader{t: t, data: data}, int64(len(data)), limit)
		if err != nil || string(got) != data {
			t.Errorf("limit %d: %d bytes, %v", limit, len(got), err)
		}
	}
	// A real file is read whole.
	path := writeFile(t, t.TempDir(), "a.json", data)
	got, err := readSource(path, -1)
	if err != nil || string(got) != data {
		t.Errorf("readSource: %d bytes, %v", len(got), err)
	}
}
