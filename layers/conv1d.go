package layers

// Conv1D returns a 1-D convolution layer with filters output channels and
// a kernel of kernelSize steps, as keras.layers.Conv1D, on channels_last
// input (steps, channels). Options as Conv2D's, with one value per option
// and Padding also "causal" (zeros on the left only, dilation × (kernel -
// 1) of them, so that no output sees a later step). The kernel has
// Keras's shape (kernel, in channels, filters). Conv1D panics on a filter
// count, kernel size, stride or dilation below 1: those are literal
// mistakes in the program.
func Conv1D(filters, kernelSize int, opts ...Option) Layer {
	return newConv("Conv1D", 1, filters, kernelSize, opts)
}
