package keras

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"reflect"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/gokeras/keras/callbacks"
	"github.com/gokeras/keras/internal/gemm"
	"gorgonia.org/tensor"
)

// Fit trains the model for Epochs passes over x and y, as Keras's
// model.fit. Options: Epochs (1), BatchSize (32), Shuffle (true),
// ValidationSplit, ValidationData, ValidationDataset, ValidationSteps,
// StepsPerEpoch, SampleWeight, ClassWeight, Callbacks, Verbose (1),
// InitialEpoch. x is (samples, features...) and y (samples, outputs) —
// or class indices (samples,) for a sparse loss. Inputs of any float or
// int type are cast to the model's float type.
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
	w, err := m.fitWeights(&s, xa, ya)
	if err != nil {
		return h, err
	}
	var val passer
	switch {
	case s.valDataset != nil:
		val = m.datasetOf(s.valDataset, "validation dataset", nil)
	case s.valX != nil || s.valY != nil:
		valX, valY, err := m.prepare(s.valX, s.valY)
		if err != nil {
			return h, fmt.Errorf("validation data: %w", err)
		}
		val = &tensorData{m: m, x: valX, y: valY, batch: s.batchSize}
	case s.validationSplit > 0:
		// Keras takes the last fraction, before any shuffling; the
		// held-out samples keep their sample weights.
		at := int(float64(xa.samples()) * (1 - s.validationSplit))
		if at <= 0 || at >= xa.samples() {
			return h, fmt.Errorf("keras: validation_split %v of %d samples leaves an empty training or validation set", s.validationSplit, xa.samples())
		}
		v := &tensorData{m: m, x: xa.slice(at, xa.samples()), y: ya.slice(at, ya.samples()), batch: s.batchSize}
		if w != nil && s.sampleWeight != nil {
			v.w = w[at:]
		}
		val = v
		xa, ya = xa.slice(0, at), ya.slice(0, at)
		if w != nil {
			w = w[:at]
		}
	}
	// As Keras: a batch is at most the data. Validation on tensors
	// batches as training does.
	s.batchSize = min(s.batchSize, xa.samples())
	if v, ok := val.(*tensorData); ok {
		v.batch = s.batchSize
	}
	train := &tensorData{m: m, x: xa, y: ya, w: w, batch: s.batchSize, shuffle: s.shuffle}
	return m.fitLoop(ctx, s, train, val, h)
}

// fitWeights checks SampleWeight and ClassWeight and returns the
// per-sample weights of x, or nil when training is unweighted.
func (m *Model) fitWeights(s *settings, xa, ya *array) ([]float64, error) {
	if s.sampleWeight != nil && s.classWeight != nil {
		return nil, errors.New("keras: give sample_weight or class_weight, not both (as Keras)")
	}
	if s.sampleWeight != nil {
		return sampleWeights(s.sampleWeight, xa.samples(), "sample_weight")
	}
	if s.classWeight != nil {
		if err := m.checkClassWeight(s.classWeight); err != nil {
			return nil, err
		}
		return m.classWeights(s.classWeight, ya), nil
	}
	return nil, nil
}

