package layers

import (
	"fmt"
	"slices"

	"github.com/gokeras/keras/internal/nn"
	G "gorgonia.org/gorgonia"
)

// UpSampling2DLayer repeats the rows and columns of channels_last images
// (nearest-neighbour up-sampling).
type UpSampling2DLayer struct {
	Base
	size []int // rows, cols

	in, out []int
}

// UpSampling2D returns Keras's UpSampling2D with nearest interpolation:
// every row is repeated Size[0] times and every column Size[1] times.
// Options: Size (default (2, 2)), InputShape, Name. A size below 1 or of
// more than 2 values panics: a literal mistake in the program.
func UpSampling2D(opts ...Option) Layer {
	c := newConfig(opts)
	return &UpSampling2DLayer{Base: newBase(c), size: perAxis("UpSampling2D", "size", c.conv.size, 2, 2)}
}

// ClassName returns "UpSampling2D".
func (l *UpSampling2DLayer) ClassName() string { return "UpSampling2D" }

// Build returns the up-sampled shape.
func (l *UpSampling2DLayer) Build(in []int) ([]int, error) {
	if len(in) != 3 {
		return nil, fmt.Errorf("%s: expected input of rank 3 %s, got %s", LayerName(l), spatialNames(2), ShapeString(in))
	}
	l.in = slices.Clone(in)
	l.out = []int{in[0] * l.size[0], in[1] * l.size[1], in[2]}
	return slices.Clone(l.out), nil
}

// Call repeats x's rows and columns.
func (l *UpSampling2DLayer) Call(ctx *Context, x *G.Node) (*G.Node, error) {
	name := LayerName(l)
	xs := x.Shape()
	if xs.Dims() != 4 || !slices.Equal(xs[1:], l.in) {
		return nil, fmt.Errorf("%s: expected input of shape %s, got %s", name, ShapeString(l.in), ShapeString(xs[1:]))
	}
	y, err := nn.UpSample2D(x, l.size[0], l.size[1])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return y, nil
}

// Config returns Keras's UpSampling2D config.
func (l *UpSampling2DLayer) Config() map[string]any {
	m := l.baseConfig()
	m["size"] = intsToAny(l.size)
	m["data_format"] = "channels_last"
	m["interpolation"] = "nearest"
	return m
}

func upSampling2DFromConfig(cfg map[string]any) (Layer, error) {
	opts, err := commonOptions(cfg)
	if err != nil {
		return nil, err
	}
	if err := channelsLast(cfg); err != nil {
		return nil, err
	}
	size, err := axesConfig(cfg, "size", 2, 2)
	if err != nil {
		return nil, err
	}
	interp, err := stringValue(cfg, "interpolation", "nearest")
	if err != nil {
		return nil, err
	}
	if interp != "nearest" {
		return nil, fmt.Errorf("%w: interpolation %q (only \"nearest\" is supported)", ErrUnsupportedConfig, interp)
	}
	return UpSampling2D(append(opts, Size(size...))...), nil
}
