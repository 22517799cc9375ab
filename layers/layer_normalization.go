package layers

import (
	"fmt"
	"slices"

	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/graphx"
)

// LayerNormalizationLayer normalizes each sample over its last axis (or
// the axes given), as Keras's LayerNormalization.
type LayerNormalizationLayer struct {
	Base
	axes    []int // as given (Keras's counting, batch axis 0)
	epsilon float64
	affine

	keep []int // the axes normalized over, sorted, in full rank
}

// LayerNormalization returns Keras's LayerNormalization layer: each
// sample's values along the axis are normalized by their own mean and
// (biased) variance, gamma*(x-mean)/sqrt(var+epsilon) + beta, the same in
// training and inference. Options: Axis (default -1) or Axes, Epsilon
// (1e-3), Center (true), Scale (true), BetaInitializer ("zeros"),
// GammaInitializer ("ones"), BetaRegularizer, GammaRegularizer, Name,
// InputShape. gamma and beta have one value per index of the normalized
// axes. LayerNormalization panics on the batch axis 0, Axes() with no
// axis or a negative epsilon: literal mistakes.
func LayerNormalization(opts ...Option) Layer {
	c := newConfig(opts)
	l := &LayerNormalizationLayer{
		Base: newBase(c), axes: []int{-1}, epsilon: 1e-3, affine: newAffine(c),
	}
	if c.axis != nil {
		l.axes = []int{*c.axis}
	}
	if c.norm.axesGiven {
		l.axes = slices.Clone(c.norm.axes)
	}
	if c.norm.epsilon != nil {
		l.epsilon = *c.norm.epsilon
	}
	if err := l.check(); err != nil {
		panic("layers.LayerNormalization: " + err.Error())
	}
	return l
}

func (l *LayerNormalizationLayer) check() error {
	if len(l.axes) == 0 {
		return fmt.Errorf("at least one axis is needed")
	}
	if slices.Contains(l.axes, 0) {
		return fmt.Errorf("axis 0 is the batch axis")
	}
	if !(l.epsilon >= 0) || !finite(l.epsilon) {
		return fmt.Errorf("epsilon must be a number >= 0, got %v", l.epsilon)
	}
	return nil
}

func layerNormalizationFromConfig(cfg map[string]any) (Layer, error) {
	opts, err := commonOptions(cfg)
	if err != nil {
		return nil, err
	}
	axes, ok, err := cfgInts(cfg, "axis")
	if err != nil {
		return nil, err
	}
	if !ok {
		axes = []int{-1}
	}
	eps, _, err := cfgFloat(cfg, "epsilon", 1e-3)
	if err != nil {
		return nil, err
	}
	af, err := affineFromConfig(cfg)
	if err != nil {
		return nil, err
	}
	if rms, err := cfgBool(cfg, "rms_scaling", false); err != nil {
		return nil, err
	} else if rms {
		return nil, fmt.Errorf("%w: LayerNormalization with rms_scaling", ErrUnsupportedConfig)
	}
	l := &LayerNormalizationLayer{
		Base: newBase(newConfig(opts)), axes: axes, epsilon: eps, affine: af,
	}
	if err := l.check(); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return l, nil
}

// ClassName returns "LayerNormalization".
func (l *LayerNormalizationLayer) ClassName() string { return "LayerNormalization" }

// PassesMask reports true: the mask passes on, as in Keras.
func (l *LayerNormalizationLayer) PassesMask() bool { return true }

// Build creates gamma and beta with the shape of the normalized axes.
func (l *LayerNormalizationLayer) Build(in []int) ([]int, error) {
	keep, shape, err := keptAxes(LayerName(l), l.axes, in)
	if err != nil {
		return nil, err
	}
	l.keep = keep
	if err := l.affine.build(LayerName(l), shape); err != nil {
		return nil, err
	}
	return slices.Clone(in), nil
}

// keptAxes resolves Keras-style axes for a sample shape: the axes in full
// rank (batch axis 0), sorted, and the sizes along them.
func keptAxes(layer string, axes, in []int) ([]int, []int, error) {
	var keep, shape []int
	for _, a := range axes {
		s, ok := sampleAxis(a, len(in))
		if !ok {
			return nil, nil, fmt.Errorf("%s: axis %d is out of range for input of shape %s (axis 0 is the batch)", layer, a, ShapeString(in))
		}
		if slices.Contains(keep, s+1) {
			return nil, nil, fmt.Errorf("%s: axis %d is given twice in %v", layer, a, axes)
		}
		keep = append(keep, s+1)
	}
	slices.Sort(keep)
	for _, a := range keep {
		shape = append(shape, in[a-1])
	}
	return keep, shape, nil
}

// Weights returns gamma (with Scale) and beta (with Center).
func (l *LayerNormalizationLayer) Weights() []*Weight { return l.affine.weights() }

// Call normalizes each sample over the axes.
func (l *LayerNormalizationLayer) Call(ctx *Context, x *G.Node) (*G.Node, error) {
	if l.keep == nil {
		return nil, fmt.Errorf("%s: called before Build", LayerName(l))
	}
	name := LayerName(l)
	e := graphx.New(x.Dtype())
	xt, inv := moveLast(e, x, l.keep)
	if e.Err() != nil {
		return nil, fmt.Errorf("%s: %w", name, e.Err())
	}
	tshape := slices.Clone([]int(xt.Shape()))
	k := 1
	for _, a := range l.keep {
		k *= x.Shape()[a]
	}
	rows := e.Reshape(xt, -1, k) // (M, values normalized together)
	mean := e.MeanAxes(rows, true, 1)
	d := e.Sub(rows, mean)
	variance := e.MeanAxes(e.Square(d), true, 1)
	y := e.Mul(d, e.Div(e.Scalar(1), e.Sqrt(e.Add(variance, e.Scalar(l.epsilon)))))
	if l.gamma != nil {
		y = e.Mul(y, e.Reshape(ctx.Param(name, l.gamma), k))
	}
	if l.beta != nil {
		y = e.Add(y, e.Reshape(ctx.Param(name, l.beta), k))
	}
	y = moveBack(e, e.Reshape(y, tshape...), inv)
	return callResult(l, e, y)
}

// Config returns Keras's LayerNormalization config.
func (l *LayerNormalizationLayer) Config() map[string]any {
	m := l.baseConfig()
	if len(l.axes) == 1 {
		m["axis"] = l.axes[0]
	} else {
		m["axis"] = intsToAny(l.axes)
	}
	m["epsilon"] = l.epsilon
	m["rms_scaling"] = false
	l.affine.config(m)
	return m
}
