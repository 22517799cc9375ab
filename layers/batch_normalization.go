package layers

import (
	"fmt"
	"slices"

	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/graphx"
)

// BatchNormalizationLayer normalizes each feature with the batch's
// statistics while training and with moving averages of them otherwise,
// as Keras's BatchNormalization.
type BatchNormalizationLayer struct {
	Base
	axis              int
	momentum, epsilon float64
	affine
	movingMeanInit any
	movingVarInit  any

	ax                 int // axis as an index into the sample shape
	movingMean, movVar *Weight
}

// BatchNormalization returns Keras's BatchNormalization layer. Options:
// Axis (the features' axis, default -1), Momentum (0.99), Epsilon (1e-3),
// Center (true: learn beta), Scale (true: learn gamma), BetaInitializer
// ("zeros"), GammaInitializer ("ones"), MovingMeanInitializer ("zeros"),
// MovingVarianceInitializer ("ones"), BetaRegularizer, GammaRegularizer,
// Name, InputShape.
//
// In a training step of a trainable layer the output is
// gamma*(x-mean)/sqrt(var+epsilon) + beta with the batch's mean and
// biased variance over every axis but the features' (with a mask, over
// the steps that count), and after the step
// moving = moving*momentum + batch*(1-momentum) for both statistics.
// Predict, Evaluate and a frozen layer (SetTrainable(false), as in Keras
// 3) use the moving statistics instead. Its weights, in Keras's order:
// gamma, beta (trained), moving_mean, moving_variance (not trained).
// BatchNormalization panics on an axis of 0 (the batch axis), a momentum
// outside [0, 1] or a negative epsilon: literal mistakes.
func BatchNormalization(opts ...Option) Layer {
	c := newConfig(opts)
	l := &BatchNormalizationLayer{
		Base: newBase(c), axis: -1, momentum: c.norm.momentum, epsilon: 1e-3,
		affine:         newAffine(c),
		movingMeanInit: c.norm.movingMeanInit, movingVarInit: c.norm.movingVarInit,
	}
	if c.axis != nil {
		l.axis = *c.axis
	}
	if c.norm.epsilon != nil {
		l.epsilon = *c.norm.epsilon
	}
	if err := l.check(); err != nil {
		panic("layers.BatchNormalization: " + err.Error())
	}
	return l
}

func (l *BatchNormalizationLayer) check() error {
	switch {
	case l.axis == 0:
		return fmt.Errorf("axis 0 is the batch axis")
	case !(l.momentum >= 0 && l.momentum <= 1):
		return fmt.Errorf("momentum must be in [0, 1], got %v", l.momentum)
	case !(l.epsilon >= 0) || !finite(l.epsilon):
		return fmt.Errorf("epsilon must be a number >= 0, got %v", l.epsilon)
	}
	return nil
}

func batchNormalizationFromConfig(cfg map[string]any) (Layer, error) {
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
			return nil, fmt.Errorf("%w: BatchNormalization over several axes %v", ErrUnsupportedConfig, axes)
		}
		opts = append(opts, Axis(axes[0]))
	}
	mom, _, err := cfgFloat(cfg, "momentum", 0.99)
	if err != nil {
		return nil, err
	}
	eps, _, err := cfgFloat(cfg, "epsilon", 1e-3)
	if err != nil {
		return nil, err
	}
	af, err := affineFromConfig(cfg)
	if err != nil {
		return nil, err
	}
	for _, k := range []string{"renorm", "synchronized"} {
		if b, err := cfgBool(cfg, k, false); err != nil {
			return nil, err
		} else if b && k == "renorm" {
			return nil, fmt.Errorf("%w: BatchNormalization with renorm", ErrUnsupportedConfig)
		}
	}
	mm, _, err := weightOptions(cfg, "moving_mean_initializer", "", "zeros")
	if err != nil {
		return nil, err
	}
	mv, _, err := weightOptions(cfg, "moving_variance_initializer", "", "ones")
	if err != nil {
		return nil, err
	}
	l := &BatchNormalizationLayer{
		Base: newBase(newConfig(opts)), axis: -1, momentum: mom, epsilon: eps,
		affine: af, movingMeanInit: mm, movingVarInit: mv,
	}
	if c := newConfig(opts); c.axis != nil {
		l.axis = *c.axis
	}
	if err := l.check(); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return l, nil
}

// ClassName returns "BatchNormalization".
func (l *BatchNormalizationLayer) ClassName() string { return "BatchNormalization" }

// PassesMask reports true: the mask passes on, as in Keras.
func (l *BatchNormalizationLayer) PassesMask() bool { return true }

