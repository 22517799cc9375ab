package callbacks

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"gorgonia.org/tensor"
)

// WeightNamer is a model that names its weights. TensorBoard's weight
// histograms (HistogramFreq) need it: WeightNames returns one name per
// weight, in GetWeights's order, each Keras's weight.path ("sequential/
// dense/kernel" for a Sequential model's first Dense kernel in Keras 3).
type WeightNamer interface {
	WeightNames() []string
}

// iterationCounter is a model that reports its optimizer's step count,
// which Keras uses as the step of the evaluation_*_vs_iterations
// summaries.
type iterationCounter interface {
	Iterations() int64
}

// tensorBoard is Keras 3's keras.callbacks.TensorBoard.
type tensorBoard struct {
	Base
	logDir string
	cfg    config
	now    func() time.Time

	every      int // train batches between batch summaries; 0: none
	train, val *eventWriter
	batches    int64 // Keras's _global_train_batch: 1-based, over all epochs
	training   bool
	warned     bool
}

// TensorBoard writes the logs of training to event files that
// TensorBoard reads, as keras.callbacks.TensorBoard: run `tensorboard
// --logdir <logDir>` to watch them.
//
// It writes to <logDir>/train and <logDir>/validation (created 0755 if
// missing), each a new file events.out.tfevents.<unix seconds>.<host>.
// <pid>.<n>.v2 per Fit, as tf.summary.create_file_writer names them; the
// validation file is made when there is something to put in it. At each
// epoch end, step the 0-based epoch: epoch_<key> for every log entry
// without the val_ prefix, and epoch_learning_rate (the model's
// LearningRate), in train/; epoch_<key> for every val_<key> entry, in
// validation/. With batch updates, batch_<key> for every entry of a
// training batch's logs, step the number of training batches since
// OnTrainBegin (1 for the first, counted across epochs). At the end of
// each evaluation (Fit's validation included), evaluation_<key>_vs_
// iterations in validation/, step the model's optimizer iterations
// (its Iterations() int64 method if it has one, else the training
// batches counted here). Every epoch's weight histograms, when asked,
// go to train/ tagged <weight name>/histogram, step the epoch: 30
// equal-width buckets of each weight's finite values, the model naming
// its weights through WeightNamer (weight_<i> if it does not).
//
// Scalars are float32 tensors of shape () for the "scalars" plugin and
// histograms float64 tensors of shape (30, 3) (left edge, right edge,
// count) for the "histograms" plugin, byte for byte as TensorFlow 2's
// tf.summary.scalar and tf.summary.histogram write them.
//
// Options and their Keras defaults: UpdateFreq("epoch"), or "batch" for
// batch summaries after every batch; UpdateFreqBatches(n) for every n-th
// batch (Keras's update_freq=n); HistogramFreq(0): no histograms, n for
// every n-th epoch (epochs 0, n, 2n, ...). Keras's write_graph,
// write_images, write_steps_per_second, profile_batch and
// embeddings_freq have no counterpart.
//
// Records are appended whole, flushed after every batch that logs and
// synced to disk at every epoch end; a failed write is cut back to the
// last whole record, so TensorBoard never reads a broken file. Files are
// created with mode 0666 less the umask and closed by OnTrainEnd.
func TensorBoard(logDir string, opts ...Option) Callback {
	cfg := newConfig(config{updateFreq: "epoch"}, opts)
	return &tensorBoard{logDir: logDir, cfg: cfg, now: time.Now}
}

