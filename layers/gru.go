package layers

import "github.com/gokeras/keras/internal/rnn"

// GRULayer is Keras's GRU (Cho et al., 2014), with Keras 3's equations:
// gates z, r, h in that order in every weight; z, r =
// recurrent_activation(x·kernel + b + h_{t-1}·recurrent_kernel (+ b_rec));
// with reset_after hh = activation(x·kernel_h + b_h + r⊙(h_{t-1}·
// recurrent_kernel_h + b_rec,h)), without it hh = activation(x·kernel_h +
// b_h + (r⊙h_{t-1})·recurrent_kernel_h); h_t = z⊙h_{t-1} + (1-z)⊙hh.
type GRULayer struct{ recurrent }

const gruCell = rnn.GRU

// GRU returns a gated recurrent unit layer with the given number of
// units, as keras.layers.GRU. Its input is (steps, features) per sample;
// its output is the last step's (units,), or every step's (steps,
// units) with ReturnSequences(true). Options (Keras defaults):
// Activation ("tanh"), RecurrentActivation ("sigmoid"), ResetAfter
// (true, Keras 3's default and cuDNN's variant), UseBias (true),
// KernelInitializer ("glorot_uniform"), RecurrentInitializer
// ("orthogonal"), BiasInitializer ("zeros"), KernelRegularizer,
// RecurrentRegularizer, BiasRegularizer, ReturnSequences (false),
// GoBackwards (false), ZeroOutputForMask (false), Name, InputShape. A
// mask on the input skips the masked steps, keeping the state and the
// previous output. Weights, in Keras's order: kernel (features,
// 3*units), recurrent_kernel (units, 3*units), bias (2, 3*units) with
// ResetAfter (row 0 the input bias, row 1 the recurrent bias) or
// (3*units) without. GRU panics if units is not positive.
func GRU(units int, opts ...Option) Layer {
	return &GRULayer{newRecurrent("GRU", rnn.GRU, units, opts)}
}

// ClassName returns "GRU".
func (l *GRULayer) ClassName() string { return "GRU" }

// Config returns Keras's GRU config.
func (l *GRULayer) Config() map[string]any { return l.config() }
