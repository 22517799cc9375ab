package losses

import (
	"math"

	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/graphx"
)

type logCosh struct{}

// LogCosh is Keras's log_cosh: the mean over the last axis of
// log(cosh(y_pred - y_true)), then the mean over the batch. It is
// computed as Keras does, x + softplus(-2x) - log 2, which does not
// overflow for large errors. It takes no options.
func LogCosh(opts ...Option) Loss { return logCosh{} }

func (logCosh) Name() string           { return "log_cosh" }
func (logCosh) Config() map[string]any { return baseConfig("log_cosh") }

func (l logCosh) Compute(yTrue, yPred *G.Node) (*G.Node, error) {
	return reduced(l.Name(), yTrue, yPred, l.build)
}

// PerSample is the loss of each sample, a (batch,) vector whose mean is
// Compute.
func (l logCosh) PerSample(yTrue, yPred *G.Node) (*G.Node, error) {
	return perSample(l.Name(), yTrue, yPred, l.build)
}

func (l logCosh) build(e *graphx.Expr, t, p *G.Node, r reduction) *G.Node {
	x := e.Sub(p, t)
	sp := e.Softplus(e.Mul(x, e.Scalar(-2)))
	return r.mean(e.Sub(e.Add(x, sp), e.Scalar(math.Ln2)))
}
