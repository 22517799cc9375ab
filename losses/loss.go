package losses

import (
	"fmt"
	"slices"
	"strings"

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
type Option func(*config)

type config struct {
	fromLogits bool
	delta      float64
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

// registry maps Keras names (and their aliases) to constructors with
// Keras's defaults. It is filled once, here, and never written afterwards.
var registry = map[string]func() Loss{
	"mean_squared_error": func() Loss { return MeanSquaredError() },
	"mse":                func() Loss { return MeanSquaredError() },
}

// Get returns the loss with the given Keras name.
func Get(name string) (Loss, error) {
	f, ok := registry[name]
	if !ok {
		return nil, fmt.Errorf("unknown loss %q (known: %s)", name, strings.Join(Names(), ", "))
	}
	return f(), nil
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
