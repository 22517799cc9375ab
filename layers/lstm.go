package layers

import "github.com/gokeras/keras/internal/rnn"

// LSTMLayer is Keras's LSTM (Hochreiter and Schmidhuber, 1997), with
// Keras 3's equations: z = x_t·kernel + h_{t-1}·recurrent_kernel + bias,
// split into the gates i, f, c, o in that order; i, f, o =
// recurrent_activation(z_i, z_f, z_o); c_t = f⊙c_{t-1} +
// i⊙activation(z_c); h_t = o⊙activation(c_t).
type LSTMLayer struct{ recurrent }

const lstmCell = rnn.LSTM

// LSTM returns a long short-term memory layer with the given number of
// units, as keras.layers.LSTM. Its input is (steps, features) per
// sample; its output is the last step's (units,), or every step's
// (steps, units) with ReturnSequences(true). Options (Keras defaults):
// Activation ("tanh"), RecurrentActivation ("sigmoid"), UseBias (true),
// KernelInitializer ("glorot_uniform"), RecurrentInitializer
// ("orthogonal"), BiasInitializer ("zeros"), UnitForgetBias (true: the
// forget gate's bias starts at 1), KernelRegularizer,
// RecurrentRegularizer, BiasRegularizer, ReturnSequences (false),
// GoBackwards (false), ZeroOutputForMask (false), Name, InputShape. A
// mask on the input skips the masked steps, keeping the state and the
// previous output. Weights, in Keras's order: kernel (features,
// 4*units), recurrent_kernel (units, 4*units), bias (4*units). LSTM
// panics if units is not positive.
func LSTM(units int, opts ...Option) Layer {
	return &LSTMLayer{newRecurrent("LSTM", rnn.LSTM, units, opts)}
}

// ClassName returns "LSTM".
func (l *LSTMLayer) ClassName() string { return "LSTM" }

// Config returns Keras's LSTM config.
func (l *LSTMLayer) Config() map[string]any { return l.config() }
