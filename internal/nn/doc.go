// Package nn holds Gorgonia ops for convolution and pooling that work
// directly in Keras's channels_last layout (batch, height, width,
// channels), in float32 and float64, each with its gradient written as
// ops of this package.
//
// Gorgonia's own Conv2d and MaxPool2D want NCHW, pad symmetrically and
// keep mutable scratch on the op, so the layers of this project use these
// instead. Conv1D and the 1-D poolings are the 2-D ops with a height of 1.
//
// The smallest use, a "same" 3x3 convolution of a (N, H, W, C) node x with
// a (3, 3, C, F) kernel node k:
//
//	p := nn.ConvParams{KH: 3, KW: 3}.WithSamePadding(h, w)
//	y, err := nn.Conv2D(x, k, p)
//
// Every op writes into its previous output when the executor offers it
// (G.UsePreallocDoer), keeps no mutable state of its own (its scratch
// comes from a sync.Pool), and so may run from several goroutines at once
// on different values. The matrix products go through G.WhichBLAS(), so a
// faster BLAS installed with G.Use is used here too.
package nn
