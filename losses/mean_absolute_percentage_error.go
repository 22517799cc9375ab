package losses

import G "gorgonia.org/gorgonia"

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
	return compute(l.Name(), yTrue, yPred, func(e *expr, t, p *G.Node) *G.Node {
		den := e.maximum(e.abs(t), e.fill(t.Shape(), epsilon))
		return e.mul(e.scalar(100), e.mean(e.abs(e.div(e.sub(t, p), den))))
	})
}
