package keras

import (
	"math"
	"testing"
)

// TestFiniteBlocks checks the finiteness test on arrays large enough to
// be split between goroutines, with the bad value in each part, and
// finite values whose sums overflow.
func TestFiniteBlocks(t *testing.T) {
	const n = 3<<20 + 5 // three parts on three or more processors
	for _, tc := range []struct {
		name string
		at   int
		v    float64
		want bool
	}{
		{"all finite", -1, 0, true},
		{"NaN first", 0, math.NaN(), false},
		{"+Inf in the middle", n / 2, math.Inf(1), false},
		{"-Inf last", n - 1, math.Inf(-1), false},
		{"huge but finite", n - 2, math.MaxFloat32, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f32, f64 := make([]float32, n), make([]float64, n)
			for i := range f32 {
				f32[i], f64[i] = 1, 1
			}
			if tc.at >= 0 {
				f32[tc.at], f64[tc.at] = float32(tc.v), tc.v
				if tc.want { // a sum that overflows on finite values
					f32[tc.at-1], f64[tc.at-1] = float32(tc.v), math.MaxFloat64
					f64[tc.at] = math.MaxFloat64
				}
			}
			if got := finiteBlocks(f32); got != tc.want {
				t.Errorf("float32: finiteBlocks = %v, want %v", got, tc.want)
			}
			if got := finiteBlocks(f64); got != tc.want {
				t.Errorf("float64: finiteBlocks = %v, want %v", got, tc.want)
			}
			if got := finiteBlocks(f32[:1000]); got != (tc.want || tc.at >= 1000) {
				t.Errorf("float32, 1000 values: finiteBlocks = %v", got)
			}
		})
	}
}
