// Package keras is the model of this library: a Keras-style Sequential
// model compiled onto Gorgonia graphs, with Keras's Compile, Fit, Evaluate
// and Predict, and Keras's defaults and numbers.
//
// The TensorFlow "5X+1" tutorial:
//
//	xs := tensor.New(tensor.WithShape(6, 1), tensor.WithBacking([]float32{-1, 0, 1, 2, 3, 4}))
//	ys := tensor.New(tensor.WithShape(6, 1), tensor.WithBacking([]float32{-4, 1, 6, 11, 16, 21}))
//	model := keras.Sequential(layers.Dense(1, layers.InputShape(1)))
//	if err := model.Compile(optimizers.SGD(), losses.MeanSquaredError()); err != nil {
//		log.Fatal(err)
//	}
//	hist, err := model.Fit(xs, ys, keras.Epochs(500), keras.Verbose(0))
//	...
//	out, err := model.Predict(tensor.New(tensor.WithShape(1, 1), tensor.WithBacking([]float32{10})))
//
// A trained model is one call from a file and back: Save and LoadModel
// (a zip shaped like Keras's .keras: config.json, metadata.json and the
// weights with the optimizer's state in safetensors), SaveWeights and
// LoadWeights (safetensors, tensors named "dense_1/kernel"), and
// ExportONNX for serving with any ONNX runtime.
//
// How it runs: each batch size gets its own graph (Gorgonia bakes the
// batch size into a graph) for training, evaluation and prediction; all of
// them share the model's weight tensors. Gradients come from Gorgonia's
// symbolic differentiation. The graphs are run by this package's executor,
// which calls Gorgonia's ops in order on the caller's goroutine, computing
// only what a step needs (Gorgonia's TapeMachine costs a goroutine and
// thread handoff per run). The update rules are the optimizers package's,
// on the weight tensors. Engine panics are recovered at every public method
// and returned as errors wrapping ErrEngine. A Model is not safe for
// concurrent use.
package keras
