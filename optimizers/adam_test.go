package optimizers

import (
	"math"
	"testing"

	"gorgonia.org/tensor"
)

func pow(x, y float64) float64 { return math.Pow(x, y) }

// refAdam is Keras's documented Adam rule (REFERENCE.md "Adam"; AMSGrad
// from keras/src/optimizers/adam.py).
type refAdam struct {
	b1, b2, eps float64
	amsgrad     bool
	m, v, vh    map[int][]float64
}

func (r *refAdam) update(i, t int, lr float64, w, g []float64) {
	if r.m == nil {
		r.m, r.v, r.vh = map[int][]float64{}, map[int][]float64{}, map[int][]float64{}
	}
	if r.m[i] == nil {
		r.m[i], r.v[i], r.vh[i] = make([]float64, len(w)), make([]float64, len(w)), make([]float64, len(w))
	}
	m, v, vh := r.m[i], r.v[i], r.vh[i]
	alpha := lr * math.Sqrt(1-pow(r.b2, float64(t))) / (1 - pow(r.b1, float64(t)))
	for j := range w {
		m[j] += (g[j] - m[j]) * (1 - r.b1)
		v[j] += (g[j]*g[j] - v[j]) * (1 - r.b2)
		den := v[j]
		if r.amsgrad {
			vh[j] = math.Max(vh[j], v[j])
			den = vh[j]
		}
		w[j] -= alpha * m[j] / (math.Sqrt(den) + r.eps)
	}
}

func TestAdamTrajectory(t *testing.T) {
	runTrajectories(t, []trajCase{
		{"defaults", func() Optimizer { return Adam() },
			func() *refOpt { return &refOpt{lr: 0.001, rule: &refAdam{b1: 0.9, b2: 0.999, eps: 1e-7}} }},
		{"options", func() Optimizer { return Adam(LearningRate(0.01), Beta1(0.8), Beta2(0.99), Epsilon(1e-3)) },
			func() *refOpt { return &refOpt{lr: 0.01, rule: &refAdam{b1: 0.8, b2: 0.99, eps: 1e-3}} }},
		{"amsgrad", func() Optimizer { return Adam(LearningRate(0.02), Amsgrad(true)) },
			func() *refOpt { return &refOpt{lr: 0.02, rule: &refAdam{b1: 0.9, b2: 0.999, eps: 1e-7, amsgrad: true}} }},
		// A small beta_2 lets v fall when gradients shrink, so that v_hat
		// differs from v.
		{"amsgrad_small_beta2", func() Optimizer { return Adam(LearningRate(0.02), Beta2(0.5), Amsgrad(true)) },
			func() *refOpt { return &refOpt{lr: 0.02, rule: &refAdam{b1: 0.9, b2: 0.5, eps: 1e-7, amsgrad: true}} }},
		{"clipnorm", func() Optimizer { return Adam(LearningRate(0.01), ClipNorm(0.5)) },
			func() *refOpt { return &refOpt{lr: 0.01, clipNorm: 0.5, rule: &refAdam{b1: 0.9, b2: 0.999, eps: 1e-7}} }},
		{"global_clipnorm", func() Optimizer { return Adam(LearningRate(0.01), GlobalClipNorm(1)) },
			func() *refOpt { return &refOpt{lr: 0.01, globClip: 1, rule: &refAdam{b1: 0.9, b2: 0.999, eps: 1e-7}} }},
		{"schedule", func() Optimizer { return Adam(Schedule(CosineDecay(0.05, 6, 0.1))) },
			func() *refOpt {
				return &refOpt{sched: func(s int) float64 {
					return 0.05 * (0.9*0.5*(1+math.Cos(math.Pi*math.Min(float64(s), 6)/6)) + 0.1)
				}, rule: &refAdam{b1: 0.9, b2: 0.999, eps: 1e-7}}
			}},
	})
}

func TestAdamHandComputed(t *testing.T) {
	// Adam defaults, w = 1, g = 2, one step:
	// m = 0.1*2 = 0.2, v = 0.001*4 = 0.004,
	// alpha = 0.001*sqrt(1-0.999)/(1-0.9) = 3.16227766e-4,
	// w = 1 - alpha*0.2/(sqrt(0.004) + 1e-7) = 1 - 9.99998419e-4 = 0.99900000158
	// (about lr*sign(g): Adam's first step is the learning rate).
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		got := stepOnce(t, Adam(), dt, []float64{1, -1}, []float64{2, -2})
		assertClose(t, "adam first step "+dt.String(), got, []float64{0.99900000158, -0.99900000158}, 1e-7)
	}
}

// TestAdamKeras checks the values of keras/src/optimizers/adam_test.py.
func TestAdamKeras(t *testing.T) {
	// test_single_step: Adam(learning_rate=0.5)
	runSingleStep(t, Adam(LearningRate(0.5)), []float64{0.5, 1.5, 2.5, 3.5})
	// test_correctness_with_golden: Adam(amsgrad=True)
	runGolden(t, func() Optimizer { return Adam(Amsgrad(true)) }, tile(0.999, 0.9982, 0.9974, 0.9965, 0.9955))
}

// BenchmarkAdamApply measures one Adam step on a 784x100 float32
// parameter (the first layer of the MNIST MLP). After the first step
// (which builds the slots) Apply allocates nothing.
func BenchmarkAdamApply(b *testing.B) {
	w := tensor.New(tensor.WithShape(784, 100), tensor.Of(tensor.Float32))
	g := tensor.New(tensor.WithShape(784, 100), tensor.Of(tensor.Float32))
	gs := g.Float32s()
	for i := range gs {
		gs[i] = float32(i%17) * 0.01
	}
	opt := Adam()
	params, grads := []*tensor.Dense{w}, []*tensor.Dense{g}
	if err := opt.Apply(params, grads); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := opt.Apply(params, grads); err != nil {
			b.Fatal(err)
		}
	}
}
