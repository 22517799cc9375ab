package keras_test

import (
	"bytes"
	"context"
	"errors"
	"iter"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/gokeras/keras/callbacks"
	"github.com/gokeras/keras/datasets"
	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
	"gorgonia.org/tensor"
)

// dsBlobs returns n samples of 4 features and sparse labels of 3 classes,
// drawn from seed.
func dsBlobs(n int, seed uint64) (*tensor.Dense, *tensor.Dense) {
	r := rand.New(rand.NewPCG(seed, 1))
	x := make([]float32, n*4)
	y := make([]float32, n)
	for i := range n {
		c := i % 3
		y[i] = float32(c)
		for j := range 4 {
			x[i*4+j] = float32(r.NormFloat64()*0.5) + float32(c*(j%2))
		}
	}
	return f32([]int{n, 4}, x...), f32([]int{n}, y...)
}

// dsClassifier is a small model with dropout (so that the random source's
// draws are compared too), compiled with Adam and accuracy.
func dsClassifier(t *testing.T, opts ...keras.Option) *keras.Model {
	t.Helper()
	m := keras.Sequential(
		keras.Input(4),
		layers.Dense(8, layers.Activation("relu")),
		layers.Dropout(0.25),
		layers.Dense(3, layers.Activation("softmax")),
	)
	opts = append([]keras.Option{keras.Metrics("accuracy"), keras.Seed(7)}, opts...)
	if err := m.Compile(optimizers.Adam(), losses.SparseCategoricalCrossentropy(), opts...); err != nil {
		t.Fatal(err)
	}
	return m
}

// FitDataset on a pipeline of the same tensors, batched alike, gives
// Fit's History with Shuffle(false), bit for bit, and the same weights;
// with Prefetch too; EvaluateDataset and PredictDataset give Evaluate's
// and Predict's numbers.
func TestFitDatasetEqualsFit(t *testing.T) {
	x, y := dsBlobs(50, 1)
	vx, vy := dsBlobs(13, 2)
	cases := []struct {
		name string
		ds   func() datasets.Dataset
	}{
		{"Batch", func() datasets.Dataset { return datasets.FromTensors(x, y).Batch(8) }},
		{"Batch.Prefetch", func() datasets.Dataset { return datasets.FromTensors(x, y).Batch(8).Prefetch(2) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, b := dsClassifier(t), dsClassifier(t)
			ha, err := a.Fit(x, y, keras.BatchSize(8), keras.Shuffle(false), keras.Epochs(3),
				keras.ValidationData(vx, vy), keras.Verbose(0))
			if err != nil {
				t.Fatal(err)
			}
			hb, err := b.FitDataset(c.ds(), keras.Epochs(3),
				keras.ValidationDataset(datasets.FromTensors(vx, vy).Batch(8)), keras.Verbose(0))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ha.History, hb.History) {
				t.Fatalf("History differs:\nFit        %v\nFitDataset %v", ha.History, hb.History)
			}
			if len(ha.History["val_loss"]) != 3 || len(ha.History["accuracy"]) != 3 {
				t.Fatalf("History lacks keys: %v", ha.History)
			}
			if !sameWeights(a.GetWeights(), b.GetWeights()) {
				t.Fatal("the trained weights differ")
			}

			ea, err := a.Evaluate(vx, vy, keras.BatchSize(5), keras.Verbose(0))
			if err != nil {
				t.Fatal(err)
			}
			eb, err := a.EvaluateDataset(datasets.FromTensors(vx, vy).Batch(5), keras.Verbose(0))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(ea, eb) {
				t.Errorf("Evaluate %v, EvaluateDataset %v", ea, eb)
			}
			pa, err := a.Predict(vx, keras.BatchSize(4))
			if err != nil {
				t.Fatal(err)
			}
			pb, err := a.PredictDataset(datasets.FromTensors(vx, nil).Batch(4))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(pa.Shape(), pb.Shape()) || !reflect.DeepEqual(pa.Data(), pb.Data()) {
				t.Errorf("Predict %v and PredictDataset %v differ", pa.Shape(), pb.Shape())
			}
		})
	}
}

