package metrics

import "gorgonia.org/tensor"

// Metric accumulates a figure over the batches of an epoch, as Keras's
// stateful metrics: Result is over every sample seen since Reset, not a
// mean of batch figures where that differs (rmse, auc).
type Metric interface {
	// Name is the key under which the figure is logged ("accuracy").
	Name() string
	// Reset forgets every batch seen.
	Reset()
	// Update adds a batch: yTrue as the user gave it (class indices for
	// sparse metrics, else the shape of yPred) and yPred of shape
	// (batch, outputs). Both are float32 or float64.
	Update(yTrue, yPred *tensor.Dense) error
	// Result is the figure over every batch since Reset.
	Result() float64
}
