package keras_test

import (
	"math"
	"strings"
	"testing"

	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
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

// An x read in place is checked batch by batch: a NaN or an infinity in
// a later batch is refused with the sample named, as in the first, and
// finite values whose sum overflows float32 are accepted.
func TestPredictChecksEveryBatch(t *testing.T) {
	model := mlp(t)
	for _, tc := range []struct {
		at   int
		v    float32
		want string
	}{
		{3, float32(math.NaN()), "sample 0"},
		{40*20 + 7, float32(math.Inf(1)), "sample 40"},
		{99*20 + 19, float32(math.Inf(-1)), "sample 99"},
	} {
		x := seq([]int{100, 20}, 1)
		x.Data().([]float32)[tc.at] = tc.v
		if _, err := model.Predict(x); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Predict with %v at %d: %v, want an error naming %s", tc.v, tc.at, err, tc.want)
		}
		dst := tensor.New(tensor.WithShape(100, 4), tensor.WithBacking(make([]float32, 400)))
		if err := model.PredictInto(dst, x); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("PredictInto with %v at %d: %v, want an error naming %s", tc.v, tc.at, err, tc.want)
		}
	}
	big := seq([]int{40, 20}, 1)
	for i := range big.Data().([]float32) {
		big.Data().([]float32)[i] = 3e38
	}
	if _, err := model.Predict(big); err != nil {
		t.Errorf("Predict of finite values whose sum overflows: %v", err)
	}
}

// Batches of 8192 values or more are read where they lie
// (predictInPlace), smaller ones copied: both give the float64
// computation's outputs, row for row, and a NaN in a batch read in place
// is refused with its sample named.
func TestPredictInPlace(t *testing.T) {
	const in, n = 300, 70 // batch 32: two batches read in place, a tail of 6 copied
	model := keras.Sequential(keras.Input(in), layers.Dense(8, layers.Activation("relu")), layers.Dense(3, layers.Activation("softmax")))
	if err := model.Compile(optimizers.SGD(), losses.CategoricalCrossentropy(), keras.Seed(3)); err != nil {
		t.Fatal(err)
	}
	x := seq([]int{n, in}, 0.7)
	got, err := model.Predict(x)
	if err != nil {
		t.Fatal(err)
	}
	ws := model.GetWeights()
	w1, b1, w2, b2 := ws[0].Data().([]float32), ws[1].Data().([]float32), ws[2].Data().([]float32), ws[3].Data().([]float32)
	xs, out := x.Data().([]float32), got.Data().([]float32)
	for s := 0; s < n; s++ {
		h := make([]float64, 8)
		for u := range h {
			z := float64(b1[u])
			for f := 0; f < in; f++ {
				z += float64(xs[s*in+f]) * float64(w1[f*8+u])
			}
			h[u] = math.Max(z, 0)
		}
		z := make([]float64, 3)
		sum := 0.0
		for c := range z {
			z[c] = float64(b2[c])
			for u := range h {
				z[c] += h[u] * float64(w2[u*3+c])
			}
		}
		m := math.Max(z[0], math.Max(z[1], z[2]))
		for c := range z {
			z[c] = math.Exp(z[c] - m)
			sum += z[c]
		}
		for c := range z {
			if d := math.Abs(float64(out[s*3+c]) - z[c]/sum); d > 1e-5 {
				t.Fatalf("sample %d class %d: %v, float64 %v", s, c, out[s*3+c], z[c]/sum)
			}
		}
	}
	xs[45*in+17] = float32(math.NaN())
	if _, err := model.Predict(x); err == nil || !strings.Contains(err.Error(), "sample 45") {
		t.Fatalf("Predict with a NaN in sample 45: %v", err)
	}
}
