package layers

import (
	"fmt"
	"slices"

	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/graphx"
)

// SpatialDropout2DLayer drops whole channels of images while training, as
// Keras's SpatialDropout2D.
type SpatialDropout2DLayer struct {
	Base
	rate float64
}

// SpatialDropout2D returns Keras's SpatialDropout2D layer for images
// (height, width, channels): in a training step each channel of each
// sample is zeroed with probability rate and the others are scaled by
// 1/(1-rate), the mask drawn afresh every step from the model's seeded
// source; Predict and Evaluate pass the input through. SpatialDropout2D
// panics on a rate outside [0, 1), as Dropout.
func SpatialDropout2D(rate float64) Layer { return SpatialDropout2DWith(rate) }

// SpatialDropout2DWith is SpatialDropout2D with options (Name,
// InputShape).
func SpatialDropout2DWith(rate float64, opts ...Option) Layer {
	if !(rate >= 0 && rate < 1) {
		panic(fmt.Sprintf("layers.SpatialDropout2D: rate must be in [0, 1), got %v", rate))
	}
	return &SpatialDropout2DLayer{Base: newBase(newConfig(opts)), rate: rate}
}

func spatialDropout2DFromConfig(cfg map[string]any) (Layer, error) {
	opts, err := commonOptions(cfg)
	if err != nil {
		return nil, err
	}
	r, ok, err := cfgFloat(cfg, "rate", 0)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("SpatialDropout2D config needs rate")
	}
	if !(r >= 0 && r < 1) {
		return nil, fmt.Errorf("config rate: must be in [0, 1), got %v", r)
	}
	if f, err := stringValue(cfg, "data_format", "channels_last"); err != nil {
		return nil, err
	} else if f != "channels_last" {
		return nil, fmt.Errorf("%w: data_format %q (only channels_last)", ErrUnsupportedConfig, f)
	}
	return SpatialDropout2DWith(r, opts...), nil
}

// ClassName returns "SpatialDropout2D".
func (l *SpatialDropout2DLayer) ClassName() string { return "SpatialDropout2D" }

// Rate returns the dropout rate.
func (l *SpatialDropout2DLayer) Rate() float64 { return l.rate }

// Build checks for an image input.
func (l *SpatialDropout2DLayer) Build(in []int) ([]int, error) {
	if len(in) != 3 {
		return nil, fmt.Errorf("%s: expected input of rank 3 (height, width, channels), got %s", LayerName(l), ShapeString(in))
	}
	return slices.Clone(in), nil
}

// Call multiplies x by a (batch, 1, 1, channels) mask input in training
// graphs.
func (l *SpatialDropout2DLayer) Call(ctx *Context, x *G.Node) (*G.Node, error) {
	if !ctx.Training || l.rate == 0 {
		return x, nil
	}
	s := x.Shape()
	keep := 1 - l.rate
	mask := ctx.AddFeed(LayerName(l)+"/mask", []int{s[0], 1, 1, s[3]}, dropoutMask(keep))
	e := graphx.New(x.Dtype())
	return callResult(l, e, e.Mul(x, mask))
}

// Config returns Keras's SpatialDropout2D config.
func (l *SpatialDropout2DLayer) Config() map[string]any {
	m := l.baseConfig()
	m["rate"] = l.rate
	m["seed"] = nil
	m["data_format"] = "channels_last"
	return m
}
