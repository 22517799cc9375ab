package losses

import (
	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/graphx"
)

type categoricalHinge struct{}

// CategoricalHinge is Keras's categorical_hinge: per sample
// max(neg - pos + 1, 0), with pos = sum(y_true*y_pred) and
// neg = max((1 - y_true)*y_pred) over the last axis (the classes), then
// the mean over the batch. Targets are one-hot (or -1/1). It takes no
// options.
func CategoricalHinge(opts ...Option) Loss { return categoricalHinge{} }

func (categoricalHinge) Name() string           { return "categorical_hinge" }
func (categoricalHinge) Config() map[string]any { return baseConfig("categorical_hinge") }

func (l categoricalHinge) Compute(yTrue, yPred *G.Node) (*G.Node, error) {
	return reduced(l.Name(), yTrue, yPred, l.build)
}

// PerSample is the loss of each sample, a (batch,) vector whose mean is
// Compute.
func (l categoricalHinge) PerSample(yTrue, yPred *G.Node) (*G.Node, error) {
	return perSample(l.Name(), yTrue, yPred, l.build)
}

func (l categoricalHinge) build(e *graphx.Expr, t, p *G.Node, r reduction) *G.Node {
	t, p = e.Rows(t), e.Rows(p)
	pos := e.RowSum(e.Mul(t, p))
	neg := e.RowMax(e.Mul(e.Sub(e.Scalar(1), t), p))
	return r.mean(e.Relu(e.Add(e.Sub(neg, pos), e.Scalar(1))))
}
