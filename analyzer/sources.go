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
//
// The one later user the walk can foresee is a template's job that will
// ask for its conventional parameter file, which the walk lists after the
// template (<name>.json sorts before <name>.parameters.json): the walk
// announces it (await) before it emits the parameter file's job, that job
// keeps its bytes and tree for it, and the template's job lets go of them
// (release) when it is done, whether it asked for them or not.
//
// A user that finds nothing claims the file (take and get say so) and
// must then file what it read, or nil when it could not read it (put);
// meanwhile other users wait for it instead of reading the file too.
// A claimer does nothing else with the cache before it puts, so no two
// users wait for each other.
type sourceCache struct {
	mu    sync.Mutex
	files map[string]*cachedSource
}

type cachedSource struct {
	raw     []byte         // the bytes read, while someone is to use them again
	file    *template.File // loaded from raw without error (or nil), as raw
	walked  bool           // the walk's job for the file has had it
	awaited int            // announced users (await) that have not released the file yet
	reading *flight        // a user claimed the file and is reading it, or nil
}

// flight is a claimed read: its result is set before done is closed.
type flight struct {
	done chan struct{}
	raw  []byte
	file *template.File
}

func newSourceCache() *sourceCache {
	return &sourceCache{files: map[string]*cachedSource{}}
}

// take returns what the cache has of the file shown as path, for the
// walk's own job for it, and drops it unless an announced user awaits it.
// When it has nothing (raw nil), the caller has claimed the file and must
// put what it reads of it.
func (c *sourceCache) take(path string) (raw []byte, file *template.File) {
	if c == nil {
		return nil, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, raw, file, filed := c.settled(path)
	if !filed {
		raw, file = e.raw, e.file
	}
	e.walked = true
	if e.awaited == 0 {
		e.raw, e.file = nil, nil
	}
	if raw == nil {
		e.reading = &flight{done: make(chan struct{})}
	}
	return raw, file
}

// get returns what the cache has of the file shown as path (file nil:
// only the bytes). When it has nothing (raw nil), the caller has claimed
// the file and must put what it reads of it.
func (c *sourceCache) get(path string) (raw []byte, file *template.File) {
	if c == nil {
		return nil, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, raw, file, filed := c.settled(path)
	if filed {
		return raw, file
	}
	if e.raw == nil {
		e.reading = &flight{done: make(chan struct{})}
	}
	return e.raw, e.file
}

// settled returns the entry of path once no claimed read of it is under
// way, waiting for the one that is, if any, and what that read filed
// (filed false: there was none to wait for, or it could not read the
// file, which the caller then claims). c.mu is held; it is released
// while waiting.
func (c *sourceCache) settled(path string) (e *cachedSource, raw []byte, file *template.File, filed bool) {
	for {
		e = c.entry(path)
		fl := e.reading
		if fl == nil {
			return e, nil, nil, false
		}
		c.mu.Unlock()
		<-fl.done
		c.mu.Lock()
		if fl.raw != nil {
			return e, fl.raw, fl.file, true
		}
	}
}

// entry returns the entry of path, made empty when there is none yet.
// c.mu is held.
func (c *sourceCache) entry(path string) *cachedSource {
	e := c.files[path]
	if e == nil {
		e = &cachedSource{}
		c.files[path] = e
	}
	return e
}

// put files, for the user that claimed the file shown as path, the bytes
// read of it (nil: it could not be read), and file, loaded from them
// without error (or nil), and ends the claim: the users waiting for it get
// them. walked says that the walk's own job for the file read them: they
// are kept only while an announced user awaits the file. Other users'
// bytes are kept until the walk's job takes them, and not at all once the
// walk has had the file and no one awaits it.
func (c *sourceCache) put(path string, raw []byte, file *template.File, walked bool) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entry(path)
	if fl := e.reading; fl != nil {
		fl.raw, fl.file = raw, file
		close(fl.done)
		e.reading = nil
	}
	e.store(raw, file, walked)
}

// keep files file, loaded without error (or nil) from the bytes raw of the
// file shown as path that the cache gave a user without a claim, as put
// does, and leaves alone the claim another user may hold.
func (c *sourceCache) keep(path string, raw []byte, file *template.File) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entry(path).store(raw, file, false)
}

// load loads raw, the bytes of the file shown as path that a user other
// than the walk's job read or got from the cache, and files them with
// the tree (none when Load fails): put when the user claimed the file,
// keep when the cache gave it the bytes.
func (c *sourceCache) load(path string, raw []byte, claimed bool) (*template.File, error) {
	f, err := template.Load(path, raw)
	kept := f
	if err != nil {
		kept = nil
	}
	if claimed {
		c.put(path, raw, kept, false)
	} else {
		c.keep(path, raw, kept)
	}
	return f, err
}

// store files raw and file in e for put and keep. c.mu is held.
func (e *cachedSource) store(raw []byte, file *template.File, walked bool) {
	e.walked = e.walked || walked
	switch {
	case e.walked && e.awaited == 0:
		e.raw, e.file = nil, nil
	case e.raw == nil || e.file == nil && file != nil:
		e.raw, e.file = raw, file
	}
}

// await announces a user of the file shown as path that will release it
// (the walk calls it before it emits the file's own job): until then the
// walk's job keeps what it read of the file.
func (c *sourceCache) await(path string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entry(path).awaited++
}

// release ends the wait of an announced user of the file shown as path;
// once the walk's job has had the file and no one awaits it, only that
// mark is kept.
func (c *sourceCache) release(path string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.files[path]
	if e == nil || e.awaited == 0 {
		return
	}
	e.awaited--
	if e.awaited == 0 && e.walked {
		e.raw, e.file = nil, nil
	}
}
