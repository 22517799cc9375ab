package metrics

import (
	"fmt"
	"math"
)

// BinaryCrossentropy is the mean over samples of each sample's mean
// binary cross-entropy over its outputs, on probabilities clipped to
// [1e-7, 1-1e-7] as Keras's; with FromLogits(true) the predictions are
// logits x and each element costs max(x, 0) - x*t + log(1 + exp(-|x|)),
// Keras's from_logits form, finite for any x. Options: FromLogits
// (default false), LabelSmoothing (default 0; targets become
// t*(1-s) + 0.5*s). Default name "binary_crossentropy"; Get also knows
// it as "bce".
func BinaryCrossentropy(opts ...Option) Metric {
	c := newConfig("binary_crossentropy", opts)
	checkSmoothing("BinaryCrossentropy", c.labelSmoothing)
	return &meanMetric{cfg: c, f32: binaryCrossentropy[float32], f64: binaryCrossentropy[float64]}
}

func binaryCrossentropy[T float](yt, yp []T, g geom, c *config) (float64, error) {
	s := c.labelSmoothing
	if c.fromLogits {
		return outputMean(yt, yp, g, func(t, x float64) float64 {
			t = t*(1-s) + 0.5*s
			return math.Max(x, 0) - x*t + math.Log1p(math.Exp(-math.Abs(x)))
		}), nil
	}
	return outputMean(yt, yp, g, func(t, p float64) float64 {
		t = t*(1-s) + 0.5*s
		p = clip(p)
		return -(t*math.Log(p) + (1-t)*math.Log(1-p))
	}), nil
}

// checkSmoothing panics on a label smoothing outside [0, 1]: a
// constructor's literal mistake.
func checkSmoothing(ctor string, s float64) {
	if !(s >= 0 && s <= 1) {
		panic(fmt.Sprintf("metrics.%s: label smoothing must be in [0, 1], got %v", ctor, s))
	}
}

// CategoricalCrossentropy is the mean over samples of
// -sum(yTrue * log(yPred)), with each row of yPred scaled to sum to 1 and
// clipped to [1e-7, 1-1e-7] as Keras's; with FromLogits(true) log(yPred)
// is the log-softmax of the logits, shifted by the row's maximum so that
// it is finite for any logits. Options: FromLogits (default false),
// LabelSmoothing (default 0; targets become t*(1-s) + s/classes).
// Default name "categorical_crossentropy".
func CategoricalCrossentropy(opts ...Option) Metric {
	c := newConfig("categorical_crossentropy", opts)
	checkSmoothing("CategoricalCrossentropy", c.labelSmoothing)
	return &meanMetric{cfg: c, f32: categoricalCrossentropy[float32], f64: categoricalCrossentropy[float64]}
}

func categoricalCrossentropy[T float](yt, yp []T, g geom, c *config) (float64, error) {
	var sum float64
	s := c.labelSmoothing
	for r := range g.rows {
		row := yp[r*g.cols : (r+1)*g.cols]
		n := normOf(row, c.fromLogits)
		for j := range row {
			t := float64(yt[r*g.cols+j])*(1-s) + s/float64(g.cols)
			if t != 0 {
				sum -= t * n.logProb(float64(row[j]))
			}
		}
	}
	return sum, nil
}

// rowNorm turns a row's values into log-probabilities: probabilities
// divided by their sum and clipped, or logits through a log-softmax
// shifted by the row's maximum, finite for any logits.
type rowNorm struct {
	logits   bool
	shift, z float64 // logits: the maximum and log(sum(exp(x - max))); else the sum
}

func normOf[T float](row []T, fromLogits bool) rowNorm {
	if !fromLogits {
		return rowNorm{z: rowSum(row)}
	}
	m := math.Inf(-1)
	for _, x := range row {
		m = math.Max(m, float64(x))
	}
	var z float64
	for _, x := range row {
		z += math.Exp(float64(x) - m)
	}
	return rowNorm{logits: true, shift: m, z: math.Log(z)}
}

func (n rowNorm) logProb(x float64) float64 {
	if n.logits {
		return x - n.shift - n.z
	}
	return math.Log(clip(x / n.z))
}

// SparseCategoricalCrossentropy is CategoricalCrossentropy with integer
// labels (without label smoothing, which Keras's sparse metric does not
// take). Option: FromLogits (default false). Default name
// "sparse_categorical_crossentropy".
func SparseCategoricalCrossentropy(opts ...Option) Metric {
	c := newConfig("sparse_categorical_crossentropy", opts)
	return &meanMetric{cfg: c, sparse: true, f32: sparseCategoricalCrossentropy[float32], f64: sparseCategoricalCrossentropy[float64]}
}

func sparseCategoricalCrossentropy[T float](yt, yp []T, g geom, c *config) (float64, error) {
	var sum float64
	for r := range g.rows {
		l, err := label(yt[r], r, g.cols)
		if err != nil {
			return 0, err
		}
		row := yp[r*g.cols : (r+1)*g.cols]
		sum -= normOf(row, c.fromLogits).logProb(float64(row[l]))
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
