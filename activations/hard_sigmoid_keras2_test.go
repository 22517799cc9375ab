package activations_test

import (
	"math"
	"testing"

	"gorgonia.org/tensor"
)

// Keras 2's hard_sigmoid is clip(0.2x+0.5, 0, 1) (keras 2.x
// backend.hard_sigmoid); the reference is that formula in float64.
func TestHardSigmoidKeras2(t *testing.T) {
	xs := []float64{-7, -2.5, -2.4, -1, 0, 0.3, 2.4, 2.5, 9}
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		got := actEval(t, "hard_sigmoid_keras2", dt, []int{len(xs)}, xs)
		for i, x := range xs {
			want := math.Min(1, math.Max(0, 0.2*x+0.5))
			if !actClose(got[i], want, 1e-6) {
				t.Errorf("%v: hard_sigmoid_keras2(%v) = %v, want %v", dt, x, got[i], want)
			}
		}
	}
}
