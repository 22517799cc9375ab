package callbacks

import (
	"errors"
	"io"
	"os"
)

// ErrStopTraining is the sentinel a callback may return (possibly wrapped)
// from a training event to ask Fit to end after the current epoch, exactly
// as calling Model.StopTraining does; Fit treats it as a request, not as a
// failure. The built-in callbacks call StopTraining and do not return it.
var ErrStopTraining = errors.New("callbacks: stop training")

// ErrInvalidOption reports an option value Keras rejects (a ReduceLROnPlateau
// factor >= 1, a CSV separator longer than one character). Callbacks return
// it, wrapped, from OnTrainBegin, so Fit fails before the first epoch.
var ErrInvalidOption = errors.New("callbacks: invalid option")

// ErrCannotSave reports that ModelCheckpoint was given a model without the
// saving method it needs (Save, or SaveWeights with SaveWeightsOnly(true)).
var ErrCannotSave = errors.New("callbacks: model cannot be saved")

// Option configures a callback. One Option type serves every callback; each
// reads the options it understands and ignores the rest, so a set of
// options can be shared (Monitor("val_accuracy") for EarlyStopping and
// ModelCheckpoint alike).
type Option func(*config)

// config holds every option; each constructor fills its Keras defaults
// before applying the caller's options.
type config struct {
	monitor         string
	minDelta        float64
	patience        int
	mode            string
	baseline        *float64
	restoreBest     bool
	startFromEpoch  int
	saveBestOnly    bool
	saveWeightsOnly bool
	saveFreq        int
	factor          float64
	cooldown        int
	minLR           float64
	separator       string
	appendFile      bool
	verbose         int
	output          io.Writer
	keys            []string
	updateFreq      string
	updateEvery     int
	histogramFreq   int
}

func newConfig(c config, opts []Option) config {
	c.output = os.Stdout
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	if c.output == nil {
		c.output = io.Discard
	}
	return c
}

// Monitor names the log entry to watch ("val_loss", "accuracy", ...).
// Keras default for EarlyStopping, ReduceLROnPlateau and ModelCheckpoint:
// "val_loss".
func Monitor(name string) Option { return func(c *config) { c.monitor = name } }

// Patience is the number of epochs without improvement after which
// EarlyStopping stops (Keras default 0) or ReduceLROnPlateau lowers the
// learning rate (Keras default 10).
func Patience(n int) Option { return func(c *config) { c.patience = n } }

// MinDelta is the least change of the monitored value that counts as an
// improvement. Keras defaults: EarlyStopping 0, ReduceLROnPlateau 1e-4.
func MinDelta(d float64) Option { return func(c *config) { c.minDelta = d } }

// Mode is "min", "max" or "auto" (Keras default). In "auto" mode the
// direction comes from the monitored name: see EarlyStopping and
// ReduceLROnPlateau. An unknown mode warns and falls back to "auto", as in
// Keras.
func Mode(m string) Option { return func(c *config) { c.mode = m } }

// Baseline is the value EarlyStopping's monitored quantity must beat for
// its wait counter to reset (Keras default None: no baseline). For
// ModelCheckpoint it is Keras's initial_value_threshold: the value a first
// checkpoint must beat under SaveBestOnly (default None).
func Baseline(v float64) Option { return func(c *config) { c.baseline = &v } }

// RestoreBestWeights makes EarlyStopping put back, at the end of training,
// the weights of the epoch with the best monitored value. Keras default
// false.
func RestoreBestWeights(b bool) Option { return func(c *config) { c.restoreBest = b } }

// StartFromEpoch is the number of warm-up epochs EarlyStopping ignores
// before it starts watching. Keras default 0.
func StartFromEpoch(n int) Option { return func(c *config) { c.startFromEpoch = n } }

// SaveBestOnly makes ModelCheckpoint save only when the monitored value
// improves on the best so far. Keras default false.
func SaveBestOnly(b bool) Option { return func(c *config) { c.saveBestOnly = b } }

// SaveWeightsOnly makes ModelCheckpoint save only the weights (the model's
// SaveWeights) rather than the whole model (its Save). Keras default false.
func SaveWeightsOnly(b bool) Option { return func(c *config) { c.saveWeightsOnly = b } }

// SaveFreq makes ModelCheckpoint save every n training batches instead of
// at the end of every epoch; n <= 0 means per epoch. Keras default "epoch".
func SaveFreq(n int) Option { return func(c *config) { c.saveFreq = n } }

// Factor is what ReduceLROnPlateau multiplies the learning rate by
// (new_lr = lr * factor); it must be below 1. Keras default 0.1.
func Factor(f float64) Option { return func(c *config) { c.factor = f } }

// Cooldown is the number of epochs ReduceLROnPlateau waits after a
// reduction before it watches again. Keras default 0.
func Cooldown(n int) Option { return func(c *config) { c.cooldown = n } }

// MinLR is ReduceLROnPlateau's lower bound on the learning rate. Keras
// default 0.
func MinLR(lr float64) Option { return func(c *config) { c.minLR = lr } }

// Separator is CSVLogger's field separator, one character. Keras default
// ",".
func Separator(s string) Option { return func(c *config) { c.separator = s } }

// Append makes CSVLogger add to an existing file (without a second header)
// instead of overwriting it. Keras default false.
func Append(b bool) Option { return func(c *config) { c.appendFile = b } }

// Verbose sets how much EarlyStopping, ReduceLROnPlateau and
// ModelCheckpoint report: 0 silent (Keras default), 1 a message each time
// the callback acts. Messages go to Output.
func Verbose(v int) Option { return func(c *config) { c.verbose = v } }

// Output is where a callback writes its messages and warnings. Default
// os.Stdout, where Keras prints them; nil discards them.
func Output(w io.Writer) Option { return func(c *config) { c.output = w } }

// Keys lists the log entries LossPlot draws. Default "loss" and, when
// present, "val_loss".
func Keys(keys ...string) Option {
	return func(c *config) { c.keys = append([]string(nil), keys...) }
}

// UpdateFreq is when TensorBoard writes batch summaries: "epoch" (Keras
// default) writes only the epoch summaries, "batch" adds batch_<key>
// summaries after every training batch. Any other value is an error
// wrapping ErrInvalidOption when training begins.
func UpdateFreq(s string) Option {
	return func(c *config) {
		c.updateFreq = s
		c.updateEvery = 0
	}
}

// UpdateFreqBatches makes TensorBoard write batch summaries every n
// training batches, as Keras's update_freq=n; n must be positive.
// UpdateFreqBatches(1) is UpdateFreq("batch").
func UpdateFreqBatches(n int) Option {
	return func(c *config) {
		c.updateFreq = ""
		c.updateEvery = n
	}
}

// HistogramFreq makes TensorBoard write histograms of the model's weights
// every n epochs (at epochs 0, n, 2n, ...). Keras default 0: none.
func HistogramFreq(n int) Option { return func(c *config) { c.histogramFreq = n } }
