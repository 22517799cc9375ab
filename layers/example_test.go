package layers_test

import (
	"fmt"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/gokeras/keras/layers"
)

// Activations are looked up by their Keras names and applied to graph
// nodes.
func ExampleGetActivation() {
	g := G.NewGraph()
	x := G.NewVector(g, tensor.Float32, G.WithShape(4), G.WithName("x"),
		G.WithValue(tensor.New(tensor.WithBacking([]float32{-4, -1, 0.5, 2}))))
	hardSigmoid, err := layers.GetActivation("hard_sigmoid")
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

	_, err = layers.GetActivation("relu7")
	fmt.Println(err != nil)
	// Output:
	// [0.0000 0.3333 0.5833 0.8333]
	// true
}

// ActivationNames lists every Keras activation name the package knows.
func ExampleActivationNames() {
	fmt.Println(layers.ActivationNames())
	// Output:
	// [elu exponential gelu hard_sigmoid hard_silu hard_swish leaky_relu linear log_softmax mish relu relu6 selu sigmoid silu softmax softplus softsign swish tanh]
}

// An initializer given by name carries Keras's defaults; the same seed
// gives the same values.
func ExampleGetInitializer() {
	init, err := layers.GetInitializer("random_uniform")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(init.Name(), init.Config()["minval"], init.Config()["maxval"])
	a := init.Initialize(rand.New(rand.NewPCG(1, 2)), []int{2, 2})
	b := init.Initialize(rand.New(rand.NewPCG(1, 2)), []int{2, 2})
	fmt.Println(len(a), fmt.Sprint(a) == fmt.Sprint(b))
	// Output:
	// random_uniform -0.05 0.05
	// 4 true
}

// Regularizers add a penalty on a weight to the model's loss.
func ExampleL1L2() {
	r, _ := layers.GetRegularizer("l1_l2")
	fmt.Println(r.Name(), r.Config())
	fmt.Println(layers.L2(0.001).Config())
	// Output:
	// l1_l2 map[l1:0.01 l2:0.01]
	// map[l2:0.001]
}
