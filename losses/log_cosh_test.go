package losses

import (
	"math"
	"testing"
)

func refLogCosh(t, p []float64) float64 {
	var s float64
	for i := range t {
		s += math.Log(math.Cosh(p[i] - t[i]))
	}
	return s / float64(len(t))
}

func TestLogCoshValues(t *testing.T) {
	big := []float64{50, -50, 1000, -1000}
	zero := make([]float64, 4)
	runLossCases(t, []lossCase{
		{name: "keras_doc", loss: LogCosh(), shape: []int{2, 2}, yTrue: []float64{0, 1, 0, 0}, yPred: []float64{1, 1, 0, 0},
			want: math.Log(math.Cosh(1)) / 4, source: "Keras losses.py log_cosh docstring (0.108); digits from log(cosh(1))/4"},
		{name: "keras_test", loss: LogCosh(), shape: []int{2, 3}, yTrue: kerasRegTrue, yPred: kerasRegPred,
			want: batchMean([]int{2, 3}, kerasRegTrue, kerasRegPred, refLogCosh), source: "Keras losses_test.py LogCoshTest data; float64 formula log(cosh(x))"},
		{name: "large_errors", loss: LogCosh(), shape: []int{2, 2}, yTrue: zero, yPred: big,
			// log(cosh(x)) = |x| - log 2 + log1p(exp(-2|x|)); the last term is below 1e-43 here.
			want: (50+50+1000+1000)/4 - math.Ln2, source: "by hand: asymptote |x| - log 2"},
	})
}

func TestLogCoshGradient(t *testing.T) {
	runGradCases(t, []gradCase{
		{name: "keras", loss: LogCosh(), shape: []int{2, 3}, yTrue: kerasRegTrue, yPred: kerasRegPred},
		{name: "small", loss: LogCosh(), shape: []int{2, 3}, yTrue: huberTrue, yPred: huberPred},
		// Around Gorgonia's own Softplus cut-off (x > 16), which the loss avoids.
		{name: "near_cutoff", loss: LogCosh(), shape: []int{1, 4}, yTrue: []float64{0, 0, 0, 0}, yPred: []float64{-8.5, 8.5, -9, 7.9}},
	})
}
