package keras

import (
	"errors"
	"fmt"
)

// ErrNotCompiled is returned by Fit and Evaluate before Compile.
var ErrNotCompiled = errors.New("keras: model is not compiled; call Compile first")

// ErrNotBuilt is returned when the input shape is not yet known: give the
// first layer layers.InputShape, start with keras.Input, or call Fit or
// Predict first.
var ErrNotBuilt = errors.New("keras: model input shape is unknown; give the first layer layers.InputShape or start with keras.Input")

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
