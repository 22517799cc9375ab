package keras_test

import (
	"testing"

	"github.com/gokeras/keras/keras"
	"gorgonia.org/tensor"
)

// PredictInto writes Predict's numbers into dst, bit for bit, for every
// batch size (a last partial batch included), and refuses a dst of the
// wrong shape or type.
func TestPredictInto(t *testing.T) {
	model := mlp(t)
	x := seq([]int{37, 20}, 1.5)
	for _, batch := range []int{1, 8, 32, 64} {
		want, err := model.Predict(x, keras.BatchSize(batch))
		if err != nil {
			t.Fatal(err)
		}
		dst := tensor.New(tensor.WithShape(37, 4), tensor.WithBacking(make([]float32, 37*4)))
		if err := model.PredictInto(dst, x, keras.BatchSize(batch)); err != nil {
			t.Fatal(err)
		}
		if !equal32(dst, want) {
			t.Fatalf("batch %d: PredictInto differs from Predict", batch)
		}
	}
	for name, dst := range map[string]*tensor.Dense{
		"rows":    tensor.New(tensor.WithShape(36, 4), tensor.WithBacking(make([]float32, 36*4))),
		"outputs": tensor.New(tensor.WithShape(37, 3), tensor.WithBacking(make([]float32, 37*3))),
		"dtype":   tensor.New(tensor.WithShape(37, 4), tensor.WithBacking(make([]float64, 37*4))),
		"nil":     nil,
	} {
		if err := model.PredictInto(dst, x); err == nil {
			t.Errorf("%s: PredictInto accepted a wrong dst", name)
		}
	}
}

// After the first call, PredictInto of one sample of the model's type
// allocates nothing (the target for serving).
func TestPredictIntoAllocs(t *testing.T) {
	model := mlp(t)
	x := seq([]int{1, 20}, 1)
	dst := tensor.New(tensor.WithShape(1, 4), tensor.WithBacking(make([]float32, 4)))
	if err := model.PredictInto(dst, x); err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(100, func() {
		if err := model.PredictInto(dst, x); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("PredictInto of one sample allocates %v times a call, want 0", allocs)
	}
}

// BenchmarkPredictInto1 is the latency of one sample written into a
// buffer the caller keeps.
func BenchmarkPredictInto1(b *testing.B) {
	model := mlp(b)
	x := seq([]int{1, 20}, 1)
	dst := tensor.New(tensor.WithShape(1, 4), tensor.WithBacking(make([]float32, 4)))
	if err := model.PredictInto(dst, x); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := model.PredictInto(dst, x); err != nil {
			b.Fatal(err)
		}
	}
}
