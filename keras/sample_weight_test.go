package keras_test

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/gokeras/keras/datasets"
	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
	"gorgonia.org/tensor"
)

// A line y = k*x + b with k = 2, b = 0.5 set by hand, and five weighted
// samples: every figure below is computed here in float64.
var (
	swX = []float64{1, 2, 3, 4, 5}
	swY = []float64{1, 0, 2, 1, 3}
	swW = []float64{1, 0.5, 2, 0, 3}
)

func f64s(v []float64) *tensor.Dense {
	return tensor.New(tensor.WithShape(len(v), 1), tensor.WithBacking(append([]float64(nil), v...)))
}

func lineModel(t *testing.T, opt optimizers.Optimizer, opts ...keras.Option) *keras.Model {
	t.Helper()
	m := keras.Sequential(keras.Input(1), layers.Dense(1))
	if err := m.Compile(opt, losses.MeanSquaredError(), append([]keras.Option{keras.DType(tensor.Float64)}, opts...)...); err != nil {
		t.Fatal(err)
	}
	if err := m.SetWeights([]*tensor.Dense{
		tensor.New(tensor.WithShape(1, 1), tensor.WithBacking([]float64{2})),
		tensor.New(tensor.WithShape(1), tensor.WithBacking([]float64{0.5})),
	}); err != nil {
		t.Fatal(err)
	}
	return m
}

// Keras's sum_over_batch_size with weights: sum(w × loss) / batch size,
// batches averaged by size, so over the data sum(w × loss) / n; a
// weighted mean metric is sum(w × value) / sum(w).
func TestSampleWeightLossByHand(t *testing.T) {
	var wl, w, plain float64
	for i := range swX {
		l := (2*swX[i] + 0.5 - swY[i]) * (2*swX[i] + 0.5 - swY[i])
		wl += swW[i] * l
		w += swW[i]
		plain += l
	}
	n := float64(len(swX))
	m := lineModel(t, optimizers.SGD(), keras.Metrics("mse"), keras.WeightedMetrics("mse", "mae"))
	for _, bs := range []int{5, 2} {
		res, err := m.Evaluate(f64s(swX), f64s(swY), keras.SampleWeight(f64s(swW)), keras.BatchSize(bs), keras.Verbose(0))
		if err != nil {
			t.Fatal(err)
		}
		checks := []struct {
			key  string
			want float64
		}{
			{"loss", wl / n},
			{"mse", plain / n},
			{"weighted_mse", wl / w},
		}
		for _, c := range checks {
			if got := res[c.key]; math.Abs(got-c.want) > 1e-12*math.Abs(c.want) {
				t.Errorf("batch %d: %s = %.15g, want %.15g", bs, c.key, got, c.want)
			}
		}
		var mae float64
		for i := range swX {
			mae += swW[i] * math.Abs(2*swX[i]+0.5-swY[i])
		}
		if got := res["mae"]; math.Abs(got-mae/w) > 1e-12 {
			t.Errorf("batch %d: weighted mae = %v, want %v (named mae: no unweighted mae)", bs, got, mae/w)
		}
	}
	// Without weights, Evaluate is the plain mean and a weighted metric
	// too.
	res, err := m.Evaluate(f64s(swX), f64s(swY), keras.Verbose(0))
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(res["loss"]-plain/n) > 1e-12 || math.Abs(res["weighted_mse"]-plain/n) > 1e-12 {
		t.Errorf("unweighted: %v, want loss and weighted_mse %v", res, plain/n)
	}
}

// One SGD step on the weighted loss moves the weights by the gradient of
// sum(w (k x + b - y)²) / n, computed here; the History's loss is the
// loss before the step.
func TestSampleWeightStepByHand(t *testing.T) {
	const lr = 0.01
	var dk, db, loss float64
	n := float64(len(swX))
	for i := range swX {
		r := 2*swX[i] + 0.5 - swY[i]
		loss += swW[i] * r * r / n
		dk += 2 * swW[i] * r * swX[i] / n
		db += 2 * swW[i] * r / n
	}
	m := lineModel(t, optimizers.SGD(optimizers.LearningRate(lr)))
	h, err := m.Fit(f64s(swX), f64s(swY), keras.SampleWeight(f64s(swW)), keras.BatchSize(5), keras.Verbose(0))
	if err != nil {
		t.Fatal(err)
	}
	if got := h.History["loss"][0]; math.Abs(got-loss) > 1e-12 {
		t.Errorf("loss = %.15g, want %.15g", got, loss)
	}
	w := m.GetWeights()
	k, b := w[0].Data().([]float64)[0], w[1].Data().([]float64)[0]
	if math.Abs(k-(2-lr*dk)) > 1e-12 || math.Abs(b-(0.5-lr*db)) > 1e-12 {
		t.Errorf("after the step k = %.15g, b = %.15g; want %.15g, %.15g", k, b, 2-lr*dk, 0.5-lr*db)
	}
}