// Build creates gamma, beta, moving_mean and moving_variance, one value
// per feature along the axis.
func (l *BatchNormalizationLayer) Build(in []int) ([]int, error) {
	ax, ok := sampleAxis(l.axis, len(in))
	if !ok {
		return nil, fmt.Errorf("%s: axis %d is out of range for input of shape %s (axis 0 is the batch)", LayerName(l), l.axis, ShapeString(in))
	}
	l.ax = ax
	shape := []int{in[ax]}
	err := l.affine.build(LayerName(l), shape)
	if err != nil {
		return nil, err
	}
	if l.movingMean, err = newWeight(LayerName(l), "moving_mean", shape, l.movingMeanInit, nil); err != nil {
		return nil, err
	}
	if l.movVar, err = newWeight(LayerName(l), "moving_variance", shape, l.movingVarInit, nil); err != nil {
		return nil, err
	}
	l.movingMean.NonTrainable, l.movVar.NonTrainable = true, true
	return slices.Clone(in), nil
}

// Weights returns gamma (with Scale), beta (with Center), moving_mean and
// moving_variance, in Keras's order.
func (l *BatchNormalizationLayer) Weights() []*Weight {
	if l.movingMean == nil {
		return nil
	}
	return append(l.affine.weights(), l.movingMean, l.movVar)
}

// Call normalizes x with the batch's statistics in a training graph of a
// trainable layer, and with the moving statistics otherwise.
func (l *BatchNormalizationLayer) Call(ctx *Context, x *G.Node) (*G.Node, error) {
	if l.movingMean == nil {
		return nil, fmt.Errorf("%s: called before Build", LayerName(l))
	}
	name := LayerName(l)
	e := graphx.New(x.Dtype())
	a := l.ax + 1
	xt, inv := moveLast(e, x, []int{a})
	if e.Err() != nil {
		return nil, fmt.Errorf("%s: %w", name, e.Err())
	}
	tshape := slices.Clone([]int(xt.Shape()))
	c := tshape[len(tshape)-1]
	rows := e.Reshape(xt, -1, c) // (M, features)
	mm, mv := ctx.Param(name, l.movingMean), ctx.Param(name, l.movVar)
	var mean, variance *G.Node
	if ctx.Training && l.Trainable() {
		if mask := ctx.Mask(); mask != nil {
			if x.Dims() != mask.Dims()+1 || inv != nil {
				return nil, fmt.Errorf("%s: a mask of shape %v needs an input of rank %d with the features last, got %v", name, mask.Shape(), mask.Dims()+1, x.Shape())
			}
			// Keras's weighted moments: the steps that count, over
			// their number (plus Keras's epsilon 1e-7).
			m := e.Reshape(mask, -1, 1)
			n := e.Add(e.Sum(m), e.Scalar(1e-7))
			mean = e.Div(e.SumAxes(e.Mul(rows, m), false, 0), n)
			d := e.Mul(e.Sub(rows, mean), m)
			variance = e.Div(e.SumAxes(e.Square(d), false, 0), n)
		} else {
			mean = e.MeanAxes(rows, false, 0)
			variance = e.MeanAxes(e.Square(e.Sub(rows, mean)), false, 0)
		}
		keep, take := e.Scalar(l.momentum), e.Scalar(1-l.momentum)
		newMean := e.Add(e.Mul(mm, keep), e.Mul(mean, take))
		newVar := e.Add(e.Mul(mv, keep), e.Mul(variance, take))
		if e.Err() != nil {
			return nil, fmt.Errorf("%s: %w", name, e.Err())
		}
		ctx.AddUpdate(l.movingMean, newMean)
		ctx.AddUpdate(l.movVar, newVar)
	} else {
		mean, variance = mm, mv
	}
	// Keras's ops.batch_normalization: x*inv + (beta - mean*inv) with
	// inv = gamma/sqrt(variance + epsilon).
	scale := e.Div(e.Scalar(1), e.Sqrt(e.Add(variance, e.Scalar(l.epsilon))))
	if l.gamma != nil {
		scale = e.Mul(scale, ctx.Param(name, l.gamma))
	}
	shift := e.Neg(e.Mul(mean, scale))
	if l.beta != nil {
		shift = e.Add(shift, ctx.Param(name, l.beta))
	}
	y := e.Add(e.Mul(rows, scale), shift)
	y = moveBack(e, e.Reshape(y, tshape...), inv)
	return callResult(l, e, y)
}

// Config returns Keras's BatchNormalization config.
func (l *BatchNormalizationLayer) Config() map[string]any {
	m := l.baseConfig()
	m["axis"] = l.axis
	m["momentum"] = l.momentum
	m["epsilon"] = l.epsilon
	l.affine.config(m)
	m["moving_mean_initializer"] = describe(l.movingMeanInit)
	m["moving_variance_initializer"] = describe(l.movingVarInit)
	m["synchronized"] = false
	m["renorm"] = false
	m["renorm_clipping"] = nil
	m["renorm_momentum"] = 0.99
	return m
}
