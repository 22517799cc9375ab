package metrics

import (
	"math"
	"testing"
)

func TestAccuracy(t *testing.T) {
	tests := []struct {
		name   string
		m      func() Metric
		source string
		bs     []batch
		want   float64
	}{
		{"binary", func() Metric { return BinaryAccuracy() }, "Keras BinaryAccuracy docstring",
			[]batch{{[]int{4, 1}, []int{4, 1}, []float64{1, 1, 0, 0}, []float64{0.98, 1, 0, 0.6}}}, 0.75},
		{"binary rank 1", func() Metric { return BinaryAccuracy() }, "Keras BinaryAccuracy docstring, as (batch,)",
			[]batch{{[]int{4}, []int{4}, []float64{1, 1, 0, 0}, []float64{0.98, 1, 0, 0.6}}}, 0.75},
		{"binary (4,) vs (4,1)", func() Metric { return BinaryAccuracy() }, "Keras BinaryAccuracy docstring, y_true squeezed",
			[]batch{{[]int{4}, []int{4, 1}, []float64{1, 1, 0, 0}, []float64{0.98, 1, 0, 0.6}}}, 0.75},
		{"binary strictly above threshold", func() Metric { return BinaryAccuracy() }, "hand: 0.5 is not > 0.5, so predicts 0",
			[]batch{{[]int{2, 1}, []int{2, 1}, []float64{0, 1}, []float64{0.5, 0.5}}}, 0.5},
		{"binary threshold 0.7", func() Metric { return BinaryAccuracy(Threshold(0.7)) }, "hand: 0.98 and 1 above, 0.6 below",
			[]batch{{[]int{4, 1}, []int{4, 1}, []float64{1, 1, 0, 0}, []float64{0.98, 1, 0, 0.6}}}, 1},
		{"binary two outputs", func() Metric { return BinaryAccuracy() }, "hand: rows score 2/2 and 1/2",
			[]batch{{[]int{2, 2}, []int{2, 2}, []float64{1, 0, 1, 1}, []float64{0.7, 0.2, 0.3, 0.9}}}, 0.75},
		{"categorical", func() Metric { return CategoricalAccuracy() }, "Keras CategoricalAccuracy docstring",
			[]batch{{[]int{2, 3}, []int{2, 3}, []float64{0, 0, 1, 0, 1, 0}, []float64{0.1, 0.9, 0.8, 0.05, 0.95, 0}}}, 0.5},
		{"categorical ties take the first", func() Metric { return CategoricalAccuracy() }, "hand: argmax of [0.5 0.5 0] is 0, as numpy",
			[]batch{{[]int{2, 3}, []int{2, 3}, []float64{1, 0, 0, 0, 1, 0}, []float64{0.5, 0.5, 0, 0.5, 0.5, 0}}}, 0.5},
		{"sparse (2,1)", func() Metric { return SparseCategoricalAccuracy() }, "Keras SparseCategoricalAccuracy docstring",
			[]batch{{[]int{2, 1}, []int{2, 3}, []float64{2, 1}, []float64{0.1, 0.6, 0.3, 0.05, 0.95, 0}}}, 0.5},
		{"sparse (2,)", func() Metric { return SparseCategoricalAccuracy() }, "Keras SparseCategoricalAccuracy docstring, labels (batch,)",
			[]batch{{[]int{2}, []int{2, 3}, []float64{2, 1}, []float64{0.1, 0.6, 0.3, 0.05, 0.95, 0}}}, 0.5},
		{"top-1", func() Metric { return TopKCategoricalAccuracy(K(1)) }, "Keras TopKCategoricalAccuracy docstring (k=1)",
			[]batch{{[]int{2, 3}, []int{2, 3}, []float64{0, 0, 1, 0, 1, 0}, []float64{0.1, 0.9, 0.8, 0.05, 0.95, 0}}}, 0.5},
		{"top-2", func() Metric { return TopKCategoricalAccuracy(K(2)) }, "hand: class 2 (0.8) is second of row 1",
			[]batch{{[]int{2, 3}, []int{2, 3}, []float64{0, 0, 1, 0, 1, 0}, []float64{0.1, 0.9, 0.8, 0.05, 0.95, 0}}}, 1},
		{"top-5 default, 3 classes", func() Metric { return TopKCategoricalAccuracy() }, "hand: k=5 >= 3 classes, always in",
			[]batch{{[]int{2, 3}, []int{2, 3}, []float64{1, 0, 0, 0, 1, 0}, []float64{0.1, 0.9, 0.8, 0.95, 0.05, 0}}}, 1},
		{"sparse top-1", func() Metric { return SparseTopKCategoricalAccuracy(K(1)) }, "Keras SparseTopKCategoricalAccuracy docstring (k=1)",
			[]batch{{[]int{2}, []int{2, 3}, []float64{2, 1}, []float64{0.1, 0.9, 0.8, 0.05, 0.95, 0}}}, 0.5},
		{"sparse top-1 tie counts", func() Metric { return SparseTopKCategoricalAccuracy(K(1)) }, "hand: Keras in_top_k keeps a class tied with the k-th",
			[]batch{{[]int{1}, []int{1, 3}, []float64{1}, []float64{0.5, 0.5, 0.1}}}, 1},
	}
	for _, tc := range tests {
		for _, dt := range dtypes {
			if got := run(t, tc.m(), dt, tc.bs...); !near(got, tc.want) {
				t.Errorf("%s %v: got %v, want %v (%s)", tc.name, dt, got, tc.want, tc.source)
			}
		}
	}
}

