//go:build bench

package main

import (
	"runtime"
	"time"
)

// benchTiming is the cost of one operation, averaged over many runs.
type benchTiming struct {
	PerOp  time.Duration
	Allocs float64 // heap allocations per op
	Bytes  float64 // heap bytes allocated per op
	Runs   int
}

// measureRounds: the command's figures are the fastest of this many
// rounds, so that a busy neighbour on a shared machine shows up less.
const measureRounds = 3

// benchMeasure runs op (after a warm-up run) in measureRounds rounds that
// together take at least minTime and reports the fastest round's average.
// The command uses it where `go test -bench` would use b.Loop, with a
// shorter time, since these figures are stable.
func benchMeasure(op func(), minTime time.Duration) benchTiming {
	op()
	var best benchTiming
	for r := range measureRounds {
		t := measureRound(op, minTime/measureRounds)
		if r == 0 || t.PerOp < best.PerOp {
			best = t
		}
	}
	return best
}

func measureRound(op func(), minTime time.Duration) benchTiming {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	runs := 0
	for batch := 1; ; batch *= 2 {
		for range batch {
			op()
		}
		runs += batch
		if time.Since(start) >= minTime {
			break
		}
	}
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	return benchTiming{
		PerOp:  elapsed / time.Duration(runs),
		Allocs: float64(after.Mallocs-before.Mallocs) / float64(runs),
		Bytes:  float64(after.TotalAlloc-before.TotalAlloc) / float64(runs),
		Runs:   runs,
	}
}
