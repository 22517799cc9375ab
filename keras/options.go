package keras

import (
	"io"

	"github.com/gokeras/keras/callbacks"
	"github.com/gokeras/keras/datasets"
	"gorgonia.org/tensor"
)

// Option configures Compile, Fit, Evaluate or Predict, as Keras's keyword
// arguments. Each call reads the options that concern it and ignores the
// rest, so one option list can be shared.
type Option func(*settings)

type settings struct {
	epochs          int
	batchSize       int
	shuffle         bool
	verbose         int
	validationSplit float64
	valX, valY      tensor.Tensor
	callbacks       []callbacks.Callback
	metrics         []any
	seed            *int64
	dtype           tensor.Dtype
	initialEpoch    int
	output          io.Writer
	valDataset      datasets.Dataset
	stepsPerEpoch   int
	validationSteps int
	sampleWeight    tensor.Tensor
	classWeight     map[int]float64
}

func newSettings(opts []Option) settings {
	s := settings{epochs: 1, batchSize: 32, shuffle: true, verbose: 1}
	for _, o := range opts {
		if o != nil {
			o(&s)
		}
	}
	return s
}

// Epochs sets the number of passes over the training data (Fit). Keras
// default: 1.
func Epochs(n int) Option { return func(s *settings) { s.epochs = n } }

// InitialEpoch sets the epoch at which Fit starts counting, to resume an
// earlier run (Fit). Keras default: 0.
func InitialEpoch(n int) Option { return func(s *settings) { s.initialEpoch = n } }

// BatchSize sets the number of samples per step (Fit, Evaluate, Predict).
// Keras default: 32; the last batch may be smaller.
func BatchSize(n int) Option { return func(s *settings) { s.batchSize = n } }

// Shuffle says whether Fit shuffles the training samples before each
// epoch, drawing from the model's seed. Keras default: true.
func Shuffle(b bool) Option { return func(s *settings) { s.shuffle = b } }

// Verbose sets how much Fit and Evaluate print: 0 silent, 1 a progress
// bar (one line per epoch when the output is not a terminal), 2 one line
// per epoch. Keras default: 1 ("auto").
func Verbose(v int) Option { return func(s *settings) { s.verbose = v } }

// ValidationSplit holds out the last fraction of the samples (taken before
// any shuffling) to validate on after each epoch (Fit). Keras default: 0.
func ValidationSplit(f float64) Option { return func(s *settings) { s.validationSplit = f } }

// ValidationData gives data to validate on after each epoch; it overrides
// ValidationSplit (Fit).
func ValidationData(x, y tensor.Tensor) Option {
	return func(s *settings) { s.valX, s.valY = x, y }
}

// Callbacks adds callbacks that hear the events of the call (Fit,
// Evaluate, Predict).
func Callbacks(cbs ...callbacks.Callback) Option {
	return func(s *settings) { s.callbacks = append(s.callbacks, cbs...) }
}

// Metrics sets the metrics to report besides the loss (Compile), as
// Keras's metrics=[...]: Keras names ("accuracy", resolved to binary,
// categorical or sparse from the loss and the output shape;
// "binary_accuracy", "mse", "mae", ...) or metrics.Metric values such as
// metrics.BinaryCrossentropy(metrics.FromLogits(true)). Anything else is
// an error from Compile.
func Metrics(ms ...any) Option {
	return func(s *settings) { s.metrics = append(s.metrics, ms...) }
}

// Seed sets the model's random seed (Compile): it draws the initial
// weights (unless they were set with SetWeights or trained), the shuffling
// and the dropout masks. The same seed gives the same training, bit for
// bit. Default: DefaultSeed.
func Seed(n int64) Option { return func(s *settings) { s.seed = &n } }

// DType sets the model's float type (Compile): tensor.Float32 (Keras's
// default) or tensor.Float64. Existing weights are converted.
func DType(dt tensor.Dtype) Option { return func(s *settings) { s.dtype = dt } }

// Output sets where Verbose output goes (Fit, Evaluate). Default:
// os.Stdout.
func Output(w io.Writer) Option { return func(s *settings) { s.output = w } }

// ValidationDataset gives a dataset to validate on after each epoch, as
// Keras's validation_data=dataset (Fit, FitDataset): each validation
// runs one pass of it (or ValidationSteps batches). It overrides
// ValidationData and ValidationSplit. The validation loss is weighted
// when its batches carry a SampleWeight, unweighted otherwise.
func ValidationDataset(ds datasets.Dataset) Option {
	return func(s *settings) { s.valDataset = ds }
}

// StepsPerEpoch makes each epoch n batches long (Fit, FitDataset), as
// Keras's steps_per_epoch. The stream then continues across epochs: an
// epoch starts where the one before stopped, not at the start of the
// data. When a pass runs out of data inside an epoch, Keras 3 warns
// ("Your input ran out of data; interrupting training") and ends that
// epoch early; so does Fit here (the warning goes to Output, default
// os.Stderr), and the next epoch starts a new pass. Keras default: 0,
// one whole pass per epoch.
func StepsPerEpoch(n int) Option { return func(s *settings) { s.stepsPerEpoch = n } }

// ValidationSteps limits each validation to the first n batches of the
// validation data (Fit, FitDataset), as Keras's validation_steps; every
// validation starts at the beginning of its data. Keras default: 0, the
// whole validation data.
func ValidationSteps(n int) Option { return func(s *settings) { s.validationSteps = n } }

// SampleWeight weights each training sample's loss (Fit, Evaluate), as
// Keras's sample_weight: w holds one non-negative finite weight per
// sample, shape (samples,) or (samples, 1). The loss of a batch is then
// Keras's sum_over_batch_size: sum(w × per-sample loss) / batch size,
// and WeightedMetrics are weighted means. With ValidationSplit, the
// held-out samples keep their weights and weight the validation, as in
// Keras. A dataset carries its weights in its batches instead
// (datasets.FromTensorsWeighted): FitDataset refuses this option.
func SampleWeight(w tensor.Tensor) Option { return func(s *settings) { s.sampleWeight = w } }

// ClassWeight weights each training sample by the weight of its class
// (Fit, FitDataset), as Keras's class_weight: the class is the sparse
// label, the argmax of a one-hot label, or the rounded 0/1 label of a
// single output; classes missing from the map weigh 1. A key outside
// the model's classes, a negative or non-finite weight, or ClassWeight
// together with sample weights is an error. Validation is not weighted
// by class, as in Keras.
func ClassWeight(w map[int]float64) Option { return func(s *settings) { s.classWeight = w } }
