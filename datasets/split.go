package datasets

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"

	"gorgonia.org/tensor"
)

// TrainTestSplit splits x and y into a training and a test part, as
// scikit-learn's train_test_split(x, y, test_size=testSize, shuffle=True,
// stratify=None, random_state=seed), and returns the parts in
// scikit-learn's order: xTrain, xTest, yTrain, yTest. x and y may have any
// shape and dtype whose first axis is the n samples; the parts keep them.
//
// A testSize in (0, 1) is a fraction: the test part gets ceil(testSize*n)
// samples and the training part the rest. A whole testSize >= 1 is a
// count of test samples (scikit-learn's int test_size). Either way both
// parts must be non-empty.
//
// With Shuffle(true) (the default) the samples are drawn in a random order
// from Seed (default DefaultSeed); with Shuffle(false) the training part is
// the first samples and the test part the last ones. Stratify(true) keeps
// the class proportions of y in both parts, as stratify=y, allotting the
// rounding remainders as scikit-learn's StratifiedShuffleSplit does; the
// classes are the distinct rows of y, every class needs at least 2
// samples, and both parts at least one sample per class. Stratify needs
// Shuffle(true).
func TrainTestSplit(x, y *tensor.Dense, testSize float64, opts ...Option) (xTrain, xTest, yTrain, yTest *tensor.Dense, err error) {
	const fn = "TrainTestSplit"
	c := newConfig(opts)
	n, err := sameSamples(fn, x, y)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	var nTest int
	switch {
	case testSize > 0 && testSize < 1:
		nTest = int(math.Ceil(testSize * float64(n)))
	case testSize >= 1 && testSize == math.Trunc(testSize) && testSize < float64(n):
		nTest = int(testSize)
	default:
		return nil, nil, nil, nil, argError(fn, "test_size=%v should be a fraction in (0, 1) or a whole number of samples in [1, %d)", testSize, n)
	}
	nTrain := n - nTest
	if nTrain <= 0 || nTest <= 0 {
		return nil, nil, nil, nil, argError(fn, "with n_samples=%d and test_size=%v the resulting train set would be empty", n, testSize)
	}
	var train, test []int
	switch {
	case c.stratify && !c.shuffle:
		return nil, nil, nil, nil, argError(fn, "a stratified split needs Shuffle(true)")
	case c.stratify:
		train, test, err = stratifiedSplit(fn, y, nTrain, nTest, newRand(c.seed))
		if err != nil {
			return nil, nil, nil, nil, err
		}
	case c.shuffle:
		perm := newRand(c.seed).Perm(n)
		test, train = perm[:nTest], perm[nTest:]
	default:
		all := make([]int, n)
		for i := range all {
			all[i] = i
		}
		train, test = all[:nTrain], all[nTrain:]
	}
	if xTrain, err = gather(fn, "x", x, train); err != nil {
		return nil, nil, nil, nil, err
	}
	if xTest, err = gather(fn, "x", x, test); err != nil {
		return nil, nil, nil, nil, err
	}
	if yTrain, err = gather(fn, "y", y, train); err != nil {
		return nil, nil, nil, nil, err
	}
	if yTest, err = gather(fn, "y", y, test); err != nil {
		return nil, nil, nil, nil, err
	}
	return xTrain, xTest, yTrain, yTest, nil
}

// classesOf groups sample indices by the distinct rows of y, classes in
// ascending (lexicographic) order as numpy.unique gives them.
func classesOf(fn string, y *tensor.Dense) ([][]int, error) {
	vals, shape, err := float64s(fn, "y", y)
	if err != nil {
		return nil, err
	}
	n, rl := shape[0], rowLen(shape)
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	row := func(i int) []float64 { return vals[i*rl : (i+1)*rl] }
	slices.SortStableFunc(order, func(a, b int) int { return slices.Compare(row(a), row(b)) })
	var classes [][]int
	for k, i := range order {
		if k == 0 || !slices.Equal(row(order[k-1]), row(i)) {
			classes = append(classes, nil)
		}
		classes[len(classes)-1] = append(classes[len(classes)-1], i)
	}
	return classes, nil
}

// stratifiedSplit follows scikit-learn's StratifiedShuffleSplit: allot
// training samples per class by approximateMode, the rest of each class
// to the test part, draw each class's members at random, then shuffle
// both parts.
func stratifiedSplit(fn string, y *tensor.Dense, nTrain, nTest int, r *rand.Rand) (train, test []int, err error) {
	classes, err := classesOf(fn, y)
	if err != nil {
		return nil, nil, err
	}
	counts := make([]int, len(classes))
	for i, cl := range classes {
		counts[i] = len(cl)
		if len(cl) < 2 {
			return nil, nil, argError(fn, "the least populated class in y has only 1 member, which is too few for a stratified split: every class needs at least 2")
		}
	}
	if nTrain < len(classes) || nTest < len(classes) {
		return nil, nil, argError(fn, "a stratified split of %d classes needs at least %d samples in each part, got train %d and test %d", len(classes), len(classes), nTrain, nTest)
	}
	perClassTrain := approximateMode(counts, nTrain, r)
	for i, cl := range classes {
		perm := r.Perm(len(cl))
		for k, p := range perm {
			if k < perClassTrain[i] {
				train = append(train, cl[p])
			} else {
				test = append(test, cl[p])
			}
		}
	}
	r.Shuffle(len(train), func(i, j int) { train[i], train[j] = train[j], train[i] })
	r.Shuffle(len(test), func(i, j int) { test[i], test[j] = test[j], test[i] })
	return train, test, nil
}

// approximateMode is scikit-learn's _approximate_mode: floor each class's
// share counts[i]/total*draws, then hand the missing draws to the classes
// with the largest remainders, choosing at random among ties.
func approximateMode(counts []int, draws int, r *rand.Rand) []int {
	total := 0
	for _, c := range counts {
		total += c
	}
	out := make([]int, len(counts))
	rem := make([]float64, len(counts))
	need := draws
	for i, c := range counts {
		cont := float64(c) / float64(total) * float64(draws)
		fl := math.Floor(cont)
		out[i], rem[i] = int(fl), cont-fl
		need -= int(fl)
	}
	values := slices.Clone(rem)
	slices.SortFunc(values, func(a, b float64) int { return cmp.Compare(b, a) })
	values = slices.Compact(values)
	for _, v := range values {
		if need <= 0 {
			break
		}
		var inds []int
		for i, rv := range rem {
			if rv == v {
				inds = append(inds, i)
			}
		}
		r.Shuffle(len(inds), func(i, j int) { inds[i], inds[j] = inds[j], inds[i] })
		add := min(len(inds), need)
		for _, i := range inds[:add] {
			out[i]++
		}
		need -= add
	}
	return out
}
