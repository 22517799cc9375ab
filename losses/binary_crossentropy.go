package losses

import (
	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/graphx"
)

type binaryCrossentropy struct {
	fromLogits     bool
	labelSmoothing float64
}

// BinaryCrossentropy is Keras's binary_crossentropy (alias "bce"): the
// mean over the last axis of -(t*log(p) + (1-t)*log(1-p)), then the mean
// over the batch. Probabilities are clipped to [1e-7, 1-1e-7] first.
// Options: FromLogits (default false; then y_pred holds logits x and each
// element costs max(x, 0) - x*t + log(1 + exp(-|x|)), stable for any x),
// LabelSmoothing (default 0; targets become t*(1-s) + 0.5*s).
func BinaryCrossentropy(opts ...Option) Loss {
	c := newConfig(opts)
	return binaryCrossentropy{fromLogits: c.fromLogits, labelSmoothing: c.labelSmoothing}
}

func (binaryCrossentropy) Name() string { return "binary_crossentropy" }
func (l binaryCrossentropy) Config() map[string]any {
	c := baseConfig("binary_crossentropy")
	c["from_logits"] = l.fromLogits
	c["label_smoothing"] = l.labelSmoothing
	c["axis"] = -1
	return c
}

func (l binaryCrossentropy) Compute(yTrue, yPred *G.Node) (*G.Node, error) {
	return reduced(l.Name(), yTrue, yPred, l.build)
}

// PerSample is the loss of each sample, a (batch,) vector whose mean is
// Compute.
func (l binaryCrossentropy) PerSample(yTrue, yPred *G.Node) (*G.Node, error) {
	return perSample(l.Name(), yTrue, yPred, l.build)
}

func (l binaryCrossentropy) build(e *graphx.Expr, t, p *G.Node, r reduction) *G.Node {
	if !(l.labelSmoothing >= 0 && l.labelSmoothing <= 1) {
		return e.Fail("label_smoothing must be in [0, 1], got %v", l.labelSmoothing)
	}
	t = smooth(e, t, l.labelSmoothing, 0.5)
	if l.fromLogits {
		return r.mean(e.Sub(e.Softplus(p), e.Mul(p, t)))
	}
	p = e.Clip(p, epsilon, 1-epsilon)
	one := e.Scalar(1)
	// Gorgonia rewrites log(1 - p) into log1p(-p) as it builds the
	// graph: the same value, more accurate.
	pos := e.Mul(t, e.Log(p))
	neg := e.Mul(e.Sub(one, t), e.Log(e.Sub(one, p)))
	return e.Neg(r.mean(e.Add(pos, neg)))
}
