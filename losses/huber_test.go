package losses

import (
	"math"
	"testing"
)

func refHuber(delta float64) func(t, p []float64) float64 {
	return func(t, p []float64) float64 {
		var s float64
		for i := range t {
			x := math.Abs(p[i] - t[i])
			if x <= delta {
				s += 0.5 * x * x
			} else {
				s += delta*x - 0.5*delta*delta
			}
		}
		return s / float64(len(t))
	}
}

// Keras losses_test.py HuberTest.setup.
var (
	huberTrue = []float64{1, 0, 1, 1, 0, 0}
	huberPred = []float64{0.9, 0.2, 0.2, 0.8, 0.4, 0.6}
)

func TestHuberValues(t *testing.T) {
	runLossCases(t, []lossCase{
		{name: "keras_doc", loss: Huber(), shape: []int{2, 2}, yTrue: kerasBinTrue, yPred: kerasBinPred,
			want: 0.155, source: "Keras losses.py huber docstring (0.155)"},
		{name: "keras_test", loss: Huber(), shape: []int{2, 3}, yTrue: huberTrue, yPred: huberPred,
			want: 0.5 * (0.01 + 0.04 + 0.64 + 0.04 + 0.16 + 0.36) / 6, source: "Keras losses_test.py HuberTest.test_unweighted data; by hand, all errors <= 1"},
		{name: "delta_0.5", loss: Huber(Delta(0.5)), shape: []int{2, 3}, yTrue: huberTrue, yPred: huberPred,
			// quadratic 0.005+0.02+0.02+0.08, linear 0.8->0.275, 0.6->0.175
			want: (0.125 + 0.275 + 0.175) / 6, source: "by hand"},
		{name: "formula_delta_0.8", loss: Huber(Delta(0.8)), shape: []int{2, 3}, yTrue: kerasRegTrue, yPred: kerasRegPred,
			want: batchMean([]int{2, 3}, kerasRegTrue, kerasRegPred, refHuber(0.8)), source: "float64 formula refHuber in this file"},
	})
}

func TestHuberGradient(t *testing.T) {
	runGradCases(t, []gradCase{
		{name: "both_branches", loss: Huber(Delta(0.5)), shape: []int{2, 3}, yTrue: huberTrue, yPred: huberPred},
		{name: "linear", loss: Huber(Delta(0.8)), shape: []int{2, 3}, yTrue: kerasRegTrue, yPred: kerasRegPred},
	})
}

func TestHuberBadDelta(t *testing.T) {
	for _, d := range []float64{0, -1, math.NaN()} {
		_, err := Huber(Delta(d)).Compute(twoNodes(t))
		if err == nil {
			t.Errorf("delta %v: expected an error", d)
		}
	}
}
