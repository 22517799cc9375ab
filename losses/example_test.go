package losses_test

import (
	"fmt"

	"github.com/gokeras/keras/losses"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// The loss of a batch of two samples, and its gradient with respect to
// the predictions.
func Example() {
	g := G.NewGraph()
	yTrue := G.NewMatrix(g, tensor.Float32, G.WithShape(2, 3), G.WithName("y_true"),
		G.WithValue(tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float32{0, 1, 0, 0, 0, 1}))))
	logits := G.NewMatrix(g, tensor.Float32, G.WithShape(2, 3), G.WithName("logits"),
		G.WithValue(tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float32{1, 3, -1, 1000, 0, 999}))))

	loss := losses.CategoricalCrossentropy(losses.FromLogits(true))
	cost, err := loss.Compute(yTrue, logits)
	if err != nil {
		fmt.Println(err)
		return
	}
	grads, err := G.Grad(cost, logits)
	if err != nil {
		fmt.Println(err)
		return
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		fmt.Println(err)
		return
	}
	// By hand: row losses log(1+e^-2+e^-4) = 0.1429 and
	// log(1+e^-1) + 1 = 1.3133; the gradient is (softmax - y_true)/2.
	fmt.Printf("%s: %.4f\n", loss.Name(), cost.Value().Data())
	fmt.Printf("gradient: %.4f\n", grads[0].Value().Data())
	// Output:
	// categorical_crossentropy: 0.7281
	// gradient: [0.0587 -0.0666 0.0079 0.3655 0.0000 -0.3655]
}

func ExampleGet() {
	loss, err := losses.Get("mse")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(loss.Name(), loss.Config()["reduction"])

	_, err = losses.Get("mean_square_error")
	fmt.Println(err != nil)
	// Output:
	// mean_squared_error sum_over_batch_size
	// true
}
