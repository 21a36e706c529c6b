package serve

import (
	"testing"
	"time"
)

func TestKeeperDropsOrRemembers(t *testing.T) {
	made := 0
	fresh := func() (int, error) { made++; return made, nil }

	drop := NewKeeper[int](0, nil)
	a1, _ := drop.Acquire("A", fresh)
	a2, _ := drop.Acquire("A", fresh) // a second session of the same key shares it
	b, _ := drop.Acquire("B", fresh)
	if a1 != a2 || a1 == b {
		t.Fatalf("A got %d and %d, B got %d", a1, a2, b)
	}
	drop.Release("A")
	if drop.Len() != 2 {
		t.Fatalf("A dropped while a session still uses it")
	}
	drop.Release("A")
	drop.Release("B")
	if drop.Len() != 0 {
		t.Fatalf("%d values held after every session ended", drop.Len())
	}
	if again, _ := drop.Acquire("A", fresh); again == a1 {
		t.Error("A's value came back after it was dropped")
	}

	clock := newFakeClock()
	keep := NewKeeper[int](time.Hour, clock.Now)
	v1, _ := keep.Acquire("A", fresh)
	keep.Release("A")
	clock.advance(59 * time.Minute)
	v2, _ := keep.Acquire("A", fresh)
	if v1 != v2 {
		t.Errorf("A's value not remembered within the hour")
	}
	keep.Release("A")
	clock.advance(time.Hour)
	if keep.Len() != 0 {
		t.Error("A's value outlived --remember")
	}
	keep.Acquire("C", fresh)
	keep.Forget("C")
	if keep.Len() != 0 {
		t.Error("Forget kept C")
	}
}
