package optimizers

import (
	"math"
	"testing"

	"gorgonia.org/tensor"
)

// refAdamax is Keras's documented Adamax rule (keras/src/optimizers/adamax.py
// docstring).
type refAdamax struct {
	b1, b2, eps float64
	m, u        map[int][]float64
}

func (r *refAdamax) update(i, t int, lr float64, w, g []float64) {
	if r.m == nil {
		r.m, r.u = map[int][]float64{}, map[int][]float64{}
	}
	if r.m[i] == nil {
		r.m[i], r.u[i] = make([]float64, len(w)), make([]float64, len(w))
	}
	m, u := r.m[i], r.u[i]
	for j := range w {
		m[j] = r.b1*m[j] + (1-r.b1)*g[j]
		u[j] = math.Max(r.b2*u[j], math.Abs(g[j]))
		w[j] -= lr / (1 - pow(r.b1, float64(t))) * m[j] / (u[j] + r.eps)
	}
}

func TestAdamaxTrajectory(t *testing.T) {
	runTrajectories(t, []trajCase{
		{"defaults", func() Optimizer { return Adamax() },
			func() *refOpt { return &refOpt{lr: 0.001, rule: &refAdamax{b1: 0.9, b2: 0.999, eps: 1e-7}} }},
		{"options", func() Optimizer { return Adamax(LearningRate(0.02), Beta1(0.85), Beta2(0.95), Epsilon(1e-6)) },
			func() *refOpt { return &refOpt{lr: 0.02, rule: &refAdamax{b1: 0.85, b2: 0.95, eps: 1e-6}} }},
	})
}

func TestAdamaxHandComputed(t *testing.T) {
	// Adamax defaults, w = 1, g = -3, one step: m = 0.1*(-3) = -0.3,
	// u = max(0, 3) = 3, w = 1 - 0.001*(-0.3)/((1 - 0.9)*(3 + 1e-7))
	// = 1 + 0.000999999967 = 1.000999999967.
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		got := stepOnce(t, Adamax(), dt, []float64{1}, []float64{-3})
		assertClose(t, "adamax first step "+dt.String(), got, []float64{1.000999999967}, 1e-7)
	}
}

// TestAdamaxKeras checks the values of keras/src/optimizers/adamax_test.py.
func TestAdamaxKeras(t *testing.T) {
	// test_single_step: Adamax(learning_rate=0.5)
	runSingleStep(t, Adamax(LearningRate(0.5)), []float64{0.5, 1.5, 2.5, 3.5})
	// test_correctness_with_golden: Adamax(learning_rate=0.2, beta_1=0.85, beta_2=0.95, epsilon=1e-6)
	runGolden(t, func() Optimizer { return Adamax(LearningRate(0.2), Beta1(0.85), Beta2(0.95), Epsilon(1e-6)) }, [][]float64{
		{0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8},
		{0.6827, 0.6873, 0.6888, 0.6896, 0.6901, 0.6904, 0.6906, 0.6908, 0.6909, 0.691},
		{0.5333, 0.5407, 0.5431, 0.5444, 0.5451, 0.5456, 0.546, 0.5462, 0.5464, 0.5466},
		{0.368, 0.3773, 0.3804, 0.382, 0.3829, 0.3835, 0.384, 0.3843, 0.3846, 0.3848},
		{0.1933, 0.204, 0.2076, 0.2094, 0.2105, 0.2112, 0.2117, 0.2121, 0.2124, 0.2126},
	})
}
