package analyzer

import (
	"sync"

	"github.com/armlint/armlint/analyzer/template"
)

// sourceCache shares, within one Run, the files that are read more than
// once: a template's parameter file, which the walk also analyses on its
// own, and linked templates, which each parent loads (some several
// times) and the walk analyses on their own. Files are filed by the path
// they are shown as (File.Path), and only when opening that path opens
// the file (displayPathExact).
//
// The bytes of every file read stay in the cache for the rest of the run
// (Result.Files keep them anyway: File.Src is the same bytes). A file
// loaded by a parent or for its parameters also keeps its tree, which
// other users share (a loaded File is never modified), until the walk's
// own job for the file takes it: from then on, users load the bytes
// again, so that the trees of the run are not all kept to its end.
type sourceCache struct {
	mu    sync.Mutex
	files map[string]*cachedSource
}

type cachedSource struct {
	raw    []byte         // the bytes read
	file   *template.File // loaded from raw without error, until the walk's job took it
	walked bool           // the walk's job for the file has had it
}

func newSourceCache() *sourceCache {
	return &sourceCache{files: map[string]*cachedSource{}}
}

// take returns what the cache has of the file shown as path, for the
// walk's own job for it (raw nil: it has nothing), and drops the tree.
func (c *sourceCache) take(path string) (raw []byte, file *template.File) {
	if c == nil {
		return nil, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.files[path]
	if e == nil {
		return nil, nil
	}
	raw, file = e.raw, e.file
	e.file, e.walked = nil, true
	return raw, file
}

// get returns what the cache has of the file shown as path (raw nil:
// nothing; file nil: only the bytes).
func (c *sourceCache) get(path string) (raw []byte, file *template.File) {
	if c == nil {
		return nil, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.files[path]; e != nil {
		return e.raw, e.file
	}
	return nil, nil
}

// put files the bytes read of the file shown as path, and file, loaded
// from them without error (or nil). walked says that the walk's own job
// for the file read them: its tree is not kept.
func (c *sourceCache) put(path string, raw []byte, file *template.File, walked bool) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.files[path]
	if e == nil {
		e = &cachedSource{raw: raw}
		c.files[path] = e
	}
	switch {
	case walked:
		e.file, e.walked = nil, true
	case !e.walked && e.file == nil && file != nil:
		e.raw, e.file = raw, file
	}
}
