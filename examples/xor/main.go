// Command xor is seed 000's "neural network in 11 lines of Python"
// (Andrew Trask) written with Keras-style layers: first the two-layer net,
// three sigmoid inputs straight to one sigmoid output, which learns a
// target equal to the first input column; then the three-layer 3-4-1
// sigmoid net, which learns the XOR of the first two columns (the third
// is always 1 and stands in for a bias). Neither has bias vectors.
//
// The seed's figure: the three-layer net's mean absolute error falls from
// 0.496 to 0.0035 in 60,000 full-batch steps and its predictions round to
// the targets [0, 1, 1, 0]. Trask's original post prints, every 10,000
// steps, 0.496410031903, 0.00858452565325, 0.00578945986251,
// 0.00462917677677, 0.00395876528027, 0.00351012256786, and for the
// two-layer net after 10,000 steps the predictions [0.00966449,
// 0.00786506, 0.99358898, 0.99211957]. Both nets start here from the
// same numpy random.seed(1) weights as the seed's, so these figures are
// reproduced to about four decimals.
//
// The seed's update, syn += layerᵀ·(error·o·(1-o)) with error = y - o, is
// a gradient step of size 1 on 0.5·Σ(y-o)² over the four samples. Keras's
// mean squared error over a batch of four is (1/4)·Σ(y-o)², whose gradient
// is half as large, so SGD with learning rate 2 on full batches of 4 takes
// exactly the seed's steps. The seed's printed error, np.mean(np.abs(
// l2_error)) before step j, is Keras's "mae" metric evaluated after j
// steps.
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

// The seed's starting weights: numpy's 2*random.random(shape) - 1 after
// random.seed(1), drawn in the seed's order (syn0, then syn1).
var (
	syn0TwoLayer = []float32{-0.16595599, 0.44064899, -0.99977125}
	syn0         = []float32{
		-0.16595599, 0.44064899, -0.99977125, -0.39533485,
		-0.70648822, -0.81532281, -0.62747958, -0.30887855,
		-0.20646505, 0.07763347, -0.16161097, 0.37043900,
	}
	syn1 = []float32{-0.59109550, 0.75623487, -0.94522481, 0.34093502}
)

// yColumn is the two-layer net's target, the first column of the seed's
// inputs (datasets.XOR3's x); the three-layer net learns XOR3's y.
var yColumn = []float32{0, 0, 1, 1}

func main() {
	epochs2 := flag.Int("epochs2", 10000, "full-batch steps of the two-layer net")
	epochs3 := flag.Int("epochs3", 60000, "full-batch steps of the three-layer net")
	flag.Parse()
	r, err := run(*epochs2, *epochs3)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("two-layer net, %d steps:\n", *epochs2)
	fmt.Printf("  final loss (mse): %.6f\n", r.Loss2)
	fmt.Printf("  output after training: %s\n", format(r.Pred2))
	fmt.Printf("three-layer net, %d steps:\n", *epochs3)
	for i, e := range r.MAE3 {
		fmt.Printf("  Error after %5d steps: %.8f\n", i*report, e)
	}
	fmt.Printf("  final loss (mse): %.8f\n", r.Loss3)
	fmt.Printf("  output after training: %s\n", format(r.Pred3))
}

// report is how often, in steps, the three-layer net's error is printed,
// as in the seed.
const report = 10000

// result is what the two nets learned: the final loss, the predictions
// for the four samples and, for the three-layer net, the mean absolute
// error before step 0, report, 2*report, ...
type result struct {
	Loss2, Loss3 float64
	Pred2, Pred3 []float64
	MAE3         []float64
}

// run trains the two-layer net for epochs2 steps and the three-layer net
// for epochs3 steps.
func run(epochs2, epochs3 int) (result, error) {
	var r result
	x, yXOR := datasets.XOR3()
	yCol := tensor.New(tensor.WithShape(4, 1), tensor.WithBacking(append([]float32(nil), yColumn...)))
	two := keras.Sequential(
		layers.Dense(1, layers.Activation("sigmoid"), layers.UseBias(false), layers.InputShape(3)),
	)
	var err error
	if r.Loss2, r.Pred2, _, err = train(two, [][]float32{syn0TwoLayer}, x, yCol, epochs2); err != nil {
		return r, fmt.Errorf("two-layer net: %w", err)
	}

	three := keras.Sequential(
		layers.Dense(4, layers.Activation("sigmoid"), layers.UseBias(false), layers.InputShape(3)),
		layers.Dense(1, layers.Activation("sigmoid"), layers.UseBias(false)),
	)
	if r.Loss3, r.Pred3, r.MAE3, err = train(three, [][]float32{syn0, syn1}, x, yXOR, epochs3); err != nil {
		return r, fmt.Errorf("three-layer net: %w", err)
	}
	return r, nil
}

// train sets the model's kernels, fits it to x and y with the seed's full-batch steps, and returns the final loss,
// the predictions for the four samples and the mean absolute error every
// report steps. The errors come from Evaluate between chunks of Fit rather
// than from Fit's logged "mae", which is wrong for sigmoid outputs (see
// the report of this example).
func train(model *keras.Model, kernels [][]float32, x, y *tensor.Dense, epochs int) (loss float64, pred, mae []float64, err error) {
	ws := make([]*tensor.Dense, len(kernels))
	in := 3
	for i, k := range kernels {
		ws[i] = tensor.New(tensor.WithShape(in, len(k)/in), tensor.WithBacking(append([]float32(nil), k...)))
		in = len(k) / in
	}
	if err := model.SetWeights(ws); err != nil {
		return 0, nil, nil, err
	}
	err = model.Compile(optimizers.SGD(optimizers.LearningRate(2)), losses.MeanSquaredError(), keras.Metrics("mae"))
	if err != nil {
		return 0, nil, nil, err
	}
	for done := 0; done < epochs; done += report {
		ev, err := model.Evaluate(x, y, keras.Verbose(0))
		if err != nil {
			return 0, nil, nil, err
		}
		mae = append(mae, ev["mae"])
		n := min(report, epochs-done)
		if _, err := model.Fit(x, y, keras.Epochs(n), keras.BatchSize(4), keras.Shuffle(false), keras.Verbose(0)); err != nil {
			return 0, nil, nil, err
		}
	}
	ev, err := model.Evaluate(x, y, keras.Verbose(0))
	if err != nil {
		return 0, nil, nil, err
	}
	out, err := model.Predict(x)
	if err != nil {
		return 0, nil, nil, err
	}
	pred = make([]float64, 4)
	for i, v := range out.Data().([]float32) {
		pred[i] = float64(v)
	}
	return ev["loss"], pred, mae, nil
}

func format(v []float64) string {
	s := "["
	for i, x := range v {
		if i > 0 {
			s += " "
		}
		s += fmt.Sprintf("%.8f", x)
	}
	return s + "]"
}
