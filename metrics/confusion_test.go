package metrics

import "testing"

func TestPrecisionRecall(t *testing.T) {
	// Keras's Precision and Recall docstrings:
	// update_state([0, 1, 1, 1], [1, 0, 1, 1]) gives tp 2, fp 1, fn 1.
	kerasBatch := batch{[]int{4}, []int{4}, []float64{0, 1, 1, 1}, []float64{1, 0, 1, 1}}
	tests := []struct {
		name   string
		m      func() Metric
		source string
		bs     []batch
		want   float64
	}{
		{"precision", func() Metric { return Precision() }, "Keras Precision docstring", []batch{kerasBatch}, 2.0 / 3},
		{"recall", func() Metric { return Recall() }, "Keras Recall docstring", []batch{kerasBatch}, 2.0 / 3},
		{"precision threshold", func() Metric { return Precision(Threshold(0.8)) },
			"hand: only 0.9 (label 1) is above 0.8", []batch{{[]int{3}, []int{3}, []float64{0, 1, 1}, []float64{0.7, 0.9, 0.6}}}, 1},
		{"recall threshold", func() Metric { return Recall(Threshold(0.8)) },
			"hand: 1 of 2 positives above 0.8", []batch{{[]int{3}, []int{3}, []float64{0, 1, 1}, []float64{0.7, 0.9, 0.6}}}, 0.5},
		{"precision nothing predicted", func() Metric { return Precision() }, "Keras divide_no_nan: 0",
			[]batch{{[]int{2}, []int{2}, []float64{1, 0}, []float64{0.1, 0.2}}}, 0},
	}
	for _, tc := range tests {
		for _, dt := range dtypes {
			if got := run(t, tc.m(), dt, tc.bs...); !near(got, tc.want) {
				t.Errorf("%s %v: got %v, want %v (%s)", tc.name, dt, got, tc.want, tc.source)
			}
		}
	}
}
