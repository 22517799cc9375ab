package layers

import (
	"fmt"
	"slices"

	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/graphx"
)

// LeakyReLULayer is Keras's LeakyReLU layer: max(x, negative_slope*x).
type LeakyReLULayer struct {
	Base
	negativeSlope float64
}

// LeakyReLU returns Keras 3's LeakyReLU layer, max(x, negative_slope*x).
// Options: NegativeSlope (default 0.3, the layer's Keras default; the
// leaky_relu activation's is 0.2), Name, InputShape. LeakyReLU panics on
// a negative slope, as Keras refuses it.
func LeakyReLU(opts ...Option) Layer {
	c := newConfig(opts)
	l := &LeakyReLULayer{Base: newBase(c), negativeSlope: 0.3}
	if c.norm.negativeSlope != nil {
		l.negativeSlope = *c.norm.negativeSlope
	}
	if !(l.negativeSlope >= 0) || !finite(l.negativeSlope) {
		panic(fmt.Sprintf("layers.LeakyReLU: negative_slope must be a number >= 0, got %v", l.negativeSlope))
	}
	return l
}

func leakyReLUFromConfig(cfg map[string]any) (Layer, error) {
	opts, err := commonOptions(cfg)
	if err != nil {
		return nil, err
	}
	key := "negative_slope"
	if _, ok := cfg[key]; !ok {
		key = "alpha" // Keras 2's name for it
	}
	s, _, err := cfgFloat(cfg, key, 0.3)
	if err != nil {
		return nil, err
	}
	if !(s >= 0) {
		return nil, fmt.Errorf("config %s: must be >= 0, got %v", key, s)
	}
	return LeakyReLU(append(opts, NegativeSlope(s))...), nil
}

// ClassName returns "LeakyReLU".
func (l *LeakyReLULayer) ClassName() string { return "LeakyReLU" }

// PassesMask reports true: the mask passes on, as in Keras.
func (l *LeakyReLULayer) PassesMask() bool { return true }

// Build keeps the shape.
func (l *LeakyReLULayer) Build(in []int) ([]int, error) { return slices.Clone(in), nil }

// Call computes max(x, negative_slope*x).
func (l *LeakyReLULayer) Call(_ *Context, x *G.Node) (*G.Node, error) {
	e := graphx.New(x.Dtype())
	return callResult(l, e, leakyRelu(e, x, l.negativeSlope))
}

// Config returns Keras's LeakyReLU config.
func (l *LeakyReLULayer) Config() map[string]any {
	m := l.baseConfig()
	m["negative_slope"] = l.negativeSlope
	return m
}
