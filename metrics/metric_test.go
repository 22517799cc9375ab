package metrics

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"gorgonia.org/tensor"
)

// fnOf names the per-sample function behind a mean metric, to tell which
// metric Get resolved to.
func fnOf(m Metric) uintptr {
	mm, ok := m.(*meanMetric)
	if !ok {
		return 0
	}
	return reflect.ValueOf(mm.f64).Pointer()
}

func ptr(f batchFunc[float64]) uintptr { return reflect.ValueOf(f).Pointer() }

func TestGetResolvesAccuracy(t *testing.T) {
	// Keras's compile_utils.get_metric: binary when the output has one
	// unit, else sparse or categorical by the targets; here by the loss.
	tests := []struct {
		name, loss string
		dim        int
		want       batchFunc[float64]
	}{
		{"accuracy", "binary_crossentropy", 1, binaryAccuracy[float64]},
		{"accuracy", "binary_crossentropy", 3, binaryAccuracy[float64]},
		{"accuracy", "mean_squared_error", 1, binaryAccuracy[float64]},
		{"accuracy", "sparse_categorical_crossentropy", 1, binaryAccuracy[float64]},
		{"accuracy", "sparse_categorical_crossentropy", 10, sparseCategoricalAccuracy[float64]},
		{"accuracy", "categorical_crossentropy", 10, categoricalAccuracy[float64]},
		{"accuracy", "mean_squared_error", 10, categoricalAccuracy[float64]},
		{"acc", "sparse_categorical_crossentropy", 10, sparseCategoricalAccuracy[float64]},
		{"ACC", "categorical_crossentropy", 10, categoricalAccuracy[float64]},
		{"crossentropy", "binary_crossentropy", 1, binaryCrossentropy[float64]},
		{"ce", "sparse_categorical_crossentropy", 10, sparseCategoricalCrossentropy[float64]},
		{"ce", "categorical_crossentropy", 10, categoricalCrossentropy[float64]},
	}
	for _, tc := range tests {
		m, err := Get(tc.name, tc.loss, tc.dim)
		if err != nil {
			t.Fatalf("Get(%q, %q, %d): %v", tc.name, tc.loss, tc.dim, err)
		}
		if fnOf(m) != ptr(tc.want) {
			t.Errorf("Get(%q, %q, %d) resolved to the wrong metric", tc.name, tc.loss, tc.dim)
		}
		if m.Name() != tc.name {
			t.Errorf("Get(%q, ...).Name() = %q, want the user's name", tc.name, m.Name())
		}
	}
}

func TestGetNames(t *testing.T) {
	// Keras: the metric is logged under the string the user gave.
	for name, wantFn := range map[string]batchFunc[float64]{
		"mse": squaredError[float64], "mean_squared_error": squaredError[float64],
		"mae": absoluteError[float64], "mape": percentageError[float64],
		"rmse": squaredError[float64], "root_mean_squared_error": squaredError[float64],
		"binary_accuracy": binaryAccuracy[float64], "top_k_categorical_accuracy": topKCategoricalAccuracy[float64],
	} {
		m, err := Get(name, "mse", 1)
		if err != nil {
			t.Fatal(err)
		}
		if m.Name() != name || fnOf(m) != ptr(wantFn) {
			t.Errorf("Get(%q): name %q, wrong metric %v", name, m.Name(), fnOf(m) != ptr(wantFn))
		}
	}
	for _, name := range Names() {
		m, err := Get(name, "", 2)
		if err != nil || m.Name() != name {
			t.Errorf("Get(%q) from Names(): %v, name %q", name, err, m.Name())
		}
	}
	if n := Names(); !slices.IsSorted(n) || !slices.Contains(n, "accuracy") || !slices.Contains(n, "auc") {
		t.Errorf("Names() = %v: want sorted, with accuracy and auc", n)
	}
}

func TestGetUnknown(t *testing.T) {
	_, err := Get("acuracy", "mse", 1)
	if !errors.Is(err, ErrUnknown) {
		t.Fatalf("Get(acuracy): %v, want ErrUnknown", err)
	}
	if !strings.Contains(err.Error(), `"acuracy"`) || !strings.Contains(err.Error(), strings.Join(Names(), ", ")) {
		t.Errorf("error %q should name the input and list the known names, sorted", err)
	}
}

