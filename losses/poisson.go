package losses

import (
	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/graphx"
)

type poisson struct{}

// Poisson is Keras's poisson: the mean over the last axis of
// y_pred - y_true*log(y_pred + 1e-7), then the mean over the batch.
// Predictions are expected positive (an exp or softplus output). It
// takes no options.
func Poisson(opts ...Option) Loss { return poisson{} }

func (poisson) Name() string           { return "poisson" }
func (poisson) Config() map[string]any { return baseConfig("poisson") }

func (l poisson) Compute(yTrue, yPred *G.Node) (*G.Node, error) {
	return reduced(l.Name(), yTrue, yPred, l.build)
}

// PerSample is the loss of each sample, a (batch,) vector whose mean is
// Compute.
func (l poisson) PerSample(yTrue, yPred *G.Node) (*G.Node, error) {
	return perSample(l.Name(), yTrue, yPred, l.build)
}

func (l poisson) build(e *graphx.Expr, t, p *G.Node, r reduction) *G.Node {
	return r.mean(e.Sub(p, e.Mul(t, e.Log(e.Add(p, e.Scalar(epsilon))))))
}
