package datasets

import (
	"context"
	"fmt"
	"iter"
	"math/rand/v2"
	"sync"
	"sync/atomic"

	"gorgonia.org/tensor"
)

// Batch is one batch of samples: X the inputs, Y the targets and
// SampleWeight one weight per sample, each with the samples on its first
// axis. Y and SampleWeight may be nil.
type Batch struct {
	X, Y, SampleWeight *tensor.Dense
}

// Dataset is what a model trains on when the data does not come as whole
// tensors: a source of batches, read one pass (one epoch) per call of
// Batches. The iterator yields each batch with a nil error; when the pass
// fails it yields one last zero Batch with the error and stops. A
// consumer that stops early (breaks out of its range loop) or cancels ctx
// ends the pass and frees what it holds.
type Dataset interface {
	Batches(ctx context.Context) iter.Seq2[Batch, error]
}

// UnknownCardinality is what Pipeline.Cardinality returns when the number
// of batches of a pass cannot be known before the pass (a FromFunc source,
// a Map that may change the batch size before a Batch).
const UnknownCardinality = -1

// maxPrefetch bounds Prefetch's buffer, so that a huge argument is an
// error instead of a huge channel.
const maxPrefetch = 1 << 12

// Pipeline is a Dataset built like a tf.data pipeline: a source
// (FromTensors, FromTensorsWeighted, FromFunc, ImagesFromDirectory) and a
// chain of steps (Shuffle, Batch, Map, Prefetch, Take, Cache), each
// returning a new Pipeline and leaving its receiver as it was.
//
// A pipeline is a stream of elements, each a Batch whose leading axis
// counts its samples. FromTensors yields one element per sample (a batch
// of one row); FromFunc yields the batches its function yields. Batch(n)
// regroups the rows of the elements before it into batches of exactly n
// rows (the last of a pass may be smaller), so that Shuffle before Batch
// shuffles samples and Shuffle after Batch shuffles whole batches, and
// Take before Batch counts samples, after Batch batches, as in tf.data. A
// pipeline that is never batched hands out its elements as they are: a
// FromTensors pipeline then yields batches of one sample.
//
// Every Batch handed to the consumer or to a Map function is its own
// memory: changing it changes neither the source tensors nor a cache nor
// a later pass. Memory stays bounded by what the steps hold: the rows of
// the batch being packed, Shuffle's buffer, Prefetch's buffer, and
// everything for Cache.
//
// The number of values of every batch's X, Y and SampleWeight per sample
// must stay the same within a pass: a batch whose non-leading shape or
// dtype differs from the first batch's is an error naming its index.
// Errors never panic: bad arguments to a step (Batch(0)) give a pipeline
// whose passes fail with an error wrapping ErrInvalidArgument, and a
// panic inside a FromFunc or Map function comes back as the pass's error.
type Pipeline struct {
	run   func(ctx context.Context, yield func(chunk) bool) error
	elems int // elements per pass, or UnknownCardinality
	rows  int // samples per pass, or UnknownCardinality
}

var _ Dataset = (*Pipeline)(nil)

// errPipeline is a pipeline whose every pass fails with err.
func errPipeline(err error) *Pipeline {
	return &Pipeline{
		run:   func(context.Context, func(chunk) bool) error { return err },
		elems: UnknownCardinality,
		rows:  UnknownCardinality,
	}
}

// valid returns p, or an error pipeline for a nil p.
func (p *Pipeline) valid(step string) *Pipeline {
	if p == nil || p.run == nil {
		return errPipeline(argError("Pipeline."+step, "called on a nil Pipeline"))
	}
	return p
}

// recovered runs f, turning a panic into an error.
func recovered(what string, f func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%s panicked: %v", what, p)
		}
	}()
	return f()
}

// asDense turns a tensor.Tensor argument into a *tensor.Dense (nil for a
// nil interface or a typed nil).
func asDense(fn, what string, t tensor.Tensor) (*tensor.Dense, error) {
	if t == nil {
		return nil, nil
	}
	d, ok := t.(*tensor.Dense)
	if !ok {
		return nil, argError(fn, "%s must be a *tensor.Dense, got %T", what, t)
	}
	return d, nil
}