func TestUpdateErrors(t *testing.T) {
	f32 := func(shape ...int) *tensor.Dense {
		return tensor.New(tensor.WithShape(shape...), tensor.Of(tensor.Float32))
	}
	f64 := func(shape ...int) *tensor.Dense {
		return tensor.New(tensor.WithShape(shape...), tensor.Of(tensor.Float64))
	}
	labels := func(v ...float64) *tensor.Dense { return build(tensor.Float64, []int{len(v)}, v) }
	tests := []struct {
		name         string
		m            Metric
		yTrue, yPred *tensor.Dense
		want         error
		says         []string
	}{
		{"dense shapes", MeanSquaredError(), f64(3, 2), f64(3, 1), ErrShape, []string{"mean_squared_error", "(3, 2)", "(3, 1)"}},
		{"dense batch", BinaryAccuracy(), f64(4, 1), f64(3, 1), ErrShape, []string{"(4, 1)", "(3, 1)"}},
		{"auc shapes", AUC(), f64(2, 2), f64(2, 3), ErrShape, []string{"auc", "(2, 2)", "(2, 3)"}},
		{"precision shapes", Precision(), f64(2), f64(3), ErrShape, []string{"precision"}},
		{"sparse shapes", SparseCategoricalAccuracy(), f64(3, 3), f64(3, 3), ErrShape, []string{"(3, 3)", "(3, 1)"}},
		{"sparse batch", SparseCategoricalAccuracy(), f64(2), f64(3, 3), ErrShape, []string{"(2)", "(3, 3)"}},
		{"label range", SparseCategoricalAccuracy(), labels(0, 3), f64(2, 3), ErrLabel, []string{"label 3", "sample 1", "[0, 3)"}},
		{"label negative", SparseTopKCategoricalAccuracy(), labels(-1, 0), f64(2, 3), ErrLabel, []string{"label -1"}},
		{"label fraction", SparseCategoricalCrossentropy(), labels(0, 1.5), f64(2, 3), ErrLabel, []string{"1.5", "not an integer"}},
		{"mixed dtypes", CategoricalAccuracy(), f32(2, 3), f64(2, 3), ErrDtype, []string{"float32", "float64"}},
		{"int dtype", AUC(), tensor.New(tensor.WithShape(2), tensor.Of(tensor.Int)), tensor.New(tensor.WithShape(2), tensor.Of(tensor.Int)), ErrDtype, []string{"int"}},
		{"nil", Recall(), nil, f64(2), ErrShape, []string{"recall"}},
	}
	for _, tc := range tests {
		err := tc.m.Update(tc.yTrue, tc.yPred)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, err, tc.want)
			continue
		}
		for _, s := range tc.says {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("%s: error %q does not say %q", tc.name, err, s)
			}
		}
	}
}

func TestFailedUpdateKeepsState(t *testing.T) {
	m := SparseCategoricalAccuracy()
	good := batch{[]int{2}, []int{2, 3}, []float64{2, 1}, []float64{0.1, 0.6, 0.3, 0.05, 0.95, 0}}
	before := run(t, m, tensor.Float64, good)
	yt, yp := batch{[]int{2}, []int{2, 3}, []float64{1, 7}, []float64{0, 1, 0, 0, 1, 0}}.tensors(tensor.Float64)
	if err := m.Update(yt, yp); err == nil {
		t.Fatal("label 7 of 3 classes: no error")
	}
	if got := m.Result(); got != before {
		t.Errorf("after a failed Update: %v, want %v", got, before)
	}
}

// all returns one metric of each kind with a batch fitting it.
func all() []struct {
	m Metric
	b batch
} {
	dense := batch{[]int{4, 3}, []int{4, 3},
		[]float64{0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0},
		[]float64{0.2, 0.5, 0.3, 0.6, 0.3, 0.1, 0.5, 0.4, 0.1, 0.1, 0.2, 0.7}}
	sparse := batch{[]int{4}, []int{4, 3}, []float64{1, 0, 2, 1}, dense.yPred}
	var out []struct {
		m Metric
		b batch
	}
	for _, name := range Names() {
		m, _ := Get(name, "", 3)
		b := dense
		if mm, ok := m.(*meanMetric); ok && mm.sparse {
			b = sparse
		}
		out = append(out, struct {
			m Metric
			b batch
		}{m, b})
	}
	return out
}

