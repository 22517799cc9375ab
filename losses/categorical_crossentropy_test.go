package losses

import (
	"math"
	"testing"

	"github.com/gokeras/keras/internal/gradcheck"
)

// refCCE is the float64 formula on probabilities: normalise each row to
// sum 1, clip to [1e-7, 1-1e-7], then -sum(t*log(p)).
func refCCE(t, p []float64) float64 {
	var sum, s float64
	for _, v := range p {
		sum += v
	}
	for i := range t {
		q := math.Min(math.Max(p[i]/sum, 1e-7), 1-1e-7)
		s -= t[i] * math.Log(q)
	}
	return s
}

// refCCELogits is -sum(t*log(softmax(x))) with the log-softmax from
// math/big-free float64: log(sum(exp(x-m))) + m - x.
func refCCELogits(t, x []float64) float64 {
	m := math.Inf(-1)
	for _, v := range x {
		m = math.Max(m, v)
	}
	var z float64
	for _, v := range x {
		z += math.Exp(v - m)
	}
	lse := m + math.Log(z)
	var s float64
	for i := range t {
		s += t[i] * (lse - x[i])
	}
	return s
}

var (
	// Keras losses_test.py CategoricalCrossentropyTest.test_unweighted.
	cceTrue   = []float64{1, 0, 0, 0, 1, 0, 0, 0, 1}
	ccePred   = []float64{0.9, 0.05, 0.05, 0.5, 0.89, 0.6, 0.05, 0.01, 0.94}
	cceLogits = []float64{8, 1, 1, 0, 9, 1, 2, 3, 5}
)

func TestCategoricalCrossentropyValues(t *testing.T) {
	docT := []float64{0, 1, 0, 0, 0, 1}
	docP := []float64{0.05, 0.95, 0, 0.1, 0.8, 0.1}
	runLossCases(t, []lossCase{
		{name: "keras_doc", loss: CategoricalCrossentropy(), shape: []int{2, 3}, yTrue: docT, yPred: docP,
			want: (0.0513 + 2.303) / 2, rel: 5e-4, source: "Keras losses.py categorical_crossentropy docstring, per sample [0.0513, 2.303] (printed to 4 digits)"},
		{name: "keras_unweighted", loss: CategoricalCrossentropy(), shape: []int{3, 3}, yTrue: cceTrue, yPred: ccePred,
			want: 0.3239, rel: 5e-4, source: "Keras losses_test.py CategoricalCrossentropyTest.test_unweighted (rows normalised first; Keras asserts 4 places)"},
		{name: "keras_logits", loss: CategoricalCrossentropy(FromLogits(true)), shape: []int{3, 3}, yTrue: cceTrue, yPred: cceLogits,
			want: (0.001822 + 0.000459 + 0.169846) / 3, rel: 1e-4, source: "Keras losses_test.py test_no_reduction, per sample (0.001822, 0.000459, 0.169846)"},
		{name: "keras_all_correct", loss: CategoricalCrossentropy(), shape: []int{3, 3}, yTrue: cceTrue, yPred: cceTrue,
			want: 0, source: "Keras losses_test.py test_all_correct_unweighted (-log(1-1e-7) ~ 1e-7)"},
		{name: "keras_label_smoothing", loss: CategoricalCrossentropy(FromLogits(true), LabelSmoothing(0.1)), shape: []int{1, 3},
			yTrue: []float64{1, 0, 0}, yPred: []float64{100, -100, -100},
			want: 400 * 0.1 / 3, rel: 1e-6, source: "Keras losses_test.py CategoricalCrossentropyTest.test_label_smoothing"},
		{name: "formula_probs", loss: CategoricalCrossentropy(), shape: []int{3, 3}, yTrue: cceTrue, yPred: ccePred,
			want: batchMean([]int{3, 3}, cceTrue, ccePred, refCCE), source: "refCCE in this file"},
		{name: "formula_logits_3d", loss: CategoricalCrossentropy(FromLogits(true)), shape: []int{3, 1, 3}, yTrue: cceTrue, yPred: cceLogits,
			want: batchMean([]int{3, 3}, cceTrue, cceLogits, refCCELogits), source: "refCCELogits in this file; (3,1,3) averages over 3x1 samples"},
	})
}

// Logits of magnitude 1e3 in a multi-row batch, with ties for the row
// max: the loss and its gradient stay finite and right.
func TestCategoricalCrossentropyExtremeLogits(t *testing.T) {
	tr := []float64{
		1, 0, 0,
		1, 0, 0,
		0, 1, 0,
		0, 0, 1,
	}
	x := []float64{
		1000, -1000, 0,
		-1000, 1000, 999,
		1000, 1000, -1000,
		-1000, -1000, -1000,
	}
	e1 := math.Exp(-1)
	// Row losses, by hand: 0; 2000 + log(1+e^-1); log 2; log 3.
	want := (2000 + math.Log1p(e1) + math.Ln2 + math.Log(3)) / 4
	// d/dx = (softmax(x) - t)/4.
	s2 := 1 / (1 + e1)
	wantGrad := []float64{
		0, 0, 0,
		-1, s2, 1 - s2,
		0.5, -0.5, 0,
		1.0 / 3, 1.0 / 3, -2.0 / 3,
	}
	for i := range wantGrad {
		wantGrad[i] /= 4
	}
	for _, l := range []Loss{CategoricalCrossentropy(FromLogits(true)), SparseCategoricalCrossentropy(FromLogits(true))} {
		for _, dt := range dtypes {
			got, grad := evalLoss(t, l, dt, []int{4, 3}, tr, x)
			if !approx(got, want, 1e-6, 0) {
				t.Errorf("%s %v: loss = %v, want %v", l.Name(), dt, got, want)
			}
			for i := range grad {
				if !approx(grad[i], wantGrad[i], 1e-6, 1e-7) {
					t.Errorf("%s %v: grad[%d] = %v, want %v", l.Name(), dt, i, grad[i], wantGrad[i])
				}
			}
		}
		checkGrad(t, l, []int{4, 3}, tr, x, gradcheck.Config{Step: 1e-3})
	}
}

func TestCategoricalCrossentropyGradient(t *testing.T) {
	runGradCases(t, []gradCase{
		{name: "probs", loss: CategoricalCrossentropy(), shape: []int{3, 3}, yTrue: cceTrue, yPred: ccePred},
		{name: "probs_smoothing", loss: CategoricalCrossentropy(LabelSmoothing(0.2)), shape: []int{3, 3}, yTrue: cceTrue, yPred: ccePred},
		{name: "logits", loss: CategoricalCrossentropy(FromLogits(true)), shape: []int{3, 3}, yTrue: cceTrue, yPred: cceLogits},
		{name: "logits_soft_targets", loss: CategoricalCrossentropy(FromLogits(true)), shape: []int{2, 3}, yTrue: []float64{0.2, 0.5, 0.3, 0, 0.9, 0.1}, yPred: []float64{-1, 2, 0.5, 3, 3, -2}},
		{name: "logits_smoothing_3d", loss: CategoricalCrossentropy(FromLogits(true), LabelSmoothing(0.1)), shape: []int{3, 1, 3}, yTrue: cceTrue, yPred: cceLogits},
	})
}
