package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

// gcSettings reads the collector's GOGC percentage (-1: off) and memory
// limit.
func gcSettings() (percent, limit int64) {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}, {Name: "/gc/gomemlimit:bytes"}}
	metrics.Read(s)
	return int64(s[0].Value.Uint64()), int64(s[1].Value.Uint64())
}

// collectUntil runs collections until cond holds (a minute at most: a
// guard against a hang, not a speed assertion).
func collectUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("%s: never", what)
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
}

// The collector waits for the heap limit while little is live, and the
// default pacing is back after a collection that leaves more than half of
// the limit live.
func TestCollectAtLimit(t *testing.T) {
	t.Cleanup(func() {
		debug.SetGCPercent(100)
		debug.SetMemoryLimit(math.MaxInt64)
	})
	const limit = 256 << 20
	collectAtLimit(limit)
	if p, l := gcSettings(); p != -1 || l != limit {
		t.Fatalf("after collectAtLimit: GOGC %d, limit %d; want off and %d", p, l, int64(limit))
	}

	// A small live heap: the limit stays.
	before := gcChecks.Load()
	collectUntil(t, "a collection looked at", func() bool { return gcChecks.Load() > before })
	if p, l := gcSettings(); p != -1 || l != limit {
		t.Fatalf("after a collection with a small live heap: GOGC %d, limit %d; want the limit kept", p, l)
	}

	// More than half the limit live: the default pacing returns.
	ballast := make([]byte, limit/2+32<<20)
	for i := range ballast {
		ballast[i] = 1 // touched: not a page the kernel can leave out
	}
	collectUntil(t, "the default pacing", func() bool {
		p, _ := gcSettings()
		return p == 100
	})
	if _, l := gcSettings(); l != math.MaxInt64 {
		t.Errorf("memory limit %d after the switch, want none", l)
	}
	runtime.KeepAlive(ballast)
}
