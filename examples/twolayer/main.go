// Command twolayer is James Loy's two-layer neural network from seed 000
// ("how to build your own neural network from scratch in Python"): three
// inputs, a hidden layer of four sigmoid units and one sigmoid output, no
// biases, weights drawn uniformly from [0, 1), trained for 1,500 full-batch
// iterations on the XOR of the first two input columns. The seed's figure
// is its loss curve, falling monotonically toward 0, and final predictions
// near the targets [0, 1, 1, 0]. The curve is saved as a picture (-plot).
//
// Loy's loss is the sum of squared errors Σ(y-o)² over the four samples,
// and his update adds the negative gradient of that sum, a step of size 1
// (his derivatives carry the factor 2 of the square). Keras's mean squared
// error on the full batch of four is Σ(y-o)²/4, whose gradient is a
// quarter of his, so SGD with learning rate 4 takes exactly his steps;
// the plotted loss is his divided by 4.
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
	"github.com/gokeras/keras/plots"
)

func main() {
	epochs := flag.Int("epochs", 1500, "full-batch training iterations")
	plot := flag.String("plot", "twolayer_loss.png", "where to save the loss curve (.png, .svg, .pdf)")
	seed := flag.Int64("seed", keras.DefaultSeed, "model seed (initial weights)")
	flag.Parse()
	r, err := run(*epochs, *seed, *plot)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("loss (mse) after iteration 1: %.6f, after iteration %d: %.6f\n", r.Loss[0], len(r.Loss), r.Loss[len(r.Loss)-1])
	fmt.Printf("predictions: [%.4f %.4f %.4f %.4f] (targets [0 1 1 0])\n", r.Pred[0], r.Pred[1], r.Pred[2], r.Pred[3])
	fmt.Printf("loss curve saved to %s\n", *plot)
}

// result is the loss of every iteration and the final predictions for
// the four samples.
type result struct {
	Loss []float64
	Pred []float64
}

// run trains the network for epochs iterations from the weights the seed
// draws, saves the loss curve to plotPath and returns the losses and the
// predictions.
func run(epochs int, seed int64, plotPath string) (result, error) {
	x, y := datasets.XOR3()
	uniform := layers.KernelInitializer(layers.RandomUniform(0, 1)) // numpy.random.rand
	model := keras.Sequential(
		layers.Dense(4, layers.Activation("sigmoid"), layers.UseBias(false), uniform, layers.InputShape(3)),
		layers.Dense(1, layers.Activation("sigmoid"), layers.UseBias(false), uniform),
	)
	err := model.Compile(optimizers.SGD(optimizers.LearningRate(4)), losses.MeanSquaredError(), keras.Seed(seed))
	if err != nil {
		return result{}, err
	}
	hist, err := model.Fit(x, y, keras.Epochs(epochs), keras.BatchSize(4), keras.Shuffle(false), keras.Verbose(0))
	if err != nil {
		return result{}, err
	}
	err = plots.LossCurveWith(plotPath, hist.History, []string{"loss"}, plots.Title("Two-layer 3-4-1 net: loss per iteration"))
	if err != nil {
		return result{}, err
	}
	out, err := model.Predict(x)
	if err != nil {
		return result{}, err
	}
	pred := make([]float64, 4)
	for i, v := range out.Data().([]float32) {
		pred[i] = float64(v)
	}
	return result{Loss: hist.History["loss"], Pred: pred}, nil
}