// check validates the options and sets t.every.
func (t *tensorBoard) check() error {
	switch t.cfg.updateFreq {
	case "epoch":
		t.every = 0
	case "batch":
		t.every = 1
	case "":
		if t.cfg.updateEvery <= 0 {
			return fmt.Errorf("%w: TensorBoard UpdateFreqBatches must be positive, got %d", ErrInvalidOption, t.cfg.updateEvery)
		}
		t.every = t.cfg.updateEvery
	default:
		return fmt.Errorf("%w: TensorBoard UpdateFreq must be \"epoch\" or \"batch\", got %q", ErrInvalidOption, t.cfg.updateFreq)
	}
	if t.cfg.histogramFreq < 0 {
		return fmt.Errorf("%w: TensorBoard HistogramFreq must not be negative, got %d", ErrInvalidOption, t.cfg.histogramFreq)
	}
	if t.logDir == "" {
		return fmt.Errorf("%w: TensorBoard needs a log directory", ErrInvalidOption)
	}
	return nil
}

// wallTime is TensorFlow's event time: seconds, to the microsecond.
func (t *tensorBoard) wallTime() float64 {
	return float64(t.now().UnixMicro()) / 1e6
}

// writer returns the train or validation writer, opening it if needed.
func (t *tensorBoard) writer(validation bool) (*eventWriter, error) {
	w, sub := &t.train, "train"
	if validation {
		w, sub = &t.val, "validation"
	}
	if *w == nil {
		nw, err := newEventWriter(filepath.Join(t.logDir, sub), t.now())
		if err != nil {
			return nil, err
		}
		*w = nw
	}
	return *w, nil
}

// closeWriters closes both files; the first error wins.
func (t *tensorBoard) closeWriters() error {
	var errs []error
	for _, w := range []**eventWriter{&t.train, &t.val} {
		if *w != nil {
			errs = append(errs, (*w).close())
			*w = nil
		}
	}
	return errors.Join(errs...)
}

// OnTrainBegin checks the options and starts a new train/ event file.
func (t *tensorBoard) OnTrainBegin(Logs) error {
	if err := t.check(); err != nil {
		return err
	}
	// Files left open by a Fit that failed are closed; a new Fit gets new
	// files, as Keras's set_model resets its writers.
	t.closeWriters()
	t.batches, t.training, t.warned = 0, true, false
	_, err := t.writer(false)
	return err
}

// OnTrainEnd closes the files.
func (t *tensorBoard) OnTrainEnd(Logs) error {
	t.training = false
	return t.closeWriters()
}

// OnTrainBatchBegin counts the batch.
func (t *tensorBoard) OnTrainBatchBegin(int, Logs) error {
	t.batches++
	return nil
}

// OnTrainBatchEnd writes the batch summaries when the batch is one to log.
func (t *tensorBoard) OnTrainBatchEnd(_ int, logs Logs) error {
	if t.every == 0 || t.batches%int64(t.every) != 0 || len(logs) == 0 {
		return nil
	}
	w, err := t.writer(false)
	if err != nil {
		return err
	}
	wt := t.wallTime()
	for _, k := range sortedKeys(logs) {
		w.add(scalarEvent(wt, t.batches, "batch_"+k, logs[k]))
	}
	return w.flush(false)
}

// OnEpochEnd writes the epoch's scalars and, on histogram epochs, the
// weight histograms, and syncs the files.
func (t *tensorBoard) OnEpochEnd(epoch int, logs Logs) error {
	if !t.training {
		// Driven without OnTrainBegin: start as it would.
		if err := t.OnTrainBegin(nil); err != nil {
			return err
		}
	}
	if len(logs) > 0 {
		train, val := Logs{}, Logs{}
		for k, v := range logs {
			if name, ok := strings.CutPrefix(k, "val_"); ok {
				val[name] = v
			} else {
				train[k] = v
			}
		}
		if t.Model != nil {
			train["learning_rate"] = t.Model.LearningRate()
		}
		if err := t.scalars(false, "epoch_", int64(epoch), train); err != nil {
			return err
		}
		if err := t.scalars(true, "epoch_", int64(epoch), val); err != nil {
			return err
		}
	}
	if t.cfg.histogramFreq > 0 && epoch%t.cfg.histogramFreq == 0 {
		if err := t.histograms(int64(epoch)); err != nil {
			return err
		}
	}
	for _, w := range []*eventWriter{t.train, t.val} {
		if w != nil {
			if err := w.flush(true); err != nil {
				return err
			}
		}
	}
	return nil
}

