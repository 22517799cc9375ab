package layers

// Conv2D returns a 2-D convolution layer with filters output channels and
// a square kernelSize×kernelSize kernel, as keras.layers.Conv2D, on
// channels_last input (height, width, channels). Options:
// KernelSizePerDim (a non-square kernel, overriding kernelSize), Strides
// (default 1), Padding ("valid", the default, or "same"), DilationRate
// (default 1; not with strides above 1, as in Keras), Activation (default
// linear), UseBias (default true), KernelInitializer (default
// "glorot_uniform"), BiasInitializer (default "zeros"),
// KernelRegularizer, BiasRegularizer, InputShape, Name. The kernel has
// Keras's shape (kh, kw, in channels, filters). Conv2D panics on a
// filter count, kernel size, stride or dilation below 1, or on the wrong
// number of values for one of them: those are literal mistakes in the
// program.
func Conv2D(filters, kernelSize int, opts ...Option) Layer {
	return newConv("Conv2D", 2, filters, kernelSize, opts)
}
