package datasets

import (
	"math"

	"gorgonia.org/tensor"
)

// Spirals makes the classic k-arm spiral of Stanford's CS231n notes:
// arm j (label j) gets n/k points, and the first n%k arms one more; its
// m points have radius r = linspace(0, 1, m) and angle
// t = linspace(4j, 4(j+1), m) + Noise*N(0, 1), at (r sin t, r cos t).
// Arms sets k (default 2); Noise is the angular noise in radians (default
// 0.2, as CS231n). Then the samples are shuffled (Shuffle, default true).
//
// x has shape (n, 2) and y shape (n,), float32. Options read: Seed,
// Arms, Noise, Shuffle.
func Spirals(n int, opts ...Option) (x, y *tensor.Dense, err error) {
	const fn = "Spirals"
	c := newConfig(opts)
	if !c.noiseSet {
		c.noise = 0.2
	}
	if err := checkN(fn, n); err != nil {
		return nil, nil, err
	}
	if err := checkNoise(fn, c.noise); err != nil {
		return nil, nil, err
	}
	k := c.arms
	if k <= 0 {
		return nil, nil, argError(fn, "arms must be positive, got %d", k)
	}
	if err := checkValues(fn, "x", n, 2); err != nil {
		return nil, nil, err
	}
	r := newRand(c.seed)
	xs := make([]float64, 0, 2*n)
	ys := make([]float64, 0, n)
	for j := range k {
		m := n / k
		if j < n%k {
			m++
		}
		radii := linspace(0, 1, m, true)
		angles := linspace(4*float64(j), 4*float64(j+1), m, true)
		for i := range m {
			t := angles[i]
			if c.noise > 0 {
				t += c.noise * r.NormFloat64()
			}
			xs = append(xs, radii[i]*math.Sin(t), radii[i]*math.Cos(t))
			ys = append(ys, float64(j))
		}
	}
	if c.shuffle {
		shuffleRows(r, xs, 2, ys)
	}
	return dense32(toFloat32(xs), n, 2), dense32(toFloat32(ys), n), nil
}
