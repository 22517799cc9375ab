package losses

import (
	G "gorgonia.org/gorgonia"
)

// Loss turns the targets and the predictions of a batch into the scalar
// the model minimises, with Keras's "sum_over_batch_size" reduction: the
// mean over the batch of each sample's loss.
type Loss interface {
	// Name is the Keras name ("mean_squared_error").
	Name() string
	// Compute adds the loss of a batch to the graph. yTrue and yPred have
	// the same shape (batch, ...); for a Sparse loss yTrue has already
	// been one-hot encoded by the model.
	Compute(yTrue, yPred *G.Node) (*G.Node, error)
	// Config is the Keras config of the loss (from_logits, delta, ...).
	Config() map[string]any
}

// PerSampleLoss is implemented by losses that give the loss of each
// sample, as Keras's loss functions do before the reduction: the model
// uses it to weight samples (sample and class weights) with Keras's
// "sum_over_batch_size", sum(weight × per-sample loss) / batch size.
// Every built-in loss implements it; a custom loss without it trains
// and evaluates unweighted only.
type PerSampleLoss interface {
	Loss
	// PerSample adds the loss of each sample to the graph: a vector of
	// shape (batch,), yTrue and yPred being (batch, outputs...) as for
	// Compute, whose value is the mean of this vector. A loss that
	// averages over the outputs averages them here too (Keras reduces
	// any axes beyond the batch the same way).
	PerSample(yTrue, yPred *G.Node) (*G.Node, error)
}

// Sparse is implemented by losses whose targets are class indices
// (sparse_categorical_crossentropy). The model checks the labels against
// the number of classes and one-hot encodes them before Compute.
type Sparse interface {
	Loss
	SparseTargets() bool
}

// Option configures a loss, as Keras's constructor keyword arguments.
// A loss ignores the options that Keras's constructor of that loss does
// not take.
type Option func(*config)

type config struct {
	fromLogits          bool
	delta               float64
	labelSmoothing      float64
	gamma               float64
	alpha               float64
	applyClassBalancing bool
	axis                int
}

func newConfig(opts []Option) config {
	c := config{delta: 1, gamma: 2, alpha: 0.25, axis: -1}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

// FromLogits says whether predictions are logits rather than
// probabilities (cross-entropies only). Keras default: false.
func FromLogits(b bool) Option { return func(c *config) { c.fromLogits = b } }

// Delta is the point where Huber turns from quadratic to linear (huber
// only). Keras default: 1.0. It must be positive; Compute reports an
// error otherwise.
func Delta(d float64) Option { return func(c *config) { c.delta = d } }

// LabelSmoothing squeezes the targets towards uniform: for
// binary_crossentropy t*(1-s) + 0.5*s, for categorical_crossentropy
// t*(1-s) + s/classes. Keras default: 0 (no smoothing). It must lie in
// [0, 1]; Compute reports an error otherwise.
func LabelSmoothing(s float64) Option { return func(c *config) { c.labelSmoothing = s } }

// Gamma is the focusing parameter of the focal losses
// (binary_focal_crossentropy, categorical_focal_crossentropy): each
// element's cross-entropy is scaled by (1 - p_t)^gamma, p_t the
// probability given to the true class. Keras default: 2.0. It must not
// be negative; Compute reports an error otherwise.
func Gamma(g float64) Option { return func(c *config) { c.gamma = g } }

// Alpha is the class weight of the focal losses: categorical_focal_crossentropy
// scales every term by alpha; binary_focal_crossentropy, when
// ApplyClassBalancing is set, weights class 1 by alpha and class 0 by
// 1 - alpha. Keras default: 0.25. It must lie in [0, 1] for the binary
// loss; Compute reports an error otherwise.
func Alpha(a float64) Option { return func(c *config) { c.alpha = a } }

// ApplyClassBalancing turns on binary_focal_crossentropy's class weights
// (Alpha for class 1, 1 - Alpha for class 0). Keras default: false.
func ApplyClassBalancing(b bool) Option { return func(c *config) { c.applyClassBalancing = b } }

// Axis is the axis a loss reduces over (cosine_similarity, the focal
// losses). Keras default: -1, the last axis, which is the only one these
// losses support here: Compute reports an error for an axis that is not
// the last one.
func Axis(a int) Option { return func(c *config) { c.axis = a } }
