package losses

import "testing"

func refMSE(t, p []float64) float64 {
	var s float64
	for i := range t {
		s += (t[i] - p[i]) * (t[i] - p[i])
	}
	return s / float64(len(t))
}

func TestMeanSquaredErrorValues(t *testing.T) {
	smallT := []float64{0, 1, 0, 0, 0, 1}
	smallP := []float64{0.2, 0.7, 0.1, 0.3, 0.3, 0.4}
	runLossCases(t, []lossCase{
		{name: "keras_unweighted", loss: MeanSquaredError(), shape: []int{2, 3}, yTrue: kerasRegTrue, yPred: kerasRegPred,
			want: 49.5, source: "Keras losses_test.py MeanSquaredErrorTest.test_unweighted"},
		{name: "all_correct", loss: MeanSquaredError(), shape: []int{2, 3}, yTrue: kerasRegPred, yPred: kerasRegPred,
			want: 0, source: "Keras losses_test.py test_all_correct_unweighted"},
		{name: "timesteps", loss: MeanSquaredError(), shape: []int{2, 3, 1}, yTrue: kerasRegTrue, yPred: kerasRegPred,
			want: 49.5, source: "by hand: mean over the last axis of size 1, then over 2x3 samples, equals the 2x3 mean"},
		{name: "by_hand", loss: MeanSquaredError(), shape: []int{2, 3}, yTrue: smallT, yPred: smallP,
			want: (0.04 + 0.09 + 0.01 + 0.09 + 0.09 + 0.36) / 6, source: "by hand"},
		{name: "formula", loss: MeanSquaredError(), shape: []int{3, 2}, yTrue: smallT, yPred: smallP,
			want: batchMean([]int{3, 2}, smallT, smallP, refMSE), source: "float64 formula refMSE in this file"},
	})
}

func TestMeanSquaredErrorGradient(t *testing.T) {
	runGradCases(t, []gradCase{
		{name: "keras", loss: MeanSquaredError(), shape: []int{2, 3}, yTrue: kerasRegTrue, yPred: kerasRegPred},
		{name: "3d", loss: MeanSquaredError(), shape: []int{2, 2, 2}, yTrue: []float64{1, 2, 3, 4, 5, 6, 7, 8}, yPred: []float64{0.5, -1, 2, 4.5, 3, 9, -2, 0}},
	})
}
