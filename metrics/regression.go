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
