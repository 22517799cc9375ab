// Command linear is the TensorFlow "5X+1" tutorial (seed 003): one Dense
// unit learns y = 5x + 1 from six points with SGD and mean squared error,
// then predicts x = 10. The tutorial printed 50.98739.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"

	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
	"github.com/gokeras/keras/plots"
	"gorgonia.org/tensor"
)

func main() {
	epochs := flag.Int("epochs", 500, "training epochs")
	verbose := flag.Int("verbose", 0, "Keras verbosity: 0 silent, 1 progress bar, 2 one line per epoch")
	plot := flag.String("plot", "", "write the loss curve to this PNG or SVG file")
	flag.Parse()
	// Ctrl-C stops training; the epochs done so far are kept.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	pred, hist, err := run(ctx, *epochs, *verbose)
	if err != nil {
		log.Fatal(err)
	}
	if *plot != "" {
		if err := plots.LossCurve(*plot, hist.History); err != nil {
			log.Fatal(err)
		}
		fmt.Println("loss curve written to", *plot)
	}
	l := hist.History["loss"]
	loss := l[len(l)-1]
	fmt.Printf("final loss: %.6f\n", loss)
	fmt.Printf("predict(10) = %.5f\n", pred)
}

// run trains the model and returns its prediction for 10 and the
// training History.
func run(ctx context.Context, epochs, verbose int) (float64, *keras.History, error) {
	xs := tensor.New(tensor.WithShape(6, 1), tensor.WithBacking([]float32{-1, 0, 1, 2, 3, 4}))
	ys := tensor.New(tensor.WithShape(6, 1), tensor.WithBacking([]float32{-4, 1, 6, 11, 16, 21}))

	model := keras.Sequential(
		layers.Dense(1, layers.InputShape(1)),
	)
	if err := model.Compile(optimizers.SGD(), losses.MeanSquaredError()); err != nil {
		return 0, nil, err
	}
	hist, err := model.FitContext(ctx, xs, ys, keras.Epochs(epochs), keras.Verbose(verbose))
	if err != nil {
		return 0, nil, err
	}
	out, err := model.Predict(tensor.New(tensor.WithShape(1, 1), tensor.WithBacking([]float32{10})))
	if err != nil {
		return 0, nil, err
	}
	v, err := out.At(0, 0)
	if err != nil {
		return 0, nil, err
	}
	return float64(v.(float32)), hist, nil
}
