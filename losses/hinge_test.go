package losses

import (
	"math"
	"testing"
)

func refHinge(t, p []float64) float64 {
	var s float64
	for i := range t {
		s += math.Max(1-t[i]*p[i], 0)
	}
	return s / float64(len(t))
}

func TestHingeValues(t *testing.T) {
	pm := []float64{-1, 1, 1, -1, 1, -1}
	pr := []float64{0.3, 2, -0.5, -0.2, 0.9, 1.5}
	// Not all of {0, 1}: used as they are.
	mixed := []float64{0, 1, 0.5, 1, 0, 1}
	runLossCases(t, []lossCase{
		{name: "keras_binary_labels", loss: Hinge(), shape: []int{2, 2}, yTrue: kerasBinTrue, yPred: kerasBinPred,
			want: 1.3, rel: 1e-6, source: "Keras losses_test.py HingeTest.test_unweighted (0/1 labels become -1/1)"},
		{name: "plus_minus_one", loss: Hinge(), shape: []int{2, 3}, yTrue: pm, yPred: pr,
			// 1.3, 0, 1.5, 0.8, 0.1, 2.5
			want: (1.3 + 0 + 1.5 + 0.8 + 0.1 + 2.5) / 6, source: "by hand"},
		{name: "binary_formula", loss: Hinge(), shape: []int{2, 3}, yTrue: []float64{0, 1, 1, 0, 1, 0}, yPred: pr,
			want: batchMean([]int{2, 3}, pm, pr, refHinge), source: "refHinge on the labels mapped 0->-1 by hand"},
		{name: "not_binary", loss: Hinge(), shape: []int{2, 3}, yTrue: mixed, yPred: pr,
			want: batchMean([]int{2, 3}, mixed, pr, refHinge), source: "refHinge, labels unchanged as in Keras"},
	})
}

func TestHingeGradient(t *testing.T) {
	runGradCases(t, []gradCase{
		{name: "plus_minus_one", loss: Hinge(), shape: []int{2, 3}, yTrue: []float64{-1, 1, 1, -1, 1, -1}, yPred: []float64{0.3, 2, -0.5, -0.2, 0.9, 1.5}},
		{name: "binary", loss: Hinge(), shape: []int{2, 2}, yTrue: kerasBinTrue, yPred: kerasBinPred},
	})
}
