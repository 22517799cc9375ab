package datasets

import (
	"math"

	"gorgonia.org/tensor"
)

// Circles makes a large circle holding a smaller one, as scikit-learn's
// make_circles(n_samples=n, shuffle=True, noise=None, random_state=seed,
// factor=0.8).
//
// The first n/2 (floor) points lie on the unit circle at the angles
// linspace(0, 2*pi, n/2, endpoint=False), with label 0; the other n - n/2
// on the circle of radius Factor (default 0.8) at
// linspace(0, 2*pi, n - n/2, endpoint=False), with label 1. Then the
// samples are shuffled (Shuffle, default true) and Gaussian noise of
// standard deviation Noise (default 0) is added.
//
// x has shape (n, 2) and y shape (n,), float32. Factor must be in [0, 1).
// Options read: Seed, Shuffle, Noise, Factor.
func Circles(n int, opts ...Option) (x, y *tensor.Dense, err error) {
	const fn = "Circles"
	c := newConfig(opts)
	if err := checkN(fn, n); err != nil {
		return nil, nil, err
	}
	if err := checkNoise(fn, c.noise); err != nil {
		return nil, nil, err
	}
	if !(c.factor >= 0 && c.factor < 1) {
		return nil, nil, argError(fn, "factor has to be between 0 and 1 (1 excluded), got %v", c.factor)
	}
	if err := checkValues(fn, "x", n, 2); err != nil {
		return nil, nil, err
	}
	nOut := n / 2
	nIn := n - nOut
	xs := make([]float64, 0, 2*n)
	ys := make([]float64, 0, n)
	for _, t := range linspace(0, 2*math.Pi, nOut, false) {
		xs = append(xs, math.Cos(t), math.Sin(t))
		ys = append(ys, 0)
	}
	for _, t := range linspace(0, 2*math.Pi, nIn, false) {
		xs = append(xs, math.Cos(t)*c.factor, math.Sin(t)*c.factor)
		ys = append(ys, 1)
	}
	r := newRand(c.seed)
	if c.shuffle {
		shuffleRows(r, xs, 2, ys)
	}
	addNoise(r, xs, c.noise)
	return dense32(toFloat32(xs), n, 2), dense32(toFloat32(ys), n), nil
}
