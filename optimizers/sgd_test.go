package optimizers

import (
	"testing"

	"gorgonia.org/tensor"
)

// refSGD is Keras's documented SGD rule (keras/src/optimizers/sgd.py
// docstring; REFERENCE.md "SGD").
type refSGD struct {
	momentum float64
	nesterov bool
	m        map[int][]float64
}

func (r *refSGD) update(i, t int, lr float64, w, g []float64) {
	if r.momentum == 0 {
		for j := range w {
			w[j] -= lr * g[j]
		}
		return
	}
	if r.m == nil {
		r.m = map[int][]float64{}
	}
	if r.m[i] == nil {
		r.m[i] = make([]float64, len(w))
	}
	m := r.m[i]
	for j := range w {
		m[j] = r.momentum*m[j] - lr*g[j]
		if r.nesterov {
			w[j] += r.momentum*m[j] - lr*g[j]
		} else {
			w[j] += m[j]
		}
	}
}

func TestSGDTrajectory(t *testing.T) {
	runTrajectories(t, []trajCase{
		{"defaults", func() Optimizer { return SGD() },
			func() *refOpt { return &refOpt{lr: 0.01, rule: &refSGD{}} }},
		{"momentum", func() Optimizer { return SGD(LearningRate(0.1), Momentum(0.9)) },
			func() *refOpt { return &refOpt{lr: 0.1, rule: &refSGD{momentum: 0.9}} }},
		{"nesterov", func() Optimizer { return SGD(LearningRate(0.05), Momentum(0.7), Nesterov(true)) },
			func() *refOpt { return &refOpt{lr: 0.05, rule: &refSGD{momentum: 0.7, nesterov: true}} }},
		{"clipvalue", func() Optimizer { return SGD(LearningRate(0.1), Momentum(0.5), ClipValue(0.8)) },
			func() *refOpt { return &refOpt{lr: 0.1, clipValue: 0.8, rule: &refSGD{momentum: 0.5}} }},
		{"weight_decay", func() Optimizer { return SGD(LearningRate(0.1), WeightDecay(0.05)) },
			func() *refOpt { return &refOpt{lr: 0.1, wd: 0.05, rule: &refSGD{}} }},
		{"schedule", func() Optimizer { return SGD(Schedule(ExponentialDecay(0.1, 3, 0.5, false)), Momentum(0.9)) },
			func() *refOpt {
				return &refOpt{sched: func(s int) float64 { return 0.1 * pow(0.5, float64(s)/3) }, rule: &refSGD{momentum: 0.9}}
			}},
	})
}

func TestSGDHandComputed(t *testing.T) {
	for _, tc := range []struct {
		name  string
		opt   func() Optimizer
		steps int
		want  float64 // w after steps steps from w = 1 with g = 1
	}{
		// w = 1 - 0.1*1
		{"plain", func() Optimizer { return SGD(LearningRate(0.1)) }, 1, 0.9},
		// m1 = -0.1, w1 = 0.9; m2 = 0.9*(-0.1) - 0.1 = -0.19, w2 = 0.71
		{"momentum two steps", func() Optimizer { return SGD(LearningRate(0.1), Momentum(0.9)) }, 2, 0.71},
		// w1 = 1 + 0.9*(-0.1) - 0.1 = 0.81; m2 = -0.19, w2 = 0.81 + 0.9*(-0.19) - 0.1 = 0.539
		{"nesterov two steps", func() Optimizer { return SGD(LearningRate(0.1), Momentum(0.9), Nesterov(true)) }, 2, 0.539},
	} {
		for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
			opt := tc.opt()
			p := newDense(dt, []int{1}, []float64{1})
			for s := 0; s < tc.steps; s++ {
				if err := opt.Apply([]*tensor.Dense{p}, []*tensor.Dense{newDense(dt, []int{1}, []float64{1})}); err != nil {
					t.Fatal(err)
				}
			}
			assertClose(t, tc.name+" "+dt.String(), values(p), []float64{tc.want}, 1e-6)
		}
	}
}

// TestSGDKeras checks the values of keras/src/optimizers/sgd_test.py.
func TestSGDKeras(t *testing.T) {
	// test_single_step: SGD(learning_rate=0.5)
	runSingleStep(t, SGD(LearningRate(0.5)), []float64{0.5, -1.0, -0.5, 3.0})
	// test_correctness_with_golden: SGD(nesterov=True) (momentum 0)
	runGolden(t, func() Optimizer { return SGD(Nesterov(true)) }, [][]float64{
		{0.9999, 0.9999, 0.9999, 0.9999, 0.9999, 0.9999, 0.9999, 0.9999, 0.9999, 0.9999},
		{0.9989, 0.9979, 0.9969, 0.9959, 0.9949, 0.9939, 0.9929, 0.9919, 0.9909, 0.9899},
		{0.9979, 0.9959, 0.9939, 0.9919, 0.9899, 0.9879, 0.9859, 0.9839, 0.9819, 0.9799},
		{0.9969, 0.9939, 0.9909, 0.9879, 0.9849, 0.9819, 0.9789, 0.9759, 0.9729, 0.9699},
		{0.9959, 0.9919, 0.9879, 0.9839, 0.9799, 0.9759, 0.9719, 0.9679, 0.9639, 0.9599},
	})
}
