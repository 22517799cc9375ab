package optimizers

import "math"

// Adadelta is Keras 3's Adadelta optimizer:
//
//	ag = rho*ag + (1 - rho)*g*g
//	d  = -sqrt(ad + epsilon)*g/sqrt(ag + epsilon)
//	ad = rho*ad + (1 - rho)*d*d
//	w += lr*d
//
// Options and Keras 3 defaults: LearningRate 0.001 (use 1.0 for the
// paper's form), Rho 0.95 (in [0, 1]), Epsilon 1e-7, and the options every
// optimizer takes (WeightDecay, ClipNorm, ClipValue, GlobalClipNorm,
// Schedule).
func Adadelta(opts ...Option) Optimizer {
	s := settings{lr: 0.001, rho: 0.95, epsilon: 1e-7}
	s.apply(opts)
	return newOptimizer("adadelta", "adadelta", &s, &adadeltaRule{rho: s.rho, epsilon: s.epsilon}, "rho", "epsilon")
}

type adadeltaRule struct{ rho, epsilon float64 }

func (r *adadeltaRule) slots() []slot {
	return []slot{{name: "accumulated_grad"}, {name: "accumulated_delta_var"}}
}

func (r *adadeltaRule) validate() error {
	if err := checkRange("rho", r.rho, 0, 1, false); err != nil {
		return err
	}
	return checkNonNegative("epsilon", r.epsilon)
}

func (r *adadeltaRule) config(cfg map[string]any) {
	cfg["rho"] = r.rho
	cfg["epsilon"] = r.epsilon
}

func (r *adadeltaRule) update32(c stepCtx, w, g []float32, s [][]float32) {
	adadeltaUpdate(r, c, w, g, s)
}
func (r *adadeltaRule) update64(c stepCtx, w, g []float64, s [][]float64) {
	adadeltaUpdate(r, c, w, g, s)
}

// adadeltaUpdate follows keras/src/optimizers/adadelta.py update_step.
func adadeltaUpdate[T float](r *adadeltaRule, c stepCtx, w, g []T, s [][]T) {
	n := len(w)
	g, ag, ad := g[:n], s[0][:n], s[1][:n]
	lr, rho, omr, eps := T(c.lr), T(r.rho), T(1-r.rho), T(r.epsilon)
	for j := range w {
		gj := g[j]
		ag[j] = rho*ag[j] + omr*(gj*gj)
		d := -(T(math.Sqrt(float64(ad[j]+eps))) * gj / T(math.Sqrt(float64(ag[j]+eps))))
		ad[j] = rho*ad[j] + omr*(d*d)
		w[j] += lr * d
	}
}
