package optimizers

import (
	"math"
	"testing"

	"gorgonia.org/tensor"
)

// refAdadelta is Keras 3's Adadelta rule (keras/src/optimizers/adadelta.py).
type refAdadelta struct {
	rho, eps float64
	ag, ad   map[int][]float64
}

func (r *refAdadelta) update(i, t int, lr float64, w, g []float64) {
	if r.ag == nil {
		r.ag, r.ad = map[int][]float64{}, map[int][]float64{}
	}
	if r.ag[i] == nil {
		r.ag[i], r.ad[i] = make([]float64, len(w)), make([]float64, len(w))
	}
	ag, ad := r.ag[i], r.ad[i]
	for j := range w {
		ag[j] = r.rho*ag[j] + (1-r.rho)*g[j]*g[j]
		d := -math.Sqrt(ad[j]+r.eps) * g[j] / math.Sqrt(ag[j]+r.eps)
		ad[j] = r.rho*ad[j] + (1-r.rho)*d*d
		w[j] += lr * d
	}
}

func TestAdadeltaTrajectory(t *testing.T) {
	runTrajectories(t, []trajCase{
		{"defaults", func() Optimizer { return Adadelta() },
			func() *refOpt { return &refOpt{lr: 0.001, rule: &refAdadelta{rho: 0.95, eps: 1e-7}} }},
		{"paper_form", func() Optimizer { return Adadelta(LearningRate(1), Rho(0.9), Epsilon(1e-6)) },
			func() *refOpt { return &refOpt{lr: 1, rule: &refAdadelta{rho: 0.9, eps: 1e-6}} }},
	})
}

func TestAdadeltaHandComputed(t *testing.T) {
	// learning_rate 1, rho 0.95, w = 0, g = 1, one step:
	// ag = 0.05*1 = 0.05, d = -sqrt(0 + 1e-7)*1/sqrt(0.05 + 1e-7)
	// = -3.16227766e-4/0.223607 = -0.00141421215, w = 0 + d.
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		got := stepOnce(t, Adadelta(LearningRate(1)), dt, []float64{0}, []float64{1})
		assertClose(t, "adadelta first step "+dt.String(), got, []float64{-0.00141421215}, 1e-7)
	}
}

// TestAdadeltaKeras checks the values of keras/src/optimizers/adadelta_test.py.
func TestAdadeltaKeras(t *testing.T) {
	// test_single_step: Adadelta(learning_rate=0.5)
	runSingleStep(t, Adadelta(LearningRate(0.5)), []float64{0.9993, 1.9993, 2.9993, 3.9993})
	// test_correctness_with_golden: Adadelta(learning_rate=1.0, rho=0.8, epsilon=1e-6)
	runGolden(t, func() Optimizer { return Adadelta(LearningRate(1), Rho(0.8), Epsilon(1e-6)) },
		tile(0.9978, 0.9947, 0.9915, 0.9882, 0.9849))
}
