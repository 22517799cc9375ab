package datasets

import (
	"math"
	"testing"
)

// With noise 0 and shuffle false, Circles is scikit-learn's make_circles
// formula: n_out = n // 2 points (cos t, sin t) for
// t = linspace(0, 2*pi, n_out, endpoint=False), label 0, then n - n_out
// points factor*(cos t, sin t), label 1.
func TestCirclesFormula(t *testing.T) {
	const n, factor = 9, 0.5
	x, y, err := Circles(n, Shuffle(false), Factor(factor))
	if err != nil {
		t.Fatal(err)
	}
	xs, ys := f32(t, x), f32(t, y)
	nOut := n / 2
	for i := range n {
		m, r, lab, k := nOut, 1.0, float32(0), i
		if i >= nOut {
			m, r, lab, k = n-nOut, factor, 1, i-nOut
		}
		tt := 2 * math.Pi * float64(k) / float64(m)
		wx, wy := float32(r*math.Cos(tt)), float32(r*math.Sin(tt))
		if math.Abs(float64(xs[2*i]-wx)) > 1e-7 || math.Abs(float64(xs[2*i+1]-wy)) > 1e-7 || ys[i] != lab {
			t.Errorf("sample %d = (%v, %v) label %v, want (%v, %v) label %v", i, xs[2*i], xs[2*i+1], ys[i], wx, wy, lab)
		}
	}
}

// Radii: outer points on the unit circle, inner on the default factor 0.8
// (scikit-learn's default), whatever the shuffle.
func TestCirclesDefaultFactor(t *testing.T) {
	x, y, err := Circles(50)
	if err != nil {
		t.Fatal(err)
	}
	xs, ys := f32(t, x), f32(t, y)
	for i, l := range ys {
		r := math.Hypot(float64(xs[2*i]), float64(xs[2*i+1]))
		want := 1.0
		if l == 1 {
			want = 0.8
		}
		if math.Abs(r-want) > 1e-6 {
			t.Errorf("sample %d label %v at radius %v, want %v", i, l, r, want)
		}
	}
}

// scikit-learn 1.2.1 (Debian's python3-sklearn), recorded once with
//
//	/usr/bin/python3 -c "from sklearn.datasets import make_circles; print(make_circles(5, shuffle=False)[0].tolist())"
var sklearnCircles5 = []float64{
	1.0, 0.0,
	-1.0, 1.2246467991473532e-16,
	0.8, 0.0,
	-0.3999999999999998, 0.692820323027551,
	-0.4000000000000003, -0.6928203230275507,
}

func TestCirclesMatchesSklearn(t *testing.T) {
	x, y, err := Circles(5, Shuffle(false))
	if err != nil {
		t.Fatal(err)
	}
	if !closeAll(f32(t, x), toFloat32(sklearnCircles5), 0) {
		t.Errorf("x = %v, want %v", f32(t, x), sklearnCircles5)
	}
	if got, want := f32(t, y), []float32{0, 0, 1, 1, 1}; !closeAll(got, want, 0) {
		t.Errorf("y = %v, want %v", got, want)
	}
}

func TestCirclesBadFactor(t *testing.T) {
	for _, f := range []float64{-0.1, 1, 1.5, math.NaN()} {
		_, _, err := Circles(10, Factor(f))
		wantArgError(t, err, "factor has to be between 0 and 1")
	}
	if _, _, err := Circles(10, Factor(0)); err != nil {
		t.Errorf("factor 0: %v", err)
	}
}
