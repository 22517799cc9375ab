package optimizers

import "math"

// Adamax is Keras's Adamax optimizer, Adam with the infinity norm. With t
// the 1-based step,
//
//	m += (g - m)*(1 - beta_1)
//	u = max(beta_2*u, |g|)
//	w -= lr*m/((1 - beta_1^t)*(u + epsilon))
//
// Options and Keras defaults: LearningRate 0.001, Beta1 0.9, Beta2 0.999,
// Epsilon 1e-7, and the options every optimizer takes (WeightDecay,
// ClipNorm, ClipValue, GlobalClipNorm, Schedule).
func Adamax(opts ...Option) Optimizer {
	s := settings{lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7}
	s.apply(opts)
	r := &adamaxRule{beta1: s.beta1, beta2: s.beta2, epsilon: s.epsilon}
	return newOptimizer("adamax", "adamax", &s, r, "beta_1", "beta_2", "epsilon")
}

type adamaxRule struct{ beta1, beta2, epsilon float64 }

func (r *adamaxRule) slots() []slot { return []slot{{name: "momentum"}, {name: "norm"}} }

func (r *adamaxRule) validate() error { return validateBetas(r.beta1, r.beta2, r.epsilon) }

func (r *adamaxRule) config(cfg map[string]any) {
	cfg["beta_1"] = r.beta1
	cfg["beta_2"] = r.beta2
	cfg["epsilon"] = r.epsilon
}

func (r *adamaxRule) update32(c stepCtx, w, g []float32, s [][]float32) { adamaxUpdate(r, c, w, g, s) }
func (r *adamaxRule) update64(c stepCtx, w, g []float64, s [][]float64) { adamaxUpdate(r, c, w, g, s) }

// adamaxUpdate follows keras/src/optimizers/adamax.py update_step.
func adamaxUpdate[T float](r *adamaxRule, c stepCtx, w, g []T, s [][]T) {
	n := len(w)
	g, m, u := g[:n], s[0][:n], s[1][:n]
	b1p := T(math.Pow(float64(T(r.beta1)), float64(c.t)))
	lr, omb1, b2, eps := T(c.lr), T(1-r.beta1), T(r.beta2), T(r.epsilon)
	for j := range w {
		gj := g[j]
		m[j] += (gj - m[j]) * omb1
		u[j] = max(b2*u[j], abs(gj))
		w[j] -= lr * m[j] / ((1 - b1p) * (u[j] + eps))
	}
}

func abs[T float](x T) T {
	if x < 0 {
		return -x
	}
	return x
}
