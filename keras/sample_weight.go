package keras

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/gokeras/keras/internal/graphx"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/metrics"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// weightedLoss adds a sample-weight input of shape (batch,) to g and the
// loss Keras reduces with it: sum(w × per-sample loss) / batch
// ("sum_over_batch_size"; a weight of 0 still counts in the batch size).
func (m *Model) weightedLoss(g *G.ExprGraph, yTrue, yPred *G.Node, batch int) (*tensor.Dense, *G.Node, error) {
	ps, ok := m.loss.(losses.PerSampleLoss)
	if !ok {
		return nil, nil, fmt.Errorf("the loss has no per-sample form (losses.PerSampleLoss), so samples cannot be weighted")
	}
	per, err := ps.PerSample(yTrue, yPred)
	if err != nil {
		return nil, nil, err
	}
	if per.Dims() != 1 || per.Shape()[0] != batch {
		return nil, nil, fmt.Errorf("PerSample returned shape %v, expected (%d,)", per.Shape(), batch)
	}
	w, wNode := m.input(g, "sample_weight", []int{batch})
	e := graphx.New(m.dtype)
	loss, err := e.Result(e.Div(e.Sum(e.Mul(wNode, per)), e.Scalar(float64(batch))))
	return w, loss, err
}

// gatherWeights copies the weights of the samples idx into dst, the
// weight input of a graph, and returns them as float64 for the metrics.
// A nil w (a batch without weights in a weighted graph) weighs 1.
func gatherWeights(dst *tensor.Dense, w []float64, idx []int) []float64 {
	out := make([]float64, len(idx))
	for k, i := range idx {
		out[k] = 1
		if w != nil {
			out[k] = w[i]
		}
	}
	switch d := dst.Data().(type) {
	case []float32:
		for k, v := range out {
			d[k] = float32(v)
		}
	case []float64:
		copy(d, out)
	}
	return out
}

// sampleWeights checks a user's sample weights for n samples: shape
// (n,) or (n, 1), finite and non-negative.
func sampleWeights(t tensor.Tensor, n int, what string) ([]float64, error) {
	a, err := toArray(t, tensor.Float64, what)
	if err != nil {
		return nil, err
	}
	if a.rowSize() != 1 || len(a.shape) > 2 {
		return nil, fmt.Errorf("keras: %s must have shape (%d,) or (%d, 1), got %s", what, n, n, shapeString(a.shape))
	}
	if a.samples() != n {
		return nil, fmt.Errorf("keras: %s has %d weights but x has %d samples", what, a.samples(), n)
	}
	for i, v := range a.f64 {
		if v < 0 {
			return nil, fmt.Errorf("keras: %s of sample %d is %v; weights must not be negative", what, i, v)
		}
	}
	return a.f64, nil
}

// classCount is the number of classes the model's output tells apart:
// its last axis, or 2 (0 and 1) for a single output.
func (m *Model) classCount() int {
	out := m.outShape()
	if c := out[len(out)-1]; c > 1 {
		return c
	}
	return 2
}

// checkClassWeight refuses class weights for classes the model does not
// have, and negative or non-finite weights.
func (m *Model) checkClassWeight(cw map[int]float64) error {
	if len(cw) == 0 {
		return errors.New("keras: class_weight is empty")
	}
	classes := m.classCount()
	keys := slices.Sorted(func(yield func(int) bool) {
		for k := range cw {
			if !yield(k) {
				return
			}
		}
	})
	for _, k := range keys {
		v := cw[k]
		if k < 0 || k >= classes {
			return fmt.Errorf("keras: class_weight has class %d, but the output of %s has classes 0 to %d", k, m.lastLayer().Name(), classes-1)
		}
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return fmt.Errorf("keras: class_weight of class %d is %v; weights must be finite and not negative", k, v)
		}
	}
	return nil
}

// classWeights returns each sample's class weight, as Keras's
// class_weight_to_sample_weights: the class is the sparse label, the
// argmax of a one-hot row, or the rounded single output; a class
// missing from cw weighs 1.
func (m *Model) classWeights(cw map[int]float64, ya *array) []float64 {
	n, r := ya.samples(), ya.rowSize()
	w := make([]float64, n)
	for i := range n {
		var c int
		switch {
		case m.sparse || r == 1:
			c = int(math.Round(ya.value(i)))
		default:
			best := math.Inf(-1)
			for j := range r {
				if v := ya.value(i*r + j); v > best {
					best, c = v, j
				}
			}
		}
		w[i] = 1
		if v, ok := cw[c]; ok {
			w[i] = v
		}
	}
	return w
}

