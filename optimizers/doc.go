// Package optimizers holds Keras 3's optimizers (SGD, Adam, AdamW,
// RMSprop, Adagrad, Adadelta, Adamax, Nadam) and learning rate schedules,
// with Keras's update rules, defaults, names and configs.
//
// An optimizer updates parameter tensors in place from their gradients;
// the model calls Apply once per training step with the same parameters
// in the same order. Options mirror Keras's keyword arguments, each with
// Keras's default: gradient clipping (ClipNorm, ClipValue, GlobalClipNorm),
// decoupled weight decay (WeightDecay), and a constant LearningRate or a
// Schedule of the iteration count. float32 parameters are updated in
// float32 arithmetic, float64 parameters in float64. Variables and
// SetVariables save and restore the state so that training resumes
// exactly.
//
// The smallest use:
//
//	opt := optimizers.Adam(optimizers.LearningRate(1e-3))
//	for step := 0; step < steps; step++ {
//		// ... compute grads of params ...
//		if err := opt.Apply(params, grads); err != nil {
//			return err
//		}
//	}
//
// or by Keras name: opt, err := optimizers.Get("adam").
package optimizers
