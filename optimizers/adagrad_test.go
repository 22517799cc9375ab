package optimizers

import (
	"math"
	"testing"

	"gorgonia.org/tensor"
)

// refAdagrad is Keras's documented Adagrad rule (REFERENCE.md "Adagrad").
type refAdagrad struct {
	init, eps float64
	a         map[int][]float64
}

func (r *refAdagrad) update(i, t int, lr float64, w, g []float64) {
	if r.a == nil {
		r.a = map[int][]float64{}
	}
	if r.a[i] == nil {
		r.a[i] = full(len(w), r.init)
	}
	a := r.a[i]
	for j := range w {
		a[j] += g[j] * g[j]
		w[j] -= lr * g[j] / math.Sqrt(a[j]+r.eps)
	}
}

func TestAdagradTrajectory(t *testing.T) {
	runTrajectories(t, []trajCase{
		{"defaults", func() Optimizer { return Adagrad() },
			func() *refOpt { return &refOpt{lr: 0.001, rule: &refAdagrad{init: 0.1, eps: 1e-7}} }},
		{"options", func() Optimizer {
			return Adagrad(LearningRate(0.1), InitialAccumulatorValue(0.5), Epsilon(1e-4), ClipNorm(1))
		}, func() *refOpt { return &refOpt{lr: 0.1, clipNorm: 1, rule: &refAdagrad{init: 0.5, eps: 1e-4}} }},
	})
}

func TestAdagradHandComputed(t *testing.T) {
	// learning_rate 0.1, w = 1, g = 1, accumulator starting at 0.1:
	// a = 0.1 + 1 = 1.1, w = 1 - 0.1*1/sqrt(1.1 + 1e-7) = 1 - 0.0953462546 = 0.9046537454
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		got := stepOnce(t, Adagrad(LearningRate(0.1)), dt, []float64{1}, []float64{1})
		assertClose(t, "adagrad first step "+dt.String(), got, []float64{0.9046537454}, 1e-7)
	}
}

// TestAdagradKeras checks the values of keras/src/optimizers/adagrad_test.py.
func TestAdagradKeras(t *testing.T) {
	// test_single_step: Adagrad(learning_rate=0.5)
	runSingleStep(t, Adagrad(LearningRate(0.5)), []float64{0.5233, 1.5007, 2.5005, 3.5061})
	// test_correctness_with_golden: Adagrad(learning_rate=0.2, initial_accumulator_value=0.3, epsilon=1e-6)
	runGolden(t, func() Optimizer { return Adagrad(LearningRate(0.2), InitialAccumulatorValue(0.3), Epsilon(1e-6)) }, [][]float64{
		{0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963},
		{0.9604, 0.9278, 0.9003, 0.8784, 0.8615, 0.8487, 0.8388, 0.8313, 0.8255, 0.8209},
		{0.9251, 0.8629, 0.8137, 0.7768, 0.7497, 0.7298, 0.7151, 0.704, 0.6956, 0.6891},
		{0.8903, 0.8012, 0.7342, 0.6862, 0.6521, 0.6277, 0.6099, 0.5967, 0.5867, 0.579},
		{0.856, 0.7422, 0.6604, 0.6037, 0.5644, 0.5367, 0.5168, 0.5021, 0.491, 0.4825},
	})
}