// ClassWeight is the sample weight of each sample's class: training with
// it equals training with those weights as SampleWeight, bit for bit,
// for sparse labels, one-hot labels (argmax) and a single 0/1 output.
func TestClassWeightIsSampleWeight(t *testing.T) {
	x, y := dsBlobs(30, 11)
	labels := y.Data().([]float32)
	cw := map[int]float64{0: 0.5, 2: 4} // class 1 is missing: weight 1
	sw := make([]float32, len(labels))
	onehot := make([]float32, 3*len(labels))
	binary := make([]float32, len(labels))
	swBinary := make([]float32, len(labels))
	for i, c := range labels {
		sw[i] = 1
		if v, ok := cw[int(c)]; ok {
			sw[i] = float32(v)
		}
		onehot[i*3+int(c)] = 1
		if c == 2 {
			binary[i] = 1
		}
		swBinary[i] = 1
		if v, ok := map[int]float64{0: 0.5, 1: 4}[int(binary[i])]; ok {
			swBinary[i] = float32(v)
		}
	}
	softmax3 := func() layers.Layer { return layers.Dense(3, layers.Activation("softmax")) }
	cases := []struct {
		name string
		loss losses.Loss
		out  func() layers.Layer
		y    *tensor.Dense
		cw   map[int]float64
		sw   []float32
	}{
		{"sparse", losses.SparseCategoricalCrossentropy(), softmax3, y, cw, sw},
		{"one-hot", losses.CategoricalCrossentropy(), softmax3, f32([]int{30, 3}, onehot...), cw, sw},
		{"binary", losses.BinaryCrossentropy(), func() layers.Layer { return layers.Dense(1, layers.Activation("sigmoid")) }, f32([]int{30, 1}, binary...), map[int]float64{0: 0.5, 1: 4}, swBinary},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var hs []map[string][]float64
			var ws [][]*tensor.Dense
			for _, opt := range []keras.Option{keras.ClassWeight(c.cw), keras.SampleWeight(f32([]int{30}, c.sw...))} {
				m := keras.Sequential(keras.Input(4), layers.Dense(5, layers.Activation("tanh")), c.out())
				if err := m.Compile(optimizers.Adam(), c.loss, keras.Seed(3), keras.WeightedMetrics("accuracy")); err != nil {
					t.Fatal(err)
				}
				h, err := m.Fit(x, c.y, opt, keras.Epochs(2), keras.BatchSize(7), keras.Verbose(0))
				if err != nil {
					t.Fatal(err)
				}
				hs, ws = append(hs, h.History), append(ws, m.GetWeights())
			}
			if !reflect.DeepEqual(hs[0], hs[1]) {
				t.Errorf("ClassWeight %v\nSampleWeight %v", hs[0], hs[1])
			}
			if !sameWeights(ws[0], ws[1]) {
				t.Error("trained weights differ")
			}
		})
	}
}

// The weights of a dataset's batches weight its loss; a validation
// dataset with weights gives a weighted val_loss, one without an
// unweighted one; ValidationSplit keeps the held-out samples' weights.
func TestWeightedValidation(t *testing.T) {
	var wl, plain float64
	for i := range swX {
		l := (2*swX[i] + 0.5 - swY[i]) * (2*swX[i] + 0.5 - swY[i])
		wl += swW[i] * l
		plain += l
	}
	n := float64(len(swX))
	m := lineModel(t, optimizers.SGD(optimizers.LearningRate(0)))
	weighted := datasets.FromTensorsWeighted(f64s(swX), f64s(swY), tensor.New(tensor.WithShape(5), tensor.WithBacking(swW))).Batch(2)
	res, err := m.EvaluateDataset(weighted, keras.Verbose(0))
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(res["loss"]-wl/n) > 1e-12 {
		t.Errorf("EvaluateDataset on weighted batches: loss %v, want %v", res["loss"], wl/n)
	}
	unweighted := datasets.FromTensors(f64s(swX), f64s(swY)).Batch(2)
	h, err := m.FitDataset(unweighted, keras.ValidationDataset(weighted), keras.Verbose(0))
	if err != nil {
		t.Fatal(err)
	}
	if got := h.History["val_loss"][0]; math.Abs(got-wl/n) > 1e-12 {
		t.Errorf("weighted validation: val_loss %v, want %v", got, wl/n)
	}
	if got := h.History["loss"][0]; math.Abs(got-plain/n) > 1e-12 {
		t.Errorf("unweighted training: loss %v, want %v", got, plain/n)
	}
	// Class weights do not weight validation (as Keras).
	h, err = m.Fit(f64s(swX), f64s(swY), keras.ValidationData(f64s(swX), f64s(swY)), keras.Verbose(0))
	if err != nil {
		t.Fatal(err)
	}
	if got := h.History["val_loss"][0]; math.Abs(got-plain/n) > 1e-12 {
		t.Errorf("ValidationData: val_loss %v, want the unweighted %v", got, plain/n)
	}
	// ValidationSplit 0.4 holds out the last two samples with their
	// weights 0 and 3.
	h, err = m.Fit(f64s(swX), f64s(swY), keras.SampleWeight(f64s(swW)), keras.ValidationSplit(0.4), keras.Verbose(0))
	if err != nil {
		t.Fatal(err)
	}
	var val float64
	for _, i := range []int{3, 4} {
		r := 2*swX[i] + 0.5 - swY[i]
		val += swW[i] * r * r / 2
	}
	if got := h.History["val_loss"][0]; math.Abs(got-val) > 1e-12 {
		t.Errorf("ValidationSplit: val_loss %v, want %v", got, val)
	}
}