// An unbuilt model (no Input) is built from the dataset's first batch.
func TestFitDatasetBuilds(t *testing.T) {
	x, y := dsBlobs(20, 3)
	m := keras.Sequential(layers.Dense(3, layers.Activation("softmax")))
	if err := m.Compile(optimizers.SGD(), losses.SparseCategoricalCrossentropy()); err != nil {
		t.Fatal(err)
	}
	if _, err := m.FitDataset(datasets.FromTensors(x, y).Batch(6), keras.Verbose(0)); err != nil {
		t.Fatal(err)
	}
	if w := m.GetWeights(); len(w) != 2 || !slices.Equal(w[0].Shape(), tensor.Shape{4, 3}) {
		t.Fatalf("weights after FitDataset: %d, want a (4, 3) kernel", len(w))
	}
}

// countingDataset yields passes of batches whose single input value is
// the batch's index in the pass, recording each batch the consumer takes.
type countingDataset struct {
	batches int
	passes  int
	taken   []int
}

func (d *countingDataset) Batches(ctx context.Context) iter.Seq2[datasets.Batch, error] {
	d.passes++
	return func(yield func(datasets.Batch, error) bool) {
		for i := range d.batches {
			d.taken = append(d.taken, i)
			b := datasets.Batch{X: f32([]int{2, 1}, float32(i), float32(i)), Y: f32([]int{2, 1}, 1, 1)}
			if !yield(b, nil) {
				return
			}
		}
	}
}

// stepsRecorder records Params.Steps and the batches of each epoch.
type stepsRecorder struct {
	callbacks.Base
	steps   int
	batches []int
}

func (r *stepsRecorder) SetParams(p callbacks.Params) { r.steps = p.Steps }
func (r *stepsRecorder) OnEpochBegin(int, callbacks.Logs) error {
	r.batches = append(r.batches, 0)
	return nil
}
func (r *stepsRecorder) OnTrainBatchEnd(int, callbacks.Logs) error {
	r.batches[len(r.batches)-1]++
	return nil
}

// StepsPerEpoch continues the stream across epochs (Keras 3's
// EpochIterator): with 5 batches a pass and 2 steps an epoch, epochs take
// batches [0 1] [2 3] [4], the third running out (a warning, the epoch
// ends short), and the fourth starts a new pass at [0 1].
func TestStepsPerEpochContinues(t *testing.T) {
	ds := &countingDataset{batches: 5}
	m := keras.Sequential(keras.Input(1), layers.Dense(1))
	if err := m.Compile(optimizers.SGD(), losses.MeanSquaredError()); err != nil {
		t.Fatal(err)
	}
	rec := &stepsRecorder{}
	var out bytes.Buffer
	h, err := m.FitDataset(ds, keras.Epochs(4), keras.StepsPerEpoch(2), keras.Verbose(0),
		keras.Output(&out), keras.Callbacks(rec))
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 1, 2, 3, 4, 0, 1}; !slices.Equal(ds.taken, want) {
		t.Errorf("batches taken %v, want %v", ds.taken, want)
	}
	if want := []int{2, 2, 1, 2}; !slices.Equal(rec.batches, want) {
		t.Errorf("batches per epoch %v, want %v", rec.batches, want)
	}
	if rec.steps != 2 {
		t.Errorf("Params.Steps = %d, want 2", rec.steps)
	}
	if len(h.History["loss"]) != 4 {
		t.Errorf("%d epochs in History, want 4", len(h.History["loss"]))
	}
	if n := strings.Count(out.String(), "ran out of data"); n != 1 {
		t.Errorf("%d warnings, want 1: %q", n, out.String())
	}

	// A pass that ends exactly with an epoch starts the next one anew,
	// silently.
	ds = &countingDataset{batches: 4}
	out.Reset()
	if _, err := m.FitDataset(ds, keras.Epochs(3), keras.StepsPerEpoch(2), keras.Verbose(0), keras.Output(&out)); err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 1, 2, 3, 0, 1}; !slices.Equal(ds.taken, want) {
		t.Errorf("batches taken %v, want %v", ds.taken, want)
	}
	if out.Len() != 0 {
		t.Errorf("unexpected warning %q", out.String())
	}

	// Without StepsPerEpoch every epoch is a whole pass.
	ds = &countingDataset{batches: 3}
	if _, err := m.FitDataset(ds, keras.Epochs(2), keras.Verbose(0)); err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 1, 2, 0, 1, 2}; !slices.Equal(ds.taken, want) || ds.passes != 2 {
		t.Errorf("batches taken %v in %d passes, want %v in 2", ds.taken, ds.passes, want)
	}

	// On tensors, StepsPerEpoch continues through the shuffled order too:
	// 6 samples in batches of 2 are 3 steps a pass, so epochs of 2 steps
	// run [2, then 1 as the pass runs out], twice.
	xs, ys := linearData()
	rec = &stepsRecorder{}
	out.Reset()
	if _, err := m.Fit(xs, ys, keras.BatchSize(2), keras.Epochs(4), keras.StepsPerEpoch(2), keras.Verbose(0),
		keras.Callbacks(rec), keras.Output(&out)); err != nil {
		t.Fatal(err)
	}
	if want := []int{2, 1, 2, 1}; !slices.Equal(rec.batches, want) {
		t.Errorf("tensor batches per epoch %v, want %v", rec.batches, want)
	}
	if n := strings.Count(out.String(), "ran out of data"); n != 2 {
		t.Errorf("%d warnings, want 2: %q", n, out.String())
	}
}

