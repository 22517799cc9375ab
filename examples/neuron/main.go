// Command neuron is the single sigmoid neuron of seed 000 (Milo
// Spencer-Harper's "simple neural network in 9 lines of Python"): three
// inputs, no bias, trained for 10,000 full-batch steps on four examples
// whose target is the first input column, then asked about [1, 0, 0].
//
// The seed starts from numpy's seed-1 weights [-0.16595599, 0.44064899,
// -0.99977125] and prints the trained weights [9.67299303, -0.2078435,
// -4.62963669] and the prediction 0.99993704 for [1, 0, 0].
//
// The seed's update w += Xᵀ((y-o)·o·(1-o)) is a gradient step of size 1
// on 0.5·Σ(y-o)² over the four samples. Keras's mean squared error on a
// batch of four is (1/4)·Σ(y-o)², whose gradient (2/4)·Σ(o-y)·o·(1-o)·x is
// half the seed's: with SGD learning rate 2 and batch size 4 each step is
// exactly the seed's, so the same starting weights give the same numbers
// (up to float32 rounding).
package main

import (
	"flag"
	"fmt"
	"log"

	"github.com/gokeras/keras/datasets"
	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
	"gorgonia.org/tensor"
)

// initial holds the seed's starting weights, numpy's
// 2*random.random((3, 1)) - 1 after random.seed(1).
var initial = []float32{-0.16595599, 0.44064899, -0.99977125}

func main() {
	epochs := flag.Int("epochs", 10000, "full-batch training steps")
	flag.Parse()
	w, pred, err := run(*epochs)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("starting weights: [-0.16595599 0.44064899 -0.99977125]")
	fmt.Printf("trained weights:  [%.6f %.6f %.6f]\n", w[0], w[1], w[2])
	fmt.Printf("predict [1 0 0] = %.8f\n", pred)
}

// run trains the neuron for epochs full-batch steps and returns its
// weights and its prediction for [1, 0, 0].
func run(epochs int) ([]float64, float64, error) {
	x, y := datasets.SingleNeuron()
	model := keras.Sequential(
		layers.Dense(1, layers.Activation("sigmoid"), layers.UseBias(false), layers.InputShape(3)),
	)
	kernel := tensor.New(tensor.WithShape(3, 1), tensor.WithBacking(append([]float32(nil), initial...)))
	if err := model.SetWeights([]*tensor.Dense{kernel}); err != nil {
		return nil, 0, err
	}
	if err := model.Compile(optimizers.SGD(optimizers.LearningRate(2)), losses.MeanSquaredError()); err != nil {
		return nil, 0, err
	}
	// One batch of all four samples: shuffling it changes nothing.
	if _, err := model.Fit(x, y, keras.Epochs(epochs), keras.BatchSize(4), keras.Shuffle(false), keras.Verbose(0)); err != nil {
		return nil, 0, err
	}
	ws := model.GetWeights()
	w := make([]float64, 3)
	for i, v := range ws[0].Data().([]float32) {
		w[i] = float64(v)
	}
	out, err := model.Predict(tensor.New(tensor.WithShape(1, 3), tensor.WithBacking([]float32{1, 0, 0})))
	if err != nil {
		return nil, 0, err
	}
	return w, float64(out.Data().([]float32)[0]), nil
}
