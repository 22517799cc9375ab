package keras

import (
	"errors"
	"fmt"

	"github.com/gokeras/keras/internal/atomicfile"
)

// ErrNotCompiled is returned by Fit, Evaluate and Predict before Compile.
var ErrNotCompiled = errors.New("keras: model is not compiled; call Compile first")

// ErrNotBuilt is returned when the input shape is not yet known: give the
// first layer layers.InputShape, start with keras.Input, or call Fit or
// Predict first.
var ErrNotBuilt = errors.New("keras: model input shape is unknown; give the first layer layers.InputShape or start with keras.Input")

// ErrBusy is returned by Predict and Evaluate while Fit runs on the same
// model (from another goroutine or from one of its callbacks).
var ErrBusy = errors.New("keras: model is training (Fit is running); predict or evaluate after it returns")

// ErrEngine wraps a panic raised inside the Gorgonia engine, so that it
// never escapes a public call.
var ErrEngine = errors.New("keras: engine failure")

// recoverTo turns a panic into an error stored in *err. Deferred by every
// public method that reaches the engine.
func recoverTo(err *error, op string) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%w in %s: %v", ErrEngine, op, r)
	}
}

// writeFile writes data to path atomically, so a crash never leaves a
// half-written model.
func writeFile(path string, data []byte) error {
	if err := atomicfile.WriteFile(path, data); err != nil {
		return fmt.Errorf("keras: %w", err)
	}
	return nil
}