// The progress bar counts without a total when the dataset's size is
// unknown (a FromFunc source), as Keras's "Unknown".
func TestFitDatasetUnknownSteps(t *testing.T) {
	src := datasets.FromFunc(func(ctx context.Context, yield func(datasets.Batch) bool) error {
		for i := range 3 {
			if !yield(datasets.Batch{X: f32([]int{2, 1}, float32(i), 1), Y: f32([]int{2, 1}, 0, 1)}) {
				return nil
			}
		}
		return nil
	})
	m := keras.Sequential(keras.Input(1), layers.Dense(1))
	if err := m.Compile(optimizers.SGD(), losses.MeanSquaredError()); err != nil {
		t.Fatal(err)
	}
	rec := &stepsRecorder{}
	var out bytes.Buffer
	if _, err := m.FitDataset(src, keras.Epochs(2), keras.Verbose(1), keras.Output(&out), keras.Callbacks(rec)); err != nil {
		t.Fatal(err)
	}
	if rec.steps != 0 {
		t.Errorf("Params.Steps = %d, want 0 (unknown)", rec.steps)
	}
	if !strings.Contains(out.String(), "loss:") || !strings.Contains(out.String(), "Epoch 2/2") {
		t.Errorf("progress output %q lacks the epochs' losses", out.String())
	}
	// A known size reaches the callbacks.
	x, y := dsBlobs(10, 4)
	rec = &stepsRecorder{}
	if _, err := dsClassifier(t).FitDataset(datasets.FromTensors(x, y).Batch(4), keras.Verbose(0), keras.Callbacks(rec)); err != nil {
		t.Fatal(err)
	}
	if rec.steps != 3 {
		t.Errorf("Params.Steps = %d, want 3", rec.steps)
	}
}

var errSource = errors.New("disk on fire")

// sliceDataset yields its batches as they are, unchecked, as a Dataset
// that is not a Pipeline may.
type sliceDataset []datasets.Batch

func (d sliceDataset) Batches(context.Context) iter.Seq2[datasets.Batch, error] {
	return func(yield func(datasets.Batch, error) bool) {
		for _, b := range d {
			if !yield(b, nil) {
				return
			}
		}
	}
}

