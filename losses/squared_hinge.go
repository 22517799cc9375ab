package losses

import (
	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/graphx"
)

type squaredHinge struct{}

// SquaredHinge is Keras's squared_hinge: the mean over the last axis of
// max(1 - y_true*y_pred, 0)², then the mean over the batch. Targets are
// expected in {-1, 1}; as in Keras (and Hinge), when every target of the
// batch is 0 or 1 they are first mapped to -1 and 1. It takes no
// options.
func SquaredHinge(opts ...Option) Loss { return squaredHinge{} }

func (squaredHinge) Name() string           { return "squared_hinge" }
func (squaredHinge) Config() map[string]any { return baseConfig("squared_hinge") }

func (l squaredHinge) Compute(yTrue, yPred *G.Node) (*G.Node, error) {
	return reduced(l.Name(), yTrue, yPred, l.build)
}

// PerSample is the loss of each sample, a (batch,) vector whose mean is
// Compute.
func (l squaredHinge) PerSample(yTrue, yPred *G.Node) (*G.Node, error) {
	return perSample(l.Name(), yTrue, yPred, l.build)
}

func (l squaredHinge) build(e *graphx.Expr, t, p *G.Node, r reduction) *G.Node {
	t = hingeLabels(e, t)
	return r.mean(e.Square(e.Relu(e.Sub(e.Scalar(1), e.Mul(t, p)))))
}
