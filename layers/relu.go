package layers

import (
	"fmt"
	"slices"

	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/graphx"
)

// ReLULayer is Keras's ReLU layer: a rectifier with an optional cap, a
// slope below the threshold and a threshold.
type ReLULayer struct {
	Base
	maxValue      *float64
	negativeSlope float64
	threshold     float64
}

// ReLU returns Keras's ReLU layer:
//
//	f(x) = max_value                      for x >= max_value
//	f(x) = x                              for threshold < x < max_value
//	f(x) = negative_slope*(x - threshold) otherwise
//
// computed as Keras 3's relu does it (without a cap and threshold and
// with a slope it is max(x, negative_slope*x)). Options: MaxValue
// (default none), NegativeSlope (0), Threshold (0), Name, InputShape.
// ReLU panics on a negative max value, slope or threshold, as Keras
// refuses them.
func ReLU(opts ...Option) Layer {
	c := newConfig(opts)
	l := &ReLULayer{Base: newBase(c), maxValue: c.norm.maxValue, threshold: c.norm.threshold}
	if c.norm.negativeSlope != nil {
		l.negativeSlope = *c.norm.negativeSlope
	}
	if err := l.check(); err != nil {
		panic("layers.ReLU: " + err.Error())
	}
	return l
}

func (l *ReLULayer) check() error {
	switch {
	case l.maxValue != nil && !(*l.maxValue >= 0 && finite(*l.maxValue)):
		return fmt.Errorf("max_value must be a number >= 0, got %v", *l.maxValue)
	case !(l.negativeSlope >= 0) || !finite(l.negativeSlope):
		return fmt.Errorf("negative_slope must be a number >= 0, got %v", l.negativeSlope)
	case !(l.threshold >= 0) || !finite(l.threshold):
		return fmt.Errorf("threshold must be a number >= 0, got %v", l.threshold)
	}
	return nil
}

func reluFromConfig(cfg map[string]any) (Layer, error) {
	opts, err := commonOptions(cfg)
	if err != nil {
		return nil, err
	}
	l := &ReLULayer{Base: newBase(newConfig(opts))}
	if v, ok, err := cfgFloat(cfg, "max_value", 0); err != nil {
		return nil, err
	} else if ok {
		l.maxValue = &v
	}
	if l.negativeSlope, _, err = cfgFloat(cfg, "negative_slope", 0); err != nil {
		return nil, err
	}
	if l.threshold, _, err = cfgFloat(cfg, "threshold", 0); err != nil {
		return nil, err
	}
	if err := l.check(); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return l, nil
}

// ClassName returns "ReLU".
func (l *ReLULayer) ClassName() string { return "ReLU" }

// PassesMask reports true: the mask passes on, as in Keras.
func (l *ReLULayer) PassesMask() bool { return true }

// Build keeps the shape.
func (l *ReLULayer) Build(in []int) ([]int, error) { return slices.Clone(in), nil }

// Call applies the rectifier, step by step as Keras 3's ReLU.static_call.
func (l *ReLULayer) Call(_ *Context, x *G.Node) (*G.Node, error) {
	e := graphx.New(x.Dtype())
	return callResult(l, e, relu(e, x, l.negativeSlope, l.maxValue, l.threshold))
}

func relu(e *graphx.Expr, x *G.Node, slope float64, maxValue *float64, threshold float64) *G.Node {
	var neg *G.Node
	if slope != 0 {
		if maxValue == nil && threshold == 0 {
			return leakyRelu(e, x, slope)
		}
		if threshold != 0 {
			neg = e.Relu(e.Add(e.Neg(x), e.Scalar(threshold)))
		} else {
			neg = e.Relu(e.Neg(x))
		}
	}
	if threshold != 0 {
		// x where x > threshold, else 0.
		above := e.Node(G.Gt(x, e.Scalar(threshold), true))
		x = e.Mul(above, x)
	} else {
		x = e.Relu(x)
	}
	if maxValue != nil {
		x = e.Clip(x, 0, *maxValue)
	}
	if slope != 0 {
		x = e.Sub(x, e.Mul(neg, e.Scalar(slope)))
	}
	return x
}

// leakyRelu is Keras's leaky_relu: max(x, slope*x).
func leakyRelu(e *graphx.Expr, x *G.Node, slope float64) *G.Node {
	return e.Maximum(x, e.Mul(x, e.Scalar(slope)))
}

// Config returns Keras's ReLU config.
func (l *ReLULayer) Config() map[string]any {
	m := l.baseConfig()
	m["max_value"] = nil
	if l.maxValue != nil {
		m["max_value"] = *l.maxValue
	}
	m["negative_slope"] = l.negativeSlope
	m["threshold"] = l.threshold
	return m
}
