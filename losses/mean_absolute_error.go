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
	return compute(l.Name(), yTrue, yPred, func(e *graphx.Expr, t, p *G.Node) *G.Node {
		return e.Mean(e.Abs(e.Sub(t, p)))
	})
}
