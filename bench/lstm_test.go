package bench

import (
	"math/rand/v2"
	"testing"

	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
	"gorgonia.org/tensor"
)

// BenchmarkLSTMEpoch is issue 11's recurrent workload: one epoch of
// LSTM(64) then Dense(1) on 10,000 sequences of 50 steps of 8 features,
// batch 64, Adam, mean squared error, float32. peers/lstm_torch.py is
// the same in PyTorch.
func BenchmarkLSTMEpoch(b *testing.B) {
	const n, steps, features = 10000, 50, 8
	r := rand.New(rand.NewPCG(1, 2))
	xs := make([]float32, n*steps*features)
	for i := range xs {
		xs[i] = float32(r.NormFloat64())
	}
	ys := make([]float32, n)
	for i := range ys {
		ys[i] = xs[i*steps*features] // a target the model can learn
	}
	x := tensor.New(tensor.WithShape(n, steps, features), tensor.WithBacking(xs))
	y := tensor.New(tensor.WithShape(n, 1), tensor.WithBacking(ys))
	m := keras.Sequential(keras.Input(steps, features), layers.LSTM(64), layers.Dense(1))
	if err := m.Compile(optimizers.Adam(), losses.MeanSquaredError(), keras.Seed(1)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := m.Fit(x, y, keras.Epochs(1), keras.BatchSize(64), keras.Verbose(0)); err != nil {
			b.Fatal(err)
		}
	}
}
