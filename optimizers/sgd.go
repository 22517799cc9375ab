package optimizers

// SGD is Keras's gradient descent optimizer, with optional momentum.
// Without momentum w -= lr*g; with it
//
//	m = momentum*m - lr*g
//	w += m                   (or, with Nesterov, w += momentum*m - lr*g)
//
// Options and Keras defaults: LearningRate 0.01, Momentum 0 (in [0, 1]),
// Nesterov false, and the options every optimizer takes (WeightDecay,
// ClipNorm, ClipValue, GlobalClipNorm, Schedule). Its config name is
// Keras's "SGD"; Name and Get use "sgd".
func SGD(opts ...Option) Optimizer {
	s := settings{lr: 0.01}
	s.apply(opts)
	return newOptimizer("sgd", "SGD", &s, &sgdRule{momentum: s.momentum, nesterov: s.nesterov}, "momentum", "nesterov")
}

type sgdRule struct {
	momentum float64
	nesterov bool
}

// slots: a momentum only when momentum is not 0, as in Keras.
func (r *sgdRule) slots() []slot {
	if r.momentum == 0 {
		return nil
	}
	return []slot{{name: "momentum"}}
}

func (r *sgdRule) validate() error { return checkRange("momentum", r.momentum, 0, 1, false) }

func (r *sgdRule) config(cfg map[string]any) {
	cfg["momentum"] = r.momentum
	cfg["nesterov"] = r.nesterov
}

func (r *sgdRule) update32(c stepCtx, w, g []float32, s [][]float32) { sgdUpdate(r, c, w, g, s) }
func (r *sgdRule) update64(c stepCtx, w, g []float64, s [][]float64) { sgdUpdate(r, c, w, g, s) }

// sgdUpdate follows keras/src/optimizers/sgd.py update_step.
func sgdUpdate[T float](r *sgdRule, c stepCtx, w, g []T, s [][]T) {
	lr := T(c.lr)
	g = g[:len(w)]
	if len(s) == 0 {
		for j := range w {
			w[j] -= g[j] * lr
		}
		return
	}
	m := s[0][:len(w)]
	mom := T(r.momentum)
	for j := range w {
		m[j] = m[j]*mom - g[j]*lr
		if r.nesterov {
			w[j] += m[j]*mom - g[j]*lr
		} else {
			w[j] += m[j]
		}
	}
}
