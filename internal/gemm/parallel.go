package gemm

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// maxProcs is the most goroutines one product is split between.
const maxProcs = 4

// procs is how many goroutines a large product is split between: one per
// processor Go may use, up to maxProcs.
func procs() int { return min(runtime.GOMAXPROCS(0), maxProcs) }

// runner is a product shared with a worker.
type runner interface{ work() }

// The workers are goroutines that share products with their callers,
// started at the first product large enough to split. A caller offers its
// product to as many workers as it has processors to spare and works
// through its chunks meanwhile; an offer that no worker takes in time is
// taken later and found finished. So products from many goroutines at
// once never wait on each other.
//
// A worker that has finished a product keeps looking for the next one for
// a while (spin) before it sleeps, yielding to any goroutine that is
// ready to run, but only while a caller has said that products will come
// back to back (Hot: package keras does while a model trains). Waking a
// sleeping goroutine on another core takes tens of microseconds on a
// virtual machine, as long as a layer's whole product: over two epochs of
// the MNIST 784-30-10 MLP, 10 of its 2,400 shared products found a
// sleeping worker in time, and 2,360 found a spinning one (spinning for
// 1 ms; 1,853 for 300 µs), which took the epoch from about 120 ms to 104
// and the 784-100-10 one from 285 to 228 (medians of 5 runs,
// alternating). Spinning always, though, slowed a hand-written Gorgonia
// program (whose TapeMachine hands every run to another thread) from
// 0.30 s an epoch to 0.47.
var (
	offers      = make(chan runner, maxProcs-1)
	workersOnce sync.Once
	hot         atomic.Int32 // callers inside Hot
)

// spin is how long a worker keeps looking for a product before it sleeps.
const spin = time.Millisecond

// Hot tells the workers that products will come back to back, one
// after another, until the returned function is called, so that they
// spin between them instead of sleeping. Calls may nest and overlap.
func Hot() (done func()) {
	hot.Add(1)
	var once sync.Once
	return func() { once.Do(func() { hot.Add(-1) }) }
}

func startWorkers() {
	for range maxProcs - 1 {
		go func() {
			for {
				r := poll(offers)
				if r == nil {
					r = <-offers
				}
				r.work()
			}
		}()
	}
}

// poll looks for an offer on ch for up to spin while a caller is inside
// Hot, letting other goroutines run meanwhile; it returns nil when none
// came.
func poll(ch <-chan runner) runner {
	t0 := time.Now()
	for i := 1; hot.Load() > 0; i++ {
		select {
		case r := <-ch:
			return r
		default:
		}
		if i%16 == 0 && time.Since(t0) > spin {
			return nil
		}
		runtime.Gosched()
	}
	return nil
}

// job is a product cut into chunks (blocks of rows or of columns of C)
// that the caller and the workers it found take one at a time until none
// is left. A worker takes its first chunk whenever the scheduler gets it
// running, which on a virtual machine can be tens of microseconds after
// the offer; the caller does not wait for it but works through the
// chunks meanwhile, so a late worker costs at most the chunk it took, and
// a product never takes much longer than on one goroutine.
type job[T float] struct {
	cfg    *config[T]
	p      problem[T]
	byRows bool
	step   int // rows or columns a chunk
	chunks int

	next atomic.Int32 // the next chunk to take
	done atomic.Int32 // chunks finished
	refs atomic.Int32 // goroutines still holding the job
	// last carries one token from a worker that finished the last chunk
	// to the caller, which waits for it.
	last chan struct{}
}

// chunk computes chunk i.
func (j *job[T]) chunk(i int) {
	lo := i * j.step
	if j.byRows {
		q := j.p.rows(lo, min(lo+j.step, j.p.m))
		j.cfg.run(&q)
		return
	}
	q := j.p.cols(lo, min(lo+j.step, j.p.n))
	j.cfg.run(&q)
}

// take computes chunks until none is left and says whether it finished
// the product's last one.
func (j *job[T]) take() (last bool) {
	for {
		i := int(j.next.Add(1) - 1)
		if i >= j.chunks {
			return last
		}
		j.chunk(i)
		if int(j.done.Add(1)) == j.chunks {
			last = true
		}
	}
}

// work is a worker's share.
func (j *job[T]) work() {
	if j.take() {
		j.last <- struct{}{}
	}
	j.release()
}

func (j *job[T]) release() {
	if j.refs.Add(-1) == 0 {
		j.p = problem[T]{}
		jobPool[T]().Put(j)
	}
}

// jobPools holds the idle jobs of each element type, so that sharing a
// product allocates nothing.
var jobPools = struct{ f32, f64 sync.Pool }{}

func jobPool[T float]() *sync.Pool {
	var zero T
	if _, ok := any(zero).(float32); ok {
		return &jobPools.f32
	}
	return &jobPools.f64
}

// parallel computes p with up to parts goroutines, the caller one of them.
//
// Chunks are blocks of rows of C, which share B in place, unless B is
// packed and has more than one panel: then they are blocks of columns, so
// that each packs only its own columns and none repeats another's work.
func parallel[T float](cfg *config[T], p *problem[T], parts int) {
	workersOnce.Do(startWorkers)
	j, _ := jobPool[T]().Get().(*job[T])
	if j == nil {
		j = &job[T]{last: make(chan struct{}, 1)}
	}
	j.cfg, j.p = cfg, *p
	// About four chunks a goroutine, in whole tiles.
	j.byRows = !cfg.packs(p) || p.n <= cfg.nr
	extent, tile := p.n, cfg.nr
	if j.byRows {
		extent, tile = p.m, cfg.mr
	}
	j.step = roundUp((extent+4*parts-1)/(4*parts), tile)
	j.chunks = (extent + j.step - 1) / j.step
	j.next.Store(0)
	j.done.Store(0)
	j.refs.Store(1)
	for range parts - 1 {
		j.refs.Add(1)
		select {
		case offers <- j:
		default:
			j.refs.Add(-1)
		}
	}
	if !j.take() {
		// A worker finished, or is finishing, the last chunk.
		<-j.last
	}
	j.release()
}
