package metrics

import "math"

// Hinge is the mean over samples of each sample's mean over its outputs
// of max(1 - yTrue*yPred, 0), as Keras's hinge. Labels are expected in
// {-1, 1}; as in Keras, when every label of a batch is 0 or 1 the
// batch's labels are first mapped to -1 and 1. Default name "hinge".
func Hinge(opts ...Option) Metric {
	c := newConfig("hinge", opts)
	return &meanMetric{cfg: c, f32: hinge[float32], f64: hinge[float64]}
}

func hinge[T float](yt, yp []T, g geom, _ *config) (float64, error) {
	conv := binaryLabels(yt)
	return outputMean(yt, yp, g, func(t, p float64) float64 { return math.Max(1-conv(t)*p, 0) }), nil
}

// SquaredHinge is Hinge with each term squared, as Keras's
// squared_hinge. Default name "squared_hinge".
func SquaredHinge(opts ...Option) Metric {
	c := newConfig("squared_hinge", opts)
	return &meanMetric{cfg: c, f32: squaredHinge[float32], f64: squaredHinge[float64]}
}

func squaredHinge[T float](yt, yp []T, g geom, _ *config) (float64, error) {
	conv := binaryLabels(yt)
	return outputMean(yt, yp, g, func(t, p float64) float64 {
		h := math.Max(1-conv(t)*p, 0)
		return h * h
	}), nil
}

// binaryLabels is Keras's convert_binary_labels_to_hinge for one batch:
// t -> 2t - 1 when every label is 0 or 1, else the labels as they are.
func binaryLabels[T float](yt []T) func(float64) float64 {
	for _, t := range yt {
		if t != 0 && t != 1 {
			return func(t float64) float64 { return t }
		}
	}
	return func(t float64) float64 { return 2*t - 1 }
}

// CategoricalHinge is the mean over samples of max(neg - pos + 1, 0),
// pos = sum(yTrue*yPred) and neg = max((1 - yTrue)*yPred) over each
// sample's outputs, as Keras's categorical_hinge. Default name
// "categorical_hinge".
func CategoricalHinge(opts ...Option) Metric {
	c := newConfig("categorical_hinge", opts)
	return &meanMetric{cfg: c, f32: categoricalHinge[float32], f64: categoricalHinge[float64]}
}

func categoricalHinge[T float](yt, yp []T, g geom, _ *config) (float64, error) {
	var sum float64
	for r := range g.rows {
		var pos float64
		neg := math.Inf(-1)
		for i := r * g.cols; i < (r+1)*g.cols; i++ {
			t, p := float64(yt[i]), float64(yp[i])
			pos += t * p
			neg = math.Max(neg, (1-t)*p)
		}
		sum += math.Max(neg-pos+1, 0)
	}
	return sum, nil
}