func split(b batch, at int) (batch, batch) {
	cols := len(b.yPred) / b.pShape[0]
	tcols := len(b.yTrue) / b.tShape[0]
	with := func(s []int, n int) []int { return append([]int{n}, s[1:]...) }
	return batch{with(b.tShape, at), with(b.pShape, at), b.yTrue[:at*tcols], b.yPred[:at*cols]},
		batch{with(b.tShape, b.tShape[0]-at), with(b.pShape, b.pShape[0]-at), b.yTrue[at*tcols:], b.yPred[at*cols:]}
}

func TestTwoUpdatesEqualOne(t *testing.T) {
	// Keras's metrics are means over samples: batches of 1 and 3 samples
	// must give what one batch of 4 gives. Reset must forget both.
	for _, dt := range dtypes {
		for _, c := range all() {
			whole := run(t, c.m, dt, c.b)
			c.m.Reset()
			if got := c.m.Result(); got != 0 {
				t.Errorf("%s %v: after Reset %v, want 0", c.m.Name(), dt, got)
			}
			a, b := split(c.b, 1)
			if got := run(t, c.m, dt, a, b); !near(got, whole) {
				t.Errorf("%s %v: batches 1+3 give %v, one batch %v", c.m.Name(), dt, got, whole)
			}
			c.m.Reset()
			if got := run(t, c.m, dt, c.b); got != whole {
				t.Errorf("%s %v: after Reset %v, want %v", c.m.Name(), dt, got, whole)
			}
		}
	}
}

func TestViews(t *testing.T) {
	// A column slice is strided and is copied; a row slice reads in place.
	full := build(tensor.Float64, []int{3, 4}, []float64{1, 0, 9, 9, 0.2, 0.8, 9, 9, 0.6, 0.4, 0, 0})
	m := CategoricalAccuracy()
	cols, err := full.Slice(nil, tensor.S(0, 2))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Update(build(tensor.Float64, []int{3, 2}, []float64{1, 0, 0, 1, 0, 1}), cols.(*tensor.Dense)); err != nil {
		t.Fatal(err)
	}
	rows, err := full.Slice(tensor.S(1, 3))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Update(build(tensor.Float64, []int{2, 4}, []float64{0, 1, 0, 0, 1, 0, 0, 0}), rows.(*tensor.Dense)); err != nil {
		t.Fatal(err)
	}
	// Hand: columns [1 0] [0.2 0.8] [0.6 0.4] against classes 0, 1, 1: 2
	// right; rows [0.2 0.8 9 9] [0.6 0.4 0 0] against 1, 0: 1 right.
	if got := m.Result(); !near(got, 3.0/5) {
		t.Errorf("got %v, want 3/5", got)
	}
}

func TestUpdateDoesNotAllocate(t *testing.T) {
	for _, c := range all() {
		yt, yp := c.b.tensors(tensor.Float32)
		if n := testing.AllocsPerRun(50, func() { _ = c.m.Update(yt, yp) }); n != 0 {
			t.Errorf("%s: %v allocations per Update, want 0", c.m.Name(), n)
		}
	}
}

func BenchmarkUpdate(b *testing.B) {
	const rows, cols = 100, 10
	yt := make([]float64, rows*cols)
	yp := make([]float64, rows*cols)
	labels := make([]float64, rows)
	for i := range yp {
		yp[i] = float64(i%7) / 7
		if i%cols == i/cols%cols {
			yt[i] = 1
		}
	}
	for i := range labels {
		labels[i] = float64(i % cols)
	}
	for _, name := range []string{"categorical_accuracy", "sparse_categorical_accuracy", "mse", "auc"} {
		m, _ := Get(name, "", cols)
		tb := batch{[]int{rows, cols}, []int{rows, cols}, yt, yp}
		if name == "sparse_categorical_accuracy" {
			tb = batch{[]int{rows}, []int{rows, cols}, labels, yp}
		}
		yT, yP := tb.tensors(tensor.Float32)
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := m.Update(yT, yP); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
