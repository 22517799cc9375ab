package metrics

import "math"

// epsilon is Keras's backend.epsilon(), the floor of MAPE's denominator
// and the clip of cross-entropy's probabilities.
const epsilon = 1e-7

// MeanSquaredError is the mean over samples of each sample's mean
// squared error over its outputs. Default name "mean_squared_error";
// Get also knows it as "mse".
func MeanSquaredError(opts ...Option) Metric {
	c := newConfig("mean_squared_error", opts)
	return &meanMetric{cfg: c, f32: squaredError[float32], f64: squaredError[float64]}
}

// RootMeanSquaredError is the square root of the mean squared error over
// every sample since Reset (not a mean of batch roots). Default name
// "root_mean_squared_error"; Get also knows it as "rmse".
func RootMeanSquaredError(opts ...Option) Metric {
	c := newConfig("root_mean_squared_error", opts)
	return &meanMetric{cfg: c, f32: squaredError[float32], f64: squaredError[float64], sqrt: true}
}

func squaredError[T float](yt, yp []T, g geom, _ *config) (float64, error) {
	return outputMean(yt, yp, g, func(t, p float64) float64 { return (p - t) * (p - t) }), nil
}

// outputMean sums over the samples the mean over each sample's outputs of
// f(yTrue, yPred): the per-sample loss of Keras's elementwise metrics.
func outputMean[T float](yt, yp []T, g geom, f func(t, p float64) float64) float64 {
	var sum float64
	for r := range g.rows {
		var s float64
		for i := r * g.cols; i < (r+1)*g.cols; i++ {
			s += f(float64(yt[i]), float64(yp[i]))
		}
		sum += s / float64(g.cols)
	}
	return sum
}

// MeanAbsoluteError is the mean over samples of each sample's mean
// absolute error over its outputs. Default name "mean_absolute_error";
// Get also knows it as "mae".
func MeanAbsoluteError(opts ...Option) Metric {
	c := newConfig("mean_absolute_error", opts)
	return &meanMetric{cfg: c, f32: absoluteError[float32], f64: absoluteError[float64]}
}

func absoluteError[T float](yt, yp []T, g geom, _ *config) (float64, error) {
	return outputMean(yt, yp, g, func(t, p float64) float64 { return math.Abs(p - t) }), nil
}

// MeanAbsolutePercentageError is 100 times the mean of
// |yTrue - yPred| / max(|yTrue|, 1e-7), as Keras's. Default name
// "mean_absolute_percentage_error"; Get also knows it as "mape".
func MeanAbsolutePercentageError(opts ...Option) Metric {
	c := newConfig("mean_absolute_percentage_error", opts)
	return &meanMetric{cfg: c, f32: percentageError[float32], f64: percentageError[float64]}
}

func percentageError[T float](yt, yp []T, g geom, _ *config) (float64, error) {
	var sum float64
	for r := range g.rows {
		var s float64
		for i := r * g.cols; i < (r+1)*g.cols; i++ {
			t := float64(yt[i])
			s += math.Abs(t-float64(yp[i])) / math.Max(math.Abs(t), epsilon)
		}
		sum += 100 * s / float64(g.cols)
	}
	return sum, nil
}

// MeanSquaredLogarithmicError is the mean over samples of each sample's
// mean over its outputs of (log(max(yPred, 1e-7) + 1) -
// log(max(yTrue, 1e-7) + 1))², as Keras's. Default name
// "mean_squared_logarithmic_error"; Get also knows it as "msle".
func MeanSquaredLogarithmicError(opts ...Option) Metric {
	c := newConfig("mean_squared_logarithmic_error", opts)
	return &meanMetric{cfg: c, f32: squaredLogError[float32], f64: squaredLogError[float64]}
}

func squaredLogError[T float](yt, yp []T, g geom, _ *config) (float64, error) {
	return outputMean(yt, yp, g, func(t, p float64) float64 {
		d := math.Log(math.Max(p, epsilon)+1) - math.Log(math.Max(t, epsilon)+1)
		return d * d
	}), nil
}

// LogCoshError is the mean over samples of each sample's mean over its
// outputs of log(cosh(yPred - yTrue)), computed as x + softplus(-2x) -
// log 2 as Keras's log_cosh, which does not overflow. Default name
// "logcosh", Keras's; Get knows it as "log_cosh_error" (Keras's
// snake-case class name) and "logcosh".
func LogCoshError(opts ...Option) Metric {
	c := newConfig("logcosh", opts)
	return &meanMetric{cfg: c, f32: logCoshError[float32], f64: logCoshError[float64]}
}

func logCoshError[T float](yt, yp []T, g geom, _ *config) (float64, error) {
	return outputMean(yt, yp, g, func(t, p float64) float64 {
		x := p - t
		return x + softplus(-2*x) - math.Ln2
	}), nil
}

// softplus is log(1 + exp(x)) without overflow.
func softplus(x float64) float64 { return math.Max(x, 0) + math.Log1p(math.Exp(-math.Abs(x))) }

// CosineSimilarity is the mean over samples of the cosine of the angle
// between yTrue and yPred along the last axis: sum(l2_normalize(yTrue) *
// l2_normalize(yPred)), with l2_normalize(x) = x / sqrt(max(sum(x²),
// 1e-14)) as Keras 3's normalize; 0 when either vector is 0. Unlike the
// loss of that name it is not negated: 1 means the same direction.
// Keras's axis is the last one here. Default name "cosine_similarity".
func CosineSimilarity(opts ...Option) Metric {
	c := newConfig("cosine_similarity", opts)
	return &meanMetric{cfg: c, f32: cosineSimilarity[float32], f64: cosineSimilarity[float64]}
}

func cosineSimilarity[T float](yt, yp []T, g geom, _ *config) (float64, error) {
	var sum float64
	for r := range g.rows {
		t, p := yt[r*g.cols:(r+1)*g.cols], yp[r*g.cols:(r+1)*g.cols]
		var tt, pp, tp float64
		for i := range t {
			a, b := float64(t[i]), float64(p[i])
			tt += a * a
			pp += b * b
			tp += a * b
		}
		sum += tp / math.Sqrt(math.Max(tt, epsilon*epsilon)) / math.Sqrt(math.Max(pp, epsilon*epsilon))
	}
	return sum, nil
}
