package layers

import (
	"fmt"
	"slices"

	"github.com/gokeras/keras/internal/nn"
	G "gorgonia.org/gorgonia"
)

// GlobalPoolingLayer is the maximum or the mean over every spatial axis
// of channels_last input: (steps, channels) or (height, width, channels)
// become (channels,). GlobalMaxPooling1D/2D and GlobalAveragePooling1D/2D
// return it.
type GlobalPoolingLayer struct {
	Base
	class    string
	rank     int
	max      bool
	keepDims bool

	in, out []int
}

func newGlobalPooling(class string, rank int, isMax bool) *GlobalPoolingLayer {
	return &GlobalPoolingLayer{class: class, rank: rank, max: isMax}
}

// GlobalMaxPooling2D returns Keras's GlobalMaxPooling2D: the maximum
// over height and width, per channel.
func GlobalMaxPooling2D() Layer { return newGlobalPooling("GlobalMaxPooling2D", 2, true) }

// GlobalAveragePooling2D returns Keras's GlobalAveragePooling2D: the mean
// over height and width, per channel.
func GlobalAveragePooling2D() Layer { return newGlobalPooling("GlobalAveragePooling2D", 2, false) }

// GlobalMaxPooling1D returns Keras's GlobalMaxPooling1D: the maximum over
// the steps, per channel.
func GlobalMaxPooling1D() Layer { return newGlobalPooling("GlobalMaxPooling1D", 1, true) }

// GlobalAveragePooling1D returns Keras's GlobalAveragePooling1D: the mean
// over the steps, per channel; with a mask (from an Embedding with
// MaskZero, say), the mean over the unmasked steps only, as Keras.
func GlobalAveragePooling1D() Layer {
	return newGlobalPooling("GlobalAveragePooling1D", 1, false)
}

// ClassName returns the Keras class name.
func (l *GlobalPoolingLayer) ClassName() string { return l.class }

// Build checks the input's rank and returns (channels,), or with Keras's
// keepdims the input's rank with every spatial axis 1.
func (l *GlobalPoolingLayer) Build(in []int) ([]int, error) {
	if len(in) != l.rank+1 {
		return nil, fmt.Errorf("%s: expected input of rank %d %s, got %s", LayerName(l), l.rank+1, spatialNames(l.rank), ShapeString(in))
	}
	l.in = slices.Clone(in)
	l.out = []int{in[len(in)-1]}
	if l.keepDims {
		l.out = append(slices.Repeat([]int{1}, l.rank), in[len(in)-1])
	}
	return slices.Clone(l.out), nil
}

// Call pools x.
func (l *GlobalPoolingLayer) Call(ctx *Context, x *G.Node) (*G.Node, error) {
	name := LayerName(l)
	xs := x.Shape()
	if xs.Dims() != l.rank+2 || !slices.Equal(xs[1:], l.in) {
		return nil, fmt.Errorf("%s: expected input of shape %s, got %s", name, ShapeString(l.in), ShapeString(xs[1:]))
	}
	n := xs[0]
	var y *G.Node
	var err error
	if m := ctx.Mask(); m != nil && l.rank == 1 && !l.max {
		y, err = maskedMean(x, m)
	} else {
		x4 := x
		if l.rank == 1 {
			x4, err = G.Reshape(x, []int{n, 1, xs[1], xs[2]})
		}
		if err == nil {
			if l.max {
				y, err = nn.GlobalMaxPool2D(x4)
			} else {
				y, err = nn.GlobalAvgPool2D(x4)
			}
		}
	}
	if err == nil && l.keepDims {
		y, err = G.Reshape(y, append([]int{n}, l.out...))
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return y, nil
}

// maskedMean is Σ x·mask / Σ mask over the steps of x (batch, steps,
// channels), mask being (batch, steps) of ones and zeros.
func maskedMean(x, mask *G.Node) (*G.Node, error) {
	xs := x.Shape()
	m3, err := G.Reshape(mask, []int{xs[0], xs[1], 1})
	if err != nil {
		return nil, err
	}
	xm, err := G.BroadcastHadamardProd(x, m3, nil, []byte{2})
	if err != nil {
		return nil, err
	}
	sum, err := G.Sum(xm, 1)
	if err != nil {
		return nil, err
	}
	cnt, err := G.Sum(mask, 1)
	if err != nil {
		return nil, err
	}
	if cnt, err = G.Reshape(cnt, []int{xs[0], 1}); err != nil {
		return nil, err
	}
	return G.BroadcastHadamardDiv(sum, cnt, nil, []byte{1})
}

// Config returns Keras's global pooling config.
func (l *GlobalPoolingLayer) Config() map[string]any {
	m := l.baseConfig()
	m["data_format"] = "channels_last"
	m["keepdims"] = l.keepDims
	return m
}

func globalPoolingFromConfig(rank int, isMax bool) func(cfg map[string]any) (Layer, error) {
	return func(cfg map[string]any) (Layer, error) {
		opts, err := commonOptions(cfg)
		if err != nil {
			return nil, err
		}
		if err := channelsLast(cfg); err != nil {
			return nil, err
		}
		var l *GlobalPoolingLayer
		switch {
		case rank == 1 && isMax:
			l = GlobalMaxPooling1D().(*GlobalPoolingLayer)
		case rank == 1:
			l = GlobalAveragePooling1D().(*GlobalPoolingLayer)
		case isMax:
			l = GlobalMaxPooling2D().(*GlobalPoolingLayer)
		default:
			l = GlobalAveragePooling2D().(*GlobalPoolingLayer)
		}
		l.Base = newBase(newConfig(opts))
		if v, ok := cfg["keepdims"]; ok && v != nil {
			b, ok := v.(bool)
			if !ok {
				return nil, fmt.Errorf("config keepdims: expected a bool, got %T", v)
			}
			l.keepDims = b
		}
		return l, nil
	}
}
