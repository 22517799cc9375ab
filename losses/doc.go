// Package losses holds Keras's loss functions for graphs built with
// Gorgonia: each turns the targets and the predictions of a batch into
// the scalar node a model minimises, with Keras 3's formulas, defaults
// and "sum_over_batch_size" reduction (the mean over the batch of each
// sample's loss).
//
// A loss is made by its constructor with Keras's keyword arguments as
// options, or looked up by its Keras name:
//
//	loss := losses.CategoricalCrossentropy(losses.FromLogits(true))
//	same, err := losses.Get("categorical_crossentropy") // Keras defaults
//
// and adds itself to a graph given the nodes of the targets and of the
// predictions, of one shape (batch, ...) and one dtype (float32 or
// float64):
//
//	cost, err := loss.Compute(yTrue, yPred)
//	grads, err := G.Grad(cost, params...)
//
// Every built-in loss also implements PerSampleLoss: PerSample gives
// the (batch,) vector of each sample's loss, which a model weights for
// sample and class weights with Keras's reduction, sum(w × loss) / batch:
//
//	per, err := loss.(losses.PerSampleLoss).PerSample(yTrue, yPred)
//
// Probabilities are clipped to [1e-7, 1-1e-7] as in Keras; the
// from-logits forms are computed in their numerically stable shifted
// forms, finite for logits of any size.
//
// A custom loss is any type with the Loss methods (package ops builds
// its graph the way these losses do); Register names it, as Keras's
// register_keras_serializable, so that Get, FromConfig and so a saved
// model that uses it find it again:
//
//	err := losses.Register("scaled_mse", func(cfg map[string]any) (losses.Loss, error) {
//		return scaledMSE{scale: cfg["scale"].(float64)}, nil
//	})
package losses
