package losses

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gokeras/keras/internal/configval"
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
	fromLogits     bool
	delta          float64
	labelSmoothing float64
}

func newConfig(opts []Option) config {
	c := config{delta: 1}
	for _, o := range opts {
		o(&c)
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

// registry maps Keras names (and their aliases) to constructors with
// Keras's defaults. It is filled once, here, and never written afterwards.
// Keras accepts both the function names (snake case) and the class names.
var registry = map[string]func(...Option) Loss{
	"mean_squared_error":              MeanSquaredError,
	"mse":                             MeanSquaredError,
	"MSE":                             MeanSquaredError,
	"MeanSquaredError":                MeanSquaredError,
	"mean_absolute_error":             MeanAbsoluteError,
	"mae":                             MeanAbsoluteError,
	"MAE":                             MeanAbsoluteError,
	"MeanAbsoluteError":               MeanAbsoluteError,
	"mean_absolute_percentage_error":  MeanAbsolutePercentageError,
	"mape":                            MeanAbsolutePercentageError,
	"MAPE":                            MeanAbsolutePercentageError,
	"MeanAbsolutePercentageError":     MeanAbsolutePercentageError,
	"huber":                           Huber,
	"Huber":                           Huber,
	"log_cosh":                        LogCosh,
	"LogCosh":                         LogCosh,
	"binary_crossentropy":             BinaryCrossentropy,
	"bce":                             BinaryCrossentropy,
	"BCE":                             BinaryCrossentropy,
	"BinaryCrossentropy":              BinaryCrossentropy,
	"categorical_crossentropy":        CategoricalCrossentropy,
	"CategoricalCrossentropy":         CategoricalCrossentropy,
	"sparse_categorical_crossentropy": SparseCategoricalCrossentropy,
	"SparseCategoricalCrossentropy":   SparseCategoricalCrossentropy,
	"hinge":                           Hinge,
	"Hinge":                           Hinge,
	"kl_divergence":                   KLDivergence,
	"kld":                             KLDivergence,
	"KLD":                             KLDivergence,
	"KLDivergence":                    KLDivergence,
}

// Get returns the loss with the given Keras name, with Keras's defaults.
// An unknown name is an error that lists the known names.
func Get(name string) (Loss, error) {
	f, ok := registry[name]
	if !ok {
		return nil, fmt.Errorf("unknown loss %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	return f(), nil
}

// FromConfig returns the loss with the given Keras name configured from
// a Keras config map, as Config returns it (or as decoded from JSON).
// It reads "from_logits", "label_smoothing" and "delta"; other keys
// ("name", "reduction", "axis") are accepted and ignored.
func FromConfig(name string, cfg map[string]any) (Loss, error) {
	f, ok := registry[name]
	if !ok {
		return nil, fmt.Errorf("unknown loss %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	var opts []Option
	if v, ok := cfg["from_logits"]; ok {
		b, ok := v.(bool)
		if !ok {
			return nil, fmt.Errorf("%s: config from_logits: expected a bool, got %T", name, v)
		}
		opts = append(opts, FromLogits(b))
	}
	for _, key := range []string{"label_smoothing", "delta"} {
		v, ok := cfg[key]
		if !ok {
			continue
		}
		x, err := configval.Number(v)
		if err != nil {
			return nil, fmt.Errorf("%s: config %s: %w", name, key, err)
		}
		if key == "delta" {
			opts = append(opts, Delta(x))
		} else {
			opts = append(opts, LabelSmoothing(x))
		}
	}
	return f(opts...), nil
}

// Names lists the known loss names, sorted.
func Names() []string {
	names := make([]string, 0, len(registry))
	for n := range registry {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
