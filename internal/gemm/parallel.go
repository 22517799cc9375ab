package gemm

import (
	"runtime"
	"sync"
)

// maxProcs is the most goroutines one product is split between.
const maxProcs = 4

// procs is how many goroutines a large product is split between: one per
// processor Go may use, up to maxProcs.
func procs() int { return min(runtime.GOMAXPROCS(0), maxProcs) }

// runner is a part of a product handed to a worker.
type runner interface{ run() }

// The workers are goroutines that wait for parts of products, started at
// the first product large enough to split. A part is handed over only to
// a worker already waiting; when none is (other products hold them all),
// the caller runs the part itself, so products from many goroutines at
// once never wait on each other and never deadlock.
var (
	work        = make(chan runner)
	workersOnce sync.Once
)

func startWorkers() {
	for range maxProcs - 1 {
		go func() {
			for r := range work {
				r.run()
			}
		}()
	}
}

// job is one part of a product, run by a worker.
type job[T float] struct {
	cfg  *config[T]
	p    problem[T]
	done chan struct{}
}

func (j *job[T]) run() {
	j.cfg.run(&j.p)
	j.done <- struct{}{}
}

// jobPools holds the idle jobs of each element type, so that handing a
// part to a worker allocates nothing.
var jobPools = struct{ f32, f64 sync.Pool }{}

func newJob[T float](cfg *config[T]) *job[T] {
	pool := jobPool[T]()
	j, _ := pool.Get().(*job[T])
	if j == nil {
		j = &job[T]{done: make(chan struct{}, 1)}
	}
	j.cfg = cfg
	return j
}

func putJob[T float](j *job[T]) {
	j.p = problem[T]{}
	jobPool[T]().Put(j)
}

func jobPool[T float]() *sync.Pool {
	var zero T
	if _, ok := any(zero).(float32); ok {
		return &jobPools.f32
	}
	return &jobPools.f64
}

// parallel computes p in parts pieces, the first on the calling goroutine.
// It splits C along the dimension that divides into the most even pieces
// of whole tiles; along n, each piece packs only its own columns of B and
// none repeats another's work.
func parallel[T float](cfg *config[T], p *problem[T], parts int) {
	workersOnce.Do(startWorkers)
	tm := (p.m + cfg.mr - 1) / cfg.mr
	tn := (p.n + cfg.nr - 1) / cfg.nr
	byRows := balance(tm, parts) > balance(tn, parts)
	tiles, size, extent := tn, cfg.nr, p.n
	if byRows {
		tiles, size, extent = tm, cfg.mr, p.m
	}
	parts = min(parts, tiles)
	if parts < 2 {
		cfg.run(p)
		return
	}
	piece := func(i int) problem[T] {
		lo := min(i*tiles/parts*size, extent)
		hi := min((i+1)*tiles/parts*size, extent)
		if byRows {
			return p.rows(lo, hi)
		}
		return p.cols(lo, hi)
	}
	var sent [maxProcs]*job[T]
	nsent := 0
	for i := 1; i < parts; i++ {
		j := newJob(cfg)
		j.p = piece(i)
		select {
		case work <- j:
			sent[nsent] = j
			nsent++
		default:
			cfg.run(&j.p)
			putJob(j)
		}
	}
	first := piece(0)
	cfg.run(&first)
	for _, j := range sent[:nsent] {
		<-j.done
		putJob(j)
	}
}

// balance is the share of the slowest of parts pieces' time spent on
// useful work when tiles tiles are split between them: 1 when they
// divide evenly.
func balance(tiles, parts int) float64 {
	if tiles < parts {
		return float64(tiles) / float64(parts)
	}
	most := (tiles + parts - 1) / parts
	return float64(tiles) / float64(parts*most)
}