// FromTensors makes a pipeline of the samples of x and y, as tf.data's
// Dataset.from_tensor_slices((x, y)): the first axis of each is the
// samples, and each element is one sample (a batch of one row) until
// Batch groups them. y may be nil (inputs only, for PredictDataset). The
// tensors are read, not copied, on every pass; every batch handed out is
// a copy, so the pipeline never writes into them.
//
// Arguments are checked when a pass starts: a nil x, a tensor that is
// not a *tensor.Dense, a scalar, an empty tensor or x and y of different
// sample counts make every pass fail with an error wrapping
// ErrInvalidArgument.
func FromTensors(x, y tensor.Tensor) *Pipeline {
	return fromTensors("FromTensors", x, y, nil)
}

// FromTensorsWeighted is FromTensors with a third tensor of per-sample
// weights, handed out as each Batch's SampleWeight, as tf.data's
// from_tensor_slices((x, y, sample_weight)) for Keras's fit. w's first
// axis must have as many samples as x's.
func FromTensorsWeighted(x, y, w tensor.Tensor) *Pipeline {
	return fromTensors("FromTensorsWeighted", x, y, w)
}

func fromTensors(fn string, x, y, w tensor.Tensor) *Pipeline {
	src, err := readTensors(fn, x, y, w)
	if err != nil {
		return errPipeline(err)
	}
	n := src.rows()
	return &Pipeline{
		run: func(ctx context.Context, yield func(chunk) bool) error {
			for i := range n {
				if err := ctx.Err(); err != nil {
					return err
				}
				if !yield(src.slice(i, i+1)) {
					return nil
				}
			}
			return nil
		},
		elems: n,
		rows:  n,
	}
}

func readTensors(fn string, x, y, w tensor.Tensor) (chunk, error) {
	xd, err := asDense(fn, "x", x)
	if err != nil {
		return chunk{}, err
	}
	if xd == nil {
		return chunk{}, argError(fn, "x is nil")
	}
	yd, err := asDense(fn, "y", y)
	if err != nil {
		return chunk{}, err
	}
	wd, err := asDense(fn, "sample_weight", w)
	if err != nil {
		return chunk{}, err
	}
	var c chunk
	for _, f := range []struct {
		name string
		t    *tensor.Dense
		col  *column
	}{{"x", xd, &c.x}, {"y", yd, &c.y}, {"sample_weight", wd, &c.w}} {
		col, err := fromDense(f.name, f.t)
		if err != nil {
			return chunk{}, argError(fn, "%v", err)
		}
		*f.col = col
	}
	if c.y.present() && c.y.rows != c.x.rows {
		return chunk{}, argError(fn, "x and y must hold the same number of samples, got %d and %d (shapes %v and %v)", c.x.rows, c.y.rows, xd.Shape(), yd.Shape())
	}
	if c.w.present() && c.w.rows != c.x.rows {
		return chunk{}, argError(fn, "x and sample_weight must hold the same number of samples, got %d and %d (shapes %v and %v)", c.x.rows, c.w.rows, xd.Shape(), wd.Shape())
	}
	return c, nil
}

// FromFunc makes a pipeline from a function that produces one pass: f is
// called once per pass and calls yield with each element (a batch of any
// number of samples; Batch regroups them) until it has no more or yield
// returns false, when it must return promptly. It should also return
// when ctx is done. A non-nil error from f ends the pass with that error
// wrapped. f must not change a Batch after yielding it; the pipeline
// keeps it (in Shuffle's buffer, Prefetch's or a Cache) as it was given.
// An element with no X, with fields of different sample counts or with a
// zero-size dimension ends the pass with an error naming its index.
func FromFunc(f func(ctx context.Context, yield func(Batch) bool) error) *Pipeline {
	if f == nil {
		return errPipeline(argError("FromFunc", "the function is nil"))
	}
	return &Pipeline{
		run: func(ctx context.Context, yield func(chunk) bool) error {
			idx := 0
			stopped := false
			var elemErr error
			err := recovered("datasets.FromFunc: the source function", func() error {
				return f(ctx, func(b Batch) bool {
					if stopped {
						return false
					}
					c, err := fromBatch(b)
					if err != nil {
						elemErr = fmt.Errorf("datasets.FromFunc: element %d: %w", idx, err)
						stopped = true
						return false
					}
					c.owned = true
					idx++
					if !yield(c) {
						stopped = true
						return false
					}
					return true
				})
			})
			if elemErr != nil {
				return elemErr
			}
			if err != nil {
				return fmt.Errorf("datasets.FromFunc: source: %w", err)
			}
			return nil
		},
		elems: UnknownCardinality,
		rows:  UnknownCardinality,
	}
}

