package main

import (
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// heapLimit is the heap size armlint lets garbage reach before collecting,
// as long as little of the heap stays live. A lower limit trades page faults
// (system time) for collections (user time) about evenly: on the quickstart
// corpus, whose live heap stays under 20 MB, limits from 64 to 128 MiB cost
// the same CPU within a few percent (alternating runs, medians of 15 to 21),
// 56 MiB and below cost more; peak RSS goes with the limit (78 MB at 64 MiB,
// 108 MB at 96, 137 MB at 128).
const heapLimit = 96 << 20

// tuneGC sets how the collector paces itself for this process, unless the
// user chose (GOGC or GOMEMLIMIT in the environment). With the default
// pacing (GOGC=100) a run over many small templates collects each time
// the heap doubles from a small live size: a score of collections for the
// quickstart corpus, 15-20 % of its CPU, and during start-up several
// collections of the policy compiler's garbage. Instead the collector runs
// when the heap reaches heapLimit, as long as less than half of that stays
// live after a collection; after the first collection that leaves more
// (a large template), the default pacing is back for the rest of the run,
// so that the collector never runs back to back.
func tuneGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	collectAtLimit(heapLimit)
}

// collectAtLimit collects when the heap reaches limit, until a collection
// leaves more than half of it live.
func collectAtLimit(limit int64) {
	debug.SetGCPercent(-1)
	debug.SetMemoryLimit(limit)
	watchLiveHeap(limit)
}

// half is half of limit, as the live heap is counted (0 for a limit below
// zero, which SetMemoryLimit does not take).
func half(limit int64) uint64 {
	if limit <= 0 {
		return 0
	}
	return uint64(limit) / 2
}

// gcChecks counts the collections afterCollection looked at (for tests).
var gcChecks atomic.Int64

// gcSentinel is an object only a collection frees: large enough, and with
// a pointer, not to share an allocation with other small objects.
type gcSentinel struct {
	_ *int
	_ [16]byte
}

// watchLiveHeap looks at the live heap after the next collection.
func watchLiveHeap(limit int64) {
	runtime.AddCleanup(new(gcSentinel), afterCollection, limit)
}

// afterCollection restores the default pacing when more than half of
// limit is live, and watches the next collection otherwise.
func afterCollection(limit int64) {
	gcChecks.Add(1)
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(live)
	if live[0].Value.Kind() != metrics.KindUint64 || live[0].Value.Uint64() > half(limit) {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
		return
	}
	watchLiveHeap(limit)
}
