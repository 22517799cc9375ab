package losses

import G "gorgonia.org/gorgonia"

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
	return compute(l.Name(), yTrue, yPred, func(e *expr, t, p *G.Node) *G.Node {
		if !(l.labelSmoothing >= 0 && l.labelSmoothing <= 1) {
			return e.fail("label_smoothing must be in [0, 1], got %v", l.labelSmoothing)
		}
		t = e.smooth(t, l.labelSmoothing, 0.5)
		if l.fromLogits {
			return e.mean(e.sub(e.softplus(p), e.mul(p, t)))
		}
		p = e.clip(p, epsilon, 1-epsilon)
		one := e.scalar(1)
		// Gorgonia rewrites log(1 - p) into log1p(-p) as it builds the
		// graph: the same value, more accurate.
		pos := e.mul(t, e.log(p))
		neg := e.mul(e.sub(one, t), e.log(e.sub(one, p)))
		return e.neg(e.mean(e.add(pos, neg)))
	})
}
