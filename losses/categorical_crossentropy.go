package losses

import (
	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/graphx"
)

type categoricalCrossentropy struct {
	fromLogits     bool
	labelSmoothing float64
}

// CategoricalCrossentropy is Keras's categorical_crossentropy for one-hot
// targets: the sum over the last axis (the classes) of -t*log(p), then
// the mean over the batch. Probabilities are first divided by their sum
// over the classes, then clipped to [1e-7, 1-1e-7], as Keras does.
// Options: FromLogits (default false; then y_pred holds logits and the
// log-probabilities come from a log-softmax that stays finite for any
// logits), LabelSmoothing (default 0; targets become t*(1-s) + s/classes).
func CategoricalCrossentropy(opts ...Option) Loss {
	c := newConfig(opts)
	return categoricalCrossentropy{fromLogits: c.fromLogits, labelSmoothing: c.labelSmoothing}
}

func (categoricalCrossentropy) Name() string { return "categorical_crossentropy" }
func (l categoricalCrossentropy) Config() map[string]any {
	c := baseConfig("categorical_crossentropy")
	c["from_logits"] = l.fromLogits
	c["label_smoothing"] = l.labelSmoothing
	c["axis"] = -1
	return c
}

func (l categoricalCrossentropy) Compute(yTrue, yPred *G.Node) (*G.Node, error) {
	return reduced(l.Name(), yTrue, yPred, l.build)
}

// PerSample is the loss of each sample, a (batch,) vector whose mean is
// Compute.
func (l categoricalCrossentropy) PerSample(yTrue, yPred *G.Node) (*G.Node, error) {
	return perSample(l.Name(), yTrue, yPred, l.build)
}

func (l categoricalCrossentropy) build(e *graphx.Expr, t, p *G.Node, r reduction) *G.Node {
	if !(l.labelSmoothing >= 0 && l.labelSmoothing <= 1) {
		return e.Fail("label_smoothing must be in [0, 1], got %v", l.labelSmoothing)
	}
	s := p.Shape()
	t = smooth(e, t, l.labelSmoothing, 1/float64(s[len(s)-1]))
	return crossentropy(e, t, p, l.fromLogits, r)
}

// crossentropy is -sum(t*log(p)) over the last axis, reduced by r (the
// batch mean, or per sample), p being probabilities or, fromLogits,
// logits.
func crossentropy(e *graphx.Expr, t, p *G.Node, fromLogits bool, r reduction) *G.Node {
	t, p = e.Rows(t), e.Rows(p)
	var logp *G.Node
	if fromLogits {
		logp = e.LogSoftmax(p)
	} else {
		p = e.DivRow(p, e.RowSum(p))
		logp = e.Log(e.Clip(p, epsilon, 1-epsilon))
	}
	return e.Neg(r.rows(e.Mul(t, logp)))
}
