package losses

import (
	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/graphx"
)

type meanAbsolutePercentageError struct{}

// MeanAbsolutePercentageError is Keras's mean_absolute_percentage_error
// (alias "mape"): the mean over the last axis of
// 100 * |y_true - y_pred| / max(|y_true|, 1e-7), then the mean over the
// batch. It takes no options.
func MeanAbsolutePercentageError(opts ...Option) Loss { return meanAbsolutePercentageError{} }

func (meanAbsolutePercentageError) Name() string { return "mean_absolute_percentage_error" }
func (meanAbsolutePercentageError) Config() map[string]any {
	return baseConfig("mean_absolute_percentage_error")
}

func (l meanAbsolutePercentageError) Compute(yTrue, yPred *G.Node) (*G.Node, error) {
	return reduced(l.Name(), yTrue, yPred, l.build)
}

// PerSample is the loss of each sample, a (batch,) vector whose mean is
// Compute.
func (l meanAbsolutePercentageError) PerSample(yTrue, yPred *G.Node) (*G.Node, error) {
	return perSample(l.Name(), yTrue, yPred, l.build)
}

func (l meanAbsolutePercentageError) build(e *graphx.Expr, t, p *G.Node, r reduction) *G.Node {
	den := e.Maximum(e.Abs(t), e.Fill(t.Shape(), epsilon))
	return e.Mul(e.Scalar(100), r.mean(e.Abs(e.Div(e.Sub(t, p), den))))
}
