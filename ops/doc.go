// Package ops builds Gorgonia expressions the way this library builds
// its own, as Keras's keras.ops: element-wise arithmetic with NumPy
// broadcasting, reductions over chosen axes, the stable softmax,
// log-softmax and sigmoid, matrix products and shape changes, on
// *gorgonia.Node values of dtype float32 or float64.
//
// It is for writing a custom loss, layer or metric without meeting
// Gorgonia's traps: every constant takes the dtype of the node it meets
// (Divide(1.0, x) and Divide(x, 2) both work, in either order, on
// float32 and float64), Reshape takes one -1, Softmax and LogSoftmax
// stay finite for logits of any size (Gorgonia's SoftMax is wrong on
// rows whose first logit is the largest, its LogSoftMax overflows),
// Sigmoid is exact on the whole line (Gorgonia's is 1 above 15 in
// float32, with no gradient there), and a bad shape is an error that
// names the function and the shapes, never a panic.
//
// A custom loss, the mean over the batch of each sample's mean absolute
// error, cubed:
//
//	func cubedError(yTrue, yPred *G.Node) (*G.Node, error) {
//		d, err := ops.Subtract(yPred, yTrue)
//		if err != nil {
//			return nil, err
//		}
//		a, err := ops.Abs(d)
//		if err != nil {
//			return nil, err
//		}
//		perSample, err := ops.Mean(a, ops.Axis(-1))
//		if err != nil {
//			return nil, err
//		}
//		c, err := ops.Power(perSample, 3)
//		if err != nil {
//			return nil, err
//		}
//		return ops.Mean(c)
//	}
//
// Operands written as any (Add, Subtract, Multiply, Divide, Maximum,
// Minimum, Where) are either nodes or Go numbers (float64, float32,
// int); at least one must be a node. The functions are thin wrappers of
// the builder the library's own losses and layers use, so they compute
// exactly what those do.
package ops
