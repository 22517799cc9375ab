package datasets

import (
	"math"
	"testing"
)

// Without noise each arm follows CS231n's formula: radius
// linspace(0, 1, m), angle linspace(4j, 4(j+1), m), point (r sin t, r cos t).
func TestSpiralsFormula(t *testing.T) {
	const n, k = 12, 3
	x, y, err := Spirals(n, Arms(k), Noise(0), Shuffle(false))
	if err != nil {
		t.Fatal(err)
	}
	xs, ys := f32(t, x), f32(t, y)
	m := n / k
	for i := range n {
		j, p := i/m, i%m
		r := float64(p) / float64(m-1)
		tt := 4*float64(j) + 4*float64(p)/float64(m-1)
		wx, wy := float32(r*math.Sin(tt)), float32(r*math.Cos(tt))
		if math.Abs(float64(xs[2*i]-wx)) > 1e-6 || math.Abs(float64(xs[2*i+1]-wy)) > 1e-6 || ys[i] != float32(j) {
			t.Errorf("sample %d = (%v, %v) label %v, want (%v, %v) label %d", i, xs[2*i], xs[2*i+1], ys[i], wx, wy, j)
		}
	}
}

// The default angular noise is 0.2 (CS231n): not the noiseless points.
func TestSpiralsDefaultNoise(t *testing.T) {
	a, _, _ := Spirals(20, Shuffle(false))
	b, _, _ := Spirals(20, Shuffle(false), Noise(0.2))
	c, _, _ := Spirals(20, Shuffle(false), Noise(0))
	if !closeAll(f32(t, a), f32(t, b), 0) {
		t.Error("default differs from Noise(0.2)")
	}
	if closeAll(f32(t, a), f32(t, c), 0) {
		t.Error("default equals Noise(0)")
	}
}

func TestSpiralsBadArms(t *testing.T) {
	_, _, err := Spirals(10, Arms(0))
	wantArgError(t, err, "arms must be positive, got 0")
}
