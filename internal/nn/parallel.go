package nn

import (
	"runtime"
	"sync"
)

// maxProcs is the most goroutines one op's loops are split between.
const maxProcs = 4

// minParallel is the least number of elements an op touches before its
// loop is split: below it, starting goroutines costs more than it saves.
const minParallel = 1 << 16

// parallelFor calls f on consecutive ranges [lo, hi) covering [0, n),
// on up to GOMAXPROCS goroutines (at most maxProcs) when the op touches
// at least minParallel elements, else once on the caller's goroutine.
// The ranges are disjoint, so an f that writes only its own range's part
// of the output needs no locking.
func parallelFor(n, elements int, f func(lo, hi int)) {
	k := min(runtime.GOMAXPROCS(0), maxProcs, n)
	if k <= 1 || elements < minParallel {
		f(0, n)
		return
	}
	var wg sync.WaitGroup
	step := (n + k - 1) / k
	for lo := step; lo < n; lo += step {
		wg.Add(1)
		go func(lo int) {
			defer wg.Done()
			f(lo, min(lo+step, n))
		}(lo)
	}
	f(0, min(step, n))
	wg.Wait()
}
