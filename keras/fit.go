package keras

import (
	"context"
	"fmt"
	"io"
	"os"
	"reflect"
	"slices"

	"github.com/gokeras/keras/callbacks"
	"gorgonia.org/tensor"
)

// Fit trains the model for Epochs passes over x and y, as Keras's
// model.fit. Options: Epochs (1), BatchSize (32), Shuffle (true),
// ValidationSplit, ValidationData, Callbacks, Verbose (1), InitialEpoch.
// x is (samples, features...) and y (samples, outputs) — or class indices
// (samples,) for a sparse loss. Inputs of any float or int type are cast to
// the model's float type.
func (m *Model) Fit(x, y tensor.Tensor, opts ...Option) (*History, error) {
	return m.FitContext(context.Background(), x, y, opts...)
}

// FitContext is Fit that stops when ctx is done: it returns the History of
// the epochs completed so far and an error wrapping ctx.Err().
func (m *Model) FitContext(ctx context.Context, x, y tensor.Tensor, opts ...Option) (h *History, err error) {
	h = callbacks.NewHistory()
	defer recoverTo(&err, "Fit")
	m.run.Lock() // waits for running predictions
	defer m.run.Unlock()
	if !m.compiled {
		return h, ErrNotCompiled
	}
	s := newSettings(opts)
	if err := s.checkFit(); err != nil {
		return h, err
	}
	xa, ya, err := m.prepare(x, y)
	if err != nil {
		return h, err
	}
	var valX, valY *array
	switch {
	case s.valX != nil || s.valY != nil:
		if valX, valY, err = m.prepare(s.valX, s.valY); err != nil {
			return h, fmt.Errorf("validation data: %w", err)
		}
	case s.validationSplit > 0:
		// Keras takes the last fraction, before any shuffling.
		at := int(float64(xa.samples()) * (1 - s.validationSplit))
		if at <= 0 || at >= xa.samples() {
			return h, fmt.Errorf("keras: validation_split %v of %d samples leaves an empty training or validation set", s.validationSplit, xa.samples())
		}
		xa, valX = xa.slice(0, at), xa.slice(at, xa.samples())
		ya, valY = ya.slice(0, at), ya.slice(at, ya.samples())
	}
	if err := m.resolveMetrics(); err != nil {
		return h, err
	}

	n := xa.samples()
	s.batchSize = min(s.batchSize, n) // as Keras: a batch is at most the data
	steps := (n + s.batchSize - 1) / s.batchSize
	// Keras's order: the user's callbacks, History, then the progress bar,
	// which validation inside Fit leaves out.
	params := callbacks.Params{Epochs: s.epochs, Steps: steps, Samples: n, Verbose: s.verbose}
	cbs := newCallbackList(m, params, append(slices.Clone(s.callbacks), h))
	all := cbs
	if s.verbose > 0 {
		all = newCallbackList(m, params, append(slices.Clone(cbs.cbs), callbacks.NewProgbarLogger(s.out(), s.verbose)))
	}

	if err := m.checkTrainable(); err != nil {
		return h, err
	}
	m.stop = false
	m.userSet = true // from here on the weights are trained ones
	if err := all.trainBegin(callbacks.Logs{}); err != nil {
		return h, err
	}
	order := make([]int, n)
	var logs callbacks.Logs
	for epoch := s.initialEpoch; epoch < s.epochs && !m.stop; epoch++ {
		if err := all.epochBegin(epoch, callbacks.Logs{}); err != nil {
			return h, err
		}
		m.lastLR = m.opt.LearningRate()
		// Each epoch's order depends only on the random source, so a run
		// resumed from a saved model shuffles as an unbroken one.
		for i := range order {
			order[i] = i
		}
		if s.shuffle {
			m.rng.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
		}
		if logs, err = m.trainEpoch(ctx, epoch, xa, ya, order, s.batchSize, all); err != nil {
			return h, err
		}
		if valX != nil {
			vl, err := m.evaluate(ctx, valX, valY, s.batchSize, cbs)
			if err != nil {
				return h, err
			}
			for k, v := range vl {
				logs["val_"+k] = v
			}
		}
		// The rate of the epoch's last step, as Keras's callbacks log it.
		logs["learning_rate"] = m.lastLR
		if err := all.epochEnd(epoch, logs); err != nil {
			return h, err
		}
	}
	if err := all.trainEnd(logs); err != nil {
		return h, err
	}
	return h, nil
}

