package callbacks

import (
	"fmt"
	"io"
	"os"
)

// terminateOnNaN is Keras 3's keras.callbacks.TerminateOnNaN.
type terminateOnNaN struct {
	Base
	w       io.Writer
	stopped bool // this training run has been told to stop
}

// TerminateOnNaN stops training at the first batch that ends with a NaN
// or infinite "loss", as keras.callbacks.TerminateOnNaN
// (raise_error=False, the Keras default): it prints "Batch N: Invalid
// loss, terminating training" to os.Stdout and calls Model.StopTraining,
// so Fit ends after that batch and the other callbacks' OnTrainEnd still
// run. The message is printed, and StopTraining called, once per
// training run (OnTrainBegin starts a new one), even if more batches
// with an invalid loss follow before Fit stops.
func TerminateOnNaN() Callback { return &terminateOnNaN{w: os.Stdout} }

// OnTrainBegin starts a new training run.
func (t *terminateOnNaN) OnTrainBegin(Logs) error {
	t.stopped = false
	return nil
}

// OnTrainBatchEnd checks the batch's loss.
func (t *terminateOnNaN) OnTrainBatchEnd(batch int, logs Logs) error {
	loss, ok := logs["loss"]
	if !ok || finite(loss) || t.stopped {
		return nil
	}
	t.stopped = true
	fmt.Fprintf(t.w, "Batch %d: Invalid loss, terminating training\n", batch)
	if t.Model != nil {
		t.Model.StopTraining()
	}
	return nil
}
