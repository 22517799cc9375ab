package keras_test

import (
	"math"
	"testing"

	"github.com/gokeras/keras/callbacks"
	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
	"gorgonia.org/tensor"
)

// rule is an independent float64 implementation of one of Keras's update
// rules (../shared/REFERENCE.md, "Optimizers"), applied to all weights
// flattened into one vector.
type rule func(w, g []float64, t int)

func sgdMomentum(lr, mom float64, nesterov bool) func() rule {
	return func() rule {
		var m []float64
		return func(w, g []float64, _ int) {
			if m == nil {
				m = make([]float64, len(w))
			}
			for i := range w {
				m[i] = mom*m[i] - lr*g[i]
				if nesterov {
					w[i] += mom*m[i] - lr*g[i]
				} else {
					w[i] += m[i]
				}
			}
		}
	}
}

func adam(lr, b1, b2, eps float64) func() rule {
	return func() rule {
		var m, v []float64
		return func(w, g []float64, t int) {
			if m == nil {
				m, v = make([]float64, len(w)), make([]float64, len(w))
			}
			alpha := lr * math.Sqrt(1-math.Pow(b2, float64(t))) / (1 - math.Pow(b1, float64(t)))
			for i := range w {
				m[i] += (g[i] - m[i]) * (1 - b1)
				v[i] += (g[i]*g[i] - v[i]) * (1 - b2)
				w[i] -= alpha * m[i] / (math.Sqrt(v[i]) + eps)
			}
		}
	}
}

func rmsprop(lr, rho, eps float64) func() rule {
	return func() rule {
		var v []float64
		return func(w, g []float64, _ int) {
			if v == nil {
				v = make([]float64, len(w))
			}
			for i := range w {
				v[i] = rho*v[i] + (1-rho)*g[i]*g[i]
				w[i] -= lr * g[i] / math.Sqrt(v[i]+eps)
			}
		}
	}
}

func adagrad(lr, init, eps float64) func() rule {
	return func() rule {
		var a []float64
		return func(w, g []float64, _ int) {
			if a == nil {
				a = make([]float64, len(w))
				for i := range a {
					a[i] = init
				}
			}
			for i := range w {
				a[i] += g[i] * g[i]
				w[i] -= lr * g[i] / math.Sqrt(a[i]+eps)
			}
		}
	}
}

// epochWeights records the weights at the end of every epoch.
type epochWeights struct {
	callbacks.Base
	got [][]float64
}

func (e *epochWeights) OnEpochEnd(int, callbacks.Logs) error {
	var flat []float64
	for _, w := range e.Model.GetWeights() {
		for _, v := range w.Data().([]float32) {
			flat = append(flat, float64(v))
		}
	}
	e.got = append(e.got, flat)
	return nil
}

// A linear model y = x·k + b on MSE, trained full-batch from set weights,
// follows each optimizer's Keras rule to 1e-5 over 20 steps. The reference
// gradient of the mean squared error is (2/n)·Σ (x·k + b - y)·[x, 1].
func TestOptimizerTrajectories(t *testing.T) {
	xs := []float64{-1, 0, 1, 2}
	ys := []float64{-2, 1, 3, 7}
	tests := []struct {
		name string
		opt  optimizers.Optimizer
		rule func() rule
	}{
		{"sgd", optimizers.SGD(optimizers.LearningRate(0.05)), sgdMomentum(0.05, 0, false)},
		{"sgd momentum", optimizers.SGD(optimizers.LearningRate(0.05), optimizers.Momentum(0.9)), sgdMomentum(0.05, 0.9, false)},
		{"sgd nesterov", optimizers.SGD(optimizers.LearningRate(0.05), optimizers.Momentum(0.9), optimizers.Nesterov(true)), sgdMomentum(0.05, 0.9, true)},
		{"adam", optimizers.Adam(optimizers.LearningRate(0.1)), adam(0.1, 0.9, 0.999, 1e-7)},
		{"rmsprop", optimizers.RMSprop(optimizers.LearningRate(0.05)), rmsprop(0.05, 0.9, 1e-7)},
		{"adagrad", optimizers.Adagrad(optimizers.LearningRate(0.5)), adagrad(0.5, 0.1, 1e-7)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := keras.Sequential(layers.Dense(1, layers.InputShape(1)))
			if err := m.SetWeights([]*tensor.Dense{f32([]int{1, 1}, 0.5), f32([]int{1}, -0.25)}); err != nil {
				t.Fatal(err)
			}
			if err := m.Compile(tc.opt, losses.MeanSquaredError()); err != nil {
				t.Fatal(err)
			}
			rec := &epochWeights{}
			x := f32([]int{4, 1}, -1, 0, 1, 2)
			y := f32([]int{4, 1}, -2, 1, 3, 7)
			if _, err := m.Fit(x, y, keras.Epochs(20), keras.BatchSize(4), keras.Shuffle(false), keras.Verbose(0), keras.Callbacks(rec)); err != nil {
				t.Fatal(err)
			}
			w := []float64{0.5, -0.25}
			step := tc.rule()
			for epoch := 1; epoch <= 20; epoch++ {
				g := make([]float64, 2)
				for i := range xs {
					r := w[0]*xs[i] + w[1] - ys[i]
					g[0] += 2 * r * xs[i] / float64(len(xs))
					g[1] += 2 * r / float64(len(xs))
				}
				step(w, g, epoch)
				for i := range w {
					if d := math.Abs(rec.got[epoch-1][i] - w[i]); d > 1e-5*math.Max(1, math.Abs(w[i])) {
						t.Fatalf("epoch %d weight %d = %.7f, Keras's rule gives %.7f", epoch, i, rec.got[epoch-1][i], w[i])
					}
				}
			}
		})
	}
}