// Shuffle shuffles the elements of each pass with a buffer of the given
// size, as tf.data's shuffle(buffer_size, seed, reshuffle_each_iteration=True):
// the buffer is filled with the first elements, then each element handed
// on is drawn uniformly from the buffer and its place taken by the next
// element of the stream; at the end of the stream the buffer empties in
// random order. A buffer at least as large as the pass gives a uniform
// shuffle; a buffer of 1 changes nothing. Before Batch the elements of a
// FromTensors pipeline are samples; after it, batches.
//
// Every pass is shuffled anew: pass k (counting from 0 the passes this
// Shuffle step has started) draws from a math/rand/v2 PCG source seeded
// by (seed, k), so the sequence of orders is the same for the same seed,
// bit for bit, and differs from pass to pass. The buffer holds up to
// buffer elements; buffer < 1 is an invalid argument.
func (p *Pipeline) Shuffle(buffer int, seed int64) *Pipeline {
	p = p.valid("Shuffle")
	if buffer < 1 {
		return errPipeline(argError("Pipeline.Shuffle", "buffer size must be at least 1, got %d", buffer))
	}
	var passes atomic.Uint64
	up := p.run
	return &Pipeline{
		run: func(ctx context.Context, yield func(chunk) bool) error {
			pass := passes.Add(1) - 1
			r := rand.New(rand.NewPCG(uint64(seed), pass^0x5851f42d4c957f2d))
			var buf []chunk
			stopped := false
			err := up(ctx, func(c chunk) bool {
				if len(buf) < buffer {
					buf = append(buf, c)
					return true
				}
				j := r.IntN(len(buf))
				out := buf[j]
				buf[j] = c
				if !yield(out) {
					stopped = true
					return false
				}
				return true
			})
			if err != nil || stopped {
				return err
			}
			for len(buf) > 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
				j := r.IntN(len(buf))
				out := buf[j]
				last := len(buf) - 1
				buf[j] = buf[last]
				buf[last] = chunk{}
				buf = buf[:last]
				if !yield(out) {
					return nil
				}
			}
			return nil
		},
		elems: p.elems,
		rows:  p.rows,
	}
}

