package losses

import (
	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/graphx"
)

type categoricalFocalCrossentropy struct {
	alpha, gamma   float64
	fromLogits     bool
	labelSmoothing float64
	axis           int
}

// CategoricalFocalCrossentropy is Keras's categorical_focal_crossentropy
// (Lin et al., 2018) for one-hot targets: per sample the sum over the
// classes of -alpha * (1 - p)^gamma * t * log(p), then the mean over the
// batch. As in categorical_crossentropy, the probabilities are first
// divided by their sum over the classes, then clipped to
// [1e-7, 1-1e-7].
//
// Options, with Keras's defaults: Alpha (0.25, one weight for every
// class; Keras's per-class list is not supported), Gamma (2.0),
// FromLogits (false; then p is the softmax of y_pred), LabelSmoothing
// (0; targets become t*(1-s) + s/classes), Axis (-1, the only one
// supported).
func CategoricalFocalCrossentropy(opts ...Option) Loss {
	c := newConfig(opts)
	return categoricalFocalCrossentropy{
		alpha: c.alpha, gamma: c.gamma, fromLogits: c.fromLogits, labelSmoothing: c.labelSmoothing, axis: c.axis,
	}
}

func (categoricalFocalCrossentropy) Name() string { return "categorical_focal_crossentropy" }
func (l categoricalFocalCrossentropy) Config() map[string]any {
	c := baseConfig("categorical_focal_crossentropy")
	c["alpha"] = l.alpha
	c["gamma"] = l.gamma
	c["from_logits"] = l.fromLogits
	c["label_smoothing"] = l.labelSmoothing
	c["axis"] = l.axis
	return c
}

func (l categoricalFocalCrossentropy) Compute(yTrue, yPred *G.Node) (*G.Node, error) {
	return reduced(l.Name(), yTrue, yPred, l.build)
}

// PerSample is the loss of each sample, a (batch,) vector whose mean is
// Compute.
func (l categoricalFocalCrossentropy) PerSample(yTrue, yPred *G.Node) (*G.Node, error) {
	return perSample(l.Name(), yTrue, yPred, l.build)
}

func (l categoricalFocalCrossentropy) build(e *graphx.Expr, t, p *G.Node, r reduction) *G.Node {
	if !checkFocal(e, l.labelSmoothing, l.gamma) || !checkLastAxis(e, p, l.axis) {
		return nil
	}
	s := p.Shape()
	t = smooth(e, t, l.labelSmoothing, 1/float64(s[len(s)-1]))
	t, p = e.Rows(t), e.Rows(p)
	if l.fromLogits {
		p = e.Softmax(p)
	}
	p = e.Clip(e.DivRow(p, e.RowSum(p)), epsilon, 1-epsilon)
	cce := e.Neg(e.Mul(t, e.Log(p)))
	w := e.Mul(e.Pow(e.Sub(e.Scalar(1), p), l.gamma), e.Scalar(l.alpha))
	return r.rows(e.Mul(w, cce))
}
