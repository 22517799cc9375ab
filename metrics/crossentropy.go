package metrics

import "math"

// BinaryCrossentropy is the mean over samples of each sample's mean
// binary cross-entropy over its outputs, on probabilities clipped to
// [1e-7, 1-1e-7] as Keras's. Default name "binary_crossentropy"; Get
// also knows it as "bce".
func BinaryCrossentropy(opts ...Option) Metric {
	c := newConfig("binary_crossentropy", opts)
	return &meanMetric{cfg: c, f32: binaryCrossentropy[float32], f64: binaryCrossentropy[float64]}
}

func binaryCrossentropy[T float](yt, yp []T, g geom, _ *config) (float64, error) {
	return outputMean(yt, yp, g, func(t, p float64) float64 {
		p = clip(p)
		return -(t*math.Log(p) + (1-t)*math.Log(1-p))
	}), nil
}

// CategoricalCrossentropy is the mean over samples of
// -sum(yTrue * log(yPred)), with each row of yPred scaled to sum to 1 and
// clipped to [1e-7, 1-1e-7] as Keras's. Default name
// "categorical_crossentropy".
func CategoricalCrossentropy(opts ...Option) Metric {
	c := newConfig("categorical_crossentropy", opts)
	return &meanMetric{cfg: c, f32: categoricalCrossentropy[float32], f64: categoricalCrossentropy[float64]}
}

func categoricalCrossentropy[T float](yt, yp []T, g geom, _ *config) (float64, error) {
	var sum float64
	for r := range g.rows {
		row := yp[r*g.cols : (r+1)*g.cols]
		z := rowSum(row)
		for j, p := range row {
			if t := float64(yt[r*g.cols+j]); t != 0 {
				sum -= t * math.Log(clip(float64(p)/z))
			}
		}
	}
	return sum, nil
}

// SparseCategoricalCrossentropy is CategoricalCrossentropy with integer
// labels. Default name "sparse_categorical_crossentropy".
func SparseCategoricalCrossentropy(opts ...Option) Metric {
	c := newConfig("sparse_categorical_crossentropy", opts)
	return &meanMetric{cfg: c, sparse: true, f32: sparseCategoricalCrossentropy[float32], f64: sparseCategoricalCrossentropy[float64]}
}

func sparseCategoricalCrossentropy[T float](yt, yp []T, g geom, _ *config) (float64, error) {
	var sum float64
	for r := range g.rows {
		l, err := label(yt[r], r, g.cols)
		if err != nil {
			return 0, err
		}
		row := yp[r*g.cols : (r+1)*g.cols]
		sum -= math.Log(clip(float64(row[l]) / rowSum(row)))
	}
	return sum, nil
}

func rowSum[T float](v []T) float64 {
	var s float64
	for _, x := range v {
		s += float64(x)
	}
	return s
}

func clip(p float64) float64 { return math.Min(math.Max(p, epsilon), 1-epsilon) }
