package keras

import (
	"errors"
	"fmt"
	"slices"

	"github.com/gokeras/keras/callbacks"
	"gorgonia.org/tensor"
)

// Predict returns the model's outputs for x, (samples, outputs...), as
// Keras's model.predict. As in Keras, a model that was built but never
// compiled predicts (Fit and Evaluate need Compile). Options: BatchSize
// (32), Callbacks. Any number of samples works: each batch size gets its
// own compiled graph, sharing the weights. Predict and Evaluate are safe
// for concurrent use on one model (each goroutine runs graphs of its
// own); while Fit runs they return ErrBusy.
func (m *Model) Predict(x tensor.Tensor, opts ...Option) (out *tensor.Dense, err error) {
	defer recoverTo(&err, "Predict")
	if !m.run.TryRLock() {
		return nil, ErrBusy
	}
	defer m.run.RUnlock()
	s := predictSettings(opts)
	xa, unchecked, err := m.predictInput(x, &s)
	if err != nil {
		return nil, err
	}
	outShape := append([]int{xa.samples()}, m.outShape()...)
	res := tensor.New(tensor.Of(m.dtype), tensor.WithShape(outShape...))
	if err := m.predictInto(res, &xa, unchecked, &s); err != nil {
		return nil, m.nonFinite(x, err)
	}
	return res, nil
}

// PredictInto is Predict writing the outputs into dst, which must be a
// tensor of the model's float type and of shape (samples, outputs...)
// that is not a view. After the first call for a batch size, a
// prediction whose x is of the model's float type and input shape, in
// batches of fewer than 8192 values (a single sample of most models),
// allocates nothing; larger batches are read where they lie, a few small
// allocations each. Options and concurrency are Predict's; on error
// dst's contents are unspecified.
func (m *Model) PredictInto(dst *tensor.Dense, x tensor.Tensor, opts ...Option) (err error) {
	defer recoverTo(&err, "PredictInto")
	if !m.run.TryRLock() {
		return ErrBusy
	}
	defer m.run.RUnlock()
	s := predictSettings(opts)
	xa, unchecked, err := m.predictInput(x, &s)
	if err != nil {
		return err
	}
	if dst == nil {
		return fmt.Errorf("keras: PredictInto: dst is nil")
	}
	out := m.outShape()
	ds := dst.Shape()
	if dst.Dtype() != m.dtype || dst.IsView() || dst.RequiresIterator() || ds.Dims() != len(out)+1 || ds[0] != xa.samples() || !slices.Equal([]int(ds[1:]), out) {
		return fmt.Errorf("keras: PredictInto: dst must be a %v tensor of shape %s, got %v %v", m.dtype, shapeString(append([]int{xa.samples()}, out...)), dst.Dtype(), ds)
	}
	return m.nonFinite(x, m.predictInto(dst, &xa, unchecked, &s))
}

// nonFinite turns errNonFinite into prepareX's error, which says which
// value of x is not finite; other errors pass.
func (m *Model) nonFinite(x tensor.Tensor, err error) error {
	if !errors.Is(err, errNonFinite) {
		return err
	}
	if _, perr := m.prepareX(x); perr != nil {
		return perr
	}
	return err
}

// noOptions are the settings of no options, read-only.
var noOptions = newSettings(nil)

// predictSettings is newSettings(opts) without its allocation when
// there are no options (newSettings's settings escape through the
// option functions).
func predictSettings(opts []Option) settings {
	if len(opts) == 0 {
		return noOptions
	}
	return newSettings(opts)
}

// predictInput checks the options and casts x (building the model from
// its shape if needed). An x of the model's float type and input shape
// is read in place, without the copies of prepareX; unchecked then says
// that its values are checked batch by batch (predictInto).
func (m *Model) predictInput(x tensor.Tensor, s *settings) (xa array, unchecked bool, err error) {
	if s.batchSize <= 0 {
		return array{}, false, fmt.Errorf("keras: batch_size must be positive, got %d", s.batchSize)
	}
	if err := s.checkCallbacks(); err != nil {
		return array{}, false, err
	}
	if a, ok := m.directInput(x); ok {
		return a, true, nil
	}
	a, err := m.prepareX(x)
	if err != nil {
		return array{}, false, err
	}
	return *a, false, nil
}

// directInput returns x as an array when it needs no cast, no copy and
// no build: a contiguous tensor of the model's float type whose shape is
// (samples, the model's input shape). Its values are not yet checked:
// predictRange checks each batch as it copies it (errNonFinite), which
// saves a pass over x.
func (m *Model) directInput(x tensor.Tensor) (array, bool) {
	d, ok := x.(*tensor.Dense)
	if !ok || d == nil || d.Dtype() != m.dtype || d.RequiresIterator() {
		return array{}, false
	}
	shape := d.Shape()
	m.buildMu.Lock()
	in := m.inShape
	m.buildMu.Unlock()
	if in == nil || shape.Dims() != len(in)+1 || shape[0] == 0 || !slices.Equal([]int(shape[1:]), in) {
		return array{}, false
	}
	a := array{shape: shape}
	n := numel(shape)
	switch m.dtype {
	case tensor.Float32:
		a.f32 = d.Float32s()[:n]
	case tensor.Float64:
		a.f64 = d.Float64s()[:n]
	default:
		return array{}, false
	}
	return a, true
}

// errNonFinite is predictRange's word that a batch holds a NaN or an
// infinity; prepareX then says which, as for any other x.
var errNonFinite = errors.New("keras: x holds a value that is not finite")

