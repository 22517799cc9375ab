package layers

import (
	"slices"

	G "gorgonia.org/gorgonia"
)

// InputLayer declares the shape of one sample; it computes nothing.
type InputLayer struct{ Base }

// Input returns Keras's InputLayer for samples of the given shape (without
// the batch dimension), as keras.Input(shape=...).
func Input(shape ...int) Layer {
	return &InputLayer{Base: Base{inputShape: slices.Clone(shape)}}
}

// ClassName returns "InputLayer".
func (l *InputLayer) ClassName() string { return "InputLayer" }

// Build checks that the data has the declared shape.
func (l *InputLayer) Build(in []int) ([]int, error) {
	if !slices.Equal(in, l.inputShape) {
		return nil, errShape(l.name, l.inputShape, in)
	}
	return slices.Clone(in), nil
}

// Call returns x unchanged.
func (l *InputLayer) Call(_ *Context, x *G.Node) (*G.Node, error) { return x, nil }

// Config returns Keras's InputLayer config.
func (l *InputLayer) Config() map[string]any { return l.baseConfig() }
