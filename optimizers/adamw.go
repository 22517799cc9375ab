package optimizers

// AdamW is Keras's AdamW optimizer: Adam with decoupled weight decay,
// w -= w*weight_decay*lr before each Adam step.
//
// Options and Keras defaults: WeightDecay 0.004 (AdamW's own default; it
// cannot be switched off, give WeightDecay(0) for none), LearningRate
// 0.001, Beta1 0.9, Beta2 0.999, Epsilon 1e-7, Amsgrad false, and ClipNorm,
// ClipValue, GlobalClipNorm, Schedule.
func AdamW(opts ...Option) Optimizer {
	s := settings{lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: ptr(0.004)}
	s.apply(opts)
	return newOptimizer("adamw", "adamw", &s, newAdamRule(&s), adamArgs...)
}
