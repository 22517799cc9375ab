package keras_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/gokeras/keras/callbacks"
	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
	"gorgonia.org/tensor"
)

func f32(shape []int, v ...float32) *tensor.Dense {
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(v))
}

func linearData() (*tensor.Dense, *tensor.Dense) {
	return f32([]int{6, 1}, -1, 0, 1, 2, 3, 4), f32([]int{6, 1}, -4, 1, 6, 11, 16, 21)
}

// The TensorFlow 5X+1 tutorial, seed 003 (../shared/REFERENCE.md): after
// 500 epochs of SGD on MSE, predict(10) lies in [50.986, 51.000] from any
// glorot_uniform start; the loss falls every epoch.
func TestFiveXPlusOne(t *testing.T) {
	for _, seed := range []int64{1, 2, 3, keras.DefaultSeed} {
		xs, ys := linearData()
		model := keras.Sequential(layers.Dense(1, layers.InputShape(1)))
		if err := model.Compile(optimizers.SGD(), losses.MeanSquaredError(), keras.Seed(seed)); err != nil {
			t.Fatal(err)
		}
		hist, err := model.Fit(xs, ys, keras.Epochs(500), keras.Verbose(0))
		if err != nil {
			t.Fatal(err)
		}
		loss := hist.History["loss"]
		if len(loss) != 500 {
			t.Fatalf("seed %d: %d loss values, want 500", seed, len(loss))
		}
		for i := 1; i < len(loss); i++ {
			if loss[i] > loss[i-1] {
				t.Fatalf("seed %d: loss rose at epoch %d: %v -> %v", seed, i, loss[i-1], loss[i])
			}
		}
		out, err := model.Predict(f32([]int{1, 1}, 10))
		if err != nil {
			t.Fatal(err)
		}
		v := out.Data().([]float32)[0]
		if v < 50.986 || v > 51.0 {
			t.Errorf("seed %d: predict(10) = %v, want in [50.986, 51.000]", seed, v)
		}
	}
}

