package datasets

import (
	"math"

	"gorgonia.org/tensor"
)

// Blobs makes isotropic Gaussian clusters, as scikit-learn's
// make_blobs(n_samples=n, n_features=2, centers=None, cluster_std=1.0,
// center_box=(-10.0, 10.0), shuffle=True, random_state=seed).
//
// The centers are either given with CenterPoints or drawn uniformly inside
// CenterBox (default (-10, 10)) for Centers clusters (default 3) of
// NFeatures features (default 2). Every cluster gets n/k samples and the
// first n%k clusters one more, drawn from a normal distribution around its
// center with standard deviation ClusterStd (default 1.0); the label of a
// sample is the index of its cluster. Then the samples are shuffled
// (Shuffle, default true).
//
// x has shape (n, features) and y shape (n,), float32. Options read: Seed,
// Shuffle, Centers, CenterPoints, ClusterStd, NFeatures (Features),
// CenterBox.
func Blobs(n int, opts ...Option) (x, y *tensor.Dense, err error) {
	const fn = "Blobs"
	c := newConfig(opts)
	if err := checkN(fn, n); err != nil {
		return nil, nil, err
	}
	if math.IsNaN(c.clusterStd) || math.IsInf(c.clusterStd, 0) || c.clusterStd < 0 {
		return nil, nil, argError(fn, "cluster_std must be a finite number >= 0, got %v", c.clusterStd)
	}
	r := newRand(c.seed)
	var centers [][]float64
	nf := c.features
	if c.centerPoints != nil {
		if len(c.centerPoints) == 0 {
			return nil, nil, argError(fn, "centers must hold at least one point, got none")
		}
		nf = len(c.centerPoints[0])
		for i, p := range c.centerPoints {
			if len(p) == 0 || len(p) != nf {
				return nil, nil, argError(fn, "every center must have the same positive number of features: center 0 has %d, center %d has %d", nf, i, len(p))
			}
		}
		if c.featuresSet && c.features != nf {
			return nil, nil, argError(fn, "n_features is %d but the centers have %d features", c.features, nf)
		}
		centers = c.centerPoints
	} else {
		if c.centers <= 0 {
			return nil, nil, argError(fn, "centers must be positive, got %d", c.centers)
		}
		if nf <= 0 {
			return nil, nil, argError(fn, "n_features must be positive, got %d", nf)
		}
		if err := checkValues(fn, "centers", c.centers, nf); err != nil {
			return nil, nil, err
		}
		if math.IsNaN(c.boxLo) || math.IsNaN(c.boxHi) || math.IsInf(c.boxLo, 0) || math.IsInf(c.boxHi, 0) || c.boxLo > c.boxHi {
			return nil, nil, argError(fn, "center_box must be a finite (low, high) with low <= high, got (%v, %v)", c.boxLo, c.boxHi)
		}
		centers = make([][]float64, c.centers)
		for i := range centers {
			centers[i] = make([]float64, nf)
			for j := range centers[i] {
				centers[i][j] = c.boxLo + (c.boxHi-c.boxLo)*r.Float64()
			}
		}
	}
	if err := checkValues(fn, "x", n, nf); err != nil {
		return nil, nil, err
	}
	k := len(centers)
	xs := make([]float64, 0, n*nf)
	ys := make([]float64, 0, n)
	for i, ctr := range centers {
		m := n / k
		if i < n%k {
			m++
		}
		for range m {
			for _, v := range ctr {
				xs = append(xs, v+c.clusterStd*r.NormFloat64())
			}
			ys = append(ys, float64(i))
		}
	}
	if c.shuffle {
		shuffleRows(r, xs, nf, ys)
	}
	return dense32(toFloat32(xs), n, nf), dense32(toFloat32(ys), n), nil
}
