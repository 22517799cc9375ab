package keras_test

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gokeras/keras/callbacks"
	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
	"gorgonia.org/tensor"
)

// Each reproduction of issue 17's defects in the keras package returns a
// clear error (or the right numbers), never a panic or garbage.
func TestReliabilityCases(t *testing.T) {
	compiled := func(ls ...layers.Layer) *keras.Model {
		m := keras.Sequential(ls...)
		if err := m.Compile(optimizers.SGD(), losses.MeanSquaredError()); err != nil {
			t.Fatal(err)
		}
		return m
	}
	xs, ys := seq([]int{6, 2}, 1), seq([]int{6, 1}, 1)
	var nilDense *tensor.Dense
	var nilCallback *struct{ callbacks.Base }
	tests := []struct {
		name string
		run  func() error
		want string // "" when the call must succeed
	}{
		{"huge batch predict", func() error {
			_, err := compiled(layers.Dense(1, layers.InputShape(2))).Predict(xs, keras.BatchSize(math.MaxInt))
			return err
		}, ""},
		{"huge batch evaluate", func() error {
			_, err := compiled(layers.Dense(1, layers.InputShape(2))).Evaluate(xs, ys, keras.BatchSize(1<<40), keras.Verbose(0))
			return err
		}, ""},
		{"huge batch fit with validation", func() error {
			_, err := compiled(layers.Dense(1, layers.InputShape(2))).Fit(xs, ys, keras.BatchSize(1<<40), keras.ValidationSplit(0.5), keras.Verbose(0))
			return err
		}, ""},
		{"inf in x", func() error {
			x := seq([]int{6, 2}, 1)
			x.Data().([]float32)[3] = float32(math.Inf(1))
			_, err := compiled(layers.Dense(1, layers.InputShape(2))).Fit(x, ys, keras.Verbose(0))
			return err
		}, "x holds +Inf (sample 1)"},
		{"beyond float32 range", func() error {
			x := tensor.New(tensor.WithShape(1, 2), tensor.WithBacking([]float64{1e39, 0}))
			_, err := compiled(layers.Dense(1, layers.InputShape(2))).Predict(x)
			return err
		}, "beyond float32 range"},
		{"inf in weights", func() error {
			m := compiled(layers.Dense(1, layers.InputShape(2)))
			ws := m.GetWeights()
			ws[0].Data().([]float32)[0] = float32(math.Inf(-1))
			return m.SetWeights(ws)
		}, "-Inf"},
		{"validation split NaN", func() error {
			_, err := compiled(layers.Dense(1, layers.InputShape(2))).Fit(xs, ys, keras.ValidationSplit(math.NaN()), keras.Verbose(0))
			return err
		}, "validation_split must be in [0, 1)"},
		{"typed nil x", func() error {
			_, err := compiled(layers.Dense(1, layers.InputShape(2))).Predict(nilDense)
			return err
		}, "x is nil"},
		{"nil callback", func() error {
			_, err := compiled(layers.Dense(1, layers.InputShape(2))).Fit(xs, ys, keras.Callbacks(nil), keras.Verbose(0))
			return err
		}, "callback 0 is nil"},
		{"typed nil callback", func() error {
			_, err := compiled(layers.Dense(1, layers.InputShape(2))).Fit(xs, ys, keras.Callbacks(nilCallback), keras.Verbose(0))
			return err
		}, "callback 0 (*struct { callbacks.Base }) is nil"},
		{"duplicate layer names", func() error {
			_, err := compiled(layers.Dense(2, layers.Name("d"), layers.InputShape(2)), layers.Dense(1, layers.Name("d"))).Predict(xs)
			return err
		}, `layer name "d" is used by two layers`},
		{"input shape -1", func() error {
			_, err := compiled(layers.Dense(1, layers.InputShape(-1))).Predict(xs)
			return err
		}, "dimension 0 is -1"},
		{"huge dense", func() error {
			_, err := compiled(layers.Dense(1<<31, layers.InputShape(1<<31))).Predict(xs)
			return err
		}, "values"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.run()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("unexpected error %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			case errors.Is(err, keras.ErrEngine):
				t.Fatalf("an engine failure leaked: %v", err)
			}
		})
	}
}

// Sparse labels that overflow an int are out-of-range labels like any
// other.
func TestSparseLabelOverflow(t *testing.T) {
	for _, v := range []float64{math.Inf(1), 1e20, 1e300, math.MaxInt64} {
		m := keras.Sequential(layers.Dense(3, layers.InputShape(2)))
		if err := m.Compile(optimizers.SGD(), losses.SparseCategoricalCrossentropy(losses.FromLogits(true))); err != nil {
			t.Fatal(err)
		}
		y := tensor.New(tensor.WithShape(2), tensor.WithBacking([]float64{0, v}))
		_, err := m.Fit(seq([]int{2, 2}, 1), y, keras.Verbose(0))
		if err == nil || !strings.Contains(err.Error(), "out of range") || errors.Is(err, keras.ErrEngine) {
			t.Errorf("label %v: error %v", v, err)
		}
	}
}

