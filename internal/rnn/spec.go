package rnn

import "fmt"

// Cell is the recurrence a fused op computes.
type Cell int

// The cells, with Keras 3's equations (x_t the input, h the state, ⊙
// the elementwise product, W the kernel, U the recurrent kernel):
const (
	// SimpleRNN: h_t = act(x_t·W + b + h_{t-1}·U). Kernel (F, U),
	// recurrent kernel (U, U), bias (U).
	SimpleRNN Cell = iota
	// LSTM: z = x_t·W + h_{t-1}·U + b split into i, f, c, o;
	// i, f, o = ract(z_i), ract(z_f), ract(z_o); c_t = f⊙c_{t-1} +
	// i⊙act(z_c); h_t = o⊙act(c_t). Kernel (F, 4U), recurrent kernel
	// (U, 4U), bias (4U), gates in the order i, f, c, o.
	LSTM
	// GRU: gates z, r, h (in that order in every weight). With
	// ResetAfter (Keras 3's default) bias is (2, 3U), row 0 the input
	// bias and row 1 the recurrent bias, and
	// hh = act(x·W_h + b_in,h + r⊙(h_{t-1}·U_h + b_rec,h)); without it
	// bias is (3U) and hh = act(x·W_h + b_h + (r⊙h_{t-1})·U_h). In both,
	// z and r are ract(x·W + b_in + h_{t-1}·U (+ b_rec)), and
	// h_t = z⊙h_{t-1} + (1-z)⊙hh.
	GRU
)

var cellNames = [...]string{SimpleRNN: "SimpleRNN", LSTM: "LSTM", GRU: "GRU"}

// String is the Keras class name of the cell's layer.
func (c Cell) String() string {
	if c >= 0 && int(c) < len(cellNames) {
		return cellNames[c]
	}
	return fmt.Sprintf("Cell(%d)", int(c))
}

// Spec describes one fused recurrent op.
type Spec struct {
	Cell  Cell
	Units int
	// Activation (default of the layers: tanh) and RecurrentActivation
	// (sigmoid; LSTM and GRU only) are the cell's activations.
	Activation, RecurrentActivation Activation
	// ResetAfter selects the GRU variant (see GRU).
	ResetAfter bool
	// UseBias: the op takes a bias input.
	UseBias bool
	// Masked: the op takes a mask input of shape (N, T), 1 for a step
	// that counts and 0 for one that is skipped. A skipped step keeps
	// the previous state (h, and c for the LSTM), and its output is the
	// previous output (zero before the first step), or zero with
	// ZeroOutputForMask: Keras 3's backend rnn.
	Masked bool
	// ZeroOutputForMask: see Masked. Keras's Bidirectional turns it on
	// for layers that return sequences.
	ZeroOutputForMask bool
	// GoBackwards processes the steps from the last to the first; the
	// outputs are in processing order (reversed), as Keras's.
	GoBackwards bool
	// ReturnSequences: output (N, T, U), one row per step in processing
	// order; otherwise (N, U), the last step's output.
	ReturnSequences bool
}

// gates is how many blocks of Units wide the kernels are.
func (s *Spec) gates() int {
	switch s.Cell {
	case LSTM:
		return 4
	case GRU:
		return 3
	}
	return 1
}

// stride is the width of one row of the training stash (see engine.go).
func (s *Spec) stride() int {
	switch s.Cell {
	case LSTM:
		return 7 * s.Units
	case GRU:
		return 5 * s.Units
	}
	return 2 * s.Units
}

// BiasShape is the shape of the bias input.
func (s *Spec) BiasShape() []int {
	g := s.gates() * s.Units
	if s.Cell == GRU && s.ResetAfter {
		return []int{2, g}
	}
	return []int{g}
}

func (s *Spec) validate() error {
	if s.Cell < 0 || int(s.Cell) >= len(cellNames) {
		return fmt.Errorf("rnn: unknown cell %d", int(s.Cell))
	}
	if s.Units <= 0 {
		return fmt.Errorf("rnn: units must be positive, got %d", s.Units)
	}
	if !s.Activation.valid() || !s.RecurrentActivation.valid() {
		return fmt.Errorf("rnn: unknown activation")
	}
	return nil
}

// String describes the spec (it is part of the op's hash).
func (s *Spec) String() string {
	return fmt.Sprintf("%v{units=%d act=%v ract=%v resetAfter=%t bias=%t masked=%t zeroOut=%t back=%t seq=%t}",
		s.Cell, s.Units, s.Activation, s.RecurrentActivation, s.ResetAfter, s.UseBias, s.Masked, s.ZeroOutputForMask, s.GoBackwards, s.ReturnSequences)
}
