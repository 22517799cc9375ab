package keras

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"reflect"
	"slices"

	"github.com/gokeras/keras/callbacks"
	"github.com/gokeras/keras/datasets"
	"gorgonia.org/tensor"
)

// FitDataset trains the model on the batches of ds, as Keras's
// model.fit(dataset): each epoch is one pass of ds (ds.Batches is called
// once per epoch), or StepsPerEpoch batches continuing the stream across
// epochs. Options: Epochs, StepsPerEpoch, ValidationDataset (or
// ValidationData), ValidationSteps, ClassWeight, Callbacks, Verbose,
// InitialEpoch. Batches carry their own sample weights
// (datasets.Batch.SampleWeight); SampleWeight and ValidationSplit are
// errors here, as in Keras; BatchSize and Shuffle are the dataset's
// business and are ignored. Training on a pipeline of tensors gives the
// same History as Fit on those tensors with Shuffle(false), bit for bit.
//
// An error from the dataset stops training and is returned wrapped; so
// is a batch whose shape differs from the first batch's (beyond its
// number of samples).
func (m *Model) FitDataset(ds datasets.Dataset, opts ...Option) (*History, error) {
	return m.FitDatasetContext(context.Background(), ds, opts...)
}

// FitDatasetContext is FitDataset that stops when ctx is done (ctx is
// also handed to the dataset's passes): it returns the History of the
// epochs completed so far and an error wrapping ctx.Err().
func (m *Model) FitDatasetContext(ctx context.Context, ds datasets.Dataset, opts ...Option) (h *History, err error) {
	h = callbacks.NewHistory()
	defer recoverTo(&err, "FitDataset")
	m.run.Lock()
	defer m.run.Unlock()
	if !m.compiled {
		return h, ErrNotCompiled
	}
	if isNil(ds) {
		return h, errors.New("keras: FitDataset: the dataset is nil")
	}
	s := newSettings(opts)
	if err := s.checkFit(); err != nil {
		return h, err
	}
	switch {
	case s.validationSplit > 0:
		return h, errors.New("keras: FitDataset: validation_split is only supported for tensors (as Keras); give ValidationDataset")
	case s.sampleWeight != nil:
		return h, errors.New("keras: FitDataset: sample_weight is not supported with a dataset (as Keras); put the weights in the batches (datasets.FromTensorsWeighted)")
	}
	train := m.datasetOf(ds, "FitDataset", s.classWeight)
	if err := train.buildModel(ctx); err != nil {
		return h, err
	}
	if s.classWeight != nil {
		if err := m.checkClassWeight(s.classWeight); err != nil {
			return h, err
		}
	}
	var val passer
	switch {
	case s.valDataset != nil:
		val = m.datasetOf(s.valDataset, "validation dataset", nil)
	case s.valX != nil:
		valX, valY, err := m.prepare(s.valX, s.valY)
		if err != nil {
			return h, fmt.Errorf("validation data: %w", err)
		}
		val = &tensorData{m: m, x: valX, y: valY, batch: s.batchSize}
	}
	return m.fitLoop(ctx, s, train, val, h)
}

// EvaluateDataset returns the loss and every compiled metric over one
// pass of ds (or its first ValidationSteps batches), as Keras's
// model.evaluate(dataset, return_dict=True). Batches that carry a
// SampleWeight weight the loss and the weighted metrics. Options:
// ValidationSteps (Keras's steps), Callbacks, Verbose. Like Evaluate, it
// returns ErrBusy while Fit runs.
func (m *Model) EvaluateDataset(ds datasets.Dataset, opts ...Option) (res map[string]float64, err error) {
	defer recoverTo(&err, "EvaluateDataset")
	if !m.compiled {
		return nil, ErrNotCompiled
	}
	if isNil(ds) {
		return nil, errors.New("keras: EvaluateDataset: the dataset is nil")
	}
	if !m.run.TryRLock() {
		return nil, ErrBusy
	}
	defer m.run.RUnlock()
	m.evalMu.Lock()
	defer m.evalMu.Unlock()
	s := newSettings(opts)
	if err := s.checkCallbacks(); err != nil {
		return nil, err
	}
	if s.validationSteps < 0 {
		return nil, fmt.Errorf("keras: steps must not be negative, got %d", s.validationSteps)
	}
	ctx := context.Background()
	data := m.datasetOf(ds, "EvaluateDataset", nil)
	if err := data.buildModel(ctx); err != nil {
		return nil, err
	}
	return m.evaluateWith(ctx, s, data)
}

