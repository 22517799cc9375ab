package optimizers

import (
	"math"

	"gorgonia.org/tensor"
)

// Nadam is Keras 3's Nadam optimizer, Adam with Nesterov momentum and
// Dozat's momentum schedule. With t the 1-based step,
//
//	u_t   = beta_1*(1 - 0.5*0.96^t),  u_t1 = beta_1*(1 - 0.5*0.96^(t+1))
//	U     = U*u_t                     (the running product, U starts at 1)
//	m += (g - m)*(1 - beta_1)
//	v += (g*g - v)*(1 - beta_2)
//	m_hat = u_t1*m/(1 - U*u_t1) + (1 - u_t)*g/(1 - U)
//	v_hat = v/(1 - beta_2^t)
//	w -= lr*m_hat/(sqrt(v_hat) + epsilon)
//
// Options and Keras defaults: LearningRate 0.001, Beta1 0.9, Beta2 0.999,
// Epsilon 1e-7, and the options every optimizer takes (WeightDecay,
// ClipNorm, ClipValue, GlobalClipNorm, Schedule). The product U is saved
// after the slots in Variables, in the dtype of the first parameter.
func Nadam(opts ...Option) Optimizer {
	s := settings{lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7}
	s.apply(opts)
	r := &nadamRule{beta1: s.beta1, beta2: s.beta2, epsilon: s.epsilon}
	return newOptimizer("nadam", "nadam", &s, r, "beta_1", "beta_2", "epsilon")
}

type nadamRule struct {
	beta1, beta2, epsilon float64
	uProduct              *tensor.Dense // one element; set by buildShared
}

func (r *nadamRule) slots() []slot { return []slot{{name: "momentum"}, {name: "velocity"}} }

func (r *nadamRule) validate() error { return validateBetas(r.beta1, r.beta2, r.epsilon) }

func (r *nadamRule) config(cfg map[string]any) {
	cfg["beta_1"] = r.beta1
	cfg["beta_2"] = r.beta2
	cfg["epsilon"] = r.epsilon
}

func (r *nadamRule) buildShared(dtype tensor.Dtype) []*tensor.Dense {
	if dtype == tensor.Float32 {
		r.uProduct = tensor.New(tensor.WithShape(1), tensor.WithBacking([]float32{1}))
	} else {
		r.uProduct = tensor.New(tensor.WithShape(1), tensor.WithBacking([]float64{1}))
	}
	return []*tensor.Dense{r.uProduct}
}

// beginStep multiplies the product by u_t once per step, before the
// parameters are updated (Nadam._backend_update_step in Keras).
func (r *nadamRule) beginStep(c stepCtx) {
	if r.uProduct.Dtype() == tensor.Float32 {
		nadamProduct(r, c, r.uProduct.Float32s())
	} else {
		nadamProduct(r, c, r.uProduct.Float64s())
	}
}

func nadamProduct[T float](r *nadamRule, c stepCtx, u []T) {
	u[0] = u[0] * T(r.beta1) * (1 - 0.5*T(math.Pow(float64(T(0.96)), float64(c.t))))
}

func (r *nadamRule) product() float64 {
	if r.uProduct.Dtype() == tensor.Float32 {
		return float64(r.uProduct.Float32s()[0])
	}
	return r.uProduct.Float64s()[0]
}

func (r *nadamRule) update32(c stepCtx, w, g []float32, s [][]float32) { nadamUpdate(r, c, w, g, s) }
func (r *nadamRule) update64(c stepCtx, w, g []float64, s [][]float64) { nadamUpdate(r, c, w, g, s) }

// nadamUpdate follows keras/src/optimizers/nadam.py update_step.
func nadamUpdate[T float](r *nadamRule, c stepCtx, w, g []T, s [][]T) {
	n := len(w)
	g, m, v := g[:n], s[0][:n], s[1][:n]
	b1, b2 := T(r.beta1), T(r.beta2)
	decay := float64(T(0.96))
	uT := b1 * (1 - 0.5*T(math.Pow(decay, float64(c.t))))
	uT1 := b1 * (1 - 0.5*T(math.Pow(decay, float64(c.t+1))))
	uProdT := T(r.product())
	uProdT1 := uProdT * uT1
	b2p := T(math.Pow(float64(b2), float64(c.t)))
	lr, omb1, omb2, eps := T(c.lr), T(1-r.beta1), T(1-r.beta2), T(r.epsilon)
	for j := range w {
		gj := g[j]
		m[j] += (gj - m[j]) * omb1
		v[j] += (gj*gj - v[j]) * omb2
		mHat := uT1*m[j]/(1-uProdT1) + (1-uT)*gj/(1-uProdT)
		vHat := v[j] / (1 - b2p)
		w[j] -= mHat * lr / (T(math.Sqrt(float64(vHat))) + eps)
	}
}
