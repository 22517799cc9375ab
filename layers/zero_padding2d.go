package layers

import (
	"fmt"
	"slices"

	"github.com/gokeras/keras/internal/nn"
	G "gorgonia.org/gorgonia"
)

// ZeroPadding2DLayer adds rows and columns of zeros around channels_last
// images (height, width, channels).
type ZeroPadding2DLayer struct {
	Base
	pad [4]int // top, bottom, left, right

	in, out []int
}

// ZeroPadding2D returns Keras's ZeroPadding2D. With no value it pads one
// cell on every side (Keras's default padding=(1, 1)); one value pads
// every side by it; two are (rows, cols), added both above and below,
// left and right; four are (top, bottom, left, right). Another count or
// a negative value panics: a literal mistake in the program.
func ZeroPadding2D(pad ...int) Layer {
	p, err := zeroPadding(pad)
	if err != nil {
		panic("layers.ZeroPadding2D: " + err.Error())
	}
	return &ZeroPadding2DLayer{pad: p}
}

func zeroPadding(pad []int) ([4]int, error) {
	var p [4]int
	switch len(pad) {
	case 0:
		p = [4]int{1, 1, 1, 1}
	case 1:
		p = [4]int{pad[0], pad[0], pad[0], pad[0]}
	case 2:
		p = [4]int{pad[0], pad[0], pad[1], pad[1]}
	case 4:
		p = [4]int{pad[0], pad[1], pad[2], pad[3]}
	default:
		return p, fmt.Errorf("padding must be 1, 2 or 4 values, got %v", pad)
	}
	for _, v := range p {
		if v < 0 || v > maxDim {
			return p, fmt.Errorf("padding must be in 0..%d, got %v", maxDim, pad)
		}
	}
	return p, nil
}

// ClassName returns "ZeroPadding2D".
func (l *ZeroPadding2DLayer) ClassName() string { return "ZeroPadding2D" }

// Build returns the padded shape.
func (l *ZeroPadding2DLayer) Build(in []int) ([]int, error) {
	if len(in) != 3 {
		return nil, fmt.Errorf("%s: expected input of rank 3 %s, got %s", LayerName(l), spatialNames(2), ShapeString(in))
	}
	l.in = slices.Clone(in)
	l.out = []int{in[0] + l.pad[0] + l.pad[1], in[1] + l.pad[2] + l.pad[3], in[2]}
	return slices.Clone(l.out), nil
}

// Call pads x.
func (l *ZeroPadding2DLayer) Call(ctx *Context, x *G.Node) (*G.Node, error) {
	name := LayerName(l)
	xs := x.Shape()
	if xs.Dims() != 4 || !slices.Equal(xs[1:], l.in) {
		return nil, fmt.Errorf("%s: expected input of shape %s, got %s", name, ShapeString(l.in), ShapeString(xs[1:]))
	}
	y, err := nn.Pad2D(x, l.pad[0], l.pad[1], l.pad[2], l.pad[3])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return y, nil
}

// Config returns Keras's ZeroPadding2D config: padding as ((top,
// bottom), (left, right)).
func (l *ZeroPadding2DLayer) Config() map[string]any {
	m := l.baseConfig()
	m["padding"] = []any{[]any{l.pad[0], l.pad[1]}, []any{l.pad[2], l.pad[3]}}
	m["data_format"] = "channels_last"
	return m
}

// zeroPadding2DFromConfig reads padding as a number, (rows, cols) or
// ((top, bottom), (left, right)).
func zeroPadding2DFromConfig(cfg map[string]any) (Layer, error) {
	opts, err := commonOptions(cfg)
	if err != nil {
		return nil, err
	}
	if err := channelsLast(cfg); err != nil {
		return nil, err
	}
	var pad []int
	num := func(v any) (int, error) {
		d, err := intValue("padding", v)
		if err == nil && (d < 0 || d > maxDim) {
			err = fmt.Errorf("config padding: must be in 0..%d, got %d", maxDim, d)
		}
		return d, err
	}
	switch v := cfg["padding"].(type) {
	case nil:
	case []any:
		if len(v) != 2 {
			return nil, fmt.Errorf("config padding: expected 2 entries, got %v", v)
		}
		for _, e := range v {
			if pair, ok := e.([]any); ok {
				if len(pair) != 2 {
					return nil, fmt.Errorf("config padding: expected pairs, got %v", v)
				}
				a, err := num(pair[0])
				if err != nil {
					return nil, err
				}
				b, err := num(pair[1])
				if err != nil {
					return nil, err
				}
				pad = append(pad, a, b)
				continue
			}
			d, err := num(e)
			if err != nil {
				return nil, err
			}
			pad = append(pad, d, d)
		}
	default:
		d, err := num(v)
		if err != nil {
			return nil, err
		}
		pad = []int{d}
	}
	p, err := zeroPadding(pad)
	if err != nil {
		return nil, fmt.Errorf("config %w", err)
	}
	l := &ZeroPadding2DLayer{Base: newBase(newConfig(opts)), pad: p}
	return l, nil
}
