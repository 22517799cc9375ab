package keras

import (
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/metrics"
	"github.com/gokeras/keras/optimizers"
	"gorgonia.org/tensor"
)

// Compile sets the optimizer, the loss and the options Metrics, Seed and
// DType, as Keras's model.compile. Compiling again keeps the weights
// (unless a new Seed is given to a model whose weights were never set or
// trained) and resets the optimizer's graphs.
func (m *Model) Compile(opt optimizers.Optimizer, loss losses.Loss, opts ...Option) (err error) {
	defer recoverTo(&err, "Compile")
	if opt == nil {
		return errors.New("keras: Compile: optimizer is nil (try optimizers.SGD())")
	}
	if loss == nil {
		return errors.New("keras: Compile: loss is nil (try losses.MeanSquaredError())")
	}
	s := newSettings(opts)
	for i, mt := range s.metrics {
		switch v := mt.(type) {
		case string:
			if _, err := metrics.Get(v, loss.Name(), 2); err != nil {
				return fmt.Errorf("keras: Compile: %w", err)
			}
		case metrics.Metric:
			if v == nil {
				return fmt.Errorf("keras: Compile: metric %d is nil", i)
			}
		default:
			return fmt.Errorf("keras: Compile: metric %d is a %T; give a Keras name or a metrics.Metric", i, mt)
		}
	}
	if s.dtype.Type != nil && s.dtype != m.dtype {
		if s.dtype != tensor.Float32 && s.dtype != tensor.Float64 {
			return fmt.Errorf("keras: Compile: unsupported dtype %v (use tensor.Float32 or tensor.Float64)", s.dtype)
		}
		m.convertWeights(s.dtype)
	}
	if s.seed != nil {
		m.seed = *s.seed
		if m.inShape != nil && !m.userSet {
			if err := m.redraw(); err != nil {
				return err
			}
		}
	}
	m.opt, m.loss, m.metricSet = opt, loss, s.metrics
	sp, ok := loss.(losses.Sparse)
	m.sparse = ok && sp.SparseTargets()
	m.metrics = nil
	m.pcg = rand.NewPCG(uint64(m.seed), 0x6b657261735f6669)
	m.rng = rand.New(m.pcg)
	m.dropPrograms()
	m.trainedSet = nil
	m.compiled = true
	return nil
}

// convertWeights changes the model's float type, keeping the numbers.
func (m *Model) convertWeights(dt tensor.Dtype) {
	for _, w := range m.weights {
		w.Value = newDense(dt, w.Shape, float64s(w.Value))
	}
	m.dtype = dt
	m.dropPrograms()
}

// float64s returns a float32 or float64 tensor's values as float64.
func float64s(t *tensor.Dense) []float64 {
	switch v := t.Data().(type) {
	case []float64:
		return v
	case []float32:
		out := make([]float64, len(v))
		for i, x := range v {
			out[i] = float64(x)
		}
		return out
	}
	return nil
}

// resolveMetrics builds the metrics once the output shape is known.
func (m *Model) resolveMetrics() error {
	if m.metrics != nil || len(m.metricSet) == 0 {
		return nil
	}
	out := m.outShape()
	for _, v := range m.metricSet {
		mt, ok := v.(metrics.Metric)
		if name, isName := v.(string); isName {
			var err error
			if mt, err = metrics.Get(name, m.loss.Name(), out[len(out)-1]); err != nil {
				return err
			}
		} else if !ok {
			return fmt.Errorf("keras: metric %v is neither a name nor a metrics.Metric", v)
		}
		m.metrics = append(m.metrics, mt)
	}
	return nil
}
