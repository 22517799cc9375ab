package keras

import (
	"errors"

	"github.com/gokeras/keras/callbacks"
)

// History is what Fit returns: the per-epoch logs, as Keras's History.
// History.History["loss"] lists the loss of each epoch.
type History = callbacks.History

// callbackList delivers an event to every callback in order, sharing one
// logs map as Keras does, and stops at the first error. A callback that
// returns callbacks.ErrStopTraining stops training, as StopTraining does.
type callbackList struct {
	model *Model
	cbs   []callbacks.Callback
}

// newCallbackList hands m and p to every callback.
func newCallbackList(m *Model, p callbacks.Params, cbs []callbacks.Callback) callbackList {
	for _, c := range cbs {
		c.SetModel(m)
		c.SetParams(p)
	}
	return callbackList{model: m, cbs: cbs}
}

func (cl callbackList) each(f func(c callbacks.Callback) error) error {
	for _, c := range cl.cbs {
		err := f(c)
		if errors.Is(err, callbacks.ErrStopTraining) {
			cl.model.StopTraining()
			continue
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (cl callbackList) trainBegin(l callbacks.Logs) error {
	return cl.each(func(c callbacks.Callback) error { return c.OnTrainBegin(l) })
}

func (cl callbackList) trainEnd(l callbacks.Logs) error {
	return cl.each(func(c callbacks.Callback) error { return c.OnTrainEnd(l) })
}

func (cl callbackList) epochBegin(e int, l callbacks.Logs) error {
	return cl.each(func(c callbacks.Callback) error { return c.OnEpochBegin(e, l) })
}

func (cl callbackList) epochEnd(e int, l callbacks.Logs) error {
	return cl.each(func(c callbacks.Callback) error { return c.OnEpochEnd(e, l) })
}

func (cl callbackList) trainBatchBegin(b int, l callbacks.Logs) error {
	return cl.each(func(c callbacks.Callback) error { return c.OnTrainBatchBegin(b, l) })
}

func (cl callbackList) trainBatchEnd(b int, l callbacks.Logs) error {
	return cl.each(func(c callbacks.Callback) error { return c.OnTrainBatchEnd(b, l) })
}

func (cl callbackList) testBegin(l callbacks.Logs) error {
	return cl.each(func(c callbacks.Callback) error { return c.OnTestBegin(l) })
}

func (cl callbackList) testEnd(l callbacks.Logs) error {
	return cl.each(func(c callbacks.Callback) error { return c.OnTestEnd(l) })
}

func (cl callbackList) testBatchBegin(b int, l callbacks.Logs) error {
	return cl.each(func(c callbacks.Callback) error { return c.OnTestBatchBegin(b, l) })
}

func (cl callbackList) testBatchEnd(b int, l callbacks.Logs) error {
	return cl.each(func(c callbacks.Callback) error { return c.OnTestBatchEnd(b, l) })
}

func (cl callbackList) predictBegin(l callbacks.Logs) error {
	return cl.each(func(c callbacks.Callback) error { return c.OnPredictBegin(l) })
}

func (cl callbackList) predictEnd(l callbacks.Logs) error {
	return cl.each(func(c callbacks.Callback) error { return c.OnPredictEnd(l) })
}

func (cl callbackList) predictBatchBegin(b int, l callbacks.Logs) error {
	return cl.each(func(c callbacks.Callback) error { return c.OnPredictBatchBegin(b, l) })
}

func (cl callbackList) predictBatchEnd(b int, l callbacks.Logs) error {
	return cl.each(func(c callbacks.Callback) error { return c.OnPredictBatchEnd(b, l) })
}
