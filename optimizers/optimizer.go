package optimizers

import (
	"errors"

	"gorgonia.org/tensor"
)

// Optimizer updates a model's parameters from their gradients with one of
// Keras's update rules. Parameters and gradients are float32 or float64
// tensors of equal shapes, given in the same order at every step.
//
// An Optimizer is not safe for concurrent use.
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

// Errors returned (wrapped) by optimizers; test for them with errors.Is.
var (
	// ErrInvalidOption reports a constructor option out of range, an option
	// the optimizer does not take, or more than one of ClipNorm, ClipValue
	// and GlobalClipNorm. Build and Apply return it; Keras raises at
	// construction.
	ErrInvalidOption = errors.New("invalid option")
	// ErrInvalidInput reports parameters and gradients that do not match
	// (in count, shape or dtype), nil or non-contiguous tensors, dtypes
	// other than float32 and float64, or parameters other than those the
	// optimizer was built with.
	ErrInvalidInput = errors.New("invalid input")
	// ErrInvalidState reports variables given to SetVariables that do not
	// fit the optimizer (count, dtype or shape).
	ErrInvalidState = errors.New("invalid optimizer state")
	// ErrUnknownOptimizer reports a name Get does not know.
	ErrUnknownOptimizer = errors.New("unknown optimizer")
)

// Option configures an optimizer at construction, as a Keras keyword
// argument does. An option the optimizer does not take (Momentum given to
// Adam) or a value out of range makes Build and Apply return an error
// wrapping ErrInvalidOption.
type Option func(*settings)

// settings gathers the options before an optimizer is made. Each
// constructor fills in its Keras defaults, then applies the options.
type settings struct {
	given []string // Keras names of the options given

	lr       float64
	schedule LearningRateSchedule
	nilSched bool

	momentum, beta1, beta2, epsilon, rho, initialAccumulator float64
	nesterov, amsgrad, centered                              bool

	weightDecay, clipNorm, clipValue, globalClipNorm *float64
}

func (s *settings) mark(name string) { s.given = append(s.given, name) }

func (s *settings) apply(opts []Option) {
	for _, o := range opts {
		if o != nil {
			o(s)
		}
	}
}

func ptr(x float64) *float64 { return &x }

// LearningRate sets a constant learning rate. Keras defaults: 0.01 for
// SGD, 0.001 for every other optimizer here. It replaces a Schedule given
// before it.
func LearningRate(lr float64) Option {
	return func(s *settings) { s.mark("learning_rate"); s.lr, s.schedule, s.nilSched = lr, nil, false }
}

// Schedule makes the learning rate a schedule of the iteration count: the
// step with k steps already applied uses sched.Rate(k). Keras accepts a
// LearningRateSchedule as learning_rate; the default is a constant (see
// LearningRate). It replaces a LearningRate given before it.
func Schedule(sched LearningRateSchedule) Option {
	return func(s *settings) { s.mark("learning_rate"); s.schedule, s.nilSched = sched, sched == nil }
}

// Momentum sets the momentum of SGD and RMSprop, in [0, 1]. Keras
// default: 0.0 for both (plain gradient descent, no momentum slot).
func Momentum(m float64) Option {
	return func(s *settings) { s.mark("momentum"); s.momentum = m }
}

// Nesterov selects Nesterov momentum for SGD. Keras default: false.
func Nesterov(b bool) Option {
	return func(s *settings) { s.mark("nesterov"); s.nesterov = b }
}

// Beta1 sets the decay rate of the first-moment estimate of Adam, AdamW,
// Adamax and Nadam, in [0, 1). Keras default: 0.9.
func Beta1(b float64) Option {
	return func(s *settings) { s.mark("beta_1"); s.beta1 = b }
}

// Beta2 sets the decay rate of the second-moment estimate of Adam, AdamW
// and Nadam (of the infinity norm for Adamax), in [0, 1). Keras default:
// 0.999.
func Beta2(b float64) Option {
	return func(s *settings) { s.mark("beta_2"); s.beta2 = b }
}

// Epsilon sets the small constant added for numerical stability by every
// optimizer but SGD. Keras default: 1e-7.
func Epsilon(e float64) Option {
	return func(s *settings) { s.mark("epsilon"); s.epsilon = e }
}

// Amsgrad selects the AMSGrad variant of Adam and AdamW. Keras default:
// false.
func Amsgrad(b bool) Option {
	return func(s *settings) { s.mark("amsgrad"); s.amsgrad = b }
}

// Rho sets the decay rate of the squared-gradient average of RMSprop
// (Keras default 0.9) and Adadelta (Keras default 0.95), in [0, 1].
func Rho(r float64) Option {
	return func(s *settings) { s.mark("rho"); s.rho = r }
}

// Centered makes RMSprop normalise by the estimated variance of the
// gradient instead of its uncentered second moment. Keras default: false.
func Centered(b bool) Option {
	return func(s *settings) { s.mark("centered"); s.centered = b }
}

// InitialAccumulatorValue sets the starting value of Adagrad's
// accumulators, >= 0. Keras default: 0.1.
func InitialAccumulatorValue(v float64) Option {
	return func(s *settings) { s.mark("initial_accumulator_value"); s.initialAccumulator = v }
}

// ClipNorm clips the gradient of each parameter separately so that its L2
// norm is at most c (g*c/max(norm, c)). Keras default: None (no
// clipping); 0 also means no clipping. Only one of ClipNorm, ClipValue and
// GlobalClipNorm may be given.
func ClipNorm(c float64) Option {
	return func(s *settings) { s.mark("clipnorm"); s.clipNorm = ptr(c) }
}

// ClipValue clips every gradient element to [-c, c]. Keras default: None
// (no clipping); 0 also means no clipping. Only one of ClipNorm, ClipValue
// and GlobalClipNorm may be given.
func ClipValue(c float64) Option {
	return func(s *settings) { s.mark("clipvalue"); s.clipValue = ptr(c) }
}

// GlobalClipNorm scales all gradients together so that their global L2
// norm (over every parameter) is at most c. Keras default: None (no
// clipping); 0 also means no clipping. Only one of ClipNorm, ClipValue and
// GlobalClipNorm may be given.
func GlobalClipNorm(c float64) Option {
	return func(s *settings) { s.mark("global_clipnorm"); s.globalClipNorm = ptr(c) }
}

// WeightDecay applies decoupled weight decay before each update:
// w -= w*weightDecay*lr. Keras default: None (no decay) for every
// optimizer except AdamW, whose default is 0.004.
func WeightDecay(wd float64) Option {
	return func(s *settings) { s.mark("weight_decay"); s.weightDecay = ptr(wd) }
}
