package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Find looks for FileName in startDir and then in each parent directory up
// to the filesystem root, and returns the path of the first one found
// (absolute). It returns "", nil when there is none. startDir "" means the
// working directory. An entry named FileName that is not a regular file,
// or one that cannot be examined, is an error.
func Find(startDir string) (path string, err error) {
	if startDir == "" {
		startDir = "."
	}
	dir, err := filepath.Abs(startDir)
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, FileName)
		info, err := os.Stat(p)
		switch {
		case err == nil && info.Mode().IsRegular():
			return p, nil
		case err == nil:
			return "", fmt.Errorf("%s: not a regular file", p)
		case !errors.Is(err, fs.ErrNotExist):
			return "", err
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}