// PredictDataset returns the model's outputs for the inputs (X) of every
// batch of one pass of ds, in order, as Keras's model.predict(dataset);
// targets and weights in the batches are ignored. Options: Callbacks.
// Like Predict, it works uncompiled and returns ErrBusy while Fit runs.
func (m *Model) PredictDataset(ds datasets.Dataset, opts ...Option) (out *tensor.Dense, err error) {
	defer recoverTo(&err, "PredictDataset")
	if isNil(ds) {
		return nil, errors.New("keras: PredictDataset: the dataset is nil")
	}
	if !m.run.TryRLock() {
		return nil, ErrBusy
	}
	defer m.run.RUnlock()
	s := newSettings(opts)
	if err := s.checkCallbacks(); err != nil {
		return nil, err
	}
	data := m.datasetOf(ds, "PredictDataset", nil)
	data.inputsOnly = true
	cbs := newCallbackList(m, callbacks.Params{Steps: data.steps(), Verbose: s.verbose}, s.callbacks)
	if err := cbs.predictBegin(callbacks.Logs{}); err != nil {
		return nil, err
	}
	var parts []*tensor.Dense
	total := 0
	b := 0
	for st, err := range data.pass(context.Background()) {
		if err != nil {
			return nil, err
		}
		if err := cbs.predictBatchBegin(b, callbacks.Logs{}); err != nil {
			return nil, err
		}
		res := tensor.New(tensor.Of(m.dtype), tensor.WithShape(append([]int{len(st.idx)}, m.outShape()...)...))
		if err := m.predictBatch(st.x, st.idx, res, 0); err != nil {
			return nil, err
		}
		parts = append(parts, res)
		total += len(st.idx)
		if err := cbs.predictBatchEnd(b, callbacks.Logs{}); err != nil {
			return nil, err
		}
		b++
	}
	if b == 0 {
		return nil, errors.New("keras: PredictDataset: the dataset yielded no batches")
	}
	if err := cbs.predictEnd(callbacks.Logs{}); err != nil {
		return nil, err
	}
	out = tensor.New(tensor.Of(m.dtype), tensor.WithShape(append([]int{total}, m.outShape()...)...))
	row, at := numel(m.outShape()), 0
	for _, p := range parts {
		n := p.Shape()[0] * row
		copyRows(out, p, at, at+n)
		at += n
	}
	return out, nil
}

// datasetData is a dataset as training or validation data: each batch
// cast to the model's type and checked against the first batch's shape.
type datasetData struct {
	m           *Model
	ds          datasets.Dataset
	what        string // the caller, for errors
	classWeight map[int]float64
	inputsOnly  bool  // prediction: Y and SampleWeight are ignored
	xShape      []int // of the first batch, without its samples
	yShape      []int
}

func (m *Model) datasetOf(ds datasets.Dataset, what string, cw map[int]float64) *datasetData {
	return &datasetData{m: m, ds: ds, what: what, classWeight: cw}
}

// steps is the dataset's number of batches when it knows it
// (datasets.Pipeline.Cardinality), else 0: the progress bar then counts
// without a total, as Keras's "Unknown".
func (d *datasetData) steps() int {
	if c, ok := d.ds.(interface{ Cardinality() int }); ok {
		return max(c.Cardinality(), 0)
	}
	return 0
}

func (d *datasetData) samples() int { return 0 }

// buildModel builds an unbuilt model from the first batch of a pass, as
// Keras's fit builds from the dataset's first batch before training.
func (d *datasetData) buildModel(ctx context.Context) error {
	if d.m.inShape != nil {
		return nil
	}
	if in := d.m.declaredInput(); in != nil {
		d.m.buildMu.Lock()
		err := d.m.build(in)
		d.m.buildMu.Unlock()
		return err
	}
	for _, err := range d.pass(ctx) {
		return err
	}
	return fmt.Errorf("keras: %s: the dataset yielded no batches", d.what)
}

