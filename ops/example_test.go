package ops_test

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/ops"
)

// Numbers meet nodes in either order, as constants of the node's dtype.
func ExampleDivide() {
	g := G.NewGraph()
	x := G.NewVector(g, tensor.Float32, G.WithShape(3), G.WithName("x"),
		G.WithValue(tensor.New(tensor.WithBacking([]float32{1, 2, 4}))))
	inv, err := ops.Divide(1.0, x) // 1/x
	if err != nil {
		fmt.Println(err)
		return
	}
	half, err := ops.Divide(x, 2) // x/2
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
	fmt.Println(inv.Value().Data(), half.Value().Data())
	// Output:
	// [1 0.5 0.25] [0.5 1 2]
}

// A row vector broadcasts over a batch, and Reshape infers its -1.
func ExampleAdd() {
	g := G.NewGraph()
	x := G.NewMatrix(g, tensor.Float64, G.WithShape(2, 3), G.WithName("x"),
		G.WithValue(tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float64{1, 2, 3, 4, 5, 6}))))
	b := G.NewVector(g, tensor.Float64, G.WithShape(3), G.WithName("b"),
		G.WithValue(tensor.New(tensor.WithBacking([]float64{10, 20, 30}))))
	y, err := ops.Add(x, b)
	if err != nil {
		fmt.Println(err)
		return
	}
	col, err := ops.Reshape(y, -1, 1)
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
	fmt.Println(y.Value().Data(), col.Shape())
	// Output:
	// [11 22 33 14 25 36] (6, 1)
}

// Sigmoid is exact where Gorgonia's own saturates to 1.
func ExampleSigmoid() {
	g := G.NewGraph()
	x := G.NewVector(g, tensor.Float32, G.WithShape(2), G.WithName("x"),
		G.WithValue(tensor.New(tensor.WithBacking([]float32{15.5, -40}))))
	s, err := ops.Sigmoid(x)
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
	fmt.Printf("%.9g\n", s.Value().Data())
	// Output:
	// [0.999999821 4.24835413e-18]
}

// cubedError is a custom loss written with ops: the mean over the batch
// of each sample's mean absolute error, cubed.
type cubedError struct{}

func (cubedError) Name() string           { return "cubed_error" }
func (cubedError) Config() map[string]any { return map[string]any{"name": "cubed_error"} }

func (cubedError) Compute(yTrue, yPred *G.Node) (*G.Node, error) {
	d, err := ops.Subtract(yPred, yTrue)
	if err != nil {
		return nil, err
	}
	a, err := ops.Abs(d)
	if err != nil {
		return nil, err
	}
	perSample, err := ops.Mean(a, ops.Axis(-1))
	if err != nil {
		return nil, err
	}
	c, err := ops.Power(perSample, 3)
	if err != nil {
		return nil, err
	}
	return ops.Mean(c)
}

// A custom loss written with ops, registered by name (so that a saved
// model using it loads again), looked up and computed through a graph.
func Example_customLoss() {
	err := losses.Register("cubed_error", func(cfg map[string]any) (losses.Loss, error) {
		return cubedError{}, nil
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	loss, err := losses.Get("cubed_error")
	if err != nil {
		fmt.Println(err)
		return
	}

	g := G.NewGraph()
	yTrue := G.NewMatrix(g, tensor.Float64, G.WithShape(2, 2), G.WithName("y_true"),
		G.WithValue(tensor.New(tensor.WithShape(2, 2), tensor.WithBacking([]float64{0, 1, 2, 3}))))
	yPred := G.NewMatrix(g, tensor.Float64, G.WithShape(2, 2), G.WithName("y_pred"),
		G.WithValue(tensor.New(tensor.WithShape(2, 2), tensor.WithBacking([]float64{1, 1, 4, 1}))))
	cost, err := loss.Compute(yTrue, yPred)
	if err != nil {
		fmt.Println(err)
		return
	}
	grads, err := G.Grad(cost, yPred)
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
	// By hand: the samples' mean errors are 0.5 and 2, cubed 0.125 and 8,
	// mean 4.0625; d/dp = 3*m²*sign(p-t)/2 (columns) /2 (batch).
	fmt.Println(loss.Name(), cost.Value().Data())
	fmt.Println(grads[0].Value().Data())
	// Output:
	// cubed_error 4.0625
	// [0.1875 0 3 -3]
}
