package analyzer

import (
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"

	"github.com/armlint/armlint/analyzer/template"
)

// maxLinkedSize bounds the size of a linked template file.
const maxLinkedSize = 32 << 20

// loadLinked reads a linked template (templateLink.relativePath or a local
// uri) relative to the directory of the linking file. Only regular files
// are read.
func loadLinked(from *template.File, rel string) (*template.Template, error) {
	if from == nil || from.Path == "-" || from.Path == "" {
		return nil, errors.New("the linking template has no path")
	}
	p := filepath.FromSlash(path.Join(path.Dir(from.Path), rel))
	st, err := os.Stat(p)
	if err != nil {
		return nil, unwrapPathErr(err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", displayPath(p))
	}
	if st.Size() > maxLinkedSize {
		return nil, fmt.Errorf("%s is larger than %d MiB", displayPath(p), maxLinkedSize>>20)
	}
	f, err := template.ReadFile(displayPath(p))
	if err != nil {
		return nil, err
	}
	if f.Kind != template.KindTemplate {
		return nil, fmt.Errorf("%s is not a deployment template", f.Path)
	}
	return template.Parse(f)
}
