// Package layers holds the building blocks of a Sequential model, as
// keras.layers does: Dense, Activation, Dropout, Flatten, Reshape and
// InputLayer, with the activations, initializers and regularizers they
// are configured by, each under its Keras name.
//
// A layer is built from an input shape (without the batch dimension),
// which fixes its weights' shapes and initializers; the model then
// allocates the weights and asks each layer to add its computation to a
// Gorgonia graph through a Context. Options read like Keras's keyword
// arguments and default to Keras's defaults:
//
//	hidden := layers.Dense(64,
//		layers.Activation("relu"),
//		layers.KernelInitializer("he_normal"),
//		layers.KernelRegularizer(layers.L2(1e-4)),
//		layers.InputShape(784))
//	out := layers.Dense(10, layers.Activation("softmax"))
//
// Activations ("relu", "gelu", "softmax", ...), initializers
// ("glorot_uniform", "he_normal", ...) and regularizers ("l1", "l2",
// "l1_l2") are looked up by name with GetActivation, GetInitializer and
// GetRegularizer; an unknown name is an error that lists the known ones.
// Initializers draw only from the *rand.Rand they are given, so the same
// seed gives the same weights. Activations work on float32 and float64
// nodes; softmax and log_softmax are computed in the shifted, stable form.
package layers
