package keras

import (
	"runtime"
	"slices"

	"gorgonia.org/tensor"
)

// Feeding a batch of shuffled samples means copying its rows out of x,
// which is bound by memory: an MNIST epoch copies 188 MB, about a quarter
// of its time, while the other core waits. So a shuffled pass gathers one
// batch ahead on a goroutine of its own, into the second of two buffers,
// while the caller trains on the first; and a pass in order hands out
// views of x, copying nothing. Either way the graph reads the batch where
// it lies (executor.bindInput), and the numbers are those of a copy.
// Batches of fewer than inPlaceValues values are copied by the caller as
// before: for them, handing a batch over between goroutines, or making a
// tensor to view it, costs more than the copy (the moons net's 300
// samples of 2 values lost 15% of its time to the wake-ups).

// batchTensor returns a tensor of rows samples shaped as a's: buf when it
// has that shape, else a new one.
func (a *array) batchTensor(buf *tensor.Dense, rows int) *tensor.Dense {
	if buf != nil {
		if s := buf.Shape(); s[0] == rows && slices.Equal(s[1:], a.shape[1:]) {
			return buf
		}
	}
	shape := append([]int{rows}, a.shape[1:]...)
	if a.f64 != nil {
		return tensor.New(tensor.WithShape(shape...), tensor.Of(tensor.Float64))
	}
	return tensor.New(tensor.WithShape(shape...), tensor.Of(tensor.Float32))
}

// view returns samples [from, to) as a tensor sharing a's memory, each
// sample shaped sample (a's own sample shape, or another of as many
// values).
func (a *array) view(from, to int, sample []int) *tensor.Dense {
	r := a.rowSize()
	shape := append([]int{to - from}, sample...)
	if a.f64 != nil {
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(a.f64[from*r:to*r:to*r]))
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(a.f32[from*r:to*r:to*r]))
}

// finiteRows reports whether samples [from, to) hold only finite values.
func (a *array) finiteRows(from, to int) bool {
	r := a.rowSize()
	if a.f64 != nil {
		return finite(a.f64[from*r : to*r])
	}
	return finite(a.f32[from*r : to*r])
}

// gatherer gathers the batches of one pass a batch ahead of the caller.
// Of its two buffers, one is the caller's (the batch next returned last)
// and the other is being filled; the caller's is free again when it asks
// for the next batch.
type gatherer struct {
	ready chan *tensor.Dense // gathered batches, in order
	free  chan *tensor.Dense // buffers to fill
	quit  chan struct{}      // closed by close
	done  chan struct{}      // closed when the goroutine has returned
	last  *tensor.Dense      // the batch next returned last
}

// gatherAhead starts gathering the samples order of x, batch at a time
// (the last batch may be shorter), into bufs (two tensors of batch rows;
// shorter ones are replaced).
func gatherAhead(x *array, order []int, batch int, bufs *[2]*tensor.Dense) *gatherer {
	g := &gatherer{
		ready: make(chan *tensor.Dense),
		free:  make(chan *tensor.Dense, len(bufs)),
		quit:  make(chan struct{}),
		done:  make(chan struct{}),
	}
	for i := range bufs {
		bufs[i] = x.batchTensor(bufs[i], batch)
		g.free <- bufs[i]
	}
	go g.run(x, order, batch)
	return g
}

func (g *gatherer) run(x *array, order []int, batch int) {
	defer close(g.done)
	for from := 0; from < len(order); from += batch {
		idx := order[from:min(from+batch, len(order))]
		var buf *tensor.Dense
		select {
		case buf = <-g.free:
		case <-g.quit:
			return
		}
		buf = x.batchTensor(buf, len(idx))
		// A few rows at a time, yielding between them, so that the
		// matrix products' workers (internal/gemm) find a core at once.
		for lo := 0; lo < len(idx); lo += 16 {
			x.gatherAt(buf, lo, idx[lo:min(lo+16, len(idx))])
			runtime.Gosched()
		}
		select {
		case g.ready <- buf:
		case <-g.quit:
			return
		}
	}
}

// next returns the next batch's rows, which stay the caller's until the
// following call. It must be called no more times than there are
// batches.
func (g *gatherer) next() *tensor.Dense {
	if g.last != nil {
		g.free <- g.last
	}
	g.last = <-g.ready
	return g.last
}

// close stops the goroutine and waits for it, so that the buffers can be
// used again.
func (g *gatherer) close() {
	close(g.quit)
	<-g.done
}
