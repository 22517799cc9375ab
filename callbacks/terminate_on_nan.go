package callbacks

import (
	"fmt"
	"io"
	"math"
	"os"
)

// terminateOnNaN is Keras 3's keras.callbacks.TerminateOnNaN.
type terminateOnNaN struct {
	Base
	w io.Writer
}

// TerminateOnNaN stops training when a batch ends with a NaN or infinite
// "loss", as keras.callbacks.TerminateOnNaN (raise_error=False, the Keras
// default): it prints "Batch N: Invalid loss, terminating training" to
// os.Stdout and calls Model.StopTraining, so Fit ends gracefully and the
// other callbacks' OnTrainEnd still run.
func TerminateOnNaN() Callback { return &terminateOnNaN{w: os.Stdout} }

// OnTrainBatchEnd checks the batch's loss.
func (t *terminateOnNaN) OnTrainBatchEnd(batch int, logs Logs) error {
	loss, ok := logs["loss"]
	if !ok || !(math.IsNaN(loss) || math.IsInf(loss, 0)) {
		return nil
	}
	fmt.Fprintf(t.w, "Batch %d: Invalid loss, terminating training\n", batch)
	if t.Model != nil {
		t.Model.StopTraining()
	}
	return nil
}
