package optimizers

import (
	"math"
	"testing"

	"gorgonia.org/tensor"
)

// refNadam is Keras 3's Nadam rule (keras/src/optimizers/nadam.py), with
// the running product u_product of the momentum schedule u_t.
type refNadam struct {
	b1, b2, eps float64
	uProduct    float64
	m, v        map[int][]float64
}

func (r *refNadam) ut(t int) float64 { return r.b1 * (1 - 0.5*pow(0.96, float64(t))) }

func (r *refNadam) begin(t int) {
	if t == 1 {
		r.uProduct = 1
	}
	r.uProduct *= r.ut(t)
}

func (r *refNadam) update(i, t int, lr float64, w, g []float64) {
	if r.m == nil {
		r.m, r.v = map[int][]float64{}, map[int][]float64{}
	}
	if r.m[i] == nil {
		r.m[i], r.v[i] = make([]float64, len(w)), make([]float64, len(w))
	}
	m, v := r.m[i], r.v[i]
	ut, ut1 := r.ut(t), r.ut(t+1)
	for j := range w {
		m[j] = r.b1*m[j] + (1-r.b1)*g[j]
		v[j] = r.b2*v[j] + (1-r.b2)*g[j]*g[j]
		mHat := ut1*m[j]/(1-r.uProduct*ut1) + (1-ut)*g[j]/(1-r.uProduct)
		vHat := v[j] / (1 - pow(r.b2, float64(t)))
		w[j] -= lr * mHat / (math.Sqrt(vHat) + r.eps)
	}
}

func TestNadamTrajectory(t *testing.T) {
	runTrajectories(t, []trajCase{
		{"defaults", func() Optimizer { return Nadam() },
			func() *refOpt { return &refOpt{lr: 0.001, rule: &refNadam{b1: 0.9, b2: 0.999, eps: 1e-7}} }},
		{"options", func() Optimizer {
			return Nadam(LearningRate(0.02), Beta1(0.5), Beta2(0.67), Epsilon(1e-5), WeightDecay(0.01))
		}, func() *refOpt { return &refOpt{lr: 0.02, wd: 0.01, rule: &refNadam{b1: 0.5, b2: 0.67, eps: 1e-5}} }},
	})
}

func TestNadamHandComputed(t *testing.T) {
	// Nadam defaults, w = 0, g = 1, one step (t = 1):
	// u_1 = 0.9*(1 - 0.5*0.96) = 0.468, u_2 = 0.9*(1 - 0.5*0.9216) = 0.48528,
	// U = 0.468, U*u_2 = 0.22711104, m = 0.1, v = 0.001,
	// m_hat = 0.48528*0.1/(1 - 0.22711104) + (1 - 0.468)*1/(1 - 0.468)
	//       = 0.0627878033 + 1 = 1.0627878033,
	// v_hat = 0.001/(1 - 0.999) = 1,
	// w = 0 - 0.001*1.0627878033/(1 + 1e-7) = -0.001062787697.
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		got := stepOnce(t, Nadam(), dt, []float64{0}, []float64{1})
		assertClose(t, "nadam first step "+dt.String(), got, []float64{-0.001062787697}, 1e-7)
	}
}

// TestNadamKeras checks the values of keras/src/optimizers/nadam_test.py.
func TestNadamKeras(t *testing.T) {
	// test_single_step: Nadam(learning_rate=0.5)
	runSingleStep(t, Nadam(LearningRate(0.5)), []float64{0.4686, 1.4686, 2.4686, 3.4686})
	// test_correctness_with_golden: Nadam(learning_rate=0.5, beta_1=0.5, beta_2=0.67, epsilon=1e-5)
	runGolden(t, func() Optimizer { return Nadam(LearningRate(0.5), Beta1(0.5), Beta2(0.67), Epsilon(1e-5)) }, [][]float64{
		{0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281, 0.4281},
		{-0.1738, -0.1731, -0.1726, -0.1723, -0.1721, -0.172, -0.1719, -0.1718, -0.1718, -0.1717},
		{-0.7115, -0.7103, -0.7096, -0.7092, -0.709, -0.7088, -0.7086, -0.7085, -0.7085, -0.7084},
		{-1.2335, -1.2322, -1.2313, -1.2309, -1.2306, -1.2304, -1.2302, -1.2301, -1.23, -1.2299},
		{-1.7492, -1.7478, -1.7469, -1.7464, -1.7461, -1.7459, -1.7457, -1.7456, -1.7455, -1.7454},
	})
}
