package layers

import (
	"fmt"
	"slices"

	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/graphx"
)

// ELULayer is Keras's ELU layer: x for x >= 0, alpha*(exp(x)-1) below.
type ELULayer struct {
	Base
	alpha float64
}

// ELU returns Keras's ELU layer: x where x >= 0, alpha*(exp(x)-1)
// elsewhere. Options: Alpha (default 1.0), Name, InputShape. ELU panics
// on an alpha that is not finite.
func ELU(opts ...Option) Layer {
	c := newConfig(opts)
	l := &ELULayer{Base: newBase(c), alpha: 1}
	if c.norm.alpha != nil {
		l.alpha = *c.norm.alpha
	}
	if !finite(l.alpha) {
		panic(fmt.Sprintf("layers.ELU: alpha must be finite, got %v", l.alpha))
	}
	return l
}

func eluFromConfig(cfg map[string]any) (Layer, error) {
	opts, err := commonOptions(cfg)
	if err != nil {
		return nil, err
	}
	a, _, err := cfgFloat(cfg, "alpha", 1)
	if err != nil {
		return nil, err
	}
	return ELU(append(opts, Alpha(a))...), nil
}

// ClassName returns "ELU".
func (l *ELULayer) ClassName() string { return "ELU" }

// PassesMask reports true: the mask passes on, as in Keras.
func (l *ELULayer) PassesMask() bool { return true }

// Build keeps the shape.
func (l *ELULayer) Build(in []int) ([]int, error) { return slices.Clone(in), nil }

// Call computes the ELU. The exponential is taken of min(x, 0), so that
// a large positive x, where the branch is not taken, cannot make an
// infinity that would turn into NaN.
func (l *ELULayer) Call(_ *Context, x *G.Node) (*G.Node, error) {
	e := graphx.New(x.Dtype())
	pos := e.Node(G.Gte(x, e.Scalar(0), true))
	negPart := e.Mul(e.Expm1(e.Minimum(x, e.Fill(x.Shape(), 0))), e.Scalar(l.alpha))
	y := e.Add(e.Mul(pos, x), e.Mul(e.Sub(e.Scalar(1), pos), negPart))
	return callResult(l, e, y)
}

// Config returns the ELU config, with alpha (Keras 3 leaves it out of
// its own config, so a Keras file's ELU always has alpha 1).
func (l *ELULayer) Config() map[string]any {
	m := l.baseConfig()
	m["alpha"] = l.alpha
	return m
}
