// Command floor is the cost floor of linting a corpus: it walks the given
// directories (and files) the way armlint does (*.json, hidden directories
// skipped), reads every file and checks it is valid JSON with gjson, on as
// many workers as armlint uses, and nothing else. scripts/bench.sh runs it
// beside armlint and reports armlint's time as a multiple of it.
//
// It prints one line: files, bytes, how many are valid JSON (JSONC with
// comments or trailing commas is not), and the elapsed time.
package main

import (
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tidwall/gjson"
)

func main() {
	jobs := flag.Int("jobs", runtime.GOMAXPROCS(0), "files read in parallel")
	flag.Parse()
	start := time.Now()
	var paths []string
	for _, root := range flag.Args() {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if p != root && strings.HasPrefix(d.Name(), ".") {
					return fs.SkipDir
				}
				return nil
			}
			if strings.EqualFold(filepath.Ext(p), ".json") {
				paths = append(paths, p)
			}
			return nil
		})
		if err != nil {
			log.Fatal(err)
		}
	}
	var files, valid, size atomic.Int64
	next := make(chan string)
	var wg sync.WaitGroup
	for range max(*jobs, 1) {
		wg.Go(func() {
			for p := range next {
				data, err := os.ReadFile(p)
				if err != nil {
					log.Fatal(err)
				}
				files.Add(1)
				size.Add(int64(len(data)))
				if gjson.ValidBytes(data) {
					valid.Add(1)
				}
			}
		})
	}
	for _, p := range paths {
		next <- p
	}
	close(next)
	wg.Wait()
	if _, err := fmt.Fprintf(os.Stdout, "files=%d bytes=%d valid=%d elapsed=%s\n",
		files.Load(), size.Load(), valid.Load(), time.Since(start).Round(time.Microsecond)); err != nil {
		log.Fatal(err)
	}
}
