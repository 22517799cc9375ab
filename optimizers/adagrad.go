package optimizers

import "math"

// Adagrad is Keras's Adagrad optimizer:
//
//	a += g*g                 (a starts at initial_accumulator_value)
//	w -= lr*g/sqrt(a + epsilon)
//
// Options and Keras defaults: LearningRate 0.001, InitialAccumulatorValue
// 0.1 (>= 0), Epsilon 1e-7, and the options every optimizer takes
// (WeightDecay, ClipNorm, ClipValue, GlobalClipNorm, Schedule).
func Adagrad(opts ...Option) Optimizer {
	s := settings{lr: 0.001, initialAccumulator: 0.1, epsilon: 1e-7}
	s.apply(opts)
	r := &adagradRule{initial: s.initialAccumulator, epsilon: s.epsilon}
	return newOptimizer("adagrad", "adagrad", &s, r, "initial_accumulator_value", "epsilon")
}

type adagradRule struct{ initial, epsilon float64 }

func (r *adagradRule) slots() []slot { return []slot{{name: "accumulator", init: r.initial}} }

func (r *adagradRule) validate() error {
	if err := checkNonNegative("initial_accumulator_value", r.initial); err != nil {
		return err
	}
	return checkNonNegative("epsilon", r.epsilon)
}

func (r *adagradRule) config(cfg map[string]any) {
	cfg["initial_accumulator_value"] = r.initial
	cfg["epsilon"] = r.epsilon
}

func (r *adagradRule) update32(c stepCtx, w, g []float32, s [][]float32) {
	adagradUpdate(r, c, w, g, s)
}
func (r *adagradRule) update64(c stepCtx, w, g []float64, s [][]float64) {
	adagradUpdate(r, c, w, g, s)
}

// adagradUpdate follows keras/src/optimizers/adagrad.py update_step.
func adagradUpdate[T float](r *adagradRule, c stepCtx, w, g []T, s [][]T) {
	n := len(w)
	g, a := g[:n], s[0][:n]
	lr, eps := T(c.lr), T(r.epsilon)
	for j := range w {
		gj := g[j]
		a[j] += gj * gj
		w[j] -= lr * gj / T(math.Sqrt(float64(a[j]+eps)))
	}
}
