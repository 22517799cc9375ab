package losses

import (
	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/graphx"
)

type meanSquaredLogarithmicError struct{}

// MeanSquaredLogarithmicError is Keras's mean_squared_logarithmic_error
// (alias "msle"): the mean over the last axis of
// (log(max(y_pred, 1e-7) + 1) - log(max(y_true, 1e-7) + 1))², then the
// mean over the batch. It takes no options.
func MeanSquaredLogarithmicError(opts ...Option) Loss { return meanSquaredLogarithmicError{} }

func (meanSquaredLogarithmicError) Name() string { return "mean_squared_logarithmic_error" }
func (meanSquaredLogarithmicError) Config() map[string]any {
	return baseConfig("mean_squared_logarithmic_error")
}

func (l meanSquaredLogarithmicError) Compute(yTrue, yPred *G.Node) (*G.Node, error) {
	return reduced(l.Name(), yTrue, yPred, l.build)
}

// PerSample is the loss of each sample, a (batch,) vector whose mean is
// Compute.
func (l meanSquaredLogarithmicError) PerSample(yTrue, yPred *G.Node) (*G.Node, error) {
	return perSample(l.Name(), yTrue, yPred, l.build)
}

func (l meanSquaredLogarithmicError) build(e *graphx.Expr, t, p *G.Node, r reduction) *G.Node {
	logp := e.Log(e.Add(e.Maximum(p, e.Scalar(epsilon)), e.Scalar(1)))
	logt := e.Log(e.Add(e.Maximum(t, e.Scalar(epsilon)), e.Scalar(1)))
	return r.mean(e.Square(e.Sub(logp, logt)))
}
