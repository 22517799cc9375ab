package optimizers_test

import (
	"fmt"

	"github.com/gokeras/keras/optimizers"
	"gorgonia.org/tensor"
)

// One SGD step with momentum on a float32 parameter: w -= 0.1*g.
func Example() {
	w := tensor.New(tensor.WithShape(2), tensor.WithBacking([]float32{1, 2}))
	g := tensor.New(tensor.WithShape(2), tensor.WithBacking([]float32{0.5, -1}))

	opt := optimizers.SGD(optimizers.LearningRate(0.1), optimizers.Momentum(0.9))
	if err := opt.Apply([]*tensor.Dense{w}, []*tensor.Dense{g}); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(w.Data(), opt.Iterations())
	// Output: [0.95 2.1] 1
}

// Optimizers by Keras name, and the error for an unknown one.
func ExampleGet() {
	opt, _ := optimizers.Get("adam")
	fmt.Println(opt.Name(), opt.LearningRate())
	_, err := optimizers.Get("adamm")
	fmt.Println(err)
	// Output:
	// adam 0.001
	// optimizers: unknown optimizer "adamm"; known names: adadelta, adagrad, adam, adamax, adamw, nadam, rmsprop, sgd
}

// A learning rate that halves every 100 steps, evaluated at the
// optimizer's iteration count.
func ExampleExponentialDecay() {
	sched := optimizers.ExponentialDecay(0.1, 100, 0.5, true)
	opt := optimizers.Adam(optimizers.Schedule(sched))
	fmt.Println(opt.LearningRate(), sched.Rate(100), sched.Rate(250))
	// Output: 0.1 0.05 0.025
}

// Saving the state of an optimizer and resuming it in another.
func ExampleOptimizer_variables() {
	w := tensor.New(tensor.WithShape(1), tensor.WithBacking([]float64{1}))
	g := tensor.New(tensor.WithShape(1), tensor.WithBacking([]float64{1}))
	a := optimizers.SGD(optimizers.LearningRate(0.1), optimizers.Momentum(0.9))
	_ = a.Apply([]*tensor.Dense{w}, []*tensor.Dense{g})
	state := a.Variables() // iterations, then the momentum

	b := optimizers.SGD(optimizers.LearningRate(0.1), optimizers.Momentum(0.9))
	_ = b.Build([]*tensor.Dense{w})
	if err := b.SetVariables(state); err != nil {
		fmt.Println(err)
		return
	}
	_ = b.Apply([]*tensor.Dense{w}, []*tensor.Dense{g}) // m = 0.9*(-0.1) - 0.1 = -0.19
	fmt.Printf("%d %.2f\n", b.Iterations(), w.Data())
	// Output: 2 [0.71]
}
