package losses

import (
	"math"
	"testing"
)

func refMAE(t, p []float64) float64 {
	var s float64
	for i := range t {
		s += math.Abs(t[i] - p[i])
	}
	return s / float64(len(t))
}

func TestMeanAbsoluteErrorValues(t *testing.T) {
	tr := []float64{0.5, -1, 2, 3, 0, 7}
	pr := []float64{1, 1, 1, 3.5, -2, 6}
	runLossCases(t, []lossCase{
		{name: "keras_unweighted", loss: MeanAbsoluteError(), shape: []int{2, 3}, yTrue: kerasRegTrue, yPred: kerasRegPred,
			want: 5.5, source: "Keras losses_test.py MeanAbsoluteErrorTest.test_unweighted"},
		{name: "by_hand", loss: MeanAbsoluteError(), shape: []int{2, 3}, yTrue: tr, yPred: pr,
			want: (0.5 + 2 + 1 + 0.5 + 2 + 1) / 6, source: "by hand"},
		{name: "formula", loss: MeanAbsoluteError(), shape: []int{3, 2}, yTrue: tr, yPred: pr,
			want: batchMean([]int{3, 2}, tr, pr, refMAE), source: "float64 formula refMAE in this file"},
	})
}

func TestMeanAbsoluteErrorGradient(t *testing.T) {
	// Points away from the kink at y_true == y_pred.
	runGradCases(t, []gradCase{
		{name: "keras", loss: MeanAbsoluteError(), shape: []int{2, 3}, yTrue: kerasRegTrue, yPred: kerasRegPred},
	})
}