// WeightedMetrics adds metrics, by Keras name, that are weighted by the
// sample and class weights of training (Compile), as Keras's
// compile(weighted_metrics=[...]): each is the weighted mean of its
// per-sample values, sum(w × value) / sum(w); without weights it is the
// plain mean. A weighted metric is logged under its name, or as
// "weighted_<name>" when Metrics has a metric of that name, as Keras
// names them. Supported: the metrics that are a mean over samples
// (accuracies, cross-entropies, mse, mae, mape, msle, hinges, poisson,
// kl_divergence, log_cosh_error, cosine_similarity) and
// root_mean_squared_error; any other name is an error from Fit and
// Evaluate.
func WeightedMetrics(names ...string) Option {
	return func(s *settings) {
		for _, n := range names {
			s.metrics = append(s.metrics, &weightedMetric{name: n, logName: n})
		}
	}
}

// weightedMetric is a metric of WeightedMetrics. It rides in the
// compiled metric list as a metrics.Metric and is bound to the loss and
// output by bindWeightedMetrics before each Fit or Evaluate.
type weightedMetric struct {
	name, logName string
	inner         metrics.Metric // resolved from name; computes one sample's value
	root          bool           // root_mean_squared_error: the root of the weighted mean square
	num, den      float64
}

// meanMetrics are the Keras metrics that are a mean over samples of a
// per-sample value, so that weighting them is a weighted mean.
var meanMetrics = []string{
	"accuracy", "acc", "crossentropy", "ce",
	"binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
	"top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy",
	"mean_squared_error", "mse", "mean_absolute_error", "mae",
	"mean_absolute_percentage_error", "mape", "mean_squared_logarithmic_error", "msle",
	"log_cosh_error", "logcosh", "cosine_similarity", "hinge", "squared_hinge",
	"categorical_hinge", "poisson", "kl_divergence", "kld",
	"binary_crossentropy", "bce", "categorical_crossentropy", "sparse_categorical_crossentropy",
}

// bindWeightedMetrics resolves the weighted metrics against the loss and
// the output, and names them as Keras does.
func (m *Model) bindWeightedMetrics() error {
	plain := map[string]bool{}
	for _, mt := range m.metrics {
		if _, ok := mt.(*weightedMetric); !ok {
			plain[mt.Name()] = true
		}
	}
	out := m.outShape()
	for _, mt := range m.metrics {
		wm, ok := mt.(*weightedMetric)
		if !ok {
			continue
		}
		inner, err := metrics.Get(wm.name, m.loss.Name(), out[len(out)-1])
		if err != nil {
			return fmt.Errorf("keras: weighted metric: %w", err)
		}
		switch {
		case slices.Contains(meanMetrics, strings.ToLower(wm.name)) || slices.Contains(meanMetrics, wm.name):
			wm.root = false
		case wm.name == "root_mean_squared_error" || wm.name == "rmse":
			wm.root = true
		default:
			return fmt.Errorf("keras: weighted metric %q: only metrics that are a mean over samples can be weighted here (%s, root_mean_squared_error)", wm.name, strings.Join(meanMetrics, ", "))
		}
		wm.inner = inner
		wm.logName = wm.name
		if plain[wm.name] {
			wm.logName = "weighted_" + wm.name
		}
	}
	return nil
}

// Name is the key the metric is logged under.
func (wm *weightedMetric) Name() string { return wm.logName }

// Reset forgets every batch seen.
func (wm *weightedMetric) Reset() { wm.num, wm.den = 0, 0 }

// Update adds an unweighted batch.
func (wm *weightedMetric) Update(yTrue, yPred *tensor.Dense) error {
	return wm.update(yTrue, yPred, nil)
}

// Result is the weighted mean over every sample since Reset (0 when the
// weights sum to 0, as Keras's divide_no_nan).
func (wm *weightedMetric) Result() float64 {
	if wm.den == 0 {
		return 0
	}
	r := wm.num / wm.den
	if wm.root {
		return math.Sqrt(r)
	}
	return r
}

// update adds a batch with per-sample weights w (nil: all 1): each
// sample's value is the inner metric's result on that sample alone.
func (wm *weightedMetric) update(yTrue, yPred *tensor.Dense, w []float64) error {
	if wm.inner == nil {
		return fmt.Errorf("keras: weighted metric %q used before Fit or Evaluate bound it", wm.name)
	}
	n := yPred.Shape()[0]
	for i := range n {
		wi := 1.0
		if w != nil {
			wi = w[i]
		}
		if wi == 0 {
			continue
		}
		wm.inner.Reset()
		if err := wm.inner.Update(row(yTrue, i), row(yPred, i)); err != nil {
			return err
		}
		v := wm.inner.Result()
		if wm.root {
			v *= v
		}
		wm.num += wi * v
		wm.den += wi
	}
	return nil
}

// row is sample i of t as a batch of one, sharing t's memory.
func row(t *tensor.Dense, i int) *tensor.Dense {
	s := t.Shape()
	shape := append([]int{1}, s[1:]...)
	r := numel(s[1:])
	switch d := t.Data().(type) {
	case []float32:
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(d[i*r:(i+1)*r]))
	case []float64:
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(d[i*r:(i+1)*r]))
	}
	return t
}
