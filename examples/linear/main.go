// Command linear is the TensorFlow "5X+1" tutorial (seed 003): one Dense
// unit learns y = 5x + 1 from six points with SGD and mean squared error,
// then predicts x = 10. The tutorial printed 50.98739.
package main

import (
	"flag"
	"fmt"
	"log"

	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
	"gorgonia.org/tensor"
)

func main() {
	epochs := flag.Int("epochs", 500, "training epochs")
	verbose := flag.Int("verbose", 0, "Keras verbosity: 0 silent, 1 progress bar, 2 one line per epoch")
	flag.Parse()
	pred, loss, err := run(*epochs, *verbose)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("final loss: %.6f\n", loss)
	fmt.Printf("predict(10) = %.5f\n", pred)
}

// run trains the model and returns its prediction for 10 and the last
// epoch's loss.
func run(epochs, verbose int) (float64, float64, error) {
	xs := tensor.New(tensor.WithShape(6, 1), tensor.WithBacking([]float32{-1, 0, 1, 2, 3, 4}))
	ys := tensor.New(tensor.WithShape(6, 1), tensor.WithBacking([]float32{-4, 1, 6, 11, 16, 21}))

	model := keras.Sequential(
		layers.Dense(1, layers.InputShape(1)),
	)
	if err := model.Compile(optimizers.SGD(), losses.MeanSquaredError()); err != nil {
		return 0, 0, err
	}
	hist, err := model.Fit(xs, ys, keras.Epochs(epochs), keras.Verbose(verbose))
	if err != nil {
		return 0, 0, err
	}
	out, err := model.Predict(tensor.New(tensor.WithShape(1, 1), tensor.WithBacking([]float32{10})))
	if err != nil {
		return 0, 0, err
	}
	v, err := out.At(0, 0)
	if err != nil {
		return 0, 0, err
	}
	l := hist.History["loss"]
	return float64(v.(float32)), l[len(l)-1], nil
}
