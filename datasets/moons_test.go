package datasets

import (
	"math"
	"slices"
	"testing"
)

// With noise 0 and shuffle false, Moons is scikit-learn's make_moons
// formula (sklearn/datasets/_samples_generator.py):
//
//	n_out = n // 2; n_in = n - n_out
//	outer = (cos(linspace(0, pi, n_out)), sin(linspace(0, pi, n_out)))
//	inner = (1 - cos(linspace(0, pi, n_in)), 1 - sin(linspace(0, pi, n_in)) - 0.5)
//	y = [0]*n_out + [1]*n_in
func TestMoonsFormula(t *testing.T) {
	for _, n := range []int{1, 2, 5, 100, 301} {
		x, y, err := Moons(n, Shuffle(false), Noise(0))
		if err != nil {
			t.Fatal(err)
		}
		nOut, nIn := n/2, n-n/2
		var wx, wy []float32
		for i := range nOut {
			// numpy.linspace: i*step + start, the last value set to stop;
			// a single value is start.
			tt := 0.0
			if nOut > 1 {
				tt = float64(i) * (math.Pi / float64(nOut-1))
			}
			if nOut > 1 && i == nOut-1 {
				tt = math.Pi
			}
			wx = append(wx, float32(math.Cos(tt)), float32(math.Sin(tt)))
			wy = append(wy, 0)
		}
		for i := range nIn {
			tt := 0.0
			if nIn > 1 {
				tt = float64(i) * (math.Pi / float64(nIn-1))
			}
			if nIn > 1 && i == nIn-1 {
				tt = math.Pi
			}
			wx = append(wx, float32(1-math.Cos(tt)), float32(1-math.Sin(tt)-0.5))
			wy = append(wy, 1)
		}
		if got := f32(t, x); !closeAll(got, wx, 1e-7) {
			t.Errorf("n=%d: x = %v, want %v", n, got, wx)
		}
		if got := f32(t, y); !slices.Equal(got, wy) {
			t.Errorf("n=%d: y = %v, want %v", n, got, wy)
		}
	}
}

// scikit-learn 1.2.1 (Debian's python3-sklearn), recorded once with
//
//	/usr/bin/python3 -c "from sklearn.datasets import make_moons; print(make_moons(5, shuffle=False)[0].tolist())"
var sklearnMoons5 = []float64{
	1.0, 0.0,
	-1.0, 1.2246467991473532e-16,
	0.0, 0.5,
	0.9999999999999999, -0.5,
	2.0, 0.4999999999999999,
}

func TestMoonsMatchesSklearn(t *testing.T) {
	x, _, err := Moons(5, Shuffle(false))
	if err != nil {
		t.Fatal(err)
	}
	if !closeAll(f32(t, x), toFloat32(sklearnMoons5), 0) {
		t.Errorf("x = %v, want %v", f32(t, x), sklearnMoons5)
	}
}

// Shuffling permutes samples together with their labels: every shuffled
// (point, label) pair is one of the unshuffled pairs.
func TestMoonsShuffleKeepsPairs(t *testing.T) {
	x0, y0, _ := Moons(40, Shuffle(false))
	x1, y1, err := Moons(40)
	if err != nil {
		t.Fatal(err)
	}
	type pair struct{ a, b, l float32 }
	set := map[pair]int{}
	a0, l0 := f32(t, x0), f32(t, y0)
	for i := range l0 {
		set[pair{a0[2*i], a0[2*i+1], l0[i]}]++
	}
	a1, l1 := f32(t, x1), f32(t, y1)
	for i := range l1 {
		p := pair{a1[2*i], a1[2*i+1], l1[i]}
		if set[p] == 0 {
			t.Fatalf("shuffled sample %d %v is not an unshuffled one", i, p)
		}
		set[p]--
	}
	if slices.Equal(l0, l1) {
		t.Error("Shuffle (default true) left the labels in order")
	}
}

// Noise is Gaussian of the given standard deviation: the differences from
// the noiseless points (same shuffle, as noise is drawn after it) have
// about that standard deviation.
func TestMoonsNoise(t *testing.T) {
	const n, std = 4000, 0.2
	x0, _, _ := Moons(n, Seed(3))
	x1, _, err := Moons(n, Seed(3), Noise(std))
	if err != nil {
		t.Fatal(err)
	}
	a, b := f32(t, x0), f32(t, x1)
	var ss float64
	for i := range a {
		d := float64(b[i] - a[i])
		ss += d * d
	}
	got := math.Sqrt(ss / float64(len(a)))
	if math.Abs(got-std) > 0.01 {
		t.Errorf("noise std %v, want %v ± 0.01", got, std)
	}
}

func closeAll(got, want []float32, tol float64) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if math.Abs(float64(got[i])-float64(want[i])) > tol {
			return false
		}
	}
	return true
}