// fitLoop is the one training loop of Fit and FitDataset: epochs of
// batches from train, each an optimizer step, then validation on val
// (nil: none), with Keras's callback events. The model is built.
func (m *Model) fitLoop(ctx context.Context, s settings, train passer, val passer, h *History) (*History, error) {
	defer gemm.Hot()() // training's matrix products come back to back
	if err := m.resolveMetrics(); err != nil {
		return h, err
	}
	if err := m.bindWeightedMetrics(); err != nil {
		return h, err
	}
	ep := &epochs{src: train, per: s.stepsPerEpoch, warn: s.warnings()}
	defer ep.close()
	steps := train.steps()
	if s.stepsPerEpoch > 0 {
		steps = s.stepsPerEpoch
	}
	// Keras's order: the user's callbacks, History, then the progress bar,
	// which validation inside Fit leaves out.
	params := callbacks.Params{Epochs: s.epochs, Steps: steps, Samples: train.samples(), Verbose: s.verbose}
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
	var logs callbacks.Logs
	for epoch := s.initialEpoch; epoch < s.epochs && !m.stop; epoch++ {
		if err := all.epochBegin(epoch, callbacks.Logs{}); err != nil {
			return h, err
		}
		m.lastLR = m.opt.LearningRate()
		var err error
		if logs, err = m.trainEpoch(ctx, epoch, ep.epoch(ctx), all); err != nil {
			return h, err
		}
		if val != nil {
			vl, err := m.evaluate(ctx, val, s.validationSteps, cbs)
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

// trainEpoch takes one optimizer step per batch of the epoch and returns
// the epoch's logs: the loss averaged over samples (Keras weights each
// batch by its size) and the metrics. A callback that stops training
// (StopTraining) ends the epoch after its batch, as in Keras.
func (m *Model) trainEpoch(ctx context.Context, epoch int, batches iter.Seq2[dataBatch, error], cbs callbackList) (callbacks.Logs, error) {
	m.resetMetrics()
	var lossSum float64
	seen, b := 0, 0
	for st, err := range batches {
		if m.stop {
			break
		}
		if err != nil { // the data's own error, which says where
			return nil, err
		}
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("keras: fit stopped in epoch %d: %w", epoch, err)
		}
		if err := cbs.trainBatchBegin(b, callbacks.Logs{}); err != nil {
			return nil, err
		}
		loss, err := m.trainStep(st)
		if err != nil {
			return nil, err
		}
		lossSum += loss * float64(len(st.idx))
		seen += len(st.idx)
		if err := cbs.trainBatchEnd(b, m.logs(lossSum/float64(seen))); err != nil {
			return nil, err
		}
		b++
	}
	if b == 0 && !m.stop {
		return nil, fmt.Errorf("keras: fit: epoch %d: the training data yielded no batches", epoch)
	}
	return m.logs(lossSum / float64(max(seen, 1))), nil
}

// trainStep runs one batch through the training graph and applies the
// optimizer. It returns the batch's loss.
func (m *Model) trainStep(st dataBatch) (float64, error) {
	p, err := m.acquire(modeTrain, len(st.idx), st.w != nil)
	if err != nil {
		return 0, err
	}
	loss, err := m.runBatch(p, st)
	if err != nil {
		return 0, err
	}
	m.lastLR = m.opt.LearningRate()
	if len(p.trained) > 0 {
		if err := m.opt.Apply(p.trained, p.gradients()); err != nil {
			return 0, fmt.Errorf("keras: optimizer %s: %w", m.opt.Name(), err)
		}
	}
	p.applyUpdates()
	m.release(p)
	return loss, nil
}

// runBatch feeds the batch st to p (filling dropout masks from the
// model's source), runs it and adds the batch to the metrics. It returns
// the batch's loss.
func (m *Model) runBatch(p *program, st dataBatch) (float64, error) {
	yTrue := m.feed(p, st)
	var w []float64
	if p.w != nil {
		w = gatherWeights(p.w, st.w, st.idx)
	}
	for _, f := range p.feeds {
		f.Fill(m.rng, f.Value)
	}
	err := p.run()
	p.exec.bindInput(p.xNode, nil) // hold no reference to the batch
	if err != nil {
		return 0, fmt.Errorf("%w: %v", ErrEngine, err)
	}
	if err := m.updateMetrics(yTrue, p.outValue(), w); err != nil {
		return 0, err
	}
	return p.lossValue(), nil
}

// dataBatch is one batch: the samples idx of x and y, with their weights
// w[idx] (w nil: unweighted). xs, when not nil, holds x's samples idx
// already, for the graph to read in place.
type dataBatch struct {
	x, y *array
	idx  []int
	w    []float64
	xs   *tensor.Dense
}

// passer is training or validation data: tensors or a dataset.
type passer interface {
	// pass yields the batches of one pass over the data.
	pass(ctx context.Context) iter.Seq2[dataBatch, error]
	// steps is the number of batches of a pass, 0 when unknown.
	steps() int
	// samples is the number of samples of a pass, 0 when unknown.
	samples() int
}

// tensorData is x and y held whole, batched in order or shuffled anew
// by the model's source at the start of each pass.
type tensorData struct {
	m       *Model
	x, y    *array
	w       []float64
	batch   int
	shuffle bool
	order   []int
	bufs    [2]*tensor.Dense // the gatherer's buffers, kept from pass to pass
}

func (d *tensorData) samples() int { return d.x.samples() }

func (d *tensorData) steps() int {
	b := min(d.batch, d.x.samples())
	return (d.x.samples() + b - 1) / b
}

func (d *tensorData) pass(context.Context) iter.Seq2[dataBatch, error] {
	return func(yield func(dataBatch, error) bool) {
		n := d.x.samples()
		batch := min(d.batch, n)
		if len(d.order) != n {
			d.order = make([]int, n)
		}
		// Each pass's order depends only on the random source, so a run
		// resumed from a saved model shuffles as an unbroken one.
		for i := range d.order {
			d.order[i] = i
		}
		if d.shuffle {
			d.m.rng.Shuffle(n, func(i, j int) { d.order[i], d.order[j] = d.order[j], d.order[i] })
		}
		// Small batches are copied by the caller (inPlaceValues).
		big := batch*d.x.rowSize() >= inPlaceValues
		var g *gatherer
		if d.shuffle && big && n > batch {
			g = gatherAhead(d.x, d.order, batch, &d.bufs)
			defer g.close()
		}
		for from := 0; from < n; from += batch {
			to := min(from+batch, n)
			st := dataBatch{x: d.x, y: d.y, idx: d.order[from:to], w: d.w}
			switch {
			case g != nil:
				st.xs = g.next()
			case !d.shuffle && big:
				st.xs = d.x.view(from, to, d.x.shape[1:])
			}
			if !yield(st, nil) {
				return
			}
		}
	}
}

// epochs deals the training data out in epochs: a whole pass each, or,
// with StepsPerEpoch, per batches each, the stream continuing from one
// epoch to the next as Keras 3's EpochIterator does.
type epochs struct {
	src  passer
	per  int
	warn io.Writer
	next func() (dataBatch, error, bool)
	stop func()
}

func (e *epochs) close() {
	if e.stop != nil {
		e.stop()
		e.next, e.stop = nil, nil
	}
}

func (e *epochs) epoch(ctx context.Context) iter.Seq2[dataBatch, error] {
	if e.per <= 0 {
		return e.src.pass(ctx)
	}
	return func(yield func(dataBatch, error) bool) {
		fresh := false
		for taken := 0; taken < e.per; {
			if e.next == nil {
				e.next, e.stop = iter.Pull2(e.src.pass(ctx))
				fresh = true
			}
			st, err, ok := e.next()
			if !ok {
				e.close()
				switch {
				case taken == 0 && fresh:
					yield(dataBatch{}, errors.New("keras: fit: the training data yielded no batches"))
					return
				case taken == 0:
					// The last epoch ended with the pass: start the next.
					continue
				}
				fmt.Fprintf(e.warn, "keras: warning: your input ran out of data after %d of %d steps; interrupting the epoch (as Keras 3). Make sure the data can give steps_per_epoch * epochs batches; the next epoch starts a new pass.\n", taken, e.per)
				return
			}
			fresh = false
			if !yield(st, err) || err != nil {
				return
			}
			taken++
		}
	}
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
	case s.stepsPerEpoch < 0:
		return fmt.Errorf("keras: steps_per_epoch must not be negative, got %d", s.stepsPerEpoch)
	case s.validationSteps < 0:
		return fmt.Errorf("keras: validation_steps must not be negative, got %d", s.validationSteps)
	}
	return s.checkCallbacks()
}

func (s *settings) out() io.Writer {
	if s.output != nil {
		return s.output
	}
	return os.Stdout
}

// warnings is where Keras's warnings go: Output, or os.Stderr as
// Python's warnings.
func (s *settings) warnings() io.Writer {
	if s.output != nil {
		return s.output
	}
	return os.Stderr
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

// finiteBlocks is finite over v in blocks of 4096 values, so that a sum
// overflowing on large finite values costs the exact test of one block.
// A large v is split between the processors: the test is bound by
// memory, and two cores read MNIST's 188 MB in about 5 ms against 7.5 ms
// for one.
func finiteBlocks[T float32 | float64](v []T) bool {
	parts := min(runtime.GOMAXPROCS(0), len(v)>>20)
	if parts <= 1 {
		return finiteSerial(v)
	}
	size := (len(v) + parts - 1) / parts
	var bad atomic.Bool
	var wg sync.WaitGroup
	for p := 1; p < parts; p++ {
		wg.Go(func() {
			if !finiteSerial(v[p*size : min((p+1)*size, len(v))]) {
				bad.Store(true)
			}
		})
	}
	if !finiteSerial(v[:size]) {
		bad.Store(true)
	}
	wg.Wait()
	return !bad.Load()
}

func finiteSerial[T float32 | float64](v []T) bool {
	for len(v) > 0 {
		k := min(len(v), 4096)
		if !finite(v[:k]) {
			return false
		}
		v = v[k:]
	}
	return true
}

// feed gives p the batch's inputs (st.xs in place when it has the input's
// shape, else the samples idx copied) and its targets, and returns the
// targets as the metrics see them (class indices for a sparse loss).
func (m *Model) feed(p *program, st dataBatch) *tensor.Dense {
	if st.xs == nil || !st.xs.Shape().Eq(p.x.Shape()) || !p.exec.bindInput(p.xNode, st.xs) {
		st.x.gather(p.x, st.idx)
	}
	ya, idx := st.y, st.idx
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

// updateMetrics adds a batch to every metric; the weighted metrics take
// the batch's sample weights w (nil: unweighted).
func (m *Model) updateMetrics(yTrue, yPred *tensor.Dense, w []float64) error {
	for _, mt := range m.metrics {
		var err error
		if wm, ok := mt.(*weightedMetric); ok {
			err = wm.update(yTrue, yPred, w)
		} else {
			err = mt.Update(yTrue, yPred)
		}
		if err != nil {
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
