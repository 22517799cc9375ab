package layers

import "github.com/gokeras/keras/internal/rnn"

// SimpleRNNLayer is Keras's SimpleRNN: h_t = activation(x_t·kernel +
// h_{t-1}·recurrent_kernel + bias), over every step of its input.
type SimpleRNNLayer struct{ recurrent }

const simpleRNNCell = rnn.SimpleRNN

// SimpleRNN returns a fully connected recurrent layer with the given
// number of units, as keras.layers.SimpleRNN. Its input is (steps,
// features) per sample; its output is the last step's (units,), or
// every step's (steps, units) with ReturnSequences(true). Options (Keras
// defaults): Activation ("tanh"), UseBias (true), KernelInitializer
// ("glorot_uniform"), RecurrentInitializer ("orthogonal"),
// BiasInitializer ("zeros"), KernelRegularizer, RecurrentRegularizer,
// BiasRegularizer, ReturnSequences (false), GoBackwards (false),
// ZeroOutputForMask (false), Name, InputShape. A mask on the input (from
// Embedding with MaskZero, or Masking) skips the masked steps: the state
// and the output stay those of the step before. Weights, in Keras's
// order: kernel (features, units), recurrent_kernel (units, units), bias
// (units). SimpleRNN panics if units is not positive.
func SimpleRNN(units int, opts ...Option) Layer {
	return &SimpleRNNLayer{newRecurrent("SimpleRNN", rnn.SimpleRNN, units, opts)}
}

// ClassName returns "SimpleRNN".
func (l *SimpleRNNLayer) ClassName() string { return "SimpleRNN" }

// Config returns Keras's SimpleRNN config.
func (l *SimpleRNNLayer) Config() map[string]any { return l.config() }
