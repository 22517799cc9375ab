package activations_test

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/gokeras/keras/activations"
)

// Activations are looked up by their Keras names and applied to graph
// nodes.
func ExampleGetActivation() {
	g := G.NewGraph()
	x := G.NewVector(g, tensor.Float32, G.WithShape(4), G.WithName("x"),
		G.WithValue(tensor.New(tensor.WithBacking([]float32{-4, -1, 0.5, 2}))))
	hardSigmoid, err := activations.GetActivation("hard_sigmoid")
	if err != nil {
		fmt.Println(err)
		return
	}
	y, _ := hardSigmoid(x)
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%.4f\n", y.Value().Data())

	_, err = activations.GetActivation("relu7")
	fmt.Println(err != nil)
	// Output:
	// [0.0000 0.3333 0.5833 0.8333]
	// true
}

// ActivationNames lists every Keras activation name the package knows.
func ExampleActivationNames() {
	fmt.Println(activations.ActivationNames())
	// Output:
	// [elu exponential gelu hard_sigmoid hard_sigmoid_keras2 hard_silu hard_swish leaky_relu linear log_softmax mish relu relu6 selu sigmoid silu softmax softplus softsign swish tanh]
}
