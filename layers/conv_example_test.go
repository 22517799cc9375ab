package layers_test

import (
	"fmt"

	"github.com/gokeras/keras/layers"
)

// The first two layers of Keras's "Simple MNIST convnet": shapes never
// include the batch, and the kernel has Keras's (kh, kw, in, out) layout.
func ExampleConv2D() {
	conv := layers.Conv2D(32, 3, layers.Activation("relu"))
	out, err := conv.Build([]int{28, 28, 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(out, conv.Weights()[0].Shape, conv.Weights()[1].Shape)
	pool := layers.MaxPooling2D(layers.PoolSize(2, 2))
	out, _ = pool.Build(out)
	fmt.Println(out)
	// Output:
	// [26 26 32] [3 3 1 32] [32]
	// [13 13 32]
}