// trainEpoch takes one optimizer step per batch of the samples in order
// and returns the epoch's logs: the loss averaged over samples (Keras
// weights each batch by its size) and the metrics. A callback that stops
// training (StopTraining) ends the epoch after its batch, as in Keras.
func (m *Model) trainEpoch(ctx context.Context, epoch int, xa, ya *array, order []int, batch int, cbs callbackList) (callbacks.Logs, error) {
	m.resetMetrics()
	n := len(order)
	var lossSum float64
	seen := 0
	for b := 0; b*batch < n && !m.stop; b++ {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("keras: fit stopped in epoch %d: %w", epoch, err)
		}
		if err := cbs.trainBatchBegin(b, callbacks.Logs{}); err != nil {
			return nil, err
		}
		idx := order[b*batch : min((b+1)*batch, n)]
		p, err := m.acquire(modeTrain, len(idx))
		if err != nil {
			return nil, err
		}
		loss, err := m.runBatch(p, xa, ya, idx)
		if err != nil {
			return nil, err
		}
		m.lastLR = m.opt.LearningRate()
		if len(p.trained) > 0 {
			if err := m.opt.Apply(p.trained, p.gradients()); err != nil {
				return nil, fmt.Errorf("keras: optimizer %s: %w", m.opt.Name(), err)
			}
		}
		p.applyUpdates()
		m.release(p)
		lossSum += loss * float64(len(idx))
		seen += len(idx)
		if err := cbs.trainBatchEnd(b, m.logs(lossSum/float64(seen))); err != nil {
			return nil, err
		}
	}
	return m.logs(lossSum / float64(max(seen, 1))), nil
}

// runBatch feeds the samples idx to p (filling dropout masks from the
// model's source), runs it and adds the batch to the metrics. It returns
// the batch's loss.
func (m *Model) runBatch(p *program, xa, ya *array, idx []int) (float64, error) {
	yTrue := m.feed(p, xa, ya, idx)
	for _, f := range p.feeds {
		f.Fill(m.rng, f.Value)
	}
	if err := p.run(); err != nil {
		return 0, fmt.Errorf("%w: %v", ErrEngine, err)
	}
	if err := m.updateMetrics(yTrue, p.outValue()); err != nil {
		return 0, err
	}
	return p.lossValue(), nil
}

func (s *settings) checkFit() error {
	switch {
	case s.epochs < 0:
		return fmt.Errorf("keras: epochs must not be negative, got %d", s.epochs)
	case s.batchSize <= 0:
		return fmt.Errorf("keras: batch_size must be positive, got %d", s.batchSize)
	case !(s.validationSplit >= 0 && s.validationSplit < 1): // NaN too
		return fmt.Errorf("keras: validation_split must be in [0, 1), got %v", s.validationSplit)
	case (s.valX == nil) != (s.valY == nil):
		return fmt.Errorf("keras: validation data needs both x and y")
	}
	return s.checkCallbacks()
}

func (s *settings) out() io.Writer {
	if s.output != nil {
		return s.output
	}
	return os.Stdout
}