func TestAccuracyWeightsBatchesBySize(t *testing.T) {
	// Hand: batch one has 1 sample right, batch two 3 samples wrong; over
	// the 4 samples that is 0.25, where a mean of batch means is 0.5.
	one := batch{[]int{1, 1}, []int{1, 1}, []float64{1}, []float64{0.9}}
	two := batch{[]int{3, 1}, []int{3, 1}, []float64{1, 1, 1}, []float64{0.1, 0.2, 0.3}}
	for _, dt := range dtypes {
		if got := run(t, BinaryAccuracy(), dt, one, two); got != 0.25 {
			t.Errorf("%v: got %v, want 0.25", dt, got)
		}
	}
}

func TestAccuracyConstructorPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"threshold NaN": func() { BinaryAccuracy(Threshold(math.NaN())) },
		"k 0":           func() { TopKCategoricalAccuracy(K(0)) },
		"sparse k 0":    func() { SparseTopKCategoricalAccuracy(K(0)) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

// Issue 15: BinaryAccuracy(Threshold(0)) on logits, as TensorFlow's text
// classification tutorial, counts x > 0 as class 1 (it panicked
// before); Keras takes any threshold.
func TestBinaryAccuracyAnyThreshold(t *testing.T) {
	logits := batch{[]int{5, 1}, []int{5, 1}, []float64{1, 0, 1, 0, 1}, []float64{2.5, -0.1, -3, 0, 15.5}}
	for _, c := range []struct {
		thr  float64
		want float64
	}{
		// Hand: predicted 1 where x > thr.
		{0, 0.8},    // 1,0,0,0,1: all right but the third
		{-0.5, 0.4}, // 1,1,0,1,1: the second, third and fourth wrong
		{16, 0.4},   // nothing positive: the two zeros right
		{-100, 0.6}, // everything positive: the three ones right
		{1.5, 0.8},  // 1,0,0,0,1
	} {
		for _, dt := range dtypes {
			if got := run(t, BinaryAccuracy(Threshold(c.thr)), dt, logits); math.Abs(got-c.want) > 1e-12 {
				t.Errorf("threshold %v %v: got %v, want %v", c.thr, dt, got, c.want)
			}
		}
	}
}
