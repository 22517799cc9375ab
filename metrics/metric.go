package metrics

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

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
	name           string
	threshold      float64
	thresholdSet   bool
	k              int
	numThresholds  int
	fromLogits     bool
	labelSmoothing float64
	beta           float64
	average        string
	aggregation    string
	numRegressors  int
}

func newConfig(defaultName string, opts []Option) config {
	c := config{name: defaultName, threshold: 0.5, k: 5, numThresholds: 200, beta: 1, aggregation: "uniform_average"}
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
// (BinaryAccuracy, Precision, Recall, F1Score, FBetaScore). Keras
// default: 0.5, except for the F-scores, whose default is none: there
// the largest prediction of each sample counts as positive.
// BinaryAccuracy takes any threshold (0 for logits, as TensorFlow's text
// classification tutorial does).
func Threshold(t float64) Option {
	return func(c *config) { c.threshold, c.thresholdSet = t, true }
}

// FromLogits says whether predictions are logits rather than
// probabilities (BinaryCrossentropy, CategoricalCrossentropy,
// SparseCategoricalCrossentropy); the figure is then computed in the
// stable form Keras's from_logits uses. Keras default: false.
func FromLogits(b bool) Option { return func(c *config) { c.fromLogits = b } }

// LabelSmoothing squeezes the targets of BinaryCrossentropy (towards
// 0.5: t*(1-s) + 0.5*s) and CategoricalCrossentropy (towards uniform:
// t*(1-s) + s/classes), as the losses' option. Keras default: 0.
func LabelSmoothing(s float64) Option { return func(c *config) { c.labelSmoothing = s } }

// Beta weighs recall against precision in FBetaScore: (1+b²)PR/(b²P+R).
// Keras default: 1.0. It must be positive.
func Beta(b float64) Option { return func(c *config) { c.beta = b } }

// Average chooses how F1Score and FBetaScore combine the classes, as
// Keras's average: "" (Keras's None: one score per class, see Vector),
// "micro" (one score from the true and false positives and negatives
// of all classes together), "macro" (the unweighted mean of the class
// scores) or "weighted" (their mean weighted by each class's number of
// true labels). Keras default: None.
func Average(a string) Option { return func(c *config) { c.average = a } }

// ClassAggregation chooses how R2Score combines the outputs, as Keras's
// class_aggregation: "uniform_average" (the mean of the outputs'
// scores) or "variance_weighted_average" (their mean weighted by each
// output's variance). Keras default: "uniform_average".
func ClassAggregation(a string) Option { return func(c *config) { c.aggregation = a } }

// NumRegressors makes R2Score the adjusted R²,
// 1 - (1-R²)(n-1)/(n-p-1) with p regressors and n samples. Keras
// default: 0 (the plain R²).
func NumRegressors(p int) Option { return func(c *config) { c.numRegressors = p } }

// K sets how many of the highest predictions count
// (TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy). Keras
// default: 5.
func K(k int) Option { return func(c *config) { c.k = k } }

// NumThresholds sets how many thresholds, evenly spaced over [0, 1],
// discretise the ROC curve of AUC. Keras default: 200.
func NumThresholds(n int) Option { return func(c *config) { c.numThresholds = n } }

// builtin maps Keras names (and Keras's aliases) to constructors with
// Keras's defaults; the metric is named as the user typed it, as Keras's
// compile does. It is filled once, here, and never written afterwards.
var builtin = map[string]func(name string) Metric{}

func init() {
	ctors := []struct {
		names []string
		f     func(...Option) Metric
	}{
		{[]string{"binary_accuracy", "BinaryAccuracy"}, BinaryAccuracy},
		{[]string{"categorical_accuracy", "CategoricalAccuracy"}, CategoricalAccuracy},
		{[]string{"sparse_categorical_accuracy", "SparseCategoricalAccuracy"}, SparseCategoricalAccuracy},
		{[]string{"top_k_categorical_accuracy", "TopKCategoricalAccuracy"}, TopKCategoricalAccuracy},
		{[]string{"sparse_top_k_categorical_accuracy", "SparseTopKCategoricalAccuracy"}, SparseTopKCategoricalAccuracy},
		{[]string{"mean_squared_error", "mse", "MSE", "MeanSquaredError"}, MeanSquaredError},
		{[]string{"mean_absolute_error", "mae", "MAE", "MeanAbsoluteError"}, MeanAbsoluteError},
		{[]string{"root_mean_squared_error", "rmse", "RootMeanSquaredError"}, RootMeanSquaredError},
		{[]string{"mean_absolute_percentage_error", "mape", "MAPE", "MeanAbsolutePercentageError"}, MeanAbsolutePercentageError},
		{[]string{"mean_squared_logarithmic_error", "msle", "MSLE", "MeanSquaredLogarithmicError"}, MeanSquaredLogarithmicError},
		{[]string{"log_cosh_error", "logcosh", "LogCoshError"}, LogCoshError},
		{[]string{"cosine_similarity", "CosineSimilarity"}, CosineSimilarity},
		{[]string{"r2_score", "R2Score"}, R2Score},
		{[]string{"hinge", "Hinge"}, Hinge},
		{[]string{"squared_hinge", "SquaredHinge"}, SquaredHinge},
		{[]string{"categorical_hinge", "CategoricalHinge"}, CategoricalHinge},
		{[]string{"poisson", "Poisson"}, Poisson},
		{[]string{"kl_divergence", "kld", "KLD", "KLDivergence"}, KLDivergence},
		{[]string{"binary_crossentropy", "bce", "BCE", "BinaryCrossentropy"}, BinaryCrossentropy},
		{[]string{"categorical_crossentropy", "CategoricalCrossentropy"}, CategoricalCrossentropy},
		{[]string{"sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"}, SparseCategoricalCrossentropy},
		{[]string{"f1_score", "F1Score"}, F1Score},
		{[]string{"fbeta_score", "f_beta_score", "FBetaScore"}, FBetaScore},
		{[]string{"auc", "AUC"}, AUC},
		{[]string{"precision", "Precision"}, Precision},
		{[]string{"recall", "Recall"}, Recall},
	}
	for _, c := range ctors {
		for _, n := range c.names {
			builtin[n] = func(name string) Metric { return c.f(Name(name)) }
		}
	}
}

// custom holds the metrics added by Register, as Keras's
// register_keras_serializable; it is guarded for registration from any
// goroutine.
var custom = struct {
	sync.RWMutex
	m map[string]func() Metric
}{m: map[string]func() Metric{}}

// ErrRegistered is wrapped by Register's error for a name already
// taken, by a built-in metric or an earlier Register.
var ErrRegistered = errors.New("metrics: name already registered")

// Register adds a custom metric under name, so that Get (and so compile
// given the name, or a saved model that lists it) finds it: Get calls
// make for a fresh metric each time, and returns it as make built it
// (its own Name). An empty name, a nil make, or a name a built-in
// metric or an earlier registration has is an error. It is safe for
// concurrent use.
func Register(name string, make func() Metric) error {
	if name == "" {
		return errors.New("metrics: Register: empty name")
	}
	if make == nil {
		return fmt.Errorf("metrics: Register %q: nil make", name)
	}
	switch strings.ToLower(name) {
	case "accuracy", "acc", "crossentropy", "ce":
		return fmt.Errorf("%w: %q is resolved by Get from the loss", ErrRegistered, name)
	}
	if _, ok := builtin[name]; ok {
		return fmt.Errorf("%w: %q is a built-in metric", ErrRegistered, name)
	}
	custom.Lock()
	defer custom.Unlock()
	if _, ok := custom.m[name]; ok {
		return fmt.Errorf("%w: %q", ErrRegistered, name)
	}
	custom.m[name] = make
	return nil
}

// Get returns the metric a user names by string in compile, named as the
// user typed it. "accuracy" and "acc" resolve as Keras's compile does:
// binary_accuracy when lossName is binary_crossentropy or outputDim is 1,
// sparse_categorical_accuracy when lossName is
// sparse_categorical_crossentropy, else categorical_accuracy.
// "crossentropy" and "ce" resolve the same way to the matching
// cross-entropy metric. Other names are Keras's metric names, class
// names and aliases (see Names), then the names given to Register.
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
	if f, ok := builtin[name]; ok {
		return f(name), nil
	}
	custom.RLock()
	f, ok := custom.m[name]
	custom.RUnlock()
	if !ok {
		return nil, fmt.Errorf("%w %q (known: %s)", ErrUnknown, name, strings.Join(Names(), ", "))
	}
	m := f()
	if m == nil {
		return nil, fmt.Errorf("metrics: registered metric %q: make returned nil", name)
	}
	return m, nil
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

// Names lists every name Get accepts, built-in and registered, sorted.
func Names() []string {
	names := make([]string, 0, len(builtin)+4)
	for n := range builtin {
		names = append(names, n)
	}
	custom.RLock()
	for n := range custom.m {
		names = append(names, n)
	}
	custom.RUnlock()
	names = append(names, "accuracy", "acc", "crossentropy", "ce")
	slices.Sort(names)
	return names
}