// Batch regroups the rows of the stream into batches of n samples, as
// tf.data's unbatch().batch(n): the rows of consecutive elements are
// packed in order, an element larger than what the current batch lacks
// is split, and the last batch of a pass holds what is left (it may be
// smaller than n; it is not dropped). Rows that cannot share a batch
// (another dtype or sample shape) end the pass with an error naming the
// element. Only the rows of one batch are held at a time. n < 1 is an
// invalid argument.
func (p *Pipeline) Batch(n int) *Pipeline {
	p = p.valid("Batch")
	if n < 1 {
		return errPipeline(argError("Pipeline.Batch", "batch size must be at least 1, got %d", n))
	}
	up := p.run
	q := &Pipeline{elems: UnknownCardinality, rows: p.rows}
	if p.rows >= 0 {
		q.elems = (p.rows + n - 1) / n
	}
	q.run = func(ctx context.Context, yield func(chunk) bool) error {
		var pending []chunk
		have := 0
		var ref chunk
		idx := 0
		stopped := false
		var kindErr error
		emit := func() bool {
			var out chunk
			if len(pending) == 1 {
				out = pending[0]
			} else {
				out = chunk{
					x:     concatColumns(colsOf(pending, func(c chunk) column { return c.x })),
					y:     concatColumns(colsOf(pending, func(c chunk) column { return c.y })),
					w:     concatColumns(colsOf(pending, func(c chunk) column { return c.w })),
					owned: true,
				}
			}
			clear(pending)
			pending, have = pending[:0], 0
			return yield(out)
		}
		err := up(ctx, func(c chunk) bool {
			if idx == 0 {
				ref = c
			} else if err := kindError(ref, c); err != nil {
				kindErr = fmt.Errorf("datasets: Batch: element %d: %w", idx, err)
				return false
			}
			idx++
			for c.rows() > 0 {
				take := min(n-have, c.rows())
				if take == c.rows() {
					pending = append(pending, c)
					c = chunk{}
				} else {
					pending = append(pending, c.slice(0, take))
					c = c.slice(take, c.rows())
				}
				have += take
				if have == n && !emit() {
					stopped = true
					return false
				}
			}
			return true
		})
		if kindErr != nil {
			return kindErr
		}
		if err != nil || stopped {
			return err
		}
		if have > 0 {
			emit()
		}
		return nil
	}
	return q
}

func colsOf(cs []chunk, f func(chunk) column) []column {
	out := make([]column, len(cs))
	for i, c := range cs {
		out[i] = f(c)
	}
	return out
}

// Map applies f to every element, as tf.data's map: f gets a Batch of its
// own (changing it in place is allowed) and returns the Batch handed on,
// which may have other shapes or another number of samples. An error
// from f (or a panic in it) ends the pass with that error wrapped, naming
// the element. f runs on the goroutine of the step that pulls the
// element: after Prefetch, on the consumer's; before it, on Prefetch's.
func (p *Pipeline) Map(f func(Batch) (Batch, error)) *Pipeline {
	p = p.valid("Map")
	if f == nil {
		return errPipeline(argError("Pipeline.Map", "the function is nil"))
	}
	up := p.run
	return &Pipeline{
		run: func(ctx context.Context, yield func(chunk) bool) error {
			idx := 0
			var mapErr error
			err := up(ctx, func(c chunk) bool {
				nc, err := mapChunk(f, c)
				if err != nil {
					mapErr = fmt.Errorf("datasets: Map: element %d: %w", idx, err)
					return false
				}
				idx++
				return yield(nc)
			})
			if mapErr != nil {
				return mapErr
			}
			return err
		},
		elems: p.elems,
		rows:  UnknownCardinality,
	}
}

// Prefetch makes the elements of the pipeline before it on another
// goroutine, up to n of them ahead of the consumer, as tf.data's
// prefetch(n): while the consumer trains on one batch the next ones are
// read, decoded and packed. The goroutine starts with each pass and is
// gone when the pass's iterator returns, whether the pass ended, failed,
// was stopped early by the consumer or had its ctx cancelled (a
// cancellation is noticed at once by the consumer; the goroutine stops at
// its source's next yield or ctx check). n must be in [1, 4096].
func (p *Pipeline) Prefetch(n int) *Pipeline {
	p = p.valid("Prefetch")
	if n < 1 || n > maxPrefetch {
		return errPipeline(argError("Pipeline.Prefetch", "buffer size must be in [1, %d], got %d", maxPrefetch, n))
	}
	up := p.run
	return &Pipeline{
		run: func(ctx context.Context, yield func(chunk) bool) error {
			cctx, cancel := context.WithCancel(ctx)
			ch := make(chan chunk, n)
			errc := make(chan error, 1)
			go func() {
				defer close(ch)
				errc <- recovered("datasets: Prefetch's producer", func() error {
					return up(cctx, func(c chunk) bool {
						select {
						case ch <- c:
							return true
						case <-cctx.Done():
							return false
						}
					})
				})
			}()
			defer func() {
				cancel()
				for range ch {
					// Drain until the producer has closed ch: it has returned.
				}
			}()
			for {
				select {
				case c, ok := <-ch:
					if !ok {
						return <-errc
					}
					if !yield(c) {
						return nil
					}
				case <-ctx.Done():
					return ctx.Err()
				}
			}
		},
		elems: p.elems,
		rows:  p.rows,
	}
}