func TestFitDatasetErrors(t *testing.T) {
	x, y := dsBlobs(12, 5)
	good := datasets.FromTensors(x, y).Batch(4)
	a, b := dsBlobs(4, 6)
	shapes := sliceDataset{{X: a, Y: b}, {X: f32([]int{4, 3}, make([]float32, 12)...), Y: b}}
	failing := datasets.FromFunc(func(ctx context.Context, yield func(datasets.Batch) bool) error {
		if !yield(datasets.Batch{X: a, Y: b}) {
			return nil
		}
		return errSource
	})
	empty := datasets.FromFunc(func(context.Context, func(datasets.Batch) bool) error { return nil })
	noY := datasets.FromTensors(x, nil).Batch(4)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	cases := []struct {
		name string
		fit  func(m *keras.Model) error
		want string
		is   error
	}{
		{"nil dataset", func(m *keras.Model) error { _, err := m.FitDataset(nil); return err }, "nil", nil},
		{"typed nil", func(m *keras.Model) error { var p *datasets.Pipeline; _, err := m.FitDataset(p); return err }, "nil", nil},
		{"shape change", func(m *keras.Model) error { _, err := m.FitDataset(shapes, keras.Verbose(0)); return err }, "batch 1 has x of shape (4, 3), but the first batch had (-1, 4)", nil},
		{"source error", func(m *keras.Model) error { _, err := m.FitDataset(failing, keras.Verbose(0)); return err }, "disk on fire", errSource},
		{"empty", func(m *keras.Model) error { _, err := m.FitDataset(empty, keras.Verbose(0)); return err }, "no batches", nil},
		{"no targets", func(m *keras.Model) error { _, err := m.FitDataset(noY, keras.Verbose(0)); return err }, "no targets", nil},
		{"validation split", func(m *keras.Model) error {
			_, err := m.FitDataset(good, keras.ValidationSplit(0.2), keras.Verbose(0))
			return err
		}, "validation_split", nil},
		{"sample weight", func(m *keras.Model) error {
			_, err := m.FitDataset(good, keras.SampleWeight(f32([]int{12}, make([]float32, 12)...)), keras.Verbose(0))
			return err
		}, "sample_weight", nil},
		{"validation source error", func(m *keras.Model) error {
			_, err := m.FitDataset(good, keras.ValidationDataset(failing), keras.Verbose(0))
			return err
		}, "validation dataset", errSource},
		{"cancelled", func(m *keras.Model) error {
			_, err := m.FitDatasetContext(cancelled, datasets.FromTensors(x, y).Batch(4), keras.Verbose(0))
			return err
		}, "", context.Canceled},
		{"negative steps", func(m *keras.Model) error { _, err := m.FitDataset(good, keras.StepsPerEpoch(-1)); return err }, "steps_per_epoch", nil},
		{"evaluate shape change", func(m *keras.Model) error { _, err := m.EvaluateDataset(shapes, keras.Verbose(0)); return err }, "must not change", nil},
		{"predict source error", func(m *keras.Model) error { _, err := m.PredictDataset(failing); return err }, "PredictDataset", errSource},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.fit(dsClassifier(t))
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not say %q", err, c.want)
			}
			if c.is != nil && !errors.Is(err, c.is) {
				t.Errorf("error %q does not wrap %v", err, c.is)
			}
		})
	}
}

// ctx cancelled during training stops it at the next batch with the
// History of the finished epochs.
func TestFitDatasetCancelMidway(t *testing.T) {
	x, y := dsBlobs(40, 8)
	ctx, cancel := context.WithCancel(context.Background())
	stopper := callbacks.LambdaCallback(callbacks.Lambda{OnEpochEnd: func(epoch int, _ callbacks.Logs) error {
		if epoch == 1 {
			cancel()
		}
		return nil
	}})
	h, err := dsClassifier(t).FitDatasetContext(ctx, datasets.FromTensors(x, y).Batch(8).Prefetch(2),
		keras.Epochs(10), keras.Verbose(0), keras.Callbacks(stopper))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n := len(h.History["loss"]); n != 2 {
		t.Errorf("%d epochs in History, want 2", n)
	}
}
