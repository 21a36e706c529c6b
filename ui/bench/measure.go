package bench

import (
	"runtime"
	"time"
)

// Timing is the cost of one operation, averaged over many runs.
type Timing struct {
	PerOp  time.Duration
	Allocs float64 // heap allocations per op
	Bytes  float64 // heap bytes allocated per op
	Runs   int
}

// measure runs op (after a warm-up run) until at least minTime has passed
// and reports the average. The command uses it where `go test -bench`
// would use b.Loop, with a shorter time, since these figures are stable.
func measure(op func(), minTime time.Duration) Timing {
	op()
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
	return Timing{
		PerOp:  elapsed / time.Duration(runs),
		Allocs: float64(after.Mallocs-before.Mallocs) / float64(runs),
		Bytes:  float64(after.TotalAlloc-before.TotalAlloc) / float64(runs),
		Runs:   runs,
	}
}
