package metrics

import (
	"fmt"
	"math"

	"gorgonia.org/tensor"
)

// R2Score is the coefficient of determination, 1 - SS_res/SS_tot, of
// each output over every sample since Reset (from accumulated sums, not
// a mean of batch scores), combined over the outputs as Keras's R2Score:
// by ClassAggregation (default "uniform_average", the mean of the
// outputs' scores; or "variance_weighted_average"), adjusted for
// NumRegressors (default 0) when that leaves at least one degree of
// freedom. An output whose targets do not vary and are not predicted
// exactly scores 0, as Keras maps its -Inf to 0; it is 0 before any
// sample. yPred is (batch, outputs) or (batch,). Default name
// "r2_score". It panics on an unknown aggregation or a negative number
// of regressors, as Keras refuses them.
func R2Score(opts ...Option) Metric {
	c := newConfig("r2_score", opts)
	if c.aggregation != "uniform_average" && c.aggregation != "variance_weighted_average" {
		panic(fmt.Sprintf("metrics.R2Score: class aggregation must be \"uniform_average\" or \"variance_weighted_average\", got %q", c.aggregation))
	}
	if c.numRegressors < 0 {
		panic(fmt.Sprintf("metrics.R2Score: number of regressors must not be negative, got %d", c.numRegressors))
	}
	return &r2Score{cfg: c}
}

type r2Score struct {
	cfg config
	// Per output: sum of targets, of their squares, of squared
	// residuals, and the count.
	sum, squares, residual []float64
	count, samples         float64
}

func (m *r2Score) Name() string { return m.cfg.name }

func (m *r2Score) Reset() {
	m.sum, m.squares, m.residual = nil, nil, nil
	m.count, m.samples = 0, 0
}

func (m *r2Score) Update(yTrue, yPred *tensor.Dense) error {
	g, err := check(m.cfg.name, yTrue, yPred, false)
	if err != nil {
		return err
	}
	if yPred.Dims() > 2 {
		return fmt.Errorf("%s: %w: y_pred has shape %v, want (batch, outputs) or (batch,)", m.cfg.name, ErrShape, yPred.Shape())
	}
	if m.sum != nil && len(m.sum) != g.cols {
		return fmt.Errorf("%s: %w: y_pred has %d outputs, earlier batches had %d", m.cfg.name, ErrShape, g.cols, len(m.sum))
	}
	if m.sum == nil {
		m.sum, m.squares, m.residual = make([]float64, g.cols), make([]float64, g.cols), make([]float64, g.cols)
	}
	if yPred.Dtype() == tensor.Float32 {
		yt, yp, err := floats32(m.cfg.name, yTrue, yPred)
		if err != nil {
			return err
		}
		accumulateR2(m, yt, yp, g)
	} else {
		yt, yp, err := floats64(m.cfg.name, yTrue, yPred)
		if err != nil {
			return err
		}
		accumulateR2(m, yt, yp, g)
	}
	m.count += float64(g.rows)
	m.samples += float64(g.rows)
	return nil
}

func accumulateR2[T float](m *r2Score, yt, yp []T, g geom) {
	for r := range g.rows {
		for j := range g.cols {
			t, p := float64(yt[r*g.cols+j]), float64(yp[r*g.cols+j])
			m.sum[j] += t
			m.squares[j] += t * t
			m.residual[j] += (t - p) * (t - p)
		}
	}
}

// Values is the score of each output.
func (m *r2Score) Values() []float64 {
	out := make([]float64, len(m.sum))
	for j := range out {
		out[j] = m.raw(j)
	}
	return out
}

func (m *r2Score) total(j int) float64 { return m.squares[j] - m.sum[j]*(m.sum[j]/m.count) }

func (m *r2Score) raw(j int) float64 {
	s := 1 - m.residual[j]/m.total(j)
	if math.IsInf(s, 0) {
		return 0
	}
	return s
}

func (m *r2Score) Result() float64 {
	if m.count == 0 {
		return 0
	}
	var r2 float64
	if m.cfg.aggregation == "variance_weighted_average" {
		var ws, w float64
		for j := range m.sum {
			ws += m.total(j) * m.raw(j)
			w += m.total(j)
		}
		r2 = ws / w
	} else {
		for j := range m.sum {
			r2 += m.raw(j)
		}
		r2 /= float64(len(m.sum))
	}
	if p, n := float64(m.cfg.numRegressors), m.samples; p != 0 && p < n-1 {
		r2 = 1 - (1-r2)*(n-1)/(n-p-1)
	}
	return r2
}
