// Package activations holds Keras's activation functions, as
// keras.activations: each applies to a Gorgonia node of dtype float32 or
// float64 and is looked up by its Keras name.
//
//	relu, err := activations.GetActivation("relu")
//	y, err := relu(x)
//
// Softmax and log_softmax work over the last axis in the shifted, stable
// form; gelu is exact (through an erf op); an unknown name is an error
// that lists the known ones. Layers take activations by name
// (layers.Activation("relu")); this package is where the names resolve.
package activations
