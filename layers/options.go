package layers

import (
	"fmt"
	"slices"
)

// Option configures a layer, as Keras's constructor keyword arguments do.
// The value returned by Activation is both an Option (for Dense) and a
// Layer (for a Sequential model).
type Option interface {
	apply(c *config)
}

type optionFunc func(c *config)

func (f optionFunc) apply(c *config) { f(c) }

// config holds the options common to layers; each layer reads the ones it
// understands.
type config struct {
	name       string
	inputShape []int
	activation string
	useBias    bool
	kernelInit any
	biasInit   any
	kernelReg  any
	biasReg    any
	axis       *int
	normalize  bool

	// Options of groups of layers, each declared in the group's
	// options file, with its defaults.
	conv convOptions // conv_options.go: convolution and pooling
	norm normOptions // norm_options.go: normalization, activation layers, noise
	rnn  rnnOptions  // rnn_options.go: embedding, recurrent layers, masking
	text textOptions // text_options.go: TextVectorization
}

func newConfig(opts []Option) config {
	c := config{activation: "linear", useBias: true, kernelInit: "glorot_uniform", biasInit: "zeros"}
	c.conv.defaults()
	c.norm.defaults()
	c.rnn.defaults()
	c.text.defaults()
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	return c
}

// Name sets the layer's name. By default the model names layers after
// their class: "dense", "dense_1", ...
func Name(name string) Option { return optionFunc(func(c *config) { c.name = name }) }

// InputShape declares the shape of one sample (without the batch
// dimension) fed to the first layer, as Keras's input_shape.
func InputShape(dims ...int) Option {
	return optionFunc(func(c *config) { c.inputShape = slices.Clone(dims) })
}

// Axis sets the axis a layer works along (Concatenate, Softmax,
// LayerNormalization, ...), counted as Keras counts it: -1 is the last
// axis, and 1 the first axis after the batch. Default: -1.
func Axis(a int) Option { return optionFunc(func(c *config) { c.axis = &a }) }

// UseBias says whether the layer adds a bias vector. Keras default: true.
func UseBias(b bool) Option { return optionFunc(func(c *config) { c.useBias = b }) }

// KernelInitializer sets how the kernel starts: a Keras name such as
// "he_normal" or an Initializer. Keras default: "glorot_uniform".
func KernelInitializer(init any) Option {
	return optionFunc(func(c *config) { c.kernelInit = init })
}

// BiasInitializer sets how the bias starts: a Keras name or an
// Initializer. Keras default: "zeros".
func BiasInitializer(init any) Option {
	return optionFunc(func(c *config) { c.biasInit = init })
}

// KernelRegularizer adds a penalty on the kernel to the loss: a Keras name
// ("l1", "l2", "l1_l2") or a Regularizer such as L2(0.01). Keras default:
// none.
func KernelRegularizer(reg any) Option {
	return optionFunc(func(c *config) { c.kernelReg = reg })
}

// BiasRegularizer adds a penalty on the bias to the loss. Keras default:
// none.
func BiasRegularizer(reg any) Option {
	return optionFunc(func(c *config) { c.biasReg = reg })
}

func intsToAny(v []int) []any {
	out := make([]any, len(v))
	for i, x := range v {
		out[i] = x
	}
	return out
}

func numel(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// errShape is the error for an input whose shape does not fit a layer.
func errShape(layer string, want, got []int) error {
	return fmt.Errorf("%s: expected input of shape %v (without batch), got %v", layer, want, got)
}
