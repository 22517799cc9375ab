package layers

import (
	"fmt"
	"slices"

	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/graphx"
)

// PReLULayer is Keras's PReLU layer: a leaky rectifier whose slopes are
// learned, relu(x) - alpha*relu(-x).
type PReLULayer struct {
	Base
	alphaInit  any
	alphaReg   any
	sharedAxes []int

	alpha *Weight
}

// PReLU returns Keras's PReLU layer, relu(x) - alpha*relu(-x), with one
// learned slope alpha per input value of a sample (per feature for a
// flat input). Options: AlphaInitializer (default "zeros": the layer
// starts as a ReLU), AlphaRegularizer, SharedAxes (1-based sample axes
// along which one slope is shared, as Keras's shared_axes), Name,
// InputShape. PReLU panics on a shared axis below 1.
func PReLU(opts ...Option) Layer {
	c := newConfig(opts)
	for _, a := range c.norm.sharedAxes {
		if a < 1 {
			panic(fmt.Sprintf("layers.PReLU: shared axes are 1-based sample axes, got %v", c.norm.sharedAxes))
		}
	}
	return &PReLULayer{Base: newBase(c), alphaInit: c.norm.alphaInit, alphaReg: c.norm.alphaReg, sharedAxes: c.norm.sharedAxes}
}

func preluFromConfig(cfg map[string]any) (Layer, error) {
	opts, err := commonOptions(cfg)
	if err != nil {
		return nil, err
	}
	w, err := cfgWeight(cfg, "alpha_initializer", "alpha_regularizer", "zeros")
	if err != nil {
		return nil, err
	}
	shared, _, err := cfgInts(cfg, "shared_axes")
	if err != nil {
		return nil, err
	}
	for _, a := range shared {
		if a < 1 || a > maxDim {
			return nil, fmt.Errorf("config shared_axes: axes are 1-based sample axes, got %v", shared)
		}
	}
	return PReLU(append(opts, AlphaInitializer(w[0]), AlphaRegularizer(w[1]), SharedAxes(shared...))...), nil
}

// ClassName returns "PReLU".
func (l *PReLULayer) ClassName() string { return "PReLU" }

// PassesMask reports true: the mask passes on, as in Keras.
func (l *PReLULayer) PassesMask() bool { return true }

// Build creates alpha, of the sample's shape with 1 along shared axes.
func (l *PReLULayer) Build(in []int) ([]int, error) {
	shape := slices.Clone(in)
	for _, a := range l.sharedAxes {
		if a > len(in) {
			return nil, fmt.Errorf("%s: shared axis %d is out of range for input of shape %s", LayerName(l), a, ShapeString(in))
		}
		shape[a-1] = 1
	}
	var err error
	if l.alpha, err = newWeight(LayerName(l), "alpha", shape, l.alphaInit, l.alphaReg); err != nil {
		return nil, err
	}
	return slices.Clone(in), nil
}

// Weights returns alpha.
func (l *PReLULayer) Weights() []*Weight {
	if l.alpha == nil {
		return nil
	}
	return []*Weight{l.alpha}
}

// Call computes relu(x) - alpha*relu(-x).
func (l *PReLULayer) Call(ctx *Context, x *G.Node) (*G.Node, error) {
	if l.alpha == nil {
		return nil, fmt.Errorf("%s: called before Build", LayerName(l))
	}
	e := graphx.New(x.Dtype())
	alpha := ctx.Param(LayerName(l), l.alpha)
	in := x
	if len(l.sharedAxes) == 0 {
		// One slope per value: a flat view broadcasts over the batch
		// only, whatever the rank.
		in = e.Reshape(x, x.Shape()[0], -1)
		alpha = e.Reshape(alpha, -1)
	}
	y := e.Sub(e.Relu(in), e.Mul(alpha, e.Relu(e.Neg(in))))
	if len(l.sharedAxes) == 0 {
		y = e.Reshape(y, x.Shape()...)
	}
	return callResult(l, e, y)
}

// Config returns Keras's PReLU config.
func (l *PReLULayer) Config() map[string]any {
	m := l.baseConfig()
	m["alpha_initializer"] = describe(l.alphaInit)
	m["alpha_regularizer"] = describe(l.alphaReg)
	m["alpha_constraint"] = nil
	m["shared_axes"] = nil
	if len(l.sharedAxes) > 0 {
		m["shared_axes"] = intsToAny(l.sharedAxes)
	}
	return m
}
