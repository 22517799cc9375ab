package keras_test

import (
	"fmt"
	"log"

	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
	"gorgonia.org/tensor"
)

// The TensorFlow "5X+1" tutorial: one Dense unit learns y = 5x + 1.
func Example() {
	xs := tensor.New(tensor.WithShape(6, 1), tensor.WithBacking([]float32{-1, 0, 1, 2, 3, 4}))
	ys := tensor.New(tensor.WithShape(6, 1), tensor.WithBacking([]float32{-4, 1, 6, 11, 16, 21}))

	model := keras.Sequential(
		layers.Dense(1, layers.InputShape(1)),
	)
	if err := model.Compile(optimizers.SGD(), losses.MeanSquaredError()); err != nil {
		log.Fatal(err)
	}
	hist, err := model.Fit(xs, ys, keras.Epochs(500), keras.Verbose(0))
	if err != nil {
		log.Fatal(err)
	}
	out, err := model.Predict(tensor.New(tensor.WithShape(1, 1), tensor.WithBacking([]float32{10})))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("epochs: %d\n", len(hist.History["loss"]))
	fmt.Printf("predict(10) ≈ %.1f\n", out.Data().([]float32)[0])
	// Output:
	// epochs: 500
	// predict(10) ≈ 51.0
}

func ExampleModel_Summary() {
	model := keras.Sequential(
		layers.Dense(4, layers.InputShape(3), layers.Activation("relu")),
		layers.Dense(1, layers.Activation("sigmoid")),
	)
	fmt.Print(model.Summary())
	// Output:
	// Model: "sequential"
	// ┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
	// ┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
	// ┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
	// │ dense (Dense)                   │ (None, 4)              │            16 │
	// ├─────────────────────────────────┼────────────────────────┼───────────────┤
	// │ dense_1 (Dense)                 │ (None, 1)              │             5 │
	// └─────────────────────────────────┴────────────────────────┴───────────────┘
	//  Total params: 21 (84.00 B)
	//  Trainable params: 21 (84.00 B)
	//  Non-trainable params: 0 (0.00 B)
}
