// Package rnn holds fused Gorgonia ops for recurrent layers: a whole
// sequence of SimpleRNN, LSTM or GRU steps is one op, with Keras 3's
// equations and weight layouts, and its backward pass (backpropagation
// through time) is one more op that computes the gradients of the input,
// the kernel, the recurrent kernel and the bias together.
//
// The input projection x·W of every step is one matrix product; each
// step then multiplies the state by the recurrent kernel. Both go
// through Gorgonia's BLAS (G.WhichBLAS), so a faster implementation
// installed with G.Use is used here too.
//
// The smallest use, an LSTM of 32 units over x of shape (batch, steps,
// features) returning the last output (batch, 32):
//
//	spec := rnn.Spec{Cell: rnn.LSTM, Units: 32, Activation: rnn.Tanh,
//		RecurrentActivation: rnn.Sigmoid, UseBias: true}
//	y, err := rnn.Apply(spec, training, x, kernel, recurrentKernel, bias, nil)
//
// See Apply for which ops may be run by several goroutines at once.
package rnn
