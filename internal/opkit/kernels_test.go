package opkit

import (
	"math"
	"testing"
)

// TestReluGradMask checks the branch-free relu gradient on the values
// where a mask made from bits could go wrong: zeros of both signs,
// infinities, NaN, the smallest subnormal and the largest finite.
func TestReluGradMask(t *testing.T) {
	ys := []float64{0, math.Copysign(0, -1), -1, 1, math.Inf(1), math.Inf(-1), math.NaN(), 5e-324, math.MaxFloat64, -5e-324}
	want := []bool{false, false, false, true, true, false, false, true, true, false}
	y32 := []float32{0, float32(math.Copysign(0, -1)), -1, 1, float32(math.Inf(1)), float32(math.Inf(-1)), float32(math.NaN()), math.SmallestNonzeroFloat32, math.MaxFloat32, -math.SmallestNonzeroFloat32}
	g64 := make([]float64, len(ys))
	g32 := make([]float32, len(ys))
	for i := range g64 {
		g64[i], g32[i] = float64(i)+0.5, float32(i)+0.5
	}
	o64 := make([]float64, len(ys))
	o32 := make([]float32, len(ys))
	ReluGrad(ys, g64, o64)
	ReluGrad(y32, g32, o32)
	for i, w := range want {
		e := 0.0
		if w {
			e = float64(i) + 0.5
		}
		if o64[i] != e || float64(o32[i]) != e {
			t.Errorf("y = %v: gradient %v (float64), %v (float32), want %v", ys[i], o64[i], o32[i], e)
		}
	}
}

func TestColSum(t *testing.T) {
	tests := []struct {
		name    string
		m, want []float64
	}{
		{"2x3", []float64{1, 2, 3, 10, 20, 30}, []float64{11, 22, 33}},
		{"one row", []float64{1, 2, 3}, []float64{1, 2, 3}},
		{"partial last row", []float64{1, 2, 3, 10, 20}, []float64{1, 2, 3}},
		{"no rows", nil, []float64{0, 0, 0}},
	}
	for _, tc := range tests {
		out := []float64{7, 7, 7} // overwritten, not added to
		ColSum(out, tc.m)
		for j := range out {
			if out[j] != tc.want[j] {
				t.Errorf("%s: got %v, want %v", tc.name, out, tc.want)
				break
			}
		}
	}
}

// A matrix with no columns sums to nothing, and returns.
func TestColSumNoColumns(t *testing.T) {
	ColSum([]float32{}, []float32{1, 2, 3})
	ColSum([]float64{}, nil)
}
