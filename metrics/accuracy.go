package metrics

import (
	"fmt"
	"math"
)

// BinaryAccuracy is how often a prediction, thresholded, equals its
// binary label: a prediction above Threshold (default 0.5) counts as 1.
// Each sample scores the fraction of its outputs that match. Default
// name "binary_accuracy". Any threshold is accepted, as in Keras:
// Threshold(0) on logits is Threshold(0.5) on their sigmoid. It panics
// on a NaN threshold, which no prediction exceeds.
func BinaryAccuracy(opts ...Option) Metric {
	c := newConfig("binary_accuracy", opts)
	if math.IsNaN(c.threshold) {
		panic("metrics.BinaryAccuracy: threshold is NaN")
	}
	return &meanMetric{cfg: c, f32: binaryAccuracy[float32], f64: binaryAccuracy[float64]}
}

func binaryAccuracy[T float](yt, yp []T, g geom, c *config) (float64, error) {
	thr := T(c.threshold)
	var sum float64
	for r := range g.rows {
		hits := 0
		for i := r * g.cols; i < (r+1)*g.cols; i++ {
			var p T
			if yp[i] > thr {
				p = 1
			}
			if yt[i] == p {
				hits++
			}
		}
		sum += float64(hits) / float64(g.cols)
	}
	return sum, nil
}

// CategoricalAccuracy is how often the class of the highest prediction is
// the class of the highest (one-hot) label. Default name
// "categorical_accuracy".
func CategoricalAccuracy(opts ...Option) Metric {
	c := newConfig("categorical_accuracy", opts)
	return &meanMetric{cfg: c, f32: categoricalAccuracy[float32], f64: categoricalAccuracy[float64]}
}

func categoricalAccuracy[T float](yt, yp []T, g geom, _ *config) (float64, error) {
	var hits int
	for r := range g.rows {
		row := r * g.cols
		if argmax(yt[row:row+g.cols]) == argmax(yp[row:row+g.cols]) {
			hits++
		}
	}
	return float64(hits), nil
}

// SparseCategoricalAccuracy is how often the class of the highest
// prediction is the integer label. Default name
// "sparse_categorical_accuracy".
func SparseCategoricalAccuracy(opts ...Option) Metric {
	c := newConfig("sparse_categorical_accuracy", opts)
	return &meanMetric{cfg: c, sparse: true, f32: sparseCategoricalAccuracy[float32], f64: sparseCategoricalAccuracy[float64]}
}

func sparseCategoricalAccuracy[T float](yt, yp []T, g geom, _ *config) (float64, error) {
	var hits int
	for r := range g.rows {
		l, err := label(yt[r], r, g.cols)
		if err != nil {
			return 0, err
		}
		row := r * g.cols
		if argmax(yp[row:row+g.cols]) == l {
			hits++
		}
	}
	return float64(hits), nil
}

// TopKCategoricalAccuracy is how often the class of the highest (one-hot)
// label is among the K (default 5) highest predictions; a class tied with
// the k-th highest counts as among them, as in Keras's in_top_k. Default
// name "top_k_categorical_accuracy". It panics on K below 1.
func TopKCategoricalAccuracy(opts ...Option) Metric {
	c := newConfig("top_k_categorical_accuracy", opts)
	checkK("TopKCategoricalAccuracy", c.k)
	return &meanMetric{cfg: c, f32: topKCategoricalAccuracy[float32], f64: topKCategoricalAccuracy[float64]}
}

func topKCategoricalAccuracy[T float](yt, yp []T, g geom, c *config) (float64, error) {
	var hits int
	for r := range g.rows {
		row := r * g.cols
		if inTopK(yp[row:row+g.cols], argmax(yt[row:row+g.cols]), c.k) {
			hits++
		}
	}
	return float64(hits), nil
}

// SparseTopKCategoricalAccuracy is how often the integer label is among
// the K (default 5) highest predictions, ties counting as in
// TopKCategoricalAccuracy. Default name
// "sparse_top_k_categorical_accuracy". It panics on K below 1.
func SparseTopKCategoricalAccuracy(opts ...Option) Metric {
	c := newConfig("sparse_top_k_categorical_accuracy", opts)
	checkK("SparseTopKCategoricalAccuracy", c.k)
	return &meanMetric{cfg: c, sparse: true, f32: sparseTopKCategoricalAccuracy[float32], f64: sparseTopKCategoricalAccuracy[float64]}
}

func sparseTopKCategoricalAccuracy[T float](yt, yp []T, g geom, c *config) (float64, error) {
	var hits int
	for r := range g.rows {
		l, err := label(yt[r], r, g.cols)
		if err != nil {
			return 0, err
		}
		row := r * g.cols
		if inTopK(yp[row:row+g.cols], l, c.k) {
			hits++
		}
	}
	return float64(hits), nil
}

func checkK(ctor string, k int) {
	if k < 1 {
		panic(fmt.Sprintf("metrics.%s: k must be at least 1, got %d", ctor, k))
	}
}

// argmax is the index of the first largest value, as numpy's.
func argmax[T float](v []T) int {
	best := 0
	for i := 1; i < len(v); i++ {
		if v[i] > v[best] {
			best = i
		}
	}
	return best
}

// inTopK reports whether v[target] is at least the k-th largest value of
// v: fewer than k values are strictly greater.
func inTopK[T float](v []T, target, k int) bool {
	t := v[target]
	greater := 0
	for _, x := range v {
		if x > t {
			greater++
			if greater >= k {
				return false
			}
		}
	}
	return true
}
