// Package fused holds Gorgonia ops of this project's own that do in one
// pass what the graph would otherwise build from many small Gorgonia
// ops: a dense layer (x·W + b with its activation), softmax and sigmoid,
// and the cross-entropies of Keras on probabilities with their gradient
// taken straight to the logits.
//
// Every op writes into the buffer it is given (Gorgonia's
// UsePreallocDoer), so a graph run again by keras's executor allocates
// nothing here, and every op has its own symbolic gradient built from
// ops of this package: the bias gradient is a column sum, no Repeat.
// The numbers are those of the graphs they replace, to float32 rounding.
//
// The smallest use:
//
//	h, err := fused.Dense(x, w, b, "relu") // max(x·w + b, 0)
//	p, err := fused.Softmax(z)
//	loss, err := fused.SoftmaxCrossentropy(y, p) // p from fused.Softmax
package fused
