package optimizers

import (
	"fmt"
	"math"
)

// RMSprop is Keras's RMSprop optimizer:
//
//	v = rho*v + (1 - rho)*g*g
//	a = rho*a + (1 - rho)*g                 (centered only)
//	d = v + epsilon                         (centered: v - a*a + epsilon)
//	inc = lr*g/sqrt(d)
//	w -= inc                                (momentum: m = momentum*m + inc; w -= m)
//
// Options and Keras defaults: LearningRate 0.001, Rho 0.9 (in [0, 1]),
// Momentum 0 (in [0, 1]), Epsilon 1e-7 (> 0), Centered false, and the
// options every optimizer takes (WeightDecay, ClipNorm, ClipValue,
// GlobalClipNorm, Schedule).
func RMSprop(opts ...Option) Optimizer {
	s := settings{lr: 0.001, rho: 0.9, epsilon: 1e-7}
	s.apply(opts)
	r := &rmspropRule{rho: s.rho, momentum: s.momentum, epsilon: s.epsilon, centered: s.centered}
	return newOptimizer("rmsprop", "rmsprop", &s, r, "rho", "momentum", "epsilon", "centered")
}

type rmspropRule struct {
	rho, momentum, epsilon float64
	centered               bool
}

// slots, in Keras's order: velocities, momentums (momentum > 0 only),
// average gradients (centered only).
func (r *rmspropRule) slots() []slot {
	s := []slot{{name: "velocity"}}
	if r.momentum > 0 {
		s = append(s, slot{name: "momentum"})
	}
	if r.centered {
		s = append(s, slot{name: "average_gradient"})
	}
	return s
}

func (r *rmspropRule) validate() error {
	if err := checkRange("rho", r.rho, 0, 1, false); err != nil {
		return err
	}
	if err := checkRange("momentum", r.momentum, 0, 1, false); err != nil {
		return err
	}
	if !(r.epsilon > 0) || math.IsInf(r.epsilon, 0) {
		return fmt.Errorf("epsilon must be finite and > 0, got %v", r.epsilon)
	}
	return nil
}

func (r *rmspropRule) config(cfg map[string]any) {
	cfg["rho"] = r.rho
	cfg["momentum"] = r.momentum
	cfg["epsilon"] = r.epsilon
	cfg["centered"] = r.centered
}

func (r *rmspropRule) update32(c stepCtx, w, g []float32, s [][]float32) {
	rmspropUpdate(r, c, w, g, s)
}
func (r *rmspropRule) update64(c stepCtx, w, g []float64, s [][]float64) {
	rmspropUpdate(r, c, w, g, s)
}

// rmspropUpdate follows keras/src/optimizers/rmsprop.py update_step.
func rmspropUpdate[T float](r *rmspropRule, c stepCtx, w, g []T, s [][]T) {
	n := len(w)
	g, v := g[:n], s[0][:n]
	var m, a []T
	k := 1
	if r.momentum > 0 {
		m = s[k][:n]
		k++
	}
	if r.centered {
		a = s[k][:n]
	}
	lr, rho, omr, eps, mom := T(c.lr), T(r.rho), T(1-r.rho), T(r.epsilon), T(r.momentum)
	for j := range w {
		gj := g[j]
		v[j] = rho*v[j] + omr*(gj*gj)
		var d T
		if a != nil {
			a[j] = rho*a[j] + omr*gj
			d = v[j] - a[j]*a[j] + eps
		} else {
			d = v[j] + eps
		}
		inc := lr * gj / T(math.Sqrt(float64(d)))
		if m != nil {
			m[j] = mom*m[j] + inc
			w[j] -= m[j]
		} else {
			w[j] -= inc
		}
	}
}
