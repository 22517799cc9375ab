package opkit

import (
	"math"
	"testing"

	"github.com/chewxy/math32"
)

// ulps is the distance between a and b in units in the last place.
func ulps(a, b float32) int64 {
	ia, ib := int64(math.Float32bits(a)), int64(math.Float32bits(b))
	if ia < 0x80000000 == (ib < 0x80000000) {
		if ia > ib {
			return ia - ib
		}
		return ib - ia
	}
	return ia&0x7fffffff + ib&0x7fffffff // across zero
}

// exp32 is expReduced rounded to float32, over its range.
func exp32(x float32) float32 {
	if x != x || x > 89 || x < -104 {
		return float32(math.Exp(float64(x)))
	}
	return float32(expReduced(float64(x)))
}

// TestExp32Tanh32 compares expReduced and Tanh32 with math.Exp and math.Tanh
// (float64, then rounded to float32) on every 613th float32 of their
// ranges and on their edges and special values: never more than one ulp
// apart, and equal on all but a few in ten thousand.
func TestExp32Tanh32(t *testing.T) {
	for _, tc := range []struct {
		name    string
		f       func(float32) float32
		ref     func(float64) float64
		lo, hi  float32
		special []float32
	}{
		{"expReduced", exp32, math.Exp, -104, 89, []float32{0, float32(math.Copysign(0, -1)), 1, -1, 88.72, 88.7228, 88.73, 89, -87.33, -103.97, -104, -149 * math.Ln2}},
		{"Tanh32", Tanh32, math.Tanh, -12, 12, []float32{0, float32(math.Copysign(0, -1)), 1e-30, -1e-30, 0.125, -0.125, 0.12499999, 9.1, -9.1, 9.0999, 100, -100}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			check := func(x float32) (int64, bool) {
				got, want := tc.f(x), float32(tc.ref(float64(x)))
				d := ulps(got, want)
				if d > 1 {
					t.Fatalf("%s(%v) = %v, want %v (%d ulps)", tc.name, x, got, want, d)
				}
				return d, got == want
			}
			var n, off int
			for _, x := range tc.special {
				check(x)
			}
			step := func(x float32) float32 { // 613 float32s up
				b := math.Float32bits(x)
				if b >= 0x80000000 { // negative: towards zero, then on from +0
					if b-0x80000000 <= 613 {
						return 0
					}
					return math.Float32frombits(b - 613)
				}
				return math.Float32frombits(b + 613)
			}
			for x := tc.lo; x < tc.hi; x = step(x) {
				n++
				if _, eq := check(x); !eq {
					off++
				}
			}
			if off*10000 > 5*n {
				t.Errorf("%d of %d values one ulp off", off, n)
			}
			t.Logf("%d values, %d one ulp off", n, off)
			for _, x := range []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1))} {
				got, want := tc.f(x), float32(tc.ref(float64(x)))
				if got != want && !(got != got && want != want) {
					t.Errorf("%s(%v) = %v, want %v", tc.name, x, got, want)
				}
			}
		})
	}
}

var sink32 float32

// benchIn are softmax-like arguments (v - max ≤ 0) and tanh arguments.
var benchIn = func() []float32 {
	v := make([]float32, 1000)
	for i := range v {
		v[i] = -float32(i%200) / 20
	}
	return v
}()

func BenchmarkTanh32(b *testing.B) {
	for _, f := range []struct {
		name string
		f    func(float32) float32
	}{{"expReduced", exp32}, {"math32Exp", math32.Exp}, {"Tanh32", Tanh32}, {"math32Tanh", math32.Tanh}} {
		b.Run(f.name, func(b *testing.B) {
			var s float32
			for b.Loop() {
				for _, x := range benchIn {
					s += f.f(x)
				}
			}
			sink32 = s
		})
	}
}
