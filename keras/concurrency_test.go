package keras_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/gokeras/keras/callbacks"
	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
	"gorgonia.org/tensor"
)

func mlp(t testing.TB) *keras.Model {
	model := keras.Sequential(keras.Input(20), layers.Dense(16, layers.Activation("relu")), layers.Dense(4, layers.Activation("softmax")))
	if err := model.Compile(optimizers.Adam(), losses.CategoricalCrossentropy()); err != nil {
		t.Fatal(err)
	}
	return model
}

// Predict from 8 goroutines on one model gives every goroutine the
// serial run's numbers (run it with -race).
func TestConcurrentPredict(t *testing.T) {
	model := mlp(t)
	inputs := make([]*tensor.Dense, 8)
	want := make([]*tensor.Dense, 8)
	for i := range inputs {
		inputs[i] = seq([]int{5 + 7*i, 20}, float64(i+1))
		var err error
		if want[i], err = model.Predict(inputs[i], keras.BatchSize(8)); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for rep := 0; rep < 20; rep++ {
				i := (g + rep) % 8
				got, err := model.Predict(inputs[i], keras.BatchSize(8))
				if err != nil {
					errs[g] = err
					return
				}
				if !equal32(got, want[i]) {
					errs[g] = errors.New("a concurrent prediction differs from the serial one")
					return
				}
			}
		}(g)
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// Predict is refused with ErrBusy while Fit runs (here from a callback of
// that Fit).
func TestPredictDuringFit(t *testing.T) {
	model := mlp(t)
	xs := seq([]int{16, 20}, 1)
	ys := tensor.New(tensor.WithShape(16, 4), tensor.WithBacking(make([]float32, 64)))
	var got error
	cb := &predictingCallback{model: model, x: xs, err: &got}
	if _, err := model.Fit(xs, ys, keras.Epochs(1), keras.Verbose(0), keras.Callbacks(cb)); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(got, keras.ErrBusy) {
		t.Fatalf("Predict during Fit: %v, want ErrBusy", got)
	}
}

// BenchmarkPredictConcurrent reports the throughput of 1 and 2
// goroutines predicting on one model (samples per second).
func BenchmarkPredictConcurrent(b *testing.B) {
	for _, g := range []int{1, 2} {
		b.Run(map[int]string{1: "goroutines=1", 2: "goroutines=2"}[g], func(b *testing.B) {
			model := mlp(b)
			x := seq([]int{256, 20}, 1)
			if _, err := model.Predict(x); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			var wg sync.WaitGroup
			per := b.N/g + 1
			for i := 0; i < g; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for j := 0; j < per; j++ {
						if _, err := model.Predict(x); err != nil {
							b.Error(err)
							return
						}
					}
				}()
			}
			wg.Wait()
			b.ReportMetric(float64(per*g*256)/b.Elapsed().Seconds(), "samples/s")
		})
	}
}

type predictingCallback struct {
	callbacks.Base
	model *keras.Model
	x     *tensor.Dense
	err   *error
}

func (c *predictingCallback) OnEpochEnd(int, callbacks.Logs) error {
	_, *c.err = c.model.Predict(c.x)
	return nil
}

// InputShape may be asked while a first Predict builds the model from its
// input (run it with -race): it is nil or the built shape, never torn.
func TestInputShapeDuringFirstPredict(t *testing.T) {
	for range 20 {
		model := keras.Sequential(layers.Dense(3))
		var wg sync.WaitGroup
		wg.Go(func() {
			if _, err := model.Predict(seq([]int{2, 5}, 1)); err != nil {
				t.Error(err)
			}
		})
		for range 100 {
			if in := model.InputShape(); in != nil && (len(in) != 1 || in[0] != 5) {
				t.Fatalf("InputShape() = %v during the build, want nil or [5]", in)
			}
		}
		wg.Wait()
		if in := model.InputShape(); len(in) != 1 || in[0] != 5 {
			t.Fatalf("InputShape() = %v after Predict, want [5]", in)
		}
	}
}
