package losses

import (
	"math"
	"testing"
)

func refMAPE(t, p []float64) float64 {
	var s float64
	for i := range t {
		s += math.Abs(t[i]-p[i]) / math.Max(math.Abs(t[i]), 1e-7)
	}
	return 100 * s / float64(len(t))
}

func TestMeanAbsolutePercentageErrorValues(t *testing.T) {
	zt := []float64{0, 2, 0, -4}
	zp := []float64{1e-8, 1, 0.5, -3}
	runLossCases(t, []lossCase{
		{name: "keras_unweighted", loss: MeanAbsolutePercentageError(), shape: []int{2, 3}, yTrue: kerasRegTrue, yPred: kerasRegPred,
			want: 211.85185185185185, source: "Keras losses_test.py MeanAbsolutePercentageErrorTest.test_unweighted (211.8518); digits by hand: (270.370+153.333)/2"},
		{name: "zero_targets", loss: MeanAbsolutePercentageError(), shape: []int{2, 2}, yTrue: zt, yPred: zp,
			// |0-1e-8|/1e-7 = 0.1, |2-1|/2 = 0.5, 0.5/1e-7 = 5e6, 1/4 = 0.25
			want: 100 * (0.1 + 0.5 + 5e6 + 0.25) / 4, rel: 1e-6, source: "by hand, denominators max(|t|, 1e-7)"},
		{name: "formula", loss: MeanAbsolutePercentageError(), shape: []int{3, 2}, yTrue: kerasRegTrue, yPred: kerasRegPred,
			want: batchMean([]int{3, 2}, kerasRegTrue, kerasRegPred, refMAPE), source: "float64 formula refMAPE in this file"},
	})
}

func TestMeanAbsolutePercentageErrorGradient(t *testing.T) {
	runGradCases(t, []gradCase{
		{name: "keras", loss: MeanAbsolutePercentageError(), shape: []int{2, 3}, yTrue: kerasRegTrue, yPred: kerasRegPred},
		{name: "small_targets", loss: MeanAbsolutePercentageError(), shape: []int{2, 2}, yTrue: []float64{0.1, -0.2, 3, 0.5}, yPred: []float64{0.3, 0.1, 2.5, 0.45}},
	})
}
