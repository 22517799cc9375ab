package layers

import (
	G "gorgonia.org/gorgonia"
)

// FlattenLayer flattens each sample to one axis.
type FlattenLayer struct {
	Base
	out int
}

// Flatten returns Keras's Flatten layer: (batch, d1, d2, ...) becomes
// (batch, d1*d2*...).
func Flatten() Layer { return FlattenWith() }

// FlattenWith is Flatten with options (InputShape, Name), as Keras's
// Flatten(input_shape=(28, 28)).
func FlattenWith(opts ...Option) Layer { return &FlattenLayer{Base: newBase(newConfig(opts))} }

// ClassName returns "Flatten".
func (f *FlattenLayer) ClassName() string { return "Flatten" }

// Build returns the flat shape.
func (f *FlattenLayer) Build(in []int) ([]int, error) {
	f.out = numel(in)
	return []int{f.out}, nil
}

// Call reshapes x to (batch, features).
func (f *FlattenLayer) Call(ctx *Context, x *G.Node) (*G.Node, error) {
	if x.Dims() == 2 {
		return x, nil
	}
	return G.Reshape(x, []int{ctx.Batch, f.out})
}

// Config returns Keras's Flatten config.
func (f *FlattenLayer) Config() map[string]any {
	m := f.baseConfig()
	m["data_format"] = "channels_last"
	return m
}
