package losses

import (
	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/graphx"
)

type meanSquaredError struct{}

// MeanSquaredError is Keras's mean_squared_error (alias "mse"): the mean
// over the last axis of (y_true - y_pred)², then the mean over the batch.
// It takes no options.
func MeanSquaredError(opts ...Option) Loss { return meanSquaredError{} }

func (meanSquaredError) Name() string           { return "mean_squared_error" }
func (meanSquaredError) Config() map[string]any { return baseConfig("mean_squared_error") }

func (l meanSquaredError) Compute(yTrue, yPred *G.Node) (*G.Node, error) {
	return reduced(l.Name(), yTrue, yPred, l.build)
}

// PerSample is the loss of each sample, a (batch,) vector whose mean is
// Compute.
func (l meanSquaredError) PerSample(yTrue, yPred *G.Node) (*G.Node, error) {
	return perSample(l.Name(), yTrue, yPred, l.build)
}

func (l meanSquaredError) build(e *graphx.Expr, t, p *G.Node, r reduction) *G.Node {
	return r.mean(e.Square(e.Sub(t, p)))
}
