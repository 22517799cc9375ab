package optimizers

import "math"

// Adam is Keras's Adam optimizer. With t the 1-based step,
//
//	m += (g - m)*(1 - beta_1)
//	v += (g*g - v)*(1 - beta_2)
//	v_hat = max(v_hat, v)          (AMSGrad only; then v_hat replaces v)
//	w -= lr*sqrt(1 - beta_2^t)/(1 - beta_1^t) * m/(sqrt(v) + epsilon)
//
// Options and Keras defaults: LearningRate 0.001, Beta1 0.9, Beta2 0.999,
// Epsilon 1e-7 (Keras's "epsilon hat"), Amsgrad false, and the options
// every optimizer takes (WeightDecay, ClipNorm, ClipValue,
// GlobalClipNorm, Schedule).
func Adam(opts ...Option) Optimizer {
	s := settings{lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7}
	s.apply(opts)
	return newOptimizer("adam", "adam", &s, newAdamRule(&s), adamArgs...)
}

var adamArgs = []string{"beta_1", "beta_2", "epsilon", "amsgrad"}

func newAdamRule(s *settings) *adamRule {
	return &adamRule{beta1: s.beta1, beta2: s.beta2, epsilon: s.epsilon, amsgrad: s.amsgrad}
}

type adamRule struct {
	beta1, beta2, epsilon float64
	amsgrad               bool
}

func (r *adamRule) slots() []slot {
	s := []slot{{name: "momentum"}, {name: "velocity"}}
	if r.amsgrad {
		s = append(s, slot{name: "velocity_hat"})
	}
	return s
}

func (r *adamRule) validate() error { return validateBetas(r.beta1, r.beta2, r.epsilon) }

// validateBetas checks the hyper-parameters of the Adam family: the bias
// corrections divide by 1 - beta^t, so a beta of 1 would divide by zero.
func validateBetas(beta1, beta2, epsilon float64) error {
	if err := checkRange("beta_1", beta1, 0, 1, true); err != nil {
		return err
	}
	if err := checkRange("beta_2", beta2, 0, 1, true); err != nil {
		return err
	}
	return checkNonNegative("epsilon", epsilon)
}

func (r *adamRule) config(cfg map[string]any) {
	cfg["beta_1"] = r.beta1
	cfg["beta_2"] = r.beta2
	cfg["epsilon"] = r.epsilon
	cfg["amsgrad"] = r.amsgrad
}

func (r *adamRule) update32(c stepCtx, w, g []float32, s [][]float32) { adamUpdate(r, c, w, g, s) }
func (r *adamRule) update64(c stepCtx, w, g []float64, s [][]float64) { adamUpdate(r, c, w, g, s) }

// adamUpdate follows keras/src/optimizers/adam.py update_step.
func adamUpdate[T float](r *adamRule, c stepCtx, w, g []T, s [][]T) {
	n := len(w)
	g, m, v := g[:n], s[0][:n], s[1][:n]
	b1, b2 := T(r.beta1), T(r.beta2)
	b1p := T(math.Pow(float64(b1), float64(c.t)))
	b2p := T(math.Pow(float64(b2), float64(c.t)))
	alpha := T(c.lr) * T(math.Sqrt(float64(1-b2p))) / (1 - b1p)
	omb1, omb2, eps := T(1-r.beta1), T(1-r.beta2), T(r.epsilon)
	if r.amsgrad {
		vh := s[2][:n]
		for j := range w {
			gj := g[j]
			m[j] += (gj - m[j]) * omb1
			v[j] += (gj*gj - v[j]) * omb2
			vh[j] = max(vh[j], v[j])
			w[j] -= m[j] * alpha / (T(math.Sqrt(float64(vh[j]))) + eps)
		}
		return
	}
	for j := range w {
		gj := g[j]
		m[j] += (gj - m[j]) * omb1
		v[j] += (gj*gj - v[j]) * omb2
		w[j] -= m[j] * alpha / (T(math.Sqrt(float64(v[j]))) + eps)
	}
}