// OnTestEnd writes evaluation_<key>_vs_iterations to validation/. After
// an Evaluate outside Fit, the validation file is closed.
func (t *tensorBoard) OnTestEnd(logs Logs) error {
	if t.Model == nil || len(logs) == 0 {
		return nil
	}
	if err := t.check(); err != nil {
		return err
	}
	step := t.batches
	if ic, ok := t.Model.(iterationCounter); ok {
		step = ic.Iterations()
	}
	named := make(Logs, len(logs))
	for k, v := range logs {
		named[k+"_vs_iterations"] = v
	}
	if err := t.scalars(true, "evaluation_", step, named); err != nil {
		return err
	}
	if err := t.val.flush(false); err != nil {
		return err
	}
	if !t.training {
		err := t.val.close()
		t.val = nil
		return err
	}
	return nil
}

// scalars adds prefix+key scalars for every entry of logs, in key order,
// to the train or validation file.
func (t *tensorBoard) scalars(validation bool, prefix string, step int64, logs Logs) error {
	if len(logs) == 0 {
		return nil
	}
	w, err := t.writer(validation)
	if err != nil {
		return err
	}
	wt := t.wallTime()
	for _, k := range sortedKeys(logs) {
		w.add(scalarEvent(wt, step, prefix+k, logs[k]))
	}
	return nil
}

// histograms adds a histogram of every weight to the train file.
func (t *tensorBoard) histograms(step int64) error {
	if t.Model == nil {
		return nil
	}
	weights := t.Model.GetWeights()
	var names []string
	if wn, ok := t.Model.(WeightNamer); ok {
		names = wn.WeightNames()
		if len(names) != len(weights) {
			return fmt.Errorf("callbacks: TensorBoard: the model names %d weights but GetWeights returned %d", len(names), len(weights))
		}
	} else {
		if !t.warned {
			fmt.Fprintf(t.cfg.output, "TensorBoard: the model (%T) does not name its weights (WeightNames() []string); histograms are tagged weight_<i>\n", t.Model)
			t.warned = true
		}
		names = make([]string, len(weights))
		for i := range names {
			names[i] = fmt.Sprintf("weight_%d", i)
		}
	}
	w, err := t.writer(false)
	if err != nil {
		return err
	}
	wt := t.wallTime()
	for i, wv := range weights {
		data, err := float64s(wv)
		if err != nil {
			return fmt.Errorf("callbacks: TensorBoard: weight %s: %w", names[i], err)
		}
		tag := strings.ReplaceAll(names[i], ":", "_") + "/histogram"
		w.add(histogramEvent(wt, step, tag, histogramBuckets(data, histogramBucketCount)))
	}
	return nil
}

// float64s returns the values of a float or int tensor as float64.
func float64s(t *tensor.Dense) ([]float64, error) {
	if t == nil {
		return nil, errors.New("nil tensor")
	}
	switch d := t.Data().(type) {
	case []float64:
		return d, nil
	case []float32:
		return convert(d), nil
	case []int:
		return convert(d), nil
	case []int64:
		return convert(d), nil
	case []int32:
		return convert(d), nil
	case float32:
		return []float64{float64(d)}, nil
	case float64:
		return []float64{d}, nil
	}
	return nil, fmt.Errorf("dtype %v is not a number type TensorBoard can plot", t.Dtype())
}

func convert[T float32 | int | int32 | int64](s []T) []float64 {
	out := make([]float64, len(s))
	for i, v := range s {
		out[i] = float64(v)
	}
	return out
}

// sortedKeys returns the keys of logs in order, so files are the same
// from run to run (Python dicts keep insertion order; Go maps have none).
func sortedKeys(logs Logs) []string {
	keys := make([]string, 0, len(logs))
	for k := range logs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
