package keras_test

import (
	"bytes"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/gokeras/keras/callbacks"
	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
	"gorgonia.org/tensor"
)

// The model satisfies the interfaces ModelCheckpoint saves through.
var (
	_ callbacks.Saver        = (*keras.Model)(nil)
	_ callbacks.WeightsSaver = (*keras.Model)(nil)
)

// classifier returns a small model with every saved part in play: two
// Dense layers with a Dropout between them, Adam and a metric.
func classifier(t testing.TB, seed int64) *keras.Model {
	t.Helper()
	m := keras.Sequential(
		layers.Dense(8, layers.InputShape(4), layers.Activation("relu")),
		layers.Dropout(0.25),
		layers.Dense(3, layers.Activation("softmax")),
	)
	if err := m.Compile(optimizers.Adam(optimizers.LearningRate(0.01)), losses.CategoricalCrossentropy(),
		keras.Metrics("accuracy"), keras.Seed(seed)); err != nil {
		t.Fatal(err)
	}
	return m
}

// blobs returns n samples of 4 features in 3 classes, one-hot, drawn from
// a fixed formula so that tests need no random source.
func blobs(n int) (*tensor.Dense, *tensor.Dense) {
	x := make([]float32, n*4)
	y := make([]float32, n*3)
	for i := range n {
		c := i % 3
		for j := range 4 {
			x[i*4+j] = float32(c) + 0.3*float32((i*7+j*13)%11)/11 - float32(j%2)*0.5
		}
		y[i*3+c] = 1
	}
	return tensor.New(tensor.WithShape(n, 4), tensor.WithBacking(x)), tensor.New(tensor.WithShape(n, 3), tensor.WithBacking(y))
}

// Fit 3 epochs, Save, LoadModel, Fit 3 more from InitialEpoch(3) gives
// the same History, bit for bit, as Fit 6 epochs: the optimizer's slots
// and iterations, the shuffling and the dropout masks all resume.
func TestSaveResumesTraining(t *testing.T) {
	x, y := blobs(50)
	fit := func(m *keras.Model, opts ...keras.Option) map[string][]float64 {
		t.Helper()
		h, err := m.Fit(x, y, append([]keras.Option{keras.BatchSize(8), keras.Verbose(0)}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		return h.History
	}
	whole := fit(classifier(t, 7), keras.Epochs(6))

	first := classifier(t, 7)
	h1 := fit(first, keras.Epochs(3))
	path := filepath.Join(t.TempDir(), "model.keras")
	if err := first.Save(path); err != nil {
		t.Fatal(err)
	}
	first = nil
	loaded, err := keras.LoadModel(path)
	if err != nil {
		t.Fatal(err)
	}
	h2 := fit(loaded, keras.InitialEpoch(3), keras.Epochs(6))
	for key, want := range whole {
		got := append(slices.Clone(h1[key]), h2[key]...)
		if !slices.Equal(got, want) {
			t.Errorf("%s: resumed %v, uninterrupted %v", key, got, want)
		}
	}
}

// A saved and loaded model predicts the same numbers bit for bit and
// evaluates to the same loss; it keeps its name, layers, dtype and
// compile settings.
func TestSaveLoadRoundTrip(t *testing.T) {
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		t.Run(dt.String(), func(t *testing.T) {
			x, y := blobs(40)
			m := classifier(t, 3)
			if err := m.Compile(optimizers.RMSprop(optimizers.Momentum(0.5)), losses.CategoricalCrossentropy(losses.LabelSmoothing(0.1)),
				keras.Metrics("accuracy", "mse"), keras.DType(dt)); err != nil {
				t.Fatal(err)
			}
			if _, err := m.Fit(x, y, keras.Epochs(2), keras.Verbose(0)); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "m.keras")
			if err := m.Save(path); err != nil {
				t.Fatal(err)
			}
			got, err := keras.LoadModel(path)
			if err != nil {
				t.Fatal(err)
			}
			p1, err := m.Predict(x)
			if err != nil {
				t.Fatal(err)
			}
			p2, err := got.Predict(x)
			if err != nil {
				t.Fatal(err)
			}
			if p2.Dtype() != dt || !reflect.DeepEqual(p1.Data(), p2.Data()) {
				t.Errorf("predictions differ after loading (%v, %v)", p1.Dtype(), p2.Dtype())
			}
			e1, err := m.Evaluate(x, y, keras.Verbose(0))
			if err != nil {
				t.Fatal(err)
			}
			e2, err := got.Evaluate(x, y, keras.Verbose(0))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(e1, e2) {
				t.Errorf("Evaluate: before %v, after %v", e1, e2)
			}
			if got.Summary() != m.Summary() {
				t.Errorf("summary differs:\n%s\nwant\n%s", got.Summary(), m.Summary())
			}
			if got.Optimizer().Name() != "rmsprop" || !reflect.DeepEqual(got.Optimizer().Config(), m.Optimizer().Config()) {
				t.Errorf("optimizer config %v, want %v", got.Optimizer().Config(), m.Optimizer().Config())
			}
			if got.Optimizer().Iterations() != m.Optimizer().Iterations() {
				t.Errorf("iterations %d, want %d", got.Optimizer().Iterations(), m.Optimizer().Iterations())
			}
			if !reflect.DeepEqual(got.Loss().Config(), m.Loss().Config()) {
				t.Errorf("loss config %v, want %v", got.Loss().Config(), m.Loss().Config())
			}
		})
	}
}

