package layers

import (
	"fmt"
	"slices"

	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/graphx"
)

// RescalingLayer multiplies its input by a scale and adds an offset, as
// Keras's preprocessing layer Rescaling.
type RescalingLayer struct {
	Base
	scale, offset float64
}

// Rescaling returns Keras's Rescaling layer: x*scale + offset, the same
// in training and inference (Rescaling(1.0/255) maps bytes to [0, 1]).
// Options: Offset (default 0), Name, InputShape. Rescaling panics on a
// scale or offset that is not finite: a literal mistake.
func Rescaling(scale float64, opts ...Option) Layer {
	c := newConfig(opts)
	if !finite(scale, c.norm.offset) {
		panic(fmt.Sprintf("layers.Rescaling: scale and offset must be finite, got %v and %v", scale, c.norm.offset))
	}
	return &RescalingLayer{Base: newBase(c), scale: scale, offset: c.norm.offset}
}

func rescalingFromConfig(cfg map[string]any) (Layer, error) {
	opts, err := commonOptions(cfg)
	if err != nil {
		return nil, err
	}
	if _, isList := cfg["scale"].([]any); isList {
		return nil, fmt.Errorf("%w: Rescaling with a scale per channel", ErrUnsupportedConfig)
	}
	if _, isList := cfg["offset"].([]any); isList {
		return nil, fmt.Errorf("%w: Rescaling with an offset per channel", ErrUnsupportedConfig)
	}
	scale, ok, err := cfgFloat(cfg, "scale", 0)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("Rescaling config needs scale")
	}
	offset, _, err := cfgFloat(cfg, "offset", 0)
	if err != nil {
		return nil, err
	}
	return Rescaling(scale, append(opts, Offset(offset))...), nil
}

// ClassName returns "Rescaling".
func (l *RescalingLayer) ClassName() string { return "Rescaling" }

// PassesMask reports true: the mask passes on, as in Keras.
func (l *RescalingLayer) PassesMask() bool { return true }

// Build keeps the shape.
func (l *RescalingLayer) Build(in []int) ([]int, error) { return slices.Clone(in), nil }

// Call computes x*scale + offset.
func (l *RescalingLayer) Call(_ *Context, x *G.Node) (*G.Node, error) {
	e := graphx.New(x.Dtype())
	return callResult(l, e, e.Add(e.Mul(x, e.Scalar(l.scale)), e.Scalar(l.offset)))
}

// Config returns Keras's Rescaling config.
func (l *RescalingLayer) Config() map[string]any {
	m := l.baseConfig()
	m["scale"] = l.scale
	m["offset"] = l.offset
	return m
}
