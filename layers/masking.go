package layers

import (
	"fmt"
	"math"
	"slices"

	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/rnn"
)

// MaskingLayer masks the steps of a sequence whose features all equal a
// value, as Keras's Masking.
type MaskingLayer struct {
	Base
	value float64
}

// Masking returns Keras's Masking layer: for input (steps, features...)
// per sample, a step whose features all equal value is masked (later
// layers that take masks skip it) and its output set to zero; other
// steps pass unchanged. Keras's default value is 0. Masking panics on a
// NaN value, which no feature can equal.
func Masking(value float64) Layer { return MaskingWith(value) }

// MaskingWith is Masking with options (Name, InputShape).
func MaskingWith(value float64, opts ...Option) Layer {
	if math.IsNaN(value) {
		panic("layers.Masking: mask_value is NaN")
	}
	return &MaskingLayer{Base: newBase(newConfig(opts)), value: value}
}

// ClassName returns "Masking".
func (m *MaskingLayer) ClassName() string { return "Masking" }

// Build keeps the shape, which must be (steps, features...).
func (m *MaskingLayer) Build(in []int) ([]int, error) {
	if len(in) < 2 {
		return nil, fmt.Errorf("%s: expected input of rank 3 (batch, steps, features), got sample shape %s", LayerName(m), ShapeString(in))
	}
	return slices.Clone(in), nil
}

// Call zeroes the masked steps and sets the mask.
func (m *MaskingLayer) Call(ctx *Context, x *G.Node) (*G.Node, error) {
	mask, err := rnn.ValueMask(x, m.value)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", m.name, err)
	}
	y, err := rnn.ApplyMask(x, mask)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", m.name, err)
	}
	ctx.SetMask(mask)
	return y, nil
}

// Config returns Keras's Masking config.
func (m *MaskingLayer) Config() map[string]any {
	c := m.baseConfig()
	c["mask_value"] = m.value
	return c
}

func maskingFromConfig(cfg map[string]any) (Layer, error) {
	opts, err := commonOptions(cfg)
	if err != nil {
		return nil, err
	}
	v := 0.0
	if x, ok := cfg["mask_value"]; ok && x != nil {
		if v, err = floatValue("mask_value", x); err != nil {
			return nil, err
		}
	}
	return MaskingWith(v, opts...), nil
}
