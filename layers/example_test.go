package layers_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/gokeras/keras/layers"
)

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
