package metrics

import "testing"

func TestAUC(t *testing.T) {
	// Keras's AUC docstring and confusion_metrics_test:
	// update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]).
	kerasBatch := batch{[]int{4}, []int{4}, []float64{0, 0, 1, 1}, []float64{0, 0.5, 0.3, 0.9}}
	tests := []struct {
		name   string
		m      func() Metric
		source string
		bs     []batch
		want   float64
	}{
		{"num_thresholds 3", func() Metric { return AUC(NumThresholds(3)) },
			"Keras AUC docstring: thresholds [-1e-7, 0.5, 1+1e-7], tpr [1, 0.5, 0], fpr [1, 0, 0]",
			[]batch{kerasBatch}, 0.75},
		{"default 200", func() Metric { return AUC() },
			"hand: buckets 0, 99 (negatives), 59, 179 (positives); fpr falls 1->0.5 at 1 and 0.5->0 at 100 with tpr 1 then 0.5",
			[]batch{kerasBatch}, 0.75},
		{"(4,1) columns", func() Metric { return AUC() }, "same as above",
			[]batch{{[]int{4, 1}, []int{4, 1}, kerasBatch.yTrue, kerasBatch.yPred}}, 0.75},
		{"tie interpolates", func() Metric { return AUC() },
			"hand: one positive and one negative at 0.5 share a bucket: trapezoid (1-0)*(1+0)/2",
			[]batch{{[]int{2}, []int{2}, []float64{0, 1}, []float64{0.5, 0.5}}}, 0.5},
		{"perfect", func() Metric { return AUC() }, "hand: every positive above every negative",
			[]batch{{[]int{4}, []int{4}, []float64{0, 0, 1, 1}, []float64{0.1, 0.2, 0.8, 1}}}, 1},
		{"outside [0,1] is clipped", func() Metric { return AUC() }, "hand: -3 counts as 0 and 7 as 1",
			[]batch{{[]int{2}, []int{2}, []float64{0, 1}, []float64{-3, 7}}}, 1},
		{"one class only", func() Metric { return AUC() }, "hand: no negatives, fpr is 0 everywhere (divide_no_nan)",
			[]batch{{[]int{2}, []int{2}, []float64{1, 1}, []float64{0.2, 0.7}}}, 0},
		{"two batches", func() Metric { return AUC(NumThresholds(3)) }, "Keras AUC docstring batch, split in two",
			[]batch{
				{[]int{2}, []int{2}, []float64{0, 0}, []float64{0, 0.5}},
				{[]int{2}, []int{2}, []float64{1, 1}, []float64{0.3, 0.9}},
			}, 0.75},
		{"empty", func() Metric { return AUC() }, "Keras: 0 before any update", nil, 0},
	}
	for _, tc := range tests {
		for _, dt := range dtypes {
			if got := run(t, tc.m(), dt, tc.bs...); !near(got, tc.want) {
				t.Errorf("%s %v: got %v, want %v (%s)", tc.name, dt, got, tc.want, tc.source)
			}
		}
	}
}

func TestAUCConstructorPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("AUC(NumThresholds(1)): no panic")
		}
	}()
	AUC(NumThresholds(1))
}