// SetWeights never writes into the tensors it is given, even a lazily
// transposed view (whose Reshape transposes its backing in place).
func TestSetWeightsLeavesCallerTensor(t *testing.T) {
	m := keras.Sequential(layers.Dense(2, layers.InputShape(3), layers.UseBias(false)))
	k := tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float32{1, 2, 3, 4, 5, 6}))
	if err := k.T(); err != nil {
		t.Fatal(err)
	}
	before, _ := k.At(0, 1)
	if err := m.SetWeights([]*tensor.Dense{k}); err != nil {
		t.Fatal(err)
	}
	after, _ := k.At(0, 1)
	if before != after {
		t.Fatalf("caller's At(0, 1) went from %v to %v", before, after)
	}
	got := m.GetWeights()[0].Data().([]float32)
	want := []float32{1, 4, 2, 5, 3, 6} // the transpose, row by row
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("kernel %v, want %v", got, want)
		}
	}
}

// The same layer instance twice in one Sequential is one shared layer
// called twice: its weights once, both calls computing with them.
func TestRepeatedLayerShares(t *testing.T) {
	d := layers.Dense(2, layers.UseBias(false))
	m := keras.Sequential(keras.Input(2), d, d)
	ws := m.GetWeights()
	if len(ws) != 1 {
		t.Fatalf("%d weights, want 1", len(ws))
	}
	k := []float32{1, 2, 3, 4}
	if err := m.SetWeights([]*tensor.Dense{f32([]int{2, 2}, k...)}); err != nil {
		t.Fatal(err)
	}
	out, err := m.Predict(f32([]int{1, 2}, 1, 1))
	if err != nil {
		t.Fatal(err)
	}
	// [1 1]·K = [4 6]; [4 6]·K = [22 32].
	if got := out.Data().([]float32); got[0] != 22 || got[1] != 32 {
		t.Fatalf("got %v, want [22 32]", got)
	}
}

// Every exported method of Model, called with plain arguments on hostile
// models (no layers, impossible shapes, huge layers, uncompiled), returns
// without panicking.
func TestNoMethodPanics(t *testing.T) {
	hostile := map[string]func() *keras.Model{
		"empty":          func() *keras.Model { return keras.Sequential() },
		"input -3":       func() *keras.Model { return keras.Sequential(keras.Input(-3), layers.Dense(1)) },
		"input shape -1": func() *keras.Model { return keras.Sequential(layers.Dense(1, layers.InputShape(-1))) },
		"zero dim":       func() *keras.Model { return keras.Sequential(layers.Dense(1, layers.InputShape(0))) },
		"huge":           func() *keras.Model { return keras.Sequential(layers.Dense(1<<31, layers.InputShape(1<<31))) },
		"no input shape": func() *keras.Model { return keras.Sequential(layers.Dense(2)) },
		"compiled empty": func() *keras.Model {
			m := keras.Sequential()
			m.Compile(optimizers.Adam(), losses.MeanSquaredError())
			return m
		},
	}
	dir := t.TempDir()
	for name, make := range hostile {
		typ := reflect.TypeOf(make())
		for i := 0; i < typ.NumMethod(); i++ {
			meth := typ.Method(i)
			t.Run(name+"/"+meth.Name, func(t *testing.T) {
				m := make()
				args := []reflect.Value{reflect.ValueOf(m)}
				for j := 1; j < meth.Type.NumIn(); j++ {
					if meth.Type.IsVariadic() && j == meth.Type.NumIn()-1 {
						break
					}
					args = append(args, argFor(meth.Type.In(j), filepath.Join(dir, name+meth.Name)))
				}
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("%s panicked: %v", meth.Name, r)
					}
				}()
				meth.Func.Call(args)
			})
		}
	}
}

// argFor returns a plain argument of type t for TestNoMethodPanics.
func argFor(t reflect.Type, path string) reflect.Value {
	switch t {
	case reflect.TypeOf(""):
		return reflect.ValueOf(path)
	case reflect.TypeOf((*tensor.Tensor)(nil)).Elem():
		return reflect.ValueOf(tensor.Tensor(seq([]int{2, 3}, 1)))
	case reflect.TypeOf((*context.Context)(nil)).Elem():
		return reflect.ValueOf(context.Background())
	case reflect.TypeOf((*optimizers.Optimizer)(nil)).Elem():
		return reflect.ValueOf(optimizers.SGD())
	case reflect.TypeOf((*losses.Loss)(nil)).Elem():
		return reflect.ValueOf(losses.MeanSquaredError())
	case reflect.TypeOf((*layers.Layer)(nil)).Elem():
		return reflect.ValueOf(layers.Layer(layers.Dense(1)))
	}
	return reflect.Zero(t)
}
