// Package datasets makes and loads data ready for Fit: the toy sets of
// the seed tutorials (XOR, make_moons), scikit-learn-style generators
// (Moons, Circles, Blobs, Spirals, Regression, LinearRegression, Sine),
// the real MNIST digits (LoadMNIST, as Keras's mnist.load_data), and the
// small utilities around them (ToCategorical, TrainTestSplit, ShuffleXY,
// StandardScaler, MinMaxScaler).
//
// Every tensor it returns is a float32 *tensor.Dense whose first axis is
// the samples: inputs x have shape (n, features) (MNIST: (n, 28, 28)),
// class labels y have shape (n,) as scikit-learn's, and regression targets
// shape (n, 1).
//
// Generators take scikit-learn's arguments as options (Noise, Shuffle,
// Factor, Centers, ...), each defaulting to scikit-learn's default. All
// randomness comes from a math/rand/v2 source seeded by the Seed option,
// or by DefaultSeed when none is given: the same call gives the same data
// bit for bit. The package has no mutable state. Bad arguments give errors
// wrapping ErrInvalidArgument, never panics.
//
// The smallest use, scikit-learn's make_moons(300, noise=0.2) split 80/20:
//
//	x, y, err := datasets.Moons(300, datasets.Noise(0.2), datasets.Seed(1))
//	if err != nil {
//		return err
//	}
//	xTrain, xTest, yTrain, yTest, err := datasets.TrainTestSplit(x, y, 0.2, datasets.Stratify(true))
package datasets
