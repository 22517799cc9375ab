package metrics

import "testing"

// keras is the batch of Keras's regression-metric docstrings:
// update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]]).
var keras = batch{[]int{2, 2}, []int{2, 2}, []float64{0, 1, 0, 0}, []float64{1, 1, 0, 0}}

func TestRegression(t *testing.T) {
	tests := []struct {
		name   string
		m      func() Metric
		source string
		bs     []batch
		want   float64
	}{
		{"mse", func() Metric { return MeanSquaredError() }, "Keras MeanSquaredError docstring", []batch{keras}, 0.25},
		{"mae", func() Metric { return MeanAbsoluteError() }, "Keras MeanAbsoluteError docstring", []batch{keras}, 0.25},
		{"rmse", func() Metric { return RootMeanSquaredError() }, "Keras RootMeanSquaredError docstring", []batch{keras}, 0.5},
		{"mape", func() Metric { return MeanAbsolutePercentageError() }, "Keras MeanAbsolutePercentageError docstring", []batch{keras}, 250000000},
		{"mape nonzero targets", func() Metric { return MeanAbsolutePercentageError() }, "hand: 100*(0.5/2 + 1/4)/2",
			[]batch{{[]int{2}, []int{2}, []float64{2, 4}, []float64{2.5, 3}}}, 25},
		{"mse rank 1", func() Metric { return MeanSquaredError() }, "hand: (1 + 4 + 0)/3",
			[]batch{{[]int{3}, []int{3}, []float64{0, 0, 1}, []float64{1, -2, 1}}}, 5.0 / 3},
		{"rmse over all samples", func() Metric { return RootMeanSquaredError() },
			"hand: sqrt((4 + 0)/2) = 1.41421356; the mean of batch roots would be 1",
			[]batch{
				{[]int{1, 1}, []int{1, 1}, []float64{0}, []float64{2}},
				{[]int{1, 1}, []int{1, 1}, []float64{3}, []float64{3}},
			}, 1.4142135623730951},
	}
	for _, tc := range tests {
		for _, dt := range dtypes {
			if got := run(t, tc.m(), dt, tc.bs...); !near(got, tc.want) {
				t.Errorf("%s %v: got %v, want %v (%s)", tc.name, dt, got, tc.want, tc.source)
			}
		}
	}
}
