package losses

import (
	"math"
	"testing"

	"github.com/gokeras/keras/internal/gradcheck"
)

// refBCE is the float64 formula on probabilities, clipped as Keras does.
func refBCE(t, p []float64) float64 {
	var s float64
	for i := range t {
		q := math.Min(math.Max(p[i], 1e-7), 1-1e-7)
		s -= t[i]*math.Log(q) + (1-t[i])*math.Log(1-q)
	}
	return s / float64(len(t))
}

// refBCELogits is -t*log(sigmoid(x)) - (1-t)*log(sigmoid(-x)), with
// log(sigmoid(x)) = -log1p(exp(-x)) for x >= 0 and x - log1p(exp(x)) below.
func refBCELogits(t, x []float64) float64 {
	logSig := func(x float64) float64 {
		if x >= 0 {
			return -math.Log1p(math.Exp(-x))
		}
		return x - math.Log1p(math.Exp(x))
	}
	var s float64
	for i := range t {
		s -= t[i]*logSig(x[i]) + (1-t[i])*logSig(-x[i])
	}
	return s / float64(len(t))
}

var (
	// Keras losses_test.py BinaryCrossentropyTest.test_unweighted.
	bceTrue3   = []float64{1, 0, 0, 0, 1, 0, 0, 0, 1}
	bcePred3   = []float64{0.9, 0.1, 0.2, 0.3, 0.8, 0.1, 0.1, 0.2, 0.7}
	bceLogitsT = []float64{1, 0, 1, 0, 1, 1}
	bceLogitsX = []float64{10, -10, 10, 10, 10, -10}
)

func TestBinaryCrossentropyValues(t *testing.T) {
	docT := []float64{0, 1, 0, 0}
	docX := []float64{-18.6, 0.51, 2.94, -12.8}
	runLossCases(t, []lossCase{
		{name: "keras_doc", loss: BinaryCrossentropy(), shape: []int{2, 2}, yTrue: kerasBinTrue, yPred: kerasBinPred,
			want: (0.916 + 0.714) / 2, rel: 1e-3, source: "Keras losses.py binary_crossentropy docstring, per sample [0.916, 0.714]"},
		{name: "keras_unweighted", loss: BinaryCrossentropy(), shape: []int{3, 3}, yTrue: bceTrue3, yPred: bcePred3,
			want: 0.20046903, rel: 1e-6, source: "Keras losses_test.py BinaryCrossentropyTest.test_unweighted"},
		{name: "keras_clipped", loss: BinaryCrossentropy(), shape: []int{2, 2}, yTrue: []float64{1, 0, 1, 0}, yPred: []float64{1, 1, 1, 0},
			// In float32 1-1e-7 rounds to 1-2^-23*... so -log(1-p) = 15.942 instead of 16.118.
			want: batchMean([]int{2, 2}, []float64{1, 0, 1, 0}, []float64{1, 1, 1, 0}, refBCE), want32: f64(3.98559), rel: 1e-5,
			source: "float64: refBCE in this file; float32: Keras losses_test.py test_unweighted (3.98559)"},
		{name: "keras_logits", loss: BinaryCrossentropy(FromLogits(true)), shape: []int{2, 3}, yTrue: bceLogitsT, yPred: bceLogitsX,
			want: 3.3333, rel: 1e-4, source: "Keras losses_test.py test_unweighted, with logits (3.3333)"},
		{name: "keras_doc_logits", loss: BinaryCrossentropy(FromLogits(true)), shape: []int{2, 2}, yTrue: docT, yPred: docX,
			want: 0.8654, rel: 1e-4, source: "Keras losses.py BinaryCrossentropy docstring (0.8654)"},
		{name: "keras_label_smoothing", loss: BinaryCrossentropy(FromLogits(true), LabelSmoothing(0.1)), shape: []int{1, 3},
			yTrue: []float64{1, 0, 1}, yPred: []float64{10, -10, -10},
			want: (10 + 5*0.1) / 3, rel: 1e-4, source: "Keras losses_test.py BinaryCrossentropyTest.test_label_smoothing"},
		{name: "label_smoothing_probs", loss: BinaryCrossentropy(LabelSmoothing(0.2)), shape: []int{2, 2}, yTrue: kerasBinTrue, yPred: kerasBinPred,
			want: batchMean([]int{2, 2}, []float64{0.1, 0.9, 0.1, 0.1}, kerasBinPred, refBCE), source: "refBCE on targets t*0.8+0.1"},
		{name: "formula_logits", loss: BinaryCrossentropy(FromLogits(true)), shape: []int{2, 2}, yTrue: []float64{1, 0, 0.3, 1}, yPred: []float64{0.5, -2, 3, 0},
			want: batchMean([]int{2, 2}, []float64{1, 0, 0.3, 1}, []float64{0.5, -2, 3, 0}, refBCELogits), source: "refBCELogits in this file"},
	})
}

// Logits of magnitude 1e3 in a multi-row batch: the loss and its
// gradient stay finite and right.
func TestBinaryCrossentropyExtremeLogits(t *testing.T) {
	tr := []float64{1, 0, 0, 1, 1, 0}
	x := []float64{1000, -1000, 1000, -1000, 0, 999}
	l := BinaryCrossentropy(FromLogits(true))
	// Per element: 0, 0, 1000, 1000, log 2, 999 (+ terms below 1e-300).
	want := (1000 + 1000 + math.Ln2 + 999) / 6
	// d/dx = (sigmoid(x) - t)/6.
	wantGrad := []float64{0, 0, 1.0 / 6, -1.0 / 6, -0.5 / 6, 1.0 / 6}
	for _, dt := range dtypes {
		got, grad := evalLoss(t, l, dt, []int{3, 2}, tr, x)
		if !approx(got, want, 1e-6, 0) {
			t.Errorf("%v: loss = %v, want %v", dt, got, want)
		}
		for i := range grad {
			if !approx(grad[i], wantGrad[i], 1e-6, 1e-7) {
				t.Errorf("%v: grad[%d] = %v, want %v", dt, i, grad[i], wantGrad[i])
			}
		}
	}
	checkGrad(t, l, []int{3, 2}, tr, x, gradcheck.Config{Step: 1e-3})
}

func TestBinaryCrossentropyGradient(t *testing.T) {
	runGradCases(t, []gradCase{
		{name: "probs", loss: BinaryCrossentropy(), shape: []int{3, 3}, yTrue: bceTrue3, yPred: bcePred3},
		{name: "probs_smoothing", loss: BinaryCrossentropy(LabelSmoothing(0.1)), shape: []int{2, 2}, yTrue: kerasBinTrue, yPred: kerasBinPred},
		{name: "logits", loss: BinaryCrossentropy(FromLogits(true)), shape: []int{2, 3}, yTrue: []float64{1, 0, 0.3, 1, 0, 1}, yPred: []float64{0.5, -2, 3, 0, 20, -30}},
		{name: "logits_smoothing", loss: BinaryCrossentropy(FromLogits(true), LabelSmoothing(0.1)), shape: []int{2, 3}, yTrue: bceLogitsT, yPred: []float64{1, -1, 2, 0.5, 3, -4}},
	})
}

func TestBinaryCrossentropyBadSmoothing(t *testing.T) {
	if _, err := BinaryCrossentropy(LabelSmoothing(1.5)).Compute(twoNodes(t)); err == nil {
		t.Error("label_smoothing 1.5: expected an error")
	}
}
