package datasets

import (
	"math"

	"gorgonia.org/tensor"
)

func checkRange(fn string, lo, hi float64) error {
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) || lo >= hi {
		return argError(fn, "x range must be finite with low < high, got [%v, %v)", lo, hi)
	}
	return nil
}

// LinearRegression makes points of the line y = a*x + b with Gaussian
// noise of standard deviation Noise (default 0) added to y. The inputs x
// are drawn uniformly from XRange (default [-1, 1)); for each sample x is
// drawn first, then its noise.
//
// x and y both have shape (n, 1), float32, ready for a Dense(1) model with
// mean squared error. Options read: Seed, Noise, XRange.
func LinearRegression(n int, a, b float64, opts ...Option) (x, y *tensor.Dense, err error) {
	return curve("LinearRegression", n, -1, 1, func(v float64) float64 { return a*v + b }, opts)
}

// Sine makes points of y = sin(x) with Gaussian noise of standard
// deviation Noise (default 0) added to y; x is drawn uniformly from XRange
// (default [-pi, pi)).
//
// x and y both have shape (n, 1), float32. Options read: Seed, Noise,
// XRange.
func Sine(n int, opts ...Option) (x, y *tensor.Dense, err error) {
	return curve("Sine", n, -math.Pi, math.Pi, math.Sin, opts)
}

// curve makes n points (x, f(x)) with x drawn uniformly from XRange
// (default [lo, hi)) and Gaussian noise of standard deviation Noise added
// to f(x); for each sample x is drawn first, then its noise.
func curve(fn string, n int, lo, hi float64, f func(float64) float64, opts []Option) (x, y *tensor.Dense, err error) {
	c := newConfig(opts)
	if !c.xRangeSet {
		c.xLo, c.xHi = lo, hi
	}
	if err := checkN(fn, n); err != nil {
		return nil, nil, err
	}
	if err := checkNoise(fn, c.noise); err != nil {
		return nil, nil, err
	}
	if err := checkRange(fn, c.xLo, c.xHi); err != nil {
		return nil, nil, err
	}
	if err := checkValues(fn, "x", n, 1); err != nil {
		return nil, nil, err
	}
	r := newRand(c.seed)
	xs := make([]float32, n)
	ys := make([]float32, n)
	for i := range n {
		v := c.xLo + (c.xHi-c.xLo)*r.Float64()
		t := f(v)
		if c.noise > 0 {
			t += c.noise * r.NormFloat64()
		}
		xs[i], ys[i] = float32(v), float32(t)
	}
	return dense32(xs, n, 1), dense32(ys, n, 1), nil
}

// Regression makes a random linear regression problem, as scikit-learn's
// make_regression(n_samples=n, n_features=100, n_informative=10,
// n_targets=1, bias=0.0, noise=0.0, shuffle=True, random_state=seed).
//
// x is standard normal with NFeatures columns (default 100). The first
// NInformative coefficients (default 10, capped at the number of
// features) are 100 times a uniform [0, 1) draw, the others zero;
// y = x·coef + Bias (default 0), plus Gaussian noise of standard deviation
// Noise (default 0). With Shuffle (default true) the samples are shuffled
// and then the feature columns permuted, so the informative features are
// not the first ones.
//
// x has shape (n, features) and y shape (n, 1), float32. Options read:
// Seed, NFeatures (Features), NInformative, Bias, Noise, Shuffle.
func Regression(n int, opts ...Option) (x, y *tensor.Dense, err error) {
	const fn = "Regression"
	c := newConfig(opts)
	if !c.featuresSet {
		c.features = 100
	}
	if err := checkN(fn, n); err != nil {
		return nil, nil, err
	}
	if err := checkNoise(fn, c.noise); err != nil {
		return nil, nil, err
	}
	nf := c.features
	if nf <= 0 {
		return nil, nil, argError(fn, "n_features must be positive, got %d", nf)
	}
	if err := checkValues(fn, "x", n, nf); err != nil {
		return nil, nil, err
	}
	if c.informative < 0 {
		return nil, nil, argError(fn, "n_informative must be >= 0, got %d", c.informative)
	}
	if math.IsNaN(c.bias) || math.IsInf(c.bias, 0) {
		return nil, nil, argError(fn, "bias must be finite, got %v", c.bias)
	}
	inf := min(c.informative, nf)
	r := newRand(c.seed)
	xs := make([]float64, n*nf)
	for i := range xs {
		xs[i] = r.NormFloat64()
	}
	coef := make([]float64, nf)
	for i := range inf {
		coef[i] = 100 * r.Float64()
	}
	ys := make([]float64, n)
	for i := range ys {
		s := 0.0
		for j, w := range coef[:inf] {
			s += xs[i*nf+j] * w
		}
		ys[i] = s + c.bias
	}
	addNoise(r, ys, c.noise)
	if c.shuffle {
		shuffleRows(r, xs, nf, ys)
		perm := r.Perm(nf)
		row := make([]float64, nf)
		for i := range n {
			src := xs[i*nf : (i+1)*nf]
			for j, p := range perm {
				row[j] = src[p]
			}
			copy(src, row)
		}
	}
	return dense32(toFloat32(xs), n, nf), dense32(toFloat32(ys), n, 1), nil
}
