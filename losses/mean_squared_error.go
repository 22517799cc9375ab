package losses

import G "gorgonia.org/gorgonia"

type meanSquaredError struct{}

// MeanSquaredError is Keras's mean_squared_error: mean over the last axis
// of (y_true - y_pred)², then over the batch.
func MeanSquaredError(opts ...Option) Loss { return meanSquaredError{} }

func (meanSquaredError) Name() string           { return "mean_squared_error" }
func (meanSquaredError) Config() map[string]any { return map[string]any{} }

func (meanSquaredError) Compute(yTrue, yPred *G.Node) (*G.Node, error) {
	d, err := G.Sub(yTrue, yPred)
	if err != nil {
		return nil, err
	}
	sq, err := G.Square(d)
	if err != nil {
		return nil, err
	}
	// Every sample has the same number of outputs, so the mean over the
	// last axis then over the batch is the mean of all elements.
	return G.Mean(sq)
}
