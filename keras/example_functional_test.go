package keras_test

import (
	"fmt"
	"log"

	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"gorgonia.org/tensor"
)

// A functional model: two towers joined by Concatenate and a residual
// Add, as Keras's keras.Model(inputs, outputs). A layer applied twice
// shares its weights.
func ExampleNewModel() {
	inputs := keras.Input(4)
	a := keras.Apply(layers.Dense(8, layers.Activation("relu")), inputs)
	b := keras.Apply(layers.Dense(8, layers.Activation("tanh")), inputs)
	x := keras.Apply(layers.Concatenate(), a, b)
	shortcut := x
	x = keras.Apply(layers.Dense(16, layers.Activation("relu")), x)
	x = keras.Apply(layers.Add(), x, shortcut)
	outputs := keras.Apply(layers.Dense(1, layers.Activation("sigmoid")), x)
	model, err := keras.NewModel([]*keras.Tensor{inputs}, []*keras.Tensor{outputs})
	if err != nil {
		log.Fatal(err)
	}
	model.SetName("towers")
	out, err := model.Predict(tensor.New(tensor.WithShape(3, 4), tensor.WithBacking(make([]float32, 12))))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(x.Shape(), out.Shape(), model.CountParams())

	_, err = keras.NewModel([]*keras.Tensor{inputs}, []*keras.Tensor{keras.Apply(layers.Add(), a, keras.Apply(layers.Dense(3), inputs))})
	fmt.Println(err)
	// Output:
	// [16] (3, 1) 369
	// add: inputs must have the same shape, got (8,) (input 0) and (3,) (input 1)
}
