package losses

import (
	"math"
	"testing"
)

// refKL sums t*log(t/p) over the row, both clipped to [1e-7, 1].
func refKL(t, p []float64) float64 {
	clip := func(x float64) float64 { return math.Min(math.Max(x, 1e-7), 1) }
	var s float64
	for i := range t {
		a, b := clip(t[i]), clip(p[i])
		s += a * math.Log(a/b)
	}
	return s
}

// Keras losses_test.py KLDivergenceTest.setup.
var (
	klTrue = []float64{0.5, 0.8, 0.12, 0.7, 0.43, 0.8}
	klPred = []float64{0.4, 0.9, 0.12, 0.36, 0.3, 0.4}
)

func TestKLDivergenceValues(t *testing.T) {
	var byHand float64
	for i := range klTrue {
		byHand += klTrue[i] * math.Log(klTrue[i]/klPred[i])
	}
	oneHot := []float64{0, 1, 0, 1}
	probs := []float64{0.3, 0.7, 1.2, -0.1}
	runLossCases(t, []lossCase{
		{name: "keras_unweighted", loss: KLDivergence(), shape: []int{2, 3}, yTrue: klTrue, yPred: klPred,
			want: byHand / 2, source: "Keras losses_test.py KLDivergenceTest.test_unweighted: sum of t*log(t/p) over the batch of 2"},
		{name: "clipped", loss: KLDivergence(), shape: []int{2, 2}, yTrue: oneHot, yPred: probs,
			// Row 1: 1e-7*log(1e-7/0.3) + log(1/0.7); row 2: 1e-7*log(1e-7/1) + 1*log(1/1e-7).
			want: (1e-7*math.Log(1e-7/0.3) + math.Log(1/0.7) + 1e-7*math.Log(1e-7) + math.Log(1e7)) / 2, rel: 1e-6,
			source: "by hand, clipping to [1e-7, 1]"},
		{name: "formula_3d", loss: KLDivergence(), shape: []int{2, 1, 3}, yTrue: klTrue, yPred: klPred,
			want: batchMean([]int{2, 3}, klTrue, klPred, refKL), source: "refKL in this file"},
	})
}

func TestKLDivergenceGradient(t *testing.T) {
	runGradCases(t, []gradCase{
		{name: "keras", loss: KLDivergence(), shape: []int{2, 3}, yTrue: klTrue, yPred: klPred},
		{name: "one_hot", loss: KLDivergence(), shape: []int{2, 2}, yTrue: []float64{0, 1, 1, 0}, yPred: []float64{0.3, 0.7, 0.6, 0.4}},
	})
}
