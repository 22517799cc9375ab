// Package datasets makes and loads data ready for Fit: the toy sets of
// the seed tutorials (XOR, make_moons), scikit-learn-style generators
// (Moons, Circles, Blobs, Spirals, Regression, LinearRegression, Sine),
// the real MNIST digits (LoadMNIST, as Keras's mnist.load_data), and the
// small utilities around them (ToCategorical, TrainTestSplit, ShuffleXY,
// StandardScaler, MinMaxScaler), two small real tables embedded in the
// package (LoadAutoMPG, LoadSeattleWeather), and data pipelines for data
// that does not come as whole tensors (Pipeline, as tf.data: FromTensors,
// FromFunc, Shuffle, Batch, Map, Prefetch, Take, Cache, and
// ImagesFromDirectory as Keras's image_dataset_from_directory).
//
// A Pipeline is a Dataset: its Batches method runs one pass (an epoch)
// and yields batches, with memory bounded by the batch and the buffers of
// its steps:
//
//	ds := datasets.FromTensors(x, y).Shuffle(1000, 42).Batch(64).Prefetch(2)
//	for b, err := range ds.Batches(ctx) {
//		if err != nil {
//			return err
//		}
//		// b.X, b.Y: one batch
//	}
//
// No call allocates a tensor of more than MaxValues values; larger
// arguments are errors.
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