// prepare casts x and y, builds the model from x's shape if needed and
// checks that y fits the model's output and loss.
func (m *Model) prepare(x, y tensor.Tensor) (*array, *array, error) {
	xa, err := m.prepareX(x)
	if err != nil {
		return nil, nil, err
	}
	if m.sparse {
		// Labels are checked as numbers first, so that +Inf or 1e300 is
		// an out-of-range label like any other.
		if err := checkSparseLabels(y, m.outShape()); err != nil {
			return nil, nil, err
		}
	}
	ya, err := toArray(y, m.dtype, "y")
	if err != nil {
		return nil, nil, err
	}
	if xa.samples() != ya.samples() {
		return nil, nil, fmt.Errorf("keras: x has %d samples but y has %d", xa.samples(), ya.samples())
	}
	out := m.outShape()
	last := m.lastLayer().Name()
	if m.sparse {
		if err := ya.checkLabels(out[len(out)-1]); err != nil {
			return nil, nil, err
		}
		return xa, ya, nil
	}
	if ya.rowSize() != numel(out) {
		return nil, nil, fmt.Errorf("keras: y has shape %s but the output of %s has shape %s", shapeString(ya.shape), last, shapeString(append([]int{-1}, out...)))
	}
	return xa, ya, nil
}

// prepareX casts x and builds the model from its shape if needed.
func (m *Model) prepareX(x tensor.Tensor) (*array, error) {
	xa, err := toArray(x, m.dtype, "x")
	if err != nil {
		return nil, err
	}
	// As Keras 3, samples one axis short of an input shape ending in 1 get
	// that axis: xs of shape (6,) feed a model with InputShape(1).
	want := m.inShape
	if want == nil {
		want = m.declaredInput()
	}
	if len(want) > 0 && want[len(want)-1] == 1 && len(xa.shape) == len(want) {
		xa.shape = append(xa.shape, 1)
	}
	m.buildMu.Lock()
	err = m.build(xa.shape[1:])
	m.buildMu.Unlock()
	if err != nil {
		return nil, err
	}
	return xa, nil
}

// feed copies the samples idx into p's inputs and returns the targets as
// the metrics see them (class indices for a sparse loss).
func (m *Model) feed(p *program, xa, ya *array, idx []int) *tensor.Dense {
	xa.gather(p.x, idx)
	if p.y == nil {
		return nil
	}
	if !m.sparse {
		ya.gather(p.y, idx)
		return p.y
	}
	out := m.outShape()
	ya.oneHot(p.y, idx, out[len(out)-1])
	if p.labels == nil {
		p.labels = tensor.New(tensor.Of(m.dtype), tensor.WithShape(p.batch))
	}
	ya.gather(p.labels, idx)
	return p.labels
}

func (m *Model) resetMetrics() {
	for _, mt := range m.metrics {
		mt.Reset()
	}
}

func (m *Model) updateMetrics(yTrue, yPred *tensor.Dense) error {
	for _, mt := range m.metrics {
		if err := mt.Update(yTrue, yPred); err != nil {
			return fmt.Errorf("keras: metric %s: %w", mt.Name(), err)
		}
	}
	return nil
}

// logs returns the loss and every metric's result.
func (m *Model) logs(loss float64) callbacks.Logs {
	l := callbacks.Logs{"loss": loss}
	for _, mt := range m.metrics {
		l[mt.Name()] = mt.Result()
	}
	return l
}

// checkTrainable records which weights the optimizer trains, and refuses
// a change (a layer frozen or unfrozen) since the last Compile: as in
// Keras, a change of trainable takes a new Compile.
func (m *Model) checkTrainable() error {
	on := m.trainable()
	if m.trainedSet == nil {
		m.trainedSet = on
		return nil
	}
	if !slices.Equal(on, m.trainedSet) {
		return fmt.Errorf("keras: %s: a layer was frozen or unfrozen since Compile; call Compile again (with a new optimizer), as in Keras", m.name)
	}
	return nil
}

// checkCallbacks refuses a nil callback (also a typed nil pointer).
func (s *settings) checkCallbacks() error {
	for i, c := range s.callbacks {
		if c == nil {
			return fmt.Errorf("keras: callback %d is nil", i)
		}
		if v := reflect.ValueOf(c); v.Kind() == reflect.Pointer && v.IsNil() {
			return fmt.Errorf("keras: callback %d (%T) is nil", i, c)
		}
	}
	return nil
}