// Save writes the same bytes twice: no dates or map order in the file.
func TestSaveDeterministic(t *testing.T) {
	dir := t.TempDir()
	m := classifier(t, 1)
	a, b := filepath.Join(dir, "a.keras"), filepath.Join(dir, "b.keras")
	if err := m.Save(a); err != nil {
		t.Fatal(err)
	}
	if err := m.Save(b); err != nil {
		t.Fatal(err)
	}
	da, _ := os.ReadFile(a)
	db, _ := os.ReadFile(b)
	if !bytes.Equal(da, db) {
		t.Error("two saves of the same model differ")
	}
}

// Save replaces an existing file through a temporary one and leaves no
// temporary behind; a failed save keeps the previous file.
func TestSaveAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.keras")
	if err := os.WriteFile(path, []byte("previous"), 0o644); err != nil {
		t.Fatal(err)
	}
	m := classifier(t, 1)
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries after Save, want 1", len(entries))
	}
	if _, err := keras.LoadModel(path); err != nil {
		t.Fatal(err)
	}
	// A directory that does not exist: the save fails and nothing is
	// created.
	if err := m.Save(filepath.Join(dir, "missing", "m.keras")); err == nil {
		t.Error("Save into a missing directory succeeded")
	}
	// Saving over a directory fails at the rename; the directory stays.
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	os.WriteFile(filepath.Join(sub, "keep"), []byte("x"), 0o644)
	if err := m.Save(sub); err == nil {
		t.Error("Save over a non-empty directory succeeded")
	}
	if _, err := os.Stat(filepath.Join(sub, "keep")); err != nil {
		t.Error("failed Save damaged the existing directory")
	}
	entries, _ = os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("failed saves left temporary files: %v", entries)
	}
}

// An uncompiled model, or one whose input shape is unknown, saves and
// loads too.
func TestSaveUncompiledAndUnbuilt(t *testing.T) {
	dir := t.TempDir()
	built := keras.Sequential(layers.Dense(2, layers.InputShape(3)), layers.Dense(1))
	unbuilt := keras.Sequential(layers.Dense(2), layers.Activation("tanh"))
	for i, m := range []*keras.Model{built, unbuilt} {
		path := filepath.Join(dir, fmt.Sprint(i))
		if err := m.Save(path); err != nil {
			t.Fatal(err)
		}
		got, err := keras.LoadModel(path)
		if err != nil {
			t.Fatal(err)
		}
		if !sameWeights(got.GetWeights(), m.GetWeights()) {
			t.Errorf("model %d: weights differ", i)
		}
		if _, err := got.Fit(tensor.New(tensor.WithShape(1, 3), tensor.WithBacking([]float32{1, 2, 3})),
			tensor.New(tensor.WithShape(1, 1), tensor.WithBacking([]float32{1}))); !errors.Is(err, keras.ErrNotCompiled) {
			t.Errorf("model %d: Fit after loading an uncompiled model: %v, want ErrNotCompiled", i, err)
		}
	}
}

// Save a trained model in one place and serve it from another.
func ExampleModel_Save() {
	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	xs := tensor.New(tensor.WithShape(6, 1), tensor.WithBacking([]float32{-1, 0, 1, 2, 3, 4}))
	ys := tensor.New(tensor.WithShape(6, 1), tensor.WithBacking([]float32{-4, 1, 6, 11, 16, 21}))
	model := keras.Sequential(layers.Dense(1, layers.InputShape(1)))
	if err := model.Compile(optimizers.SGD(), losses.MeanSquaredError()); err != nil {
		log.Fatal(err)
	}
	if _, err := model.Fit(xs, ys, keras.Epochs(500), keras.Verbose(0)); err != nil {
		log.Fatal(err)
	}
	path := filepath.Join(dir, "five_x_plus_one.keras")
	if err := model.Save(path); err != nil {
		log.Fatal(err)
	}

	served, err := keras.LoadModel(path)
	if err != nil {
		log.Fatal(err)
	}
	x := tensor.New(tensor.WithShape(1, 1), tensor.WithBacking([]float32{10}))
	before, _ := model.Predict(x)
	after, err := served.Predict(x)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("predict(10) ≈ %.1f, same after loading: %v\n", after.Data().([]float32)[0],
		before.Data().([]float32)[0] == after.Data().([]float32)[0])
	fmt.Println(served.Optimizer().Name(), served.Loss().Name())
	// Output:
	// predict(10) ≈ 51.0, same after loading: true
	// sgd mean_squared_error
}
