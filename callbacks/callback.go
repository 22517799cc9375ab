package callbacks

import "gorgonia.org/tensor"

// Logs holds the figures of an event: loss, metrics, val_ metrics and the
// learning rate ("learning_rate") at epoch end, as Keras's logs dict.
type Logs map[string]float64

// Params describes the training run, as Keras's callback.params.
type Params struct {
	Epochs  int // number of epochs of this Fit
	Steps   int // batches per epoch
	Samples int // training samples
	Verbose int // verbosity given to Fit
}

// Model is what callbacks can reach of the model being trained; keras.Model
// satisfies it, and callbacks does not import keras. Callbacks that need
// more (saving) assert for it at run time.
type Model interface {
	// GetWeights returns copies of every weight, in Keras's order.
	GetWeights() []*tensor.Dense
	// SetWeights replaces every weight.
	SetWeights(w []*tensor.Dense) error
	// StopTraining asks Fit to stop at the end of the current batch's epoch,
	// as Keras's model.stop_training = True.
	StopTraining()
	// LearningRate is the optimizer's current learning rate.
	LearningRate() float64
	// SetLearningRate sets the optimizer's learning rate.
	SetLearningRate(lr float64) error
}

// Callback hears the events of Fit, Evaluate and Predict, as Keras's
// keras.callbacks.Callback. Embed Base to implement only some events. An
// error returned by a callback stops the call and is returned by it.
type Callback interface {
	SetModel(m Model)
	SetParams(p Params)
	OnTrainBegin(logs Logs) error
	OnTrainEnd(logs Logs) error
	OnEpochBegin(epoch int, logs Logs) error
	OnEpochEnd(epoch int, logs Logs) error
	OnTrainBatchBegin(batch int, logs Logs) error
	OnTrainBatchEnd(batch int, logs Logs) error
	OnTestBegin(logs Logs) error
	OnTestEnd(logs Logs) error
	OnTestBatchBegin(batch int, logs Logs) error
	OnTestBatchEnd(batch int, logs Logs) error
	OnPredictBegin(logs Logs) error
	OnPredictEnd(logs Logs) error
	OnPredictBatchBegin(batch int, logs Logs) error
	OnPredictBatchEnd(batch int, logs Logs) error
}

// Base implements every event as a no-op and keeps the model and params.
type Base struct {
	Model  Model
	Params Params
}

// SetModel keeps m in b.Model.
func (b *Base) SetModel(m Model) { b.Model = m }

// SetParams keeps p in b.Params.
func (b *Base) SetParams(p Params) { b.Params = p }

// OnTrainBegin does nothing.
func (b *Base) OnTrainBegin(Logs) error { return nil }

// OnTrainEnd does nothing.
func (b *Base) OnTrainEnd(Logs) error { return nil }

// OnEpochBegin does nothing.
func (b *Base) OnEpochBegin(int, Logs) error { return nil }

// OnEpochEnd does nothing.
func (b *Base) OnEpochEnd(int, Logs) error { return nil }

// OnTrainBatchBegin does nothing.
func (b *Base) OnTrainBatchBegin(int, Logs) error { return nil }

// OnTrainBatchEnd does nothing.
func (b *Base) OnTrainBatchEnd(int, Logs) error { return nil }

// OnTestBegin does nothing.
func (b *Base) OnTestBegin(Logs) error { return nil }

// OnTestEnd does nothing.
func (b *Base) OnTestEnd(Logs) error { return nil }

// OnTestBatchBegin does nothing.
func (b *Base) OnTestBatchBegin(int, Logs) error { return nil }

// OnTestBatchEnd does nothing.
func (b *Base) OnTestBatchEnd(int, Logs) error { return nil }

// OnPredictBegin does nothing.
func (b *Base) OnPredictBegin(Logs) error { return nil }

// OnPredictEnd does nothing.
func (b *Base) OnPredictEnd(Logs) error { return nil }

// OnPredictBatchBegin does nothing.
func (b *Base) OnPredictBatchBegin(int, Logs) error { return nil }

// OnPredictBatchEnd does nothing.
func (b *Base) OnPredictBatchEnd(int, Logs) error { return nil }