// Take keeps the first n elements of each pass and stops the pipeline
// before it there, as tf.data's take(n): n batches after Batch, n samples
// before it. A negative n keeps every element, as take(-1).
func (p *Pipeline) Take(n int) *Pipeline {
	p = p.valid("Take")
	if n < 0 {
		return p
	}
	up := p.run
	q := &Pipeline{elems: UnknownCardinality, rows: UnknownCardinality}
	if p.elems >= 0 {
		q.elems = min(n, p.elems)
		if n >= p.elems {
			q.rows = p.rows
		}
	}
	q.run = func(ctx context.Context, yield func(chunk) bool) error {
		if n == 0 {
			return nil
		}
		count := 0
		return up(ctx, func(c chunk) bool {
			count++
			return yield(c) && count < n
		})
	}
	return q
}

// Cache records the elements of the first pass that runs to its end and
// replays them on every later pass, as tf.data's cache() in memory: the
// work of the steps before it (decoding, Map) is done once. A pass that
// fails or is stopped early records nothing, and the next pass reads the
// source again. The whole pass is held in memory. Shuffle after Cache
// still reshuffles every pass; Shuffle before it is frozen by it.
func (p *Pipeline) Cache() *Pipeline {
	p = p.valid("Cache")
	up := p.run
	var (
		mu     sync.Mutex
		done   bool
		record []chunk
	)
	return &Pipeline{
		run: func(ctx context.Context, yield func(chunk) bool) error {
			mu.Lock()
			if done {
				elems := record
				mu.Unlock()
				for _, c := range elems {
					if err := ctx.Err(); err != nil {
						return err
					}
					c.owned = false
					if !yield(c) {
						return nil
					}
				}
				return nil
			}
			mu.Unlock()
			var rec []chunk
			stopped := false
			err := up(ctx, func(c chunk) bool {
				rec = append(rec, c)
				c.owned = false
				if !yield(c) {
					stopped = true
					return false
				}
				return true
			})
			if err == nil && !stopped {
				mu.Lock()
				if !done {
					done, record = true, rec
				}
				mu.Unlock()
			}
			return err
		},
		elems: p.elems,
		rows:  p.rows,
	}
}

// Cardinality returns the number of batches one pass yields, or
// UnknownCardinality when it cannot be known without running the pass
// (a FromFunc source; a Map before Batch).
func (p *Pipeline) Cardinality() int {
	if p == nil || p.run == nil {
		return UnknownCardinality
	}
	return p.elems
}

// Batches runs one pass of the pipeline, yielding each batch with a nil
// error. When the pass fails (a bad argument, an error or panic of the
// source or of a Map function, a batch whose non-leading shape or dtype
// differs from the first batch's, ctx cancelled) it yields a zero Batch
// with the error and stops; cancellation errors wrap ctx.Err(). Breaking
// out of the loop ends the pass and stops every goroutine it started
// before Batches' iterator returns. A nil ctx is context.Background().
func (p *Pipeline) Batches(ctx context.Context) iter.Seq2[Batch, error] {
	p = p.valid("Batches")
	if ctx == nil {
		ctx = context.Background()
	}
	return func(yield func(Batch, error) bool) {
		idx := 0
		var ref chunk
		stopped := false
		var outErr error
		err := recovered("datasets: the pipeline", func() error {
			return p.run(ctx, func(c chunk) bool {
				if err := ctx.Err(); err != nil {
					outErr = err
					return false
				}
				if idx == 0 {
					ref = c
				} else if err := kindError(ref, c); err != nil {
					outErr = fmt.Errorf("datasets: batch %d: %w", idx, err)
					return false
				}
				idx++
				if !yield(c.toBatch(), nil) {
					stopped = true
					return false
				}
				return true
			})
		})
		if stopped {
			return
		}
		if outErr != nil {
			err = outErr
		}
		if err == nil {
			err = ctx.Err()
		}
		if err == nil {
			return
		}
		if err == context.Canceled || err == context.DeadlineExceeded {
			err = fmt.Errorf("datasets: pass stopped after %d batches: %w", idx, err)
		}
		yield(Batch{}, err)
	}
}

