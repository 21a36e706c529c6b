//go:build bench

package main

import (
	"testing"
	"time"
)

func TestBenchMeasureCountsRunsAndAllocations(t *testing.T) {
	var sink []byte
	n := 0
	tm := benchMeasure(func() { n++; sink = make([]byte, 4096) }, 30*time.Millisecond)
	_ = sink
	if tm.Runs < 1 || n < tm.Runs || tm.PerOp <= 0 {
		t.Fatalf("%+v after %d calls", tm, n)
	}
	if tm.Allocs < 1 || tm.Bytes < 4096 {
		t.Fatalf("%+v: a 4 KiB allocation per op was not counted", tm)
	}
}
