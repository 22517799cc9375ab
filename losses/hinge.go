package losses

import (
	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/graphx"
)

type hinge struct{}

// Hinge is Keras's hinge: the mean over the last axis of
// max(1 - y_true*y_pred, 0), then the mean over the batch. Targets are
// expected in {-1, 1}; as in Keras, when every target of the batch is 0
// or 1 they are first mapped to -1 and 1. It takes no options.
func Hinge(opts ...Option) Loss { return hinge{} }

func (hinge) Name() string           { return "hinge" }
func (hinge) Config() map[string]any { return baseConfig("hinge") }

func (l hinge) Compute(yTrue, yPred *G.Node) (*G.Node, error) {
	return reduced(l.Name(), yTrue, yPred, l.build)
}

// PerSample is the loss of each sample, a (batch,) vector whose mean is
// Compute.
func (l hinge) PerSample(yTrue, yPred *G.Node) (*G.Node, error) {
	return perSample(l.Name(), yTrue, yPred, l.build)
}

func (l hinge) build(e *graphx.Expr, t, p *G.Node, r reduction) *G.Node {
	t = hingeLabels(e, t)
	return r.mean(e.Relu(e.Sub(e.Scalar(1), e.Mul(t, p))))
}

// hingeLabels is Keras's convert_binary_labels_to_hinge, decided when the
// graph runs: t - t² is 0 exactly for t in {0, 1}, so the batch is
// binary when the sum of |t - t²| is 0, and then t becomes 2t - 1,
// written t + b*(t - 1) with b = 1 for a binary batch, 0 otherwise.
func hingeLabels(e *graphx.Expr, t *G.Node) *G.Node {
	off := e.Sum(e.Abs(e.Sub(t, e.Square(t))))
	if e.Err() != nil {
		return nil
	}
	b := e.Node(G.Eq(off, e.Scalar(0), true))
	return e.Add(t, e.Mul(b, e.Sub(t, e.Scalar(1))))
}
