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
// A file loaded by a parent or for its parameters keeps its bytes and its
// tree, which other users share (a loaded File is never modified), until
// the walk's own job for the file takes them. From then on the cache only
// records that the walk has had the file: later users read and load it
// again, so that neither the trees nor the bytes of the run are all kept
// to its end (Result.Files may drop the bytes of files without findings,
// see Options.FindingSourcesOnly). In the quickstart corpus about 150
// files are read again that way, of 3,401.
type sourceCache struct {
	mu    sync.Mutex
	files map[string]*cachedSource
}

type cachedSource struct {
	raw    []byte         // the bytes read, until the walk's job took them
	file   *template.File // loaded from raw without error, until the walk's job took it
	walked bool           // the walk's job for the file has had it (raw and file are nil)
}

func newSourceCache() *sourceCache {
	return &sourceCache{files: map[string]*cachedSource{}}
}

// take returns what the cache has of the file shown as path, for the
// walk's own job for it (raw nil: it has nothing), and drops it.
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
	e.raw, e.file, e.walked = nil, nil, true
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
// for the file read them: neither is kept, only that the walk has had
// the file. Nothing is kept for a file the walk has had.
func (c *sourceCache) put(path string, raw []byte, file *template.File, walked bool) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.files[path]
	switch {
	case walked:
		if e == nil {
			e = &cachedSource{}
			c.files[path] = e
		}
		e.raw, e.file, e.walked = nil, nil, true
	case e == nil:
		c.files[path] = &cachedSource{raw: raw, file: file}
	case !e.walked && e.file == nil && file != nil:
		e.raw, e.file = raw, file
	}
}
