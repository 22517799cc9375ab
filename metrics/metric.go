package metrics

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"gorgonia.org/tensor"
)

// Metric accumulates a figure over the batches of an epoch, as Keras's
// stateful metrics: Result is over every sample seen since Reset, not a
// mean of batch figures where that differs (rmse, auc).
type Metric interface {
	// Name is the key under which the figure is logged ("accuracy").
	Name() string
	// Reset forgets every batch seen.
	Reset()
	// Update adds a batch: yTrue as the user gave it (class indices for
	// sparse metrics, else the shape of yPred) and yPred of shape
	// (batch, outputs). Both are float32 or float64.
	Update(yTrue, yPred *tensor.Dense) error
	// Result is the figure over every batch since Reset.
	Result() float64
}

// Sentinel errors, for errors.Is. Every error returned by Update or Get
// wraps one of them and names the metric and the values at fault.
var (
	// ErrShape: yTrue's shape does not fit yPred's.
	ErrShape = errors.New("metrics: shape mismatch")
	// ErrLabel: a sparse label is not an integer class index in range.
	ErrLabel = errors.New("metrics: invalid label")
	// ErrDtype: a tensor is neither float32 nor float64, or the two
	// tensors differ in dtype.
	ErrDtype = errors.New("metrics: unsupported dtype")
	// ErrUnknown: Get was given a name it does not know.
	ErrUnknown = errors.New("metrics: unknown metric")
)

// Option configures a metric, as Keras's constructor keyword arguments.
// A metric ignores the options that do not concern it.
type Option func(*config)

type config struct {
	name          string
	threshold     float64
	k             int
	numThresholds int
}

func newConfig(defaultName string, opts []Option) config {
	c := config{name: defaultName, threshold: 0.5, k: 5, numThresholds: 200}
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

// Name sets the key under which the metric is logged. Default: the Keras
// class's default name ("binary_accuracy", "mean_squared_error", ...).
func Name(name string) Option { return func(c *config) { c.name = name } }

// Threshold sets the value a prediction must exceed to count as positive
// (BinaryAccuracy, Precision, Recall). Keras default: 0.5.
func Threshold(t float64) Option { return func(c *config) { c.threshold = t } }

// K sets how many of the highest predictions count
// (TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy). Keras
// default: 5.
func K(k int) Option { return func(c *config) { c.k = k } }

// NumThresholds sets how many thresholds, evenly spaced over [0, 1],
// discretise the ROC curve of AUC. Keras default: 200.
func NumThresholds(n int) Option { return func(c *config) { c.numThresholds = n } }

// registry maps Keras names (and Keras's aliases) to constructors with
// Keras's defaults; the metric is named as the user typed it, as Keras's
// compile does. It is filled once, here, and never written afterwards.
var registry = map[string]func(name string) Metric{
	"binary_accuracy":                   func(n string) Metric { return BinaryAccuracy(Name(n)) },
	"categorical_accuracy":              func(n string) Metric { return CategoricalAccuracy(Name(n)) },
	"sparse_categorical_accuracy":       func(n string) Metric { return SparseCategoricalAccuracy(Name(n)) },
	"top_k_categorical_accuracy":        func(n string) Metric { return TopKCategoricalAccuracy(Name(n)) },
	"sparse_top_k_categorical_accuracy": func(n string) Metric { return SparseTopKCategoricalAccuracy(Name(n)) },
	"mean_squared_error":                func(n string) Metric { return MeanSquaredError(Name(n)) },
	"mse":                               func(n string) Metric { return MeanSquaredError(Name(n)) },
	"MSE":                               func(n string) Metric { return MeanSquaredError(Name(n)) },
	"mean_absolute_error":               func(n string) Metric { return MeanAbsoluteError(Name(n)) },
	"mae":                               func(n string) Metric { return MeanAbsoluteError(Name(n)) },
	"MAE":                               func(n string) Metric { return MeanAbsoluteError(Name(n)) },
	"root_mean_squared_error":           func(n string) Metric { return RootMeanSquaredError(Name(n)) },
	"rmse":                              func(n string) Metric { return RootMeanSquaredError(Name(n)) },
	"mean_absolute_percentage_error":    func(n string) Metric { return MeanAbsolutePercentageError(Name(n)) },
	"mape":                              func(n string) Metric { return MeanAbsolutePercentageError(Name(n)) },
	"MAPE":                              func(n string) Metric { return MeanAbsolutePercentageError(Name(n)) },
	"binary_crossentropy":               func(n string) Metric { return BinaryCrossentropy(Name(n)) },
	"bce":                               func(n string) Metric { return BinaryCrossentropy(Name(n)) },
	"BCE":                               func(n string) Metric { return BinaryCrossentropy(Name(n)) },
	"categorical_crossentropy":          func(n string) Metric { return CategoricalCrossentropy(Name(n)) },
	"sparse_categorical_crossentropy":   func(n string) Metric { return SparseCategoricalCrossentropy(Name(n)) },
	"auc":                               func(n string) Metric { return AUC(Name(n)) },
	"precision":                         func(n string) Metric { return Precision(Name(n)) },
	"recall":                            func(n string) Metric { return Recall(Name(n)) },
}

// Get returns the metric a user names by string in compile, named as the
// user typed it. "accuracy" and "acc" resolve as Keras's compile does:
// binary_accuracy when lossName is binary_crossentropy or outputDim is 1,
// sparse_categorical_accuracy when lossName is
// sparse_categorical_crossentropy, else categorical_accuracy.
// "crossentropy" and "ce" resolve the same way to the matching
// cross-entropy metric. Other names are Keras's metric names and aliases
// (see Names).
func Get(name, lossName string, outputDim int) (Metric, error) {
	switch strings.ToLower(name) {
	case "accuracy", "acc":
		switch resolve(lossName, outputDim) {
		case binaryKind:
			return BinaryAccuracy(Name(name)), nil
		case sparseKind:
			return SparseCategoricalAccuracy(Name(name)), nil
		default:
			return CategoricalAccuracy(Name(name)), nil
		}
	case "crossentropy", "ce":
		switch resolve(lossName, outputDim) {
		case binaryKind:
			return BinaryCrossentropy(Name(name)), nil
		case sparseKind:
			return SparseCategoricalCrossentropy(Name(name)), nil
		default:
			return CategoricalCrossentropy(Name(name)), nil
		}
	}
	f, ok := registry[name]
	if !ok {
		return nil, fmt.Errorf("%w %q (known: %s)", ErrUnknown, name, strings.Join(Names(), ", "))
	}
	return f(name), nil
}

type kind int

const (
	categoricalKind kind = iota
	binaryKind
	sparseKind
)

// resolve follows Keras's choice between binary, sparse and categorical
// for "accuracy": a single output is binary whatever the loss.
func resolve(lossName string, outputDim int) kind {
	switch {
	case lossName == "binary_crossentropy" || lossName == "bce" || outputDim == 1:
		return binaryKind
	case lossName == "sparse_categorical_crossentropy":
		return sparseKind
	default:
		return categoricalKind
	}
}

// Names lists every name Get accepts, sorted.
func Names() []string {
	names := make([]string, 0, len(registry)+4)
	for n := range registry {
		names = append(names, n)
	}
	names = append(names, "accuracy", "acc", "crossentropy", "ce")
	slices.Sort(names)
	return names
}
