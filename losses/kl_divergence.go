package losses

import (
	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/graphx"
)

type klDivergence struct{}

// KLDivergence is Keras's kl_divergence (alias "kld"): with both y_true
// and y_pred clipped to [1e-7, 1], the sum over the last axis of
// y_true*log(y_true/y_pred), then the mean over the batch. Keras sums
// over the last axis here, where the regression losses take the mean.
// It takes no options.
func KLDivergence(opts ...Option) Loss { return klDivergence{} }

func (klDivergence) Name() string           { return "kl_divergence" }
func (klDivergence) Config() map[string]any { return baseConfig("kl_divergence") }

func (l klDivergence) Compute(yTrue, yPred *G.Node) (*G.Node, error) {
	return reduced(l.Name(), yTrue, yPred, l.build)
}

// PerSample is the loss of each sample, a (batch,) vector whose mean is
// Compute.
func (l klDivergence) PerSample(yTrue, yPred *G.Node) (*G.Node, error) {
	return perSample(l.Name(), yTrue, yPred, l.build)
}

func (l klDivergence) build(e *graphx.Expr, t, p *G.Node, r reduction) *G.Node {
	t = e.Clip(t, epsilon, 1)
	p = e.Clip(p, epsilon, 1)
	return r.rows(e.Mul(t, e.Log(e.Div(t, p))))
}
