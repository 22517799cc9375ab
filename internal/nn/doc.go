// Package nn holds Gorgonia ops for convolution and pooling that work
// directly in Keras's channels_last layout (batch, height, width,
// channels), in float32 and float64, each with its gradient written as
// ops of this package.
//
// Gorgonia's own Conv2d and MaxPool2D want NCHW, pad symmetrically
// (Keras's "same" pads more at the bottom/right when the total is odd)
// and keep mutable scratch on the op (a mask, buffers), which rules out
// running one graph from several goroutines; its Conv2d forward was also
// measured slower than this im2col (BenchmarkGorgoniaConv2Forward). The
// layers of this project use these ops instead. Conv1D and the 1-D poolings are the 2-D ops with a height of 1.
//
// The smallest use, a "same" 3x3 convolution of a (N, H, W, C) node x with
// a (3, 3, C, F) kernel node k:
//
//	w := nn.Window{KH: 3, KW: 3}.WithSamePadding(h, wd)
//	y, err := nn.Conv2D(x, k, w)
//
// Every op writes into its previous output when the executor offers it
// (G.UsePreallocDoer), keeps no mutable state of its own (its scratch
// comes from a sync.Pool), and so may run from several goroutines at once
// on different values. The matrix products go through G.WhichBLAS(), so a
// faster BLAS installed with G.Use is used here too.
package nn
