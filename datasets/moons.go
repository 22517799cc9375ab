package datasets

import (
	"math"

	"gorgonia.org/tensor"
)

// Moons makes two interleaving half circles, as scikit-learn's
// make_moons(n_samples=n, shuffle=True, noise=None, random_state=seed).
//
// The first n/2 (floor) points lie on the outer moon,
// (cos t, sin t) for t = linspace(0, pi, n/2), with label 0; the other
// n - n/2 on the inner moon, (1 - cos t, 1 - sin t - 0.5) for
// t = linspace(0, pi, n - n/2), with label 1. The samples are then
// shuffled (Shuffle, default true) and Gaussian noise of standard
// deviation Noise (default 0) is added to every coordinate, in that order
// as scikit-learn does. The arithmetic is float64; the result is cast to
// float32.
//
// x has shape (n, 2); y has shape (n,) and holds the labels 0 and 1 as
// float32, like scikit-learn's 1-D y (use ToCategorical for one-hot
// targets). Options read: Seed, Shuffle, Noise.
func Moons(n int, opts ...Option) (x, y *tensor.Dense, err error) {
	const fn = "Moons"
	c := newConfig(opts)
	if err := checkN(fn, n); err != nil {
		return nil, nil, err
	}
	if err := checkNoise(fn, c.noise); err != nil {
		return nil, nil, err
	}
	if err := checkValues(fn, "x", n, 2); err != nil {
		return nil, nil, err
	}
	nOut := n / 2
	nIn := n - nOut
	xs := make([]float64, 0, 2*n)
	ys := make([]float64, 0, n)
	for _, t := range linspace(0, math.Pi, nOut, true) {
		xs = append(xs, math.Cos(t), math.Sin(t))
		ys = append(ys, 0)
	}
	for _, t := range linspace(0, math.Pi, nIn, true) {
		xs = append(xs, 1-math.Cos(t), 1-math.Sin(t)-0.5)
		ys = append(ys, 1)
	}
	r := newRand(c.seed)
	if c.shuffle {
		shuffleRows(r, xs, 2, ys)
	}
	addNoise(r, xs, c.noise)
	return dense32(toFloat32(xs), n, 2), dense32(toFloat32(ys), n), nil
}
