package metrics

import "math"

// Poisson is the mean over samples of each sample's mean over its
// outputs of yPred - yTrue*log(yPred + 1e-7), as Keras's poisson.
// Default name "poisson".
func Poisson(opts ...Option) Metric {
	c := newConfig("poisson", opts)
	return &meanMetric{cfg: c, f32: poissonLoss[float32], f64: poissonLoss[float64]}
}

func poissonLoss[T float](yt, yp []T, g geom, _ *config) (float64, error) {
	return outputMean(yt, yp, g, func(t, p float64) float64 { return p - t*math.Log(p+epsilon) }), nil
}

// KLDivergence is the mean over samples of sum(yTrue*log(yTrue/yPred))
// over each sample's outputs, both clipped to [1e-7, 1] first, as
// Keras's kl_divergence. Default name "kl_divergence"; Get also knows
// it as "kld".
func KLDivergence(opts ...Option) Metric {
	c := newConfig("kl_divergence", opts)
	return &meanMetric{cfg: c, f32: klDivergence[float32], f64: klDivergence[float64]}
}

func klDivergence[T float](yt, yp []T, g geom, _ *config) (float64, error) {
	var sum float64
	for i := range yp {
		t := math.Min(math.Max(float64(yt[i]), epsilon), 1)
		p := math.Min(math.Max(float64(yp[i]), epsilon), 1)
		sum += t * math.Log(t/p)
	}
	return sum, nil
}
