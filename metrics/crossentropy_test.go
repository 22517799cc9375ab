package metrics

import "testing"

func TestCrossentropy(t *testing.T) {
	tests := []struct {
		name   string
		m      func() Metric
		source string
		b      batch
		want   float64
	}{
		{"binary", func() Metric { return BinaryCrossentropy() },
			"Keras BinaryCrossentropy docstring: -(log 0.4 + log 0.4)/2 and -(log 0.6 + log 0.4)/2, averaged",
			batch{[]int{2, 2}, []int{2, 2}, []float64{0, 1, 0, 0}, []float64{0.6, 0.4, 0.4, 0.6}}, 0.81492424},
		{"binary clipped", func() Metric { return BinaryCrossentropy() }, "hand: -log(1e-7) = 16.1180957",
			batch{[]int{1, 1}, []int{1, 1}, []float64{1}, []float64{0}}, 16.11809565095832},
		{"categorical", func() Metric { return CategoricalCrossentropy() },
			"Keras CategoricalCrossentropy docstring: (-log 0.95 - log 0.1)/2",
			batch{[]int{2, 3}, []int{2, 3}, []float64{0, 1, 0, 0, 0, 1}, []float64{0.05, 0.95, 0, 0.1, 0.8, 0.1}}, 1.1769392},
		{"categorical unnormalised", func() Metric { return CategoricalCrossentropy() },
			"hand: rows are scaled to sum 1 first, as Keras: -log(1/4)",
			batch{[]int{1, 2}, []int{1, 2}, []float64{1, 0}, []float64{1, 3}}, 1.3862943611198906},
		{"sparse", func() Metric { return SparseCategoricalCrossentropy() },
			"Keras SparseCategoricalCrossentropy docstring",
			batch{[]int{2}, []int{2, 3}, []float64{1, 2}, []float64{0.05, 0.95, 0, 0.1, 0.8, 0.1}}, 1.1769392},
	}
	for _, tc := range tests {
		for _, dt := range dtypes {
			if got := run(t, tc.m(), dt, tc.b); !near(got, tc.want) {
				t.Errorf("%s %v: got %v, want %v (%s)", tc.name, dt, got, tc.want, tc.source)
			}
		}
	}
}
