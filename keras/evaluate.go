package keras

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/gokeras/keras/callbacks"
	"gorgonia.org/tensor"
)

// Evaluate returns the loss (with regularization, as in training) and
// every compiled metric on x and y, keyed by name ("loss", "accuracy"),
// as Keras's model.evaluate(return_dict=True). Options: BatchSize (32),
// SampleWeight (weights the loss and the weighted metrics), Callbacks,
// Verbose. Any number of samples and any batch size work. Evaluate is
// safe for concurrent use with Predict and with itself (it runs one at a
// time); while Fit runs it returns ErrBusy.
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
	data := &tensorData{m: m, x: xa, y: ya, batch: s.batchSize}
	if s.sampleWeight != nil {
		if data.w, err = sampleWeights(s.sampleWeight, xa.samples(), "sample_weight"); err != nil {
			return nil, err
		}
	}
	return m.evaluateWith(context.Background(), s, data)
}

// evaluateWith evaluates on data with the callbacks and progress bar of
// s, for Evaluate and EvaluateDataset. The model is built.
func (m *Model) evaluateWith(ctx context.Context, s settings, data passer) (map[string]float64, error) {
	if err := m.resolveMetrics(); err != nil {
		return nil, err
	}
	if err := m.bindWeightedMetrics(); err != nil {
		return nil, err
	}
	cbs := slices.Clone(s.callbacks)
	if s.verbose > 0 {
		cbs = append(cbs, callbacks.NewProgbarLogger(s.out(), s.verbose))
	}
	steps := data.steps()
	if s.validationSteps > 0 {
		steps = s.validationSteps
	}
	params := callbacks.Params{Steps: steps, Samples: data.samples(), Verbose: s.verbose}
	return m.evaluate(ctx, data, s.validationSteps, newCallbackList(m, params, cbs))
}

// evaluate runs the evaluation graphs over one pass of data (its first
// maxSteps batches when maxSteps > 0), firing the test events on cbs.
func (m *Model) evaluate(ctx context.Context, data passer, maxSteps int, cbs callbackList) (callbacks.Logs, error) {
	if err := cbs.testBegin(callbacks.Logs{}); err != nil {
		return nil, err
	}
	m.resetMetrics()
	var lossSum float64
	seen, b := 0, 0
	for st, err := range data.pass(ctx) {
		if maxSteps > 0 && b >= maxSteps {
			break
		}
		if err != nil { // the data's own error, which says where
			return nil, err
		}
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("keras: evaluation stopped: %w", err)
		}
		if err := cbs.testBatchBegin(b, callbacks.Logs{}); err != nil {
			return nil, err
		}
		p, err := m.acquire(modeEval, len(st.idx), st.w != nil)
		if err != nil {
			return nil, err
		}
		loss, err := m.runBatch(p, st)
		if err != nil {
			return nil, err
		}
		m.release(p)
		lossSum += loss * float64(len(st.idx))
		seen += len(st.idx)
		if err := cbs.testBatchEnd(b, m.logs(lossSum/float64(seen))); err != nil {
			return nil, err
		}
		b++
	}
	if b == 0 {
		return nil, errors.New("keras: evaluation: the data yielded no batches")
	}
	logs := m.logs(lossSum / float64(seen))
	if err := cbs.testEnd(logs); err != nil {
		return nil, err
	}
	return logs, nil
}
