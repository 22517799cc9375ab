package keras

import (
	"errors"
	"fmt"
	"slices"

	"github.com/gokeras/keras/layers"
)

// Tensor is a symbolic tensor of the functional API, as Keras's
// KerasTensor: an input of a model (keras.Input) or the output of a layer
// call (keras.Apply). It holds a shape, not numbers. An input tensor is
// also a layers.Layer (its InputLayer), so keras.Input still starts a
// Sequential model.
type Tensor struct {
	*layers.InputLayer // set for inputs only

	shape []int
	call  *call // the call that made it; nil for inputs
	err   error // the first error met making it, reported by NewModel
}

// call is one application of a layer to tensors: a node of a model's
// graph.
type call struct {
	layer  layers.Layer
	inputs []*Tensor
	output *Tensor
}

// Input returns a symbolic input for samples of the given shape (without
// the batch dimension), as keras.Input(shape=...). It starts a functional
// model (keras.Apply, keras.NewModel) or, as the first element of
// keras.Sequential, declares the Sequential model's input shape. A zero or
// negative dimension is an error reported where the tensor is used.
func Input(shape ...int) *Tensor {
	t := &Tensor{InputLayer: layers.Input(shape...).(*layers.InputLayer), shape: slices.Clone(shape)}
	if err := checkShape(shape); err != nil {
		t.err = fmt.Errorf("keras: Input%s: %w", shapeString(shape), err)
	}
	return t
}

// checkShape accepts a sample shape whose dimensions are all positive and
// whose size is within maxValues.
func checkShape(shape []int) error {
	total := 1
	for i, d := range shape {
		if d <= 0 {
			return fmt.Errorf("dimension %d is %d; every dimension must be positive", i, d)
		}
		if total > maxValues/d {
			return fmt.Errorf("shape %s holds more than %d values", shapeString(shape), maxValues)
		}
		total *= d
	}
	return nil
}

// maxValues bounds the values of one sample and of one weight, so that
// a hostile shape is an error rather than an allocation the runtime
// refuses.
const maxValues = 1 << 28

// MaxParams bounds the weight values a model draws (2^28: 1 GiB of
// float32), so that a hostile config (Dense(2^31) on an input of 1)
// is an error, not an allocation that kills the process.
const MaxParams = 1 << 28

// Shape returns the tensor's shape without the batch dimension.
func (t *Tensor) Shape() []int { return slices.Clone(t.shape) }

// Apply calls the layer l on xs, as Keras's l(x) on symbolic tensors,
// and returns the output tensor. The layer is built on its first call
// and keeps its weights: calling it again shares them. Errors (a shape
// the layer refuses, the wrong number of inputs) are kept in the result
// and returned by NewModel, naming the layer.
func Apply(l layers.Layer, xs ...*Tensor) *Tensor {
	t := &Tensor{}
	if l == nil {
		t.err = errors.New("keras: Apply: layer is nil")
		return t
	}
	shapes := make([][]int, len(xs))
	for i, x := range xs {
		if x == nil {
			t.err = fmt.Errorf("keras: Apply: %s: input %d is nil", layers.LayerName(l), i)
			return t
		}
		if x.err != nil {
			t.err = x.err
			return t
		}
		shapes[i] = x.shape
	}
	out, err := buildCall(l, shapes)
	if err != nil {
		t.err = err
		return t
	}
	t.shape = out
	t.call = &call{layer: l, inputs: slices.Clone(xs), output: t}
	return t
}

// buildCall builds l for the shapes of its inputs (once; see
// layers.BuildLayer) and returns its output shape.
func buildCall(l layers.Layer, shapes [][]int) (out []int, err error) {
	defer recoverTo(&err, layers.LayerName(l)+" build")
	if ml, ok := l.(layers.MultiInputLayer); ok {
		return layers.BuildLayerMulti(ml, shapes)
	}
	if len(shapes) != 1 {
		return nil, fmt.Errorf("%s: takes one input, got %d", layers.LayerName(l), len(shapes))
	}
	return layers.BuildLayer(l, shapes[0])
}