func TestSampleWeightErrors(t *testing.T) {
	x, y := dsBlobs(6, 12)
	w := func(v ...float32) *tensor.Dense { return f32([]int{len(v)}, v...) }
	badBatch := datasets.FromTensorsWeighted(x, y, w(1, 1, -1, 1, 1, 1)).Batch(3)
	cases := []struct {
		name string
		run  func(m *keras.Model) error
		want string
	}{
		{"length", func(m *keras.Model) error {
			_, err := m.Fit(x, y, keras.SampleWeight(w(1, 1, 1)), keras.Verbose(0))
			return err
		}, "has 3 weights but x has 6 samples"},
		{"negative", func(m *keras.Model) error {
			_, err := m.Fit(x, y, keras.SampleWeight(w(1, 1, 1, -2, 1, 1)), keras.Verbose(0))
			return err
		}, "sample 3 is -2"},
		{"NaN", func(m *keras.Model) error {
			_, err := m.Evaluate(x, y, keras.SampleWeight(w(1, 1, 1, float32(math.NaN()), 1, 1)), keras.Verbose(0))
			return err
		}, "NaN"},
		{"shape", func(m *keras.Model) error {
			_, err := m.Fit(x, y, keras.SampleWeight(f32([]int{6, 2}, make([]float32, 12)...)), keras.Verbose(0))
			return err
		}, "(6,) or (6, 1)"},
		{"no such class", func(m *keras.Model) error {
			_, err := m.Fit(x, y, keras.ClassWeight(map[int]float64{0: 1, 3: 2}), keras.Verbose(0))
			return err
		}, "class 3, but the output"},
		{"no such class (dataset)", func(m *keras.Model) error {
			_, err := m.FitDataset(datasets.FromTensors(x, y).Batch(3), keras.ClassWeight(map[int]float64{-1: 2}), keras.Verbose(0))
			return err
		}, "class -1"},
		{"negative class weight", func(m *keras.Model) error {
			_, err := m.Fit(x, y, keras.ClassWeight(map[int]float64{1: -1}), keras.Verbose(0))
			return err
		}, "class 1 is -1"},
		{"infinite class weight", func(m *keras.Model) error {
			_, err := m.Fit(x, y, keras.ClassWeight(map[int]float64{1: math.Inf(1)}), keras.Verbose(0))
			return err
		}, "finite"},
		{"both", func(m *keras.Model) error {
			_, err := m.Fit(x, y, keras.ClassWeight(map[int]float64{1: 2}), keras.SampleWeight(w(1, 1, 1, 1, 1, 1)), keras.Verbose(0))
			return err
		}, "not both"},
		{"both (dataset)", func(m *keras.Model) error {
			_, err := m.FitDataset(datasets.FromTensorsWeighted(x, y, w(1, 1, 1, 1, 1, 1)).Batch(3), keras.ClassWeight(map[int]float64{1: 2}), keras.Verbose(0))
			return err
		}, "use one"},
		{"negative in a batch", func(m *keras.Model) error {
			_, err := m.FitDataset(badBatch, keras.Verbose(0))
			return err
		}, "batch 0: keras: sample weight of sample 2 is -1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.run(dsClassifier(t))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one saying %q", err, c.want)
			}
		})
	}
	// Weighted metrics that are not a mean over samples, and unknown
	// names, are refused by Fit.
	for _, name := range []string{"auc", "no_such_metric"} {
		m := keras.Sequential(keras.Input(4), layers.Dense(3, layers.Activation("softmax")))
		if err := m.Compile(optimizers.SGD(), losses.SparseCategoricalCrossentropy(), keras.WeightedMetrics(name)); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Fit(x, y, keras.Verbose(0)); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("weighted metric %q: error %v", name, err)
		}
	}
}

// plainLoss is a custom loss without a per-sample form.
type plainLoss struct{ losses.Loss }

// A custom loss that does not implement losses.PerSampleLoss trains
// unweighted and is refused, by name, when samples are weighted.
func TestSampleWeightNeedsPerSample(t *testing.T) {
	m := keras.Sequential(keras.Input(1), layers.Dense(1))
	if err := m.Compile(optimizers.SGD(), plainLoss{losses.MeanSquaredError()}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Fit(f64s(swX), f64s(swY), keras.Verbose(0)); err != nil {
		t.Fatalf("unweighted: %v", err)
	}
	_, err := m.Fit(f64s(swX), f64s(swY), keras.SampleWeight(f64s(swW)), keras.Verbose(0))
	if err == nil || !strings.Contains(err.Error(), "PerSampleLoss") || !strings.Contains(err.Error(), "mean_squared_error") {
		t.Errorf("weighted with a loss without PerSample: %v", err)
	}
}