// MapParallel is Map with f run on up to workers goroutines at once, as
// tf.data's map(f, num_parallel_calls=workers): the elements still come
// out in the order they went in, so a pass is the same as Map's, and at
// most workers elements are in work at a time. f must be safe to call
// from several goroutines. workers < 1 is an invalid argument; workers
// above 1024 is taken as 1024. The goroutines start with each pass and
// are gone when its iterator returns.
func (p *Pipeline) MapParallel(workers int, f func(Batch) (Batch, error)) *Pipeline {
	p = p.valid("MapParallel")
	if f == nil {
		return errPipeline(argError("Pipeline.MapParallel", "the function is nil"))
	}
	if workers < 1 {
		return errPipeline(argError("Pipeline.MapParallel", "workers must be at least 1, got %d", workers))
	}
	return p.parallelMap(min(workers, 1024), func(idx int, c chunk) (chunk, error) {
		nc, err := mapChunk(f, c)
		if err != nil {
			return chunk{}, fmt.Errorf("datasets: MapParallel: element %d: %w", idx, err)
		}
		return nc, nil
	})
}

// mapChunk is one element of Map and MapParallel: f of c's batch (a
// panic in f an error) as a chunk of its own.
func mapChunk(f func(Batch) (Batch, error), c chunk) (chunk, error) {
	var nb Batch
	err := recovered("the Map function", func() error {
		var err error
		nb, err = f(c.toBatch())
		return err
	})
	if err != nil {
		return chunk{}, err
	}
	nc, err := fromBatch(nb)
	if err != nil {
		return chunk{}, fmt.Errorf("result: %w", err)
	}
	nc.owned = true
	return nc, nil
}

// parallelMap runs f over the elements on workers goroutines, handing the
// results on in input order. f gets the element's index in the pass and
// its errors are returned as they are.
func (p *Pipeline) parallelMap(workers int, f func(idx int, c chunk) (chunk, error)) *Pipeline {
	up := p.run
	type result struct {
		c   chunk
		err error
	}
	type job struct {
		idx int
		c   chunk
		out chan result
	}
	return &Pipeline{
		run: func(ctx context.Context, yield func(chunk) bool) error {
			cctx, cancel := context.WithCancel(ctx)
			jobs := make(chan job)
			order := make(chan chan result, workers)
			var upErr error
			var wg sync.WaitGroup
			wg.Add(1)
			go func() { // feeder: reads the stream, queues the jobs in order
				defer wg.Done()
				defer close(order)
				defer close(jobs)
				idx := 0
				upErr = recovered("datasets: MapParallel's reader", func() error {
					return up(cctx, func(c chunk) bool {
						out := make(chan result, 1)
						select {
						case order <- out:
						case <-cctx.Done():
							return false
						}
						select {
						case jobs <- job{idx, c, out}:
						case <-cctx.Done():
							return false
						}
						idx++
						return true
					})
				})
			}()
			for range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for j := range jobs {
						var r result
						r.err = recovered("datasets: MapParallel", func() error {
							var err error
							r.c, err = f(j.idx, j.c)
							return err
						})
						j.out <- r
					}
				}()
			}
			defer func() {
				cancel()
				for out := range order {
					_ = out // queued jobs are abandoned; their buffered results are dropped
				}
				wg.Wait()
			}()
			for out := range order {
				var r result
				select {
				case r = <-out:
				case <-ctx.Done():
					return ctx.Err()
				}
				if r.err != nil {
					return r.err
				}
				if !yield(r.c) {
					return nil
				}
			}
			// order is closed only after the feeder stored upErr.
			return upErr
		},
		elems: p.elems,
		rows:  UnknownCardinality,
	}
}
