package metrics

import (
	"fmt"

	"gorgonia.org/tensor"
)

// Precision is tp / (tp + fp) over every output since Reset, where a
// prediction above Threshold (default 0.5) is positive and a non-zero
// label is positive. It is 0 while nothing was predicted positive, as
// Keras's divide_no_nan. Default name "precision". It panics on a
// threshold outside [0, 1].
func Precision(opts ...Option) Metric {
	return newConfusion("precision", "Precision", false, opts)
}

// Recall is tp / (tp + fn) over every output since Reset, counted as in
// Precision. Default name "recall". It panics on a threshold outside
// [0, 1].
func Recall(opts ...Option) Metric {
	return newConfusion("recall", "Recall", true, opts)
}

func newConfusion(name, ctor string, recall bool, opts []Option) Metric {
	c := newConfig(name, opts)
	if !(c.threshold >= 0 && c.threshold <= 1) {
		panic(fmt.Sprintf("metrics.%s: threshold must be in [0, 1], got %v", ctor, c.threshold))
	}
	return &confusion{cfg: c, recall: recall}
}

type confusion struct {
	cfg        config
	recall     bool
	tp, fp, fn float64
}

func (m *confusion) Name() string { return m.cfg.name }

func (m *confusion) Reset() { m.tp, m.fp, m.fn = 0, 0, 0 }

func (m *confusion) Update(yTrue, yPred *tensor.Dense) error {
	if _, err := check(m.cfg.name, yTrue, yPred, false); err != nil {
		return err
	}
	var tp, fp, fn int
	if yPred.Dtype() == tensor.Float32 {
		yt, yp, err := floats32(m.cfg.name, yTrue, yPred)
		if err != nil {
			return err
		}
		tp, fp, fn = countConfusion(yt, yp, m.cfg.threshold)
	} else {
		yt, yp, err := floats64(m.cfg.name, yTrue, yPred)
		if err != nil {
			return err
		}
		tp, fp, fn = countConfusion(yt, yp, m.cfg.threshold)
	}
	m.tp += float64(tp)
	m.fp += float64(fp)
	m.fn += float64(fn)
	return nil
}

func countConfusion[T float](yt, yp []T, threshold float64) (tp, fp, fn int) {
	thr := T(threshold)
	for i, p := range yp {
		pos := p > thr
		switch {
		case yt[i] != 0 && pos:
			tp++
		case yt[i] != 0:
			fn++
		case pos:
			fp++
		}
	}
	return tp, fp, fn
}

func (m *confusion) Result() float64 {
	d := m.tp + m.fp
	if m.recall {
		d = m.tp + m.fn
	}
	if d == 0 {
		return 0
	}
	return m.tp / d
}
