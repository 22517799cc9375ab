package datasets

import (
	"math"
	"testing"
)

// Without noise every target is on the line a*x + b, and x stays in its
// range (default [-1, 1)).
func TestLinearRegression(t *testing.T) {
	for _, tc := range []struct {
		name   string
		opts   []Option
		lo, hi float64
	}{
		{"default range", nil, -1, 1},
		{"XRange", []Option{XRange(-1, 4)}, -1, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, y, err := LinearRegression(50, 5, 1, tc.opts...)
			if err != nil {
				t.Fatal(err)
			}
			wantShape(t, "x", x, 50, 1)
			wantShape(t, "y", y, 50, 1)
			ys := f32(t, y)
			for i, v := range f32(t, x) {
				if float64(v) < tc.lo || float64(v) > tc.hi {
					t.Errorf("x[%d] = %v outside [%v, %v)", i, v, tc.lo, tc.hi)
				}
				if math.Abs(float64(ys[i])-(5*float64(v)+1)) > 1e-5 {
					t.Errorf("y[%d] = %v, want 5*%v+1", i, ys[i], v)
				}
			}
		})
	}
	_, _, err := LinearRegression(10, 1, 0, XRange(2, 2))
	wantArgError(t, err, "low < high")
}

func TestSine(t *testing.T) {
	x, y, err := Sine(64)
	if err != nil {
		t.Fatal(err)
	}
	ys := f32(t, y)
	for i, v := range f32(t, x) {
		if float64(v) < -math.Pi || float64(v) > math.Pi {
			t.Errorf("x[%d] = %v outside the default [-pi, pi)", i, v)
		}
		if math.Abs(float64(ys[i])-math.Sin(float64(v))) > 1e-6 {
			t.Errorf("y[%d] = %v, want sin(%v)", i, ys[i], v)
		}
	}
}

// make_regression with one informative feature, no noise and a bias is a
// line through (0, bias) with a slope in [0, 100): check that all points
// share one slope.
func TestRegressionOneInformative(t *testing.T) {
	x, y, err := Regression(30, NFeatures(3), NInformative(1), Bias(3))
	if err != nil {
		t.Fatal(err)
	}
	wantShape(t, "x", x, 30, 3)
	wantShape(t, "y", y, 30, 1)
	xs, ys := f32(t, x), f32(t, y)
	// Shuffle moves the informative column; find the column that explains y.
	found := false
	for col := range 3 {
		slope := (float64(ys[0]) - 3) / float64(xs[col])
		ok := slope >= 0 && slope < 100
		for i := range 30 {
			if math.Abs(float64(ys[i])-(slope*float64(xs[3*i+col])+3)) > 1e-3*(1+math.Abs(float64(ys[i]))) {
				ok = false
			}
		}
		found = found || ok
	}
	if !found {
		t.Error("no column c with y = slope*x[c] + 3 for all samples")
	}
}

// Defaults are make_regression's: 100 features, 10 informative; with
// Shuffle(false) only the first 10 columns matter, so y changes when one
// of them does and the 11th column is ignored.
func TestRegressionDefaults(t *testing.T) {
	x, y, err := Regression(200, Shuffle(false))
	if err != nil {
		t.Fatal(err)
	}
	wantShape(t, "x", x, 200, 100)
	xs, ys := f32(t, x), f32(t, y)
	// Least squares through the normal equations would be long; instead
	// check the residual of y against the first 10 columns is zero by
	// solving on the first 10 samples and predicting the rest.
	coef := solve10(xs, ys)
	for i := 10; i < 200; i++ {
		p := 0.0
		for j := range 10 {
			p += coef[j] * float64(xs[100*i+j])
		}
		if math.Abs(p-float64(ys[i])) > 1e-2*(1+math.Abs(float64(ys[i]))) {
			t.Fatalf("sample %d: y = %v, the first 10 features predict %v", i, ys[i], p)
		}
	}
	for j, c := range coef {
		if c < -1e-3 || c > 100 {
			t.Errorf("coefficient %d = %v, want in [0, 100)", j, c)
		}
	}
	for _, tc := range []struct {
		opts  []Option
		inErr string
	}{
		{[]Option{NFeatures(0)}, "n_features must be positive, got 0"},
		{[]Option{NInformative(-1)}, "n_informative must be >= 0, got -1"},
	} {
		_, _, err := Regression(10, tc.opts...)
		wantArgError(t, err, tc.inErr)
	}
}

// solve10 solves the 10x10 system x[:10, :10] c = y[:10] by Gaussian
// elimination with partial pivoting.
func solve10(xs, ys []float32) []float64 {
	var a [10][11]float64
	for i := range 10 {
		for j := range 10 {
			a[i][j] = float64(xs[100*i+j])
		}
		a[i][10] = float64(ys[i])
	}
	for c := range 10 {
		p := c
		for r := c + 1; r < 10; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		a[c], a[p] = a[p], a[c]
		for r := range 10 {
			if r != c {
				f := a[r][c] / a[c][c]
				for k := c; k < 11; k++ {
					a[r][k] -= f * a[c][k]
				}
			}
		}
	}
	out := make([]float64, 10)
	for i := range 10 {
		out[i] = a[i][10] / a[i][i]
	}
	return out
}