// finite reports whether every value of v is finite. The quick test is
// a sum, NaN or infinite when a value is (8 sums at once: a fifth of the
// cost of testing each value); only a sum that overflowed on finite
// values takes the exact test, x·0 being 0 for a finite x and NaN
// otherwise.
func finite[T float32 | float64](v []T) bool {
	var s0, s1, s2, s3, s4, s5, s6, s7 T
	for w := v; len(w) >= 8; w = w[8:] {
		r := w[:8:8]
		s0 += r[0]
		s1 += r[1]
		s2 += r[2]
		s3 += r[3]
		s4 += r[4]
		s5 += r[5]
		s6 += r[6]
		s7 += r[7]
	}
	for _, x := range v[len(v)-len(v)%8:] {
		s0 += x
	}
	if s := (s0 + s1) + (s2 + s3) + (s4 + s5) + (s6 + s7); s-s == 0 {
		return true
	}
	var z T
	for _, x := range v {
		z += x * 0
	}
	return z == 0
}

// predictInto runs the samples of xa through the prediction graphs in
// batches and writes the outputs into res. The full batches share one
// graph taken from the pool once (one lock for all of them, not two a
// batch: goroutines predicting at once contend less); the last partial
// batch takes its own.
func (m *Model) predictInto(res *tensor.Dense, xa *array, unchecked bool, s *settings) (err error) {
	n := xa.samples()
	batch := min(s.batchSize, max(n, 1))
	var cbs callbackList
	hasCbs := len(s.callbacks) > 0
	if hasCbs {
		cbs = newCallbackList(m, callbacks.Params{Steps: (n + batch - 1) / batch, Samples: n, Verbose: s.verbose}, s.callbacks)
		if err := cbs.predictBegin(callbacks.Logs{}); err != nil {
			return err
		}
	}
	row := numel(m.outShape())
	var p *program
	defer func() {
		if p != nil {
			m.release(p)
		}
	}()
	for b := 0; b*batch < n; b++ {
		if hasCbs {
			if err := cbs.predictBatchBegin(b, callbacks.Logs{}); err != nil {
				return err
			}
		}
		from, to := b*batch, min((b+1)*batch, n)
		if p == nil || p.batch != to-from {
			if p != nil {
				m.release(p)
				p = nil
			}
			if p, err = m.acquire(modePredict, to-from, false); err != nil {
				return err
			}
		}
		if err := predictRange(p, xa, unchecked, from, to, res, from*row); err != nil {
			return err
		}
		if hasCbs {
			if err := cbs.predictBatchEnd(b, callbacks.Logs{}); err != nil {
				return err
			}
		}
	}
	if hasCbs {
		return cbs.predictEnd(callbacks.Logs{})
	}
	return nil
}

// predictRange runs the samples [from, to) of xa through p and copies
// the outputs into res from the value offset at. With unchecked, it
// first checks that the batch is finite (errNonFinite).
func predictRange(p *program, xa *array, unchecked bool, from, to int, res *tensor.Dense, at int) error {
	if unchecked && !xa.finiteRows(from, to) {
		return errNonFinite
	}
	r := xa.rowSize()
	if (to-from)*r >= inPlaceValues && p.exec.bindInput(p.xNode, nil) {
		return predictInPlace(p, xa, from, to, res, at)
	}
	if xa.f64 != nil {
		copy(p.x.Float64s(), xa.f64[from*r:to*r])
	} else {
		copy(p.x.Float32s(), xa.f32[from*r:to*r])
	}
	if err := p.run(); err != nil {
		return fmt.Errorf("%w: prediction step: %v", ErrEngine, err)
	}
	copyRowsAt(res, p.outValue(), at)
	return nil
}

// inPlaceValues is the size of a batch (in values) from which a
// prediction reads it where it lies, through a tensor made for the batch
// (a few small allocations), rather than copying it into the graph's
// input: measured on the MNIST MLP (784 values a sample, batch 32), the
// copy cost a fifth of the time; below a few thousand values it costs
// less than the allocations.
const inPlaceValues = 8192

// predictInPlace is predictRange reading the batch in xa's memory.
func predictInPlace(p *program, xa *array, from, to int, res *tensor.Dense, at int) error {
	p.exec.bindInput(p.xNode, xa.view(from, to, p.x.Shape()[1:]))
	err := p.run()
	if err == nil {
		copyRowsAt(res, p.outValue(), at)
	}
	p.exec.bindInput(p.xNode, nil)
	if err != nil {
		return fmt.Errorf("%w: prediction step: %v", ErrEngine, err)
	}
	return nil
}

// predictBatch runs the samples idx of xa through the prediction graph
// and copies the outputs into res from the value offset at.
func (m *Model) predictBatch(xa *array, idx []int, res *tensor.Dense, at int) error {
	p, err := m.acquire(modePredict, len(idx), false)
	if err != nil {
		return err
	}
	xa.gather(p.x, idx)
	if err := p.run(); err != nil {
		m.release(p)
		return fmt.Errorf("%w: prediction step: %v", ErrEngine, err)
	}
	copyRowsAt(res, p.outValue(), at)
	m.release(p)
	return nil
}

// span fills idx with from, from+1, ..., to-1.
func span(idx []int, from, to int) []int {
	idx = idx[:0]
	for i := from; i < to; i++ {
		idx = append(idx, i)
	}
	return idx
}

// copyRows copies src's values into dst[from:to].
func copyRows(dst, src *tensor.Dense, from, to int) {
	switch dst.Dtype() {
	case tensor.Float32:
		copy(dst.Float32s()[from:to], src.Float32s())
	case tensor.Float64:
		copy(dst.Float64s()[from:to], src.Float64s())
	}
}

// copyRowsAt copies src's values into dst from the value offset at.
func copyRowsAt(dst, src *tensor.Dense, at int) {
	switch dst.Dtype() {
	case tensor.Float32:
		copy(dst.Float32s()[at:], src.Float32s())
	case tensor.Float64:
		copy(dst.Float64s()[at:], src.Float64s())
	}
}