func (d *datasetData) pass(ctx context.Context) iter.Seq2[dataBatch, error] {
	return func(yield func(dataBatch, error) bool) {
		i := 0
		for b, err := range d.ds.Batches(ctx) {
			if err != nil {
				yield(dataBatch{}, fmt.Errorf("keras: %s: batch %d: %w", d.what, i, err))
				return
			}
			st, err := d.convert(b, i)
			if err != nil {
				yield(dataBatch{}, err)
				return
			}
			if !yield(st, nil) {
				return
			}
			i++
		}
	}
}

// convert checks batch i and casts it to the model's type.
func (d *datasetData) convert(b datasets.Batch, i int) (dataBatch, error) {
	if b.X == nil {
		return dataBatch{}, fmt.Errorf("keras: %s: batch %d has no inputs (X)", d.what, i)
	}
	if !d.inputsOnly && b.Y == nil {
		return dataBatch{}, fmt.Errorf("keras: %s: batch %d has no targets (Y)", d.what, i)
	}
	if err := d.checkShape(b, i); err != nil {
		return dataBatch{}, err
	}
	var st dataBatch
	var err error
	if d.inputsOnly {
		st.x, err = d.m.prepareX(b.X)
	} else {
		st.x, st.y, err = d.m.prepare(b.X, b.Y)
	}
	if err != nil {
		return dataBatch{}, fmt.Errorf("keras: %s: batch %d: %w", d.what, i, err)
	}
	n := st.x.samples()
	st.idx = span(make([]int, 0, n), 0, n)
	if d.inputsOnly {
		return st, nil
	}
	switch {
	case b.SampleWeight != nil && d.classWeight != nil:
		return dataBatch{}, fmt.Errorf("keras: %s: batch %d carries sample weights and class_weight is given: use one (as Keras)", d.what, i)
	case b.SampleWeight != nil:
		if st.w, err = sampleWeights(b.SampleWeight, n, "sample weight"); err != nil {
			return dataBatch{}, fmt.Errorf("keras: %s: batch %d: %w", d.what, i, err)
		}
	case d.classWeight != nil:
		st.w = d.m.classWeights(d.classWeight, st.y)
	}
	return st, nil
}

// checkShape refuses a batch whose shape beyond its samples differs from
// the first batch's: Keras's datasets keep one element spec.
func (d *datasetData) checkShape(b datasets.Batch, i int) error {
	xs := []int(b.X.Shape())
	if len(xs) == 0 {
		return fmt.Errorf("keras: %s: batch %d: x is a scalar; expected (samples, ...)", d.what, i)
	}
	if d.xShape == nil {
		d.xShape = slices.Clone(xs[1:])
	} else if !slices.Equal(xs[1:], d.xShape) {
		return fmt.Errorf("keras: %s: batch %d has x of shape %s, but the first batch had %s: the shape of a dataset's batches must not change", d.what, i, shapeString(xs), shapeString(append([]int{-1}, d.xShape...)))
	}
	if d.inputsOnly || b.Y == nil {
		return nil
	}
	ys := []int(b.Y.Shape())
	if len(ys) == 0 {
		return fmt.Errorf("keras: %s: batch %d: y is a scalar; expected (samples, ...)", d.what, i)
	}
	if d.yShape == nil {
		d.yShape = slices.Clone(ys[1:])
	} else if !slices.Equal(ys[1:], d.yShape) {
		return fmt.Errorf("keras: %s: batch %d has y of shape %s, but the first batch had %s: the shape of a dataset's batches must not change", d.what, i, shapeString(ys), shapeString(append([]int{-1}, d.yShape...)))
	}
	return nil
}

// isNil reports a nil interface or a typed nil pointer.
func isNil(ds datasets.Dataset) bool {
	if ds == nil {
		return true
	}
	v := reflect.ValueOf(ds)
	return v.Kind() == reflect.Pointer && v.IsNil()
}
