package metrics_test

import (
	"fmt"

	"github.com/gokeras/keras/metrics"
	"gorgonia.org/tensor"
)

// The batch of Keras's BinaryAccuracy docstring, under the name
// "accuracy" that compile resolves for a binary_crossentropy model.
func ExampleGet() {
	m, err := metrics.Get("accuracy", "binary_crossentropy", 1)
	if err != nil {
		panic(err)
	}
	yTrue := tensor.New(tensor.WithShape(4, 1), tensor.WithBacking([]float32{1, 1, 0, 0}))
	yPred := tensor.New(tensor.WithShape(4, 1), tensor.WithBacking([]float32{0.98, 1, 0, 0.6}))
	if err := m.Update(yTrue, yPred); err != nil {
		panic(err)
	}
	fmt.Println(m.Name(), m.Result())
	// Output: accuracy 0.75
}

// RMSE over two batches is the root of the mean over all four samples,
// not the mean of the two batch roots (Keras's RootMeanSquaredError).
func ExampleRootMeanSquaredError() {
	m := metrics.RootMeanSquaredError()
	for _, b := range [][2][]float64{
		{{0, 0}, {2, 2}}, // squared errors 4, 4
		{{1, 1}, {1, 1}}, // squared errors 0, 0
	} {
		yTrue := tensor.New(tensor.WithShape(2, 1), tensor.WithBacking(b[0]))
		yPred := tensor.New(tensor.WithShape(2, 1), tensor.WithBacking(b[1]))
		if err := m.Update(yTrue, yPred); err != nil {
			panic(err)
		}
	}
	fmt.Printf("%s %.4f\n", m.Name(), m.Result())
	// Output: root_mean_squared_error 1.4142
}
