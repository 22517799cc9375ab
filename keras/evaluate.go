package keras

import (
	"context"
	"fmt"
	"slices"

	"github.com/gokeras/keras/callbacks"
	"gorgonia.org/tensor"
)

// Evaluate returns the loss (with regularization, as in training) and
// every compiled metric on x and y, keyed by name ("loss", "accuracy"),
// as Keras's model.evaluate(return_dict=True). Options: BatchSize (32),
// Callbacks, Verbose. Any number of samples and any batch size work.
// Evaluate is safe for concurrent use with Predict and with itself (it
// runs one at a time); while Fit runs it returns ErrBusy.
func (m *Model) Evaluate(x, y tensor.Tensor, opts ...Option) (res map[string]float64, err error) {
	defer recoverTo(&err, "Evaluate")
	if !m.compiled {
		return nil, ErrNotCompiled
	}
	if !m.run.TryRLock() {
		return nil, ErrBusy
	}
	defer m.run.RUnlock()
	m.evalMu.Lock()
	defer m.evalMu.Unlock()
	s := newSettings(opts)
	if s.batchSize <= 0 {
		return nil, fmt.Errorf("keras: batch_size must be positive, got %d", s.batchSize)
	}
	xa, ya, err := m.prepare(x, y)
	if err != nil {
		return nil, err
	}
	if err := s.checkCallbacks(); err != nil {
		return nil, err
	}
	if err := m.resolveMetrics(); err != nil {
		return nil, err
	}
	cbs := slices.Clone(s.callbacks)
	if s.verbose > 0 {
		cbs = append(cbs, callbacks.NewProgbarLogger(s.out(), s.verbose))
	}
	params := callbacks.Params{Steps: (xa.samples() + s.batchSize - 1) / s.batchSize, Samples: xa.samples(), Verbose: s.verbose}
	return m.evaluate(context.Background(), xa, ya, s.batchSize, newCallbackList(m, params, cbs))
}

// evaluate runs the evaluation graphs over every sample, firing the test
// events on cbs.
func (m *Model) evaluate(ctx context.Context, xa, ya *array, batch int, cbs callbackList) (callbacks.Logs, error) {
	if err := cbs.testBegin(callbacks.Logs{}); err != nil {
		return nil, err
	}
	m.resetMetrics()
	n := xa.samples()
	batch = min(batch, n)
	idx := make([]int, 0, batch)
	var lossSum float64
	for b := 0; b*batch < n; b++ {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("keras: evaluation stopped: %w", err)
		}
		if err := cbs.testBatchBegin(b, callbacks.Logs{}); err != nil {
			return nil, err
		}
		idx = span(idx, b*batch, min((b+1)*batch, n))
		p, err := m.acquire(modeEval, len(idx))
		if err != nil {
			return nil, err
		}
		loss, err := m.runBatch(p, xa, ya, idx)
		if err != nil {
			return nil, err
		}
		m.release(p)
		lossSum += loss * float64(len(idx))
		if err := cbs.testBatchEnd(b, m.logs(lossSum/float64(min((b+1)*batch, n)))); err != nil {
			return nil, err
		}
	}
	logs := m.logs(lossSum / float64(n))
	if err := cbs.testEnd(logs); err != nil {
		return nil, err
	}
	return logs, nil
}
