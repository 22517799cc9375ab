package datasets

import (
	"gorgonia.org/tensor"
)

// ShuffleXY returns copies of x and y with their samples (the first axis)
// put in the same random order, drawn from seed, as scikit-learn's
// sklearn.utils.shuffle(x, y, random_state=seed). The inputs are left
// untouched and keep their dtypes; x and y must hold the same number of
// samples.
func ShuffleXY(x, y *tensor.Dense, seed int64) (xs, ys *tensor.Dense, err error) {
	const fn = "ShuffleXY"
	n, err := sameSamples(fn, x, y)
	if err != nil {
		return nil, nil, err
	}
	perm := newRand(seed).Perm(n)
	if xs, err = gather(fn, "x", x, perm); err != nil {
		return nil, nil, err
	}
	if ys, err = gather(fn, "y", y, perm); err != nil {
		return nil, nil, err
	}
	return xs, ys, nil
}
