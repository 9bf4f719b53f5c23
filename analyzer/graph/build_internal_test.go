package graph

import "testing"

// newResource hands out distinct zero resources, a chunk of at most
// maxResourceChunk at a time, sized by what the caller still expects.
func TestNewResourceChunks(t *testing.T) {
	b := &builder{}
	seen := map[*Resource]bool{}
	take := func(want int) *Resource {
		r := b.newResource(want)
		if seen[r] {
			t.Fatalf("resource %p handed out twice", r)
		}
		seen[r] = true
		if r.Key != "" || r.Res != nil || r.Instance != 0 {
			t.Fatalf("resource not zero: %+v", r)
		}
		r.Key = "used"
		return r
	}
	take(3)
	if len(b.free) != 2 {
		t.Errorf("after the first of 3: %d free, want 2", len(b.free))
	}
	take(2)
	take(1)
	if len(b.free) != 0 {
		t.Errorf("after 3 of 3: %d free, want 0", len(b.free))
	}
	take(0) // a caller that expects nothing more still gets one
	if len(b.free) != 0 {
		t.Errorf("want 0: %d free", len(b.free))
	}
	take(1000)
	if len(b.free) != maxResourceChunk-1 {
		t.Errorf("want 1000: %d free, want %d", len(b.free), maxResourceChunk-1)
	}
	for range 2 * maxResourceChunk {
		take(1000)
	}
}
