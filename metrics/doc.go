// Package metrics computes Keras's training metrics on the host, from the
// target and prediction tensors of each batch, outside the graph.
//
// A Metric is stateful, as in Keras: Update adds a batch, Result is the
// figure over every sample since Reset (so rmse and auc are computed from
// accumulated sums and counts, not averaged over batches), and Name is
// the key the figure is logged under. Get resolves the strings a user
// passes to compile, "accuracy" included, as Keras does.
//
// The smallest use:
//
//	m, _ := metrics.Get("accuracy", "binary_crossentropy", 1)
//	yTrue := tensor.New(tensor.WithShape(4, 1), tensor.WithBacking([]float32{1, 1, 0, 0}))
//	yPred := tensor.New(tensor.WithShape(4, 1), tensor.WithBacking([]float32{0.98, 1, 0, 0.6}))
//	_ = m.Update(yTrue, yPred)
//	fmt.Println(m.Name(), m.Result()) // accuracy 0.75
//
// Metric objects take Keras's keyword arguments as options, and
// Register adds a custom metric by name, as Keras's
// register_keras_serializable:
//
//	bce := metrics.BinaryCrossentropy(metrics.FromLogits(true))
//	acc := metrics.BinaryAccuracy(metrics.Threshold(0)) // on logits
//	f1 := metrics.F1Score(metrics.Average("macro"))
//	err := metrics.Register("my_metric", func() metrics.Metric { return newMyMetric() })
//
// Update reads the tensors' float32 or float64 backing arrays in place
// and allocates nothing on the way, so it can run after every batch.
// Wrong shapes, dtypes or labels come back as errors wrapping ErrShape,
// ErrDtype or ErrLabel; nothing the tensors hold makes it panic.
package metrics
