package layers_test

import (
	"path/filepath"
	"testing"

	"gorgonia.org/tensor"

	"github.com/gokeras/keras/keras"
)

// panicOf runs f and returns what it panicked with, nil when it
// returned.
func panicOf(f func()) (r any) {
	defer func() { r = recover() }()
	f()
	return nil
}

// tensorOf returns a float64 tensor of the shape holding a copy of v.
func tensorOf(v []float64, shape ...int) *tensor.Dense {
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float64(nil), v...)))
}

// predictReloaded saves m to a .keras file, loads it with
// keras.LoadModel and returns the loaded model, and m's and its
// predictions of x.
func predictReloaded(t *testing.T, m *keras.Model, x *tensor.Dense) (back *keras.Model, before, after *tensor.Dense) {
	t.Helper()
	before, err := m.Predict(x)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "model.keras")
	if err := m.Save(path); err != nil {
		t.Fatal(err)
	}
	if back, err = keras.LoadModel(path); err != nil {
		t.Fatal(err)
	}
	if after, err = back.Predict(x); err != nil {
		t.Fatal(err)
	}
	return back, before, after
}
