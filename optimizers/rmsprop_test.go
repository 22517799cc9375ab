package optimizers

import (
	"errors"
	"math"
	"testing"

	"gorgonia.org/tensor"
)

// refRMSprop is Keras's documented RMSprop rule (REFERENCE.md "RMSprop";
// centered and momentum from keras/src/optimizers/rmsprop.py).
type refRMSprop struct {
	rho, momentum, eps float64
	centered           bool
	v, m, a            map[int][]float64
}

func (r *refRMSprop) update(i, t int, lr float64, w, g []float64) {
	if r.v == nil {
		r.v, r.m, r.a = map[int][]float64{}, map[int][]float64{}, map[int][]float64{}
	}
	if r.v[i] == nil {
		r.v[i], r.m[i], r.a[i] = make([]float64, len(w)), make([]float64, len(w)), make([]float64, len(w))
	}
	v, m, a := r.v[i], r.m[i], r.a[i]
	for j := range w {
		v[j] = r.rho*v[j] + (1-r.rho)*g[j]*g[j]
		den := v[j] + r.eps
		if r.centered {
			a[j] = r.rho*a[j] + (1-r.rho)*g[j]
			den = v[j] - a[j]*a[j] + r.eps
		}
		inc := lr * g[j] / math.Sqrt(den)
		if r.momentum > 0 {
			m[j] = r.momentum*m[j] + inc
			w[j] -= m[j]
		} else {
			w[j] -= inc
		}
	}
}

func TestRMSpropTrajectory(t *testing.T) {
	runTrajectories(t, []trajCase{
		{"defaults", func() Optimizer { return RMSprop() },
			func() *refOpt { return &refOpt{lr: 0.001, rule: &refRMSprop{rho: 0.9, eps: 1e-7}} }},
		{"momentum", func() Optimizer { return RMSprop(LearningRate(0.01), Momentum(0.5)) },
			func() *refOpt { return &refOpt{lr: 0.01, rule: &refRMSprop{rho: 0.9, momentum: 0.5, eps: 1e-7}} }},
		{"centered", func() Optimizer { return RMSprop(LearningRate(0.01), Centered(true), Rho(0.8), Epsilon(1e-4)) },
			func() *refOpt { return &refOpt{lr: 0.01, rule: &refRMSprop{rho: 0.8, eps: 1e-4, centered: true}} }},
		{"centered_momentum_globalclip", func() Optimizer {
			return RMSprop(LearningRate(0.01), Centered(true), Momentum(0.9), GlobalClipNorm(2))
		}, func() *refOpt {
			return &refOpt{lr: 0.01, globClip: 2, rule: &refRMSprop{rho: 0.9, momentum: 0.9, eps: 1e-7, centered: true}}
		}},
	})
}

func TestRMSpropHandComputed(t *testing.T) {
	// The Keras RMSprop docstring example: learning_rate 0.1, var 10, loss
	// var^2/2 so g = 10: v = 0.1*100 = 10, w = 10 - 0.1*10/sqrt(10 + 1e-7)
	// = 10 - 0.316227764 = 9.683772.
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		got := stepOnce(t, RMSprop(LearningRate(0.1)), dt, []float64{10}, []float64{10})
		assertClose(t, "rmsprop docstring "+dt.String(), got, []float64{9.683772235}, 1e-7)
	}
}

// TestRMSpropKeras checks the values of keras/src/optimizers/rmsprop_test.py.
func TestRMSpropKeras(t *testing.T) {
	// test_single_step: RMSprop(learning_rate=0.5)
	runSingleStep(t, RMSprop(LearningRate(0.5)), []float64{-0.5811, 0.4189, 1.4189, 2.4189})
	// test_correctness_with_golden: RMSprop(centered=True)
	runGolden(t, func() Optimizer { return RMSprop(Centered(true)) }, tile(0.9967, 0.9933, 0.9908, 0.9885, 0.9864))
	// test_rho_rejects_out_of_range_values and friends: rho and momentum
	// in [0, 1], epsilon > 0.
	for _, o := range []Option{Rho(-0.1), Rho(1.1), Momentum(-0.1), Momentum(1.1), Epsilon(0), Epsilon(-1e-7)} {
		p := newDense(tensor.Float32, []int{1}, []float64{1})
		if err := RMSprop(o).Build([]*tensor.Dense{p}); !errors.Is(err, ErrInvalidOption) {
			t.Errorf("RMSprop with %+v: Build error %v, want ErrInvalidOption", RMSprop(o).Config(), err)
		}
	}
	for _, o := range []Option{Rho(0), Rho(1), Momentum(0), Momentum(1), Epsilon(1e-12)} {
		p := newDense(tensor.Float32, []int{1}, []float64{1})
		if err := RMSprop(o).Build([]*tensor.Dense{p}); err != nil {
			t.Errorf("RMSprop boundary value: %v", err)
		}
	}
}
