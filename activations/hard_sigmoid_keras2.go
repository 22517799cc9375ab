package activations

import (
	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/graphx"
)

// HardSigmoidKeras2 is Keras 2's (and tf.keras's) "hard_sigmoid":
// clip(0.2*x + 0.5, 0, 1), that is 0 for x <= -2.5, 1 for x >= 2.5 and
// 0.2*x + 0.5 between. Keras 3 redefined hard_sigmoid (see HardSigmoid);
// keras.LoadModel maps the name "hard_sigmoid" of a file written by
// Keras 2 to this one, registered as "hard_sigmoid_keras2", so that old
// models compute what they were trained to. It is built as
// relu(0.2x+0.5) - relu(0.2x-0.5), whose gradient is 0.2 inside the
// ramp and 0 outside.
func HardSigmoidKeras2(x *G.Node) (*G.Node, error) {
	return formula(func(e *graphx.Expr, x *G.Node) *G.Node {
		s := e.Mul(x, e.Scalar(0.2))
		return e.Sub(e.Relu(e.Add(s, e.Scalar(0.5))), e.Relu(e.Sub(s, e.Scalar(0.5))))
	}, x)
}