// The single sigmoid neuron of seed 000 (../shared/REFERENCE.md, second
// row): start from numpy seed 1's weights, SGD with learning rate 2 on MSE
// with batch 4 for 10,000 epochs equals the seed's update rule, and lands
// on its weights [9.67299303, -0.2078435, -4.62963669] and prediction
// 0.99993704 for [1, 0, 0].
func TestSingleNeuronSeed(t *testing.T) {
	x := f32([]int{4, 3}, 0, 0, 1, 1, 1, 1, 1, 0, 1, 0, 1, 1)
	y := f32([]int{4, 1}, 0, 1, 1, 0)
	model := keras.Sequential(layers.Dense(1, layers.InputShape(3), layers.Activation("sigmoid"), layers.UseBias(false)))
	if err := model.SetWeights([]*tensor.Dense{f32([]int{3, 1}, -0.16595599, 0.44064899, -0.99977125)}); err != nil {
		t.Fatal(err)
	}
	if err := model.Compile(optimizers.SGD(optimizers.LearningRate(2)), losses.MeanSquaredError()); err != nil {
		t.Fatal(err)
	}
	if _, err := model.Fit(x, y, keras.Epochs(10000), keras.BatchSize(4), keras.Verbose(0)); err != nil {
		t.Fatal(err)
	}
	w := model.GetWeights()[0].Data().([]float32)
	want := []float64{9.67299303, -0.2078435, -4.62963669}
	for i := range want {
		if math.Abs(float64(w[i])-want[i]) > 5e-4 {
			t.Errorf("weight %d = %.5f, want %.5f", i, w[i], want[i])
		}
	}
	out, err := model.Predict(f32([]int{1, 3}, 1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	if p := out.Data().([]float32)[0]; math.Abs(float64(p)-0.99993704) > 5e-4 {
		t.Errorf("predict [1,0,0] = %.8f, want 0.99993704", p)
	}
}

func newModel(t *testing.T, seed int64, opts ...keras.Option) *keras.Model {
	t.Helper()
	m := keras.Sequential(
		layers.Dense(8, layers.InputShape(2), layers.Activation("tanh")),
		layers.Dropout(0.2),
		layers.Dense(1, layers.Activation("sigmoid")),
	)
	opts = append(opts, keras.Seed(seed), keras.Metrics("accuracy"))
	if err := m.Compile(optimizers.SGD(optimizers.LearningRate(0.5)), losses.BinaryCrossentropy(), opts...); err != nil {
		t.Fatal(err)
	}
	return m
}

func xorData() (*tensor.Dense, *tensor.Dense) {
	return f32([]int{4, 2}, 0, 0, 0, 1, 1, 0, 1, 1), f32([]int{4, 1}, 0, 1, 1, 0)
}

// The same seed gives identical weights and History, bit for bit;
// another seed gives other weights.
func TestDeterminism(t *testing.T) {
	run := func(seed int64) ([]*tensor.Dense, map[string][]float64) {
		m := newModel(t, seed)
		x, y := xorData()
		h, err := m.Fit(x, y, keras.Epochs(20), keras.BatchSize(3), keras.Verbose(0))
		if err != nil {
			t.Fatal(err)
		}
		return m.GetWeights(), h.History
	}
	w1, h1 := run(7)
	w2, h2 := run(7)
	w3, _ := run(8)
	for i := range w1 {
		if !slices.Equal(w1[i].Data().([]float32), w2[i].Data().([]float32)) {
			t.Errorf("weight %d differs between runs with the same seed", i)
		}
	}
	for k, v := range h1 {
		if !slices.Equal(v, h2[k]) {
			t.Errorf("history %q differs between runs with the same seed", k)
		}
	}
	if slices.Equal(w1[0].Data().([]float32), w3[0].Data().([]float32)) {
		t.Error("different seeds gave the same weights")
	}
}

// Predict and Evaluate accept any sample count and batch size: a 37-sample
// predict in batches of 32 (and 5, and 1) equals x·W + b computed here.
func TestPredictAnyBatch(t *testing.T) {
	m := keras.Sequential(layers.Dense(3, layers.InputShape(4)))
	if err := m.Compile(optimizers.SGD(), losses.MeanSquaredError()); err != nil {
		t.Fatal(err)
	}
	ws := m.GetWeights()
	kernel, bias := ws[0].Data().([]float32), ws[1].Data().([]float32)
	for i := range bias {
		bias[i] = float32(i) / 10
	}
	if err := m.SetWeights(ws); err != nil {
		t.Fatal(err)
	}
	x := make([]float32, 37*4)
	for i := range x {
		x[i] = float32(i%11) - 5
	}
	for _, bs := range []int{32, 5, 1, 100} {
		out, err := m.Predict(f32([]int{37, 4}, x...), keras.BatchSize(bs))
		if err != nil {
			t.Fatal(err)
		}
		if got := []int(out.Shape()); !slices.Equal(got, []int{37, 3}) {
			t.Fatalf("shape %v, want (37, 3)", got)
		}
		o := out.Data().([]float32)
		for s := 0; s < 37; s++ {
			for u := 0; u < 3; u++ {
				want := bias[u]
				for k := 0; k < 4; k++ {
					want += x[s*4+k] * kernel[k*3+u]
				}
				if d := math.Abs(float64(o[s*3+u] - want)); d > 1e-5 {
					t.Fatalf("batch %d: out[%d,%d] = %v, want %v", bs, s, u, o[s*3+u], want)
				}
			}
		}
	}
}

// Evaluate reports the loss and each metric by name; the loss equals the
// MSE computed by hand from Predict.
func TestEvaluate(t *testing.T) {
	m := keras.Sequential(layers.Dense(1, layers.InputShape(1)))
	if err := m.Compile(optimizers.SGD(), losses.MeanSquaredError(), keras.Metrics("mae")); err != nil {
		t.Fatal(err)
	}
	xs, ys := linearData()
	res, err := m.Evaluate(xs, ys, keras.BatchSize(4), keras.Verbose(0))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := m.Predict(xs)
	var mse, mae float64
	for i, p := range out.Data().([]float32) {
		d := float64(p - ys.Data().([]float32)[i])
		mse += d * d / 6
		mae += math.Abs(d) / 6
	}
	if math.Abs(res["loss"]-mse) > 1e-4*mse || math.Abs(res["mae"]-mae) > 1e-4*mae {
		t.Errorf("Evaluate = %v, want loss %v mae %v", res, mse, mae)
	}
}

// Keras takes validation_split from the end, before shuffling: val_loss
// equals Evaluate on the last samples after training.
func TestValidationSplit(t *testing.T) {
	m := keras.Sequential(layers.Dense(1, layers.InputShape(1)))
	if err := m.Compile(optimizers.SGD(optimizers.LearningRate(0)), losses.MeanSquaredError()); err != nil {
		t.Fatal(err)
	}
	xs, ys := linearData()
	h, err := m.Fit(xs, ys, keras.Epochs(2), keras.ValidationSplit(0.34), keras.Verbose(0))
	if err != nil {
		t.Fatal(err)
	}
	// int(6 * 0.66) = 3 training samples; the last 3 validate.
	res, err := m.Evaluate(f32([]int{3, 1}, 2, 3, 4), f32([]int{3, 1}, 11, 16, 21), keras.Verbose(0))
	if err != nil {
		t.Fatal(err)
	}
	if got := h.History["val_loss"]; len(got) != 2 || math.Abs(got[1]-res["loss"]) > 1e-6*res["loss"] {
		t.Errorf("val_loss %v, want [.. %v]", got, res["loss"])
	}
}

func TestErrors(t *testing.T) {
	xs, ys := linearData()
	compiled := func() *keras.Model {
		m := keras.Sequential(layers.Dense(1, layers.InputShape(1)))
		if err := m.Compile(optimizers.SGD(), losses.MeanSquaredError()); err != nil {
			t.Fatal(err)
		}
		return m
	}
	sparse := keras.Sequential(layers.Dense(3, layers.InputShape(1), layers.Activation("softmax")))
	if err := sparse.Compile(optimizers.SGD(), losses.SparseCategoricalCrossentropy()); err != nil {
		t.Fatal(err)
	}
	nan := f32([]int{2, 1}, 1, float32(math.NaN()))
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"fit before compile", func() error {
			_, err := keras.Sequential(layers.Dense(1, layers.InputShape(1))).Fit(xs, ys, keras.Verbose(0))
			return err
		}, "not compiled"},
		{"evaluate before compile", func() error {
			_, err := keras.Sequential(layers.Dense(1, layers.InputShape(1))).Evaluate(xs, xs)
			return err
		}, "not compiled"},
		{"sample counts", func() error {
			_, err := compiled().Fit(xs, f32([]int{5, 1}, 1, 2, 3, 4, 5), keras.Verbose(0))
			return err
		}, "x has 6 samples but y has 5"},
		{"feature count", func() error {
			_, err := compiled().Predict(f32([]int{2, 3}, 1, 2, 3, 4, 5, 6))
			return err
		}, "dense: expected input of shape (1,), got (3,)"},
		{"target shape", func() error {
			_, err := compiled().Fit(xs, f32([]int{6, 2}, make([]float32, 12)...), keras.Verbose(0))
			return err
		}, "y has shape (6, 2)"},
		{"label out of range", func() error {
			_, err := sparse.Fit(f32([]int{2, 1}, 1, 2), f32([]int{2}, 0, 3), keras.Verbose(0))
			return err
		}, "out of range"},
		{"NaN input", func() error {
			_, err := compiled().Predict(nan)
			return err
		}, "NaN"},
		{"unknown activation", func() error {
			m := keras.Sequential(layers.Dense(1, layers.InputShape(1), layers.Activation("relu7")))
			if err := m.Compile(optimizers.SGD(), losses.MeanSquaredError()); err != nil {
				return err
			}
			_, err := m.Predict(xs)
			return err
		}, `unknown activation "relu7" (known: `},
		{"bad batch size", func() error {
			_, err := compiled().Fit(xs, ys, keras.BatchSize(0), keras.Verbose(0))
			return err
		}, "batch_size must be positive"},
		{"set weights count", func() error {
			return compiled().SetWeights(nil)
		}, "model has 2 weights, got 0"},
		{"set weights shape", func() error {
			return compiled().SetWeights([]*tensor.Dense{f32([]int{2, 1}, 1, 2), f32([]int{1}, 0)})
		}, "dense/kernel expects shape (1, 1), got (2, 1)"},
		{"unbuilt", func() error {
			return keras.Sequential(layers.Dense(1)).SetWeights(nil)
		}, "input shape is unknown"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	_, err := keras.Sequential(layers.Dense(1, layers.InputShape(1))).Evaluate(xs, ys)
	if !errors.Is(err, keras.ErrNotCompiled) {
		t.Errorf("Evaluate before Compile: %v, want ErrNotCompiled", err)
	}
}

// Cancelling the context returns the History so far and the context's
// error.
func TestFitContextCancel(t *testing.T) {
	m := keras.Sequential(layers.Dense(1, layers.InputShape(1)))
	if err := m.Compile(optimizers.SGD(), losses.MeanSquaredError()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopper := &cancelAt{epoch: 3, cancel: cancel}
	xs, ys := linearData()
	h, err := m.FitContext(ctx, xs, ys, keras.Epochs(100), keras.Verbose(0), keras.Callbacks(stopper))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if n := len(h.History["loss"]); n != 4 {
		t.Errorf("%d epochs in History, want 4", n)
	}
}

type cancelAt struct {
	callbacks.Base
	epoch  int
	cancel func()
}

func (c *cancelAt) OnEpochEnd(epoch int, _ callbacks.Logs) error {
	if epoch == c.epoch {
		c.cancel()
	}
	return nil
}

// A model without a declared input shape is built by the first Fit.
func TestBuildFromData(t *testing.T) {
	m := keras.Sequential(layers.Dense(4, layers.Activation("relu")), layers.Dense(1))
	if m.GetWeights() != nil {
		t.Error("GetWeights before the input shape is known should be nil")
	}
	if err := m.Compile(optimizers.Adam(), losses.MeanSquaredError()); err != nil {
		t.Fatal(err)
	}
	xs, ys := linearData()
	if _, err := m.Fit(xs, ys, keras.Epochs(2), keras.Verbose(0)); err != nil {
		t.Fatal(err)
	}
	if w := m.GetWeights(); len(w) != 4 || !slices.Equal([]int(w[0].Shape()), []int{1, 4}) {
		t.Errorf("weights after Fit: %v", w)
	}
}

// A float64 model trains 5X+1 to the same answer.
func TestFloat64Model(t *testing.T) {
	m := keras.Sequential(layers.Dense(1, layers.InputShape(1)))
	if err := m.Compile(optimizers.SGD(), losses.MeanSquaredError(), keras.DType(tensor.Float64)); err != nil {
		t.Fatal(err)
	}
	xs, ys := linearData()
	if _, err := m.Fit(xs, ys, keras.Epochs(500), keras.Verbose(0)); err != nil {
		t.Fatal(err)
	}
	out, err := m.Predict(tensor.New(tensor.WithShape(1, 1), tensor.WithBacking([]int{10})))
	if err != nil {
		t.Fatal(err)
	}
	if v := out.Data().([]float64)[0]; v < 50.986 || v > 51 {
		t.Errorf("predict(10) = %v", v)
	}
}

// Dropout is active in training only: Predict is deterministic and equals
// the same network without the Dropout layer.
func TestDropoutInferenceIdentity(t *testing.T) {
	m := newModel(t, 3)
	x, y := xorData()
	if _, err := m.Fit(x, y, keras.Epochs(3), keras.Verbose(0)); err != nil {
		t.Fatal(err)
	}
	plain := keras.Sequential(
		layers.Dense(8, layers.InputShape(2), layers.Activation("tanh")),
		layers.Dense(1, layers.Activation("sigmoid")),
	)
	if err := plain.SetWeights(m.GetWeights()); err != nil {
		t.Fatal(err)
	}
	if err := plain.Compile(optimizers.SGD(), losses.BinaryCrossentropy()); err != nil {
		t.Fatal(err)
	}
	a, _ := m.Predict(x)
	b, _ := plain.Predict(x)
	if !slices.Equal(a.Data().([]float32), b.Data().([]float32)) {
		t.Errorf("Predict with dropout %v, without %v", a.Data(), b.Data())
	}
}

// As in Keras 3, the seed's xs = [-1, 0, 1, 2, 3, 4] of shape (6,) feed a
// model with input shape (1,), and so does a (1,) sample to Predict.
func TestRankOneSamples(t *testing.T) {
	m := keras.Sequential(layers.Dense(1, layers.InputShape(1)))
	if err := m.Compile(optimizers.SGD(), losses.MeanSquaredError()); err != nil {
		t.Fatal(err)
	}
	xs := f32([]int{6}, -1, 0, 1, 2, 3, 4)
	ys := f32([]int{6}, -4, 1, 6, 11, 16, 21)
	if _, err := m.Fit(xs, ys, keras.Epochs(500), keras.Verbose(0)); err != nil {
		t.Fatal(err)
	}
	out, err := m.Predict(f32([]int{1}, 10))
	if err != nil {
		t.Fatal(err)
	}
	if got := []int(out.Shape()); !slices.Equal(got, []int{1, 1}) {
		t.Errorf("output shape %v, want (1, 1)", got)
	}
	if v := out.Data().([]float32)[0]; v < 50.986 || v > 51 {
		t.Errorf("predict(10) = %v", v)
	}
}
