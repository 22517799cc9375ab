package layers

import (
	"fmt"
	"slices"

	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/graphx"
)

// SoftmaxLayer is Keras's Softmax layer.
type SoftmaxLayer struct {
	Base
	axis int
	ax   int // axis in full rank
}

// Softmax returns Keras's Softmax layer: exp(x)/sum(exp(x)) along an
// axis, in the shifted form that stays finite for any input. Options:
// Axis (default -1, the last), Name, InputShape. Softmax panics on the
// batch axis 0.
func Softmax(opts ...Option) Layer {
	c := newConfig(opts)
	l := &SoftmaxLayer{Base: newBase(c), axis: -1}
	if c.axis != nil {
		l.axis = *c.axis
	}
	if l.axis == 0 {
		panic("layers.Softmax: axis 0 is the batch axis")
	}
	return l
}

func softmaxFromConfig(cfg map[string]any) (Layer, error) {
	opts, err := commonOptions(cfg)
	if err != nil {
		return nil, err
	}
	axes, ok, err := cfgInts(cfg, "axis")
	if err != nil {
		return nil, err
	}
	if ok {
		if len(axes) != 1 {
			return nil, fmt.Errorf("%w: Softmax over several axes %v", ErrUnsupportedConfig, axes)
		}
		if axes[0] == 0 {
			return nil, fmt.Errorf("config axis: 0 is the batch axis")
		}
		opts = append(opts, Axis(axes[0]))
	}
	return Softmax(opts...), nil
}

// ClassName returns "Softmax".
func (l *SoftmaxLayer) ClassName() string { return "Softmax" }

// PassesMask reports true: the mask passes on, as in Keras.
func (l *SoftmaxLayer) PassesMask() bool { return true }

// Build checks the axis.
func (l *SoftmaxLayer) Build(in []int) ([]int, error) {
	ax, ok := sampleAxis(l.axis, len(in))
	if !ok {
		return nil, fmt.Errorf("%s: axis %d is out of range for input of shape %s (axis 0 is the batch)", LayerName(l), l.axis, ShapeString(in))
	}
	l.ax = ax + 1
	return slices.Clone(in), nil
}

// Call computes the softmax along the axis.
func (l *SoftmaxLayer) Call(_ *Context, x *G.Node) (*G.Node, error) {
	e := graphx.New(x.Dtype())
	xt, inv := moveLast(e, x, []int{l.ax})
	y := moveBack(e, e.Softmax(xt), inv)
	return callResult(l, e, y)
}

// Config returns Keras's Softmax config.
func (l *SoftmaxLayer) Config() map[string]any {
	m := l.baseConfig()
	m["axis"] = l.axis
	return m
}
