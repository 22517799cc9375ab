package optimizers

import (
	"gorgonia.org/tensor"
)

// Optimizer updates a model's parameters from their gradients with one of
// Keras's update rules. Parameters and gradients are float32 or float64
// tensors of equal shapes, given in the same order at every step.
type Optimizer interface {
	// Name is the Keras name ("sgd", "adam").
	Name() string
	// Build creates the optimizer's slots (momenta, accumulators) for the
	// parameters. Apply calls it on first use.
	Build(params []*tensor.Dense) error
	// Apply performs one update step of every parameter in place.
	Apply(params, grads []*tensor.Dense) error
	// LearningRate is the rate the next step uses (a schedule's value at
	// the current iteration).
	LearningRate() float64
	// SetLearningRate replaces the rate (or schedule) with a constant.
	SetLearningRate(lr float64)
	// Iterations is the number of steps applied so far.
	Iterations() int64
	// Variables returns the optimizer's state (iterations first, then the
	// slots) in a fixed order, for saving.
	Variables() []*tensor.Dense
	// SetVariables restores state returned by Variables.
	SetVariables(v []*tensor.Dense) error
	// Config is the Keras config (learning_rate, momentum, ...).
	Config() map[string]any
}
