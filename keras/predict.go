package keras

import (
	"fmt"

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
	s := newSettings(opts)
	if s.batchSize <= 0 {
		return nil, fmt.Errorf("keras: batch_size must be positive, got %d", s.batchSize)
	}
	xa, err := m.prepareX(x)
	if err != nil {
		return nil, err
	}
	n := xa.samples()
	s.batchSize = min(s.batchSize, max(n, 1))
	if err := s.checkCallbacks(); err != nil {
		return nil, err
	}
	cbs := newCallbackList(m, callbacks.Params{Steps: (n + s.batchSize - 1) / s.batchSize, Samples: n, Verbose: s.verbose}, s.callbacks)
	if err := cbs.predictBegin(callbacks.Logs{}); err != nil {
		return nil, err
	}
	outShape := append([]int{n}, m.outShape()...)
	row := numel(m.outShape())
	res := tensor.New(tensor.Of(m.dtype), tensor.WithShape(outShape...))
	idx := make([]int, 0, s.batchSize)
	for b := 0; b*s.batchSize < n; b++ {
		if err := cbs.predictBatchBegin(b, callbacks.Logs{}); err != nil {
			return nil, err
		}
		from, to := b*s.batchSize, min((b+1)*s.batchSize, n)
		idx = span(idx, from, to)
		if err := m.predictBatch(xa, idx, res, from*row); err != nil {
			return nil, err
		}
		if err := cbs.predictBatchEnd(b, callbacks.Logs{}); err != nil {
			return nil, err
		}
	}
	if err := cbs.predictEnd(callbacks.Logs{}); err != nil {
		return nil, err
	}
	return res, nil
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
		return fmt.Errorf("%w: prediction step: %v", ErrEngine, err)
	}
	copyRows(res, p.outValue(), at, at+len(idx)*numel(m.outShape()))
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
	switch d := dst.Data().(type) {
	case []float32:
		copy(d[from:to], src.Data().([]float32))
	case []float64:
		copy(d[from:to], src.Data().([]float64))
	}
}
