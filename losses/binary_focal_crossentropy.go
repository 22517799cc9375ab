package losses

import (
	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/graphx"
)

type binaryFocalCrossentropy struct {
	applyClassBalancing bool
	alpha, gamma        float64
	fromLogits          bool
	labelSmoothing      float64
	axis                int
}

// BinaryFocalCrossentropy is Keras's binary_focal_crossentropy (Lin et
// al., 2018): binary cross-entropy with each element scaled by the focal
// factor (1 - p_t)^gamma, p_t = t*p + (1-t)*(1-p) the probability given
// to the true class, so that easy examples count less; the mean over the
// last axis, then over the batch. As in Keras, the cross-entropy is on p
// clipped to [1e-7, 1-1e-7] and p_t on p unclipped.
//
// Options, with Keras's defaults: Gamma (2.0), ApplyClassBalancing
// (false; when true each element is also weighted alpha for class 1 and
// 1-alpha for class 0), Alpha (0.25), FromLogits (false; then p is the
// sigmoid of y_pred, exact on the whole line), LabelSmoothing (0;
// targets become t*(1-s) + 0.5*s), Axis (-1, the only one supported).
func BinaryFocalCrossentropy(opts ...Option) Loss {
	c := newConfig(opts)
	return binaryFocalCrossentropy{
		applyClassBalancing: c.applyClassBalancing, alpha: c.alpha, gamma: c.gamma,
		fromLogits: c.fromLogits, labelSmoothing: c.labelSmoothing, axis: c.axis,
	}
}

func (binaryFocalCrossentropy) Name() string { return "binary_focal_crossentropy" }
func (l binaryFocalCrossentropy) Config() map[string]any {
	c := baseConfig("binary_focal_crossentropy")
	c["apply_class_balancing"] = l.applyClassBalancing
	c["alpha"] = l.alpha
	c["gamma"] = l.gamma
	c["from_logits"] = l.fromLogits
	c["label_smoothing"] = l.labelSmoothing
	c["axis"] = l.axis
	return c
}

func (l binaryFocalCrossentropy) Compute(yTrue, yPred *G.Node) (*G.Node, error) {
	return reduced(l.Name(), yTrue, yPred, l.build)
}

// PerSample is the loss of each sample, a (batch,) vector whose mean is
// Compute.
func (l binaryFocalCrossentropy) PerSample(yTrue, yPred *G.Node) (*G.Node, error) {
	return perSample(l.Name(), yTrue, yPred, l.build)
}

func (l binaryFocalCrossentropy) build(e *graphx.Expr, t, p *G.Node, r reduction) *G.Node {
	if !checkFocal(e, l.labelSmoothing, l.gamma) || !checkLastAxis(e, p, l.axis) {
		return nil
	}
	if !(l.alpha >= 0 && l.alpha <= 1) {
		return e.Fail("alpha must be in [0, 1], got %v", l.alpha)
	}
	t = smooth(e, t, l.labelSmoothing, 0.5)
	if l.fromLogits {
		p = e.Sigmoid(p)
	}
	one := e.Scalar(1)
	q := e.Clip(p, epsilon, 1-epsilon)
	bce := e.Neg(e.Add(e.Mul(t, e.Log(q)), e.Mul(e.Sub(one, t), e.Log(e.Sub(one, q)))))
	pt := e.Add(e.Mul(t, p), e.Mul(e.Sub(one, t), e.Sub(one, p)))
	focal := e.Mul(e.Pow(e.Sub(one, pt), l.gamma), bce)
	if l.applyClassBalancing {
		w := e.Add(e.Mul(t, e.Scalar(l.alpha)), e.Mul(e.Sub(one, t), e.Scalar(1-l.alpha)))
		focal = e.Mul(w, focal)
	}
	return r.mean(focal)
}

// checkFocal checks the options the focal losses share.
func checkFocal(e *graphx.Expr, labelSmoothing, gamma float64) bool {
	if !(labelSmoothing >= 0 && labelSmoothing <= 1) {
		e.Fail("label_smoothing must be in [0, 1], got %v", labelSmoothing)
		return false
	}
	if !(gamma >= 0) {
		e.Fail("gamma must not be negative, got %v", gamma)
		return false
	}
	return true
}
