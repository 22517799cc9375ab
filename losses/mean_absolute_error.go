package losses

import (
	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/graphx"
)

type meanAbsoluteError struct{}

// MeanAbsoluteError is Keras's mean_absolute_error (alias "mae"): the
// mean over the last axis of |y_true - y_pred|, then the mean over the
// batch. It takes no options.
func MeanAbsoluteError(opts ...Option) Loss { return meanAbsoluteError{} }

func (meanAbsoluteError) Name() string           { return "mean_absolute_error" }
func (meanAbsoluteError) Config() map[string]any { return baseConfig("mean_absolute_error") }

func (l meanAbsoluteError) Compute(yTrue, yPred *G.Node) (*G.Node, error) {
	return reduced(l.Name(), yTrue, yPred, l.build)
}

// PerSample is the loss of each sample, a (batch,) vector whose mean is
// Compute.
func (l meanAbsoluteError) PerSample(yTrue, yPred *G.Node) (*G.Node, error) {
	return perSample(l.Name(), yTrue, yPred, l.build)
}

func (l meanAbsoluteError) build(e *graphx.Expr, t, p *G.Node, r reduction) *G.Node {
	return r.mean(e.Abs(e.Sub(t, p)))
}
