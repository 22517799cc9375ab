package metrics

import (
	"fmt"
	"math"

	"gorgonia.org/tensor"
)

// Vector is implemented by metrics whose Keras result is one figure per
// class or output: F1Score and FBetaScore without an average, and
// R2Score (the score of each output). Result is then the unweighted
// mean of Values, since a logged figure is one number.
type Vector interface {
	Metric
	// Values is the figure of each class (or output), since Reset.
	Values() []float64
}

// FBetaScore is the F-beta score, (1+b²)*P*R / (b²*P + R), of precision
// P and recall R counted over every sample since Reset, as Keras's
// FBetaScore. yPred is (batch, classes), yTrue the same shape (one-hot,
// or several labels a sample). A prediction counts as positive above
// Threshold or, by default, when it is its sample's largest (and not
// 0). Options: Beta (default 1.0), Average (default "": one score per
// class, see Vector; "micro", "macro", "weighted"), Threshold (default
// none; it must lie in (0, 1]). Keras adds 1e-7 to each denominator,
// and so does this. Default name "fbeta_score". It panics on a beta
// that is not positive, an unknown average or a threshold outside
// (0, 1], as Keras refuses them.
func FBetaScore(opts ...Option) Metric { return newFScore("fbeta_score", "FBetaScore", opts) }

// F1Score is FBetaScore with beta 1: the harmonic mean of precision
// and recall. Default name "f1_score".
func F1Score(opts ...Option) Metric {
	return newFScore("f1_score", "F1Score", append(opts[:len(opts):len(opts)], Beta(1)))
}

func newFScore(name, ctor string, opts []Option) Metric {
	c := newConfig(name, opts)
	switch c.average {
	case "", "micro", "macro", "weighted":
	default:
		panic(fmt.Sprintf("metrics.%s: average must be \"\" (none), \"micro\", \"macro\" or \"weighted\", got %q", ctor, c.average))
	}
	if !(c.beta > 0) {
		panic(fmt.Sprintf("metrics.%s: beta must be positive, got %v", ctor, c.beta))
	}
	if c.thresholdSet && !(c.threshold > 0 && c.threshold <= 1) {
		panic(fmt.Sprintf("metrics.%s: threshold must be in (0, 1], got %v", ctor, c.threshold))
	}
	return &fScore{cfg: c}
}

type fScore struct {
	cfg config
	// Per class (one entry for "micro"): true positives, false
	// positives, false negatives and true labels.
	tp, fp, fn, support []float64
	classes             int
}

func (m *fScore) Name() string { return m.cfg.name }

func (m *fScore) Reset() { m.tp, m.fp, m.fn, m.support, m.classes = nil, nil, nil, nil, 0 }

func (m *fScore) Update(yTrue, yPred *tensor.Dense) error {
	g, err := check(m.cfg.name, yTrue, yPred, false)
	if err != nil {
		return err
	}
	if yPred.Dims() != 2 || yTrue.Dims() != 2 {
		return fmt.Errorf("%s: %w: y_true has shape %v and y_pred %v, want both (batch, classes)", m.cfg.name, ErrShape, yTrue.Shape(), yPred.Shape())
	}
	if m.classes != 0 && m.classes != g.cols {
		return fmt.Errorf("%s: %w: y_pred has %d classes, earlier batches had %d", m.cfg.name, ErrShape, g.cols, m.classes)
	}
	if m.classes == 0 {
		m.classes = g.cols
		n := g.cols
		if m.cfg.average == "micro" {
			n = 1
		}
		m.tp, m.fp, m.fn, m.support = make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	}
	if yPred.Dtype() == tensor.Float32 {
		yt, yp, err := floats32(m.cfg.name, yTrue, yPred)
		if err != nil {
			return err
		}
		accumulateF(m, yt, yp, g)
	} else {
		yt, yp, err := floats64(m.cfg.name, yTrue, yPred)
		if err != nil {
			return err
		}
		accumulateF(m, yt, yp, g)
	}
	return nil
}

func accumulateF[T float](m *fScore, yt, yp []T, g geom) {
	for r := range g.rows {
		row := yp[r*g.cols : (r+1)*g.cols]
		best := math.Inf(-1)
		if !m.cfg.thresholdSet {
			for _, p := range row {
				best = math.Max(best, float64(p))
			}
		}
		for j, pv := range row {
			p := float64(pv)
			var pos float64
			if m.cfg.thresholdSet {
				// In the tensor's dtype, as Keras compares: float32(0.3)
				// is above the float64 0.3.
				if pv > T(m.cfg.threshold) {
					pos = 1
				}
			} else if p >= best && math.Abs(p) > 1e-9 {
				pos = 1
			}
			t := float64(yt[r*g.cols+j])
			k := j
			if m.cfg.average == "micro" {
				k = 0
			}
			m.tp[k] += pos * t
			m.fp[k] += pos * (1 - t)
			m.fn[k] += (1 - pos) * t
			m.support[k] += t
		}
	}
}

// Values is the score of each class (one value for "micro").
func (m *fScore) Values() []float64 {
	out := make([]float64, len(m.tp))
	b2 := m.cfg.beta * m.cfg.beta
	for k := range out {
		p := m.tp[k] / (m.tp[k] + m.fp[k] + epsilon)
		r := m.tp[k] / (m.tp[k] + m.fn[k] + epsilon)
		out[k] = (1 + b2) * (p * r / (b2*p + r + epsilon))
	}
	return out
}

func (m *fScore) Result() float64 {
	if len(m.tp) == 0 {
		return 0
	}
	v := m.Values()
	if m.cfg.average == "weighted" {
		var total float64
		for _, w := range m.support {
			total += w
		}
		var s float64
		for k, f := range v {
			s += f * (m.support[k] / (total + epsilon))
		}
		return s
	}
	var s float64
	for _, f := range v {
		s += f
	}
	return s / float64(len(v))
}
