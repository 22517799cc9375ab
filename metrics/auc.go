package metrics

import (
	"fmt"
	"math"

	"gorgonia.org/tensor"
)

// AUC is the area under the ROC curve of every output since Reset, as
// Keras's AUC with its defaults (curve "ROC", summation_method
// "interpolation", multi_label false): predictions, clipped to [0, 1],
// are counted against NumThresholds (default 200) thresholds
// -1e-7, 1/(n-1), ..., (n-2)/(n-1), 1+1e-7 (positive when strictly
// above), a non-zero label is positive, and the curve through the
// (false positive rate, true positive rate) points is summed with the
// trapezoid rule. Outputs of several columns are flattened into one
// label each. Default name "auc". It panics on NumThresholds below 2.
func AUC(opts ...Option) Metric {
	c := newConfig("auc", opts)
	if c.numThresholds < 2 {
		panic(fmt.Sprintf("metrics.AUC: num_thresholds must be above 1, got %d", c.numThresholds))
	}
	return &auc{cfg: c, pos: make([]float64, c.numThresholds), neg: make([]float64, c.numThresholds)}
}

// auc keeps, per bucket, how many positive and negative labels had their
// prediction land there; tp and fp at threshold i are the counts of
// buckets i and above, as Keras's evenly-spaced-thresholds fast path.
type auc struct {
	cfg      config
	pos, neg []float64
}

func (m *auc) Name() string { return m.cfg.name }

func (m *auc) Reset() {
	clear(m.pos)
	clear(m.neg)
}

func (m *auc) Update(yTrue, yPred *tensor.Dense) error {
	if _, err := check(m.cfg.name, yTrue, yPred, false); err != nil {
		return err
	}
	if yPred.Dtype() == tensor.Float32 {
		yt, yp, err := floats32(m.cfg.name, yTrue, yPred)
		if err != nil {
			return err
		}
		bucketize(yt, yp, m.pos, m.neg)
	} else {
		yt, yp, err := floats64(m.cfg.name, yTrue, yPred)
		if err != nil {
			return err
		}
		bucketize(yt, yp, m.pos, m.neg)
	}
	return nil
}

// bucketize adds each prediction to bucket ceil(p*(n-1))-1, floored at 0:
// the highest threshold index p is strictly above. The product is taken
// in the tensor's own precision, as Keras does, so that a float32
// prediction on a threshold lands where Keras puts it.
func bucketize[T float](yt, yp []T, pos, neg []float64) {
	scale := T(len(pos) - 1)
	for i, p := range yp {
		if !(p > 0) { // also NaN, which Keras leaves undefined
			p = 0
		} else if p > 1 {
			p = 1
		}
		b := max(int(math.Ceil(float64(p*scale)))-1, 0)
		if yt[i] != 0 {
			pos[b]++
		} else {
			neg[b]++
		}
	}
}

func (m *auc) Result() float64 {
	var totalPos, totalNeg float64
	for i := range m.pos {
		totalPos += m.pos[i]
		totalNeg += m.neg[i]
	}
	// Walk the thresholds from the highest down, keeping the cumulative
	// counts of buckets above: the rates at threshold i and i+1.
	var tp, fp, area float64
	prevX, prevY := 0.0, 0.0 // at the top threshold, 1+1e-7, nothing is above
	for i := len(m.pos) - 1; i >= 0; i-- {
		tp += m.pos[i]
		fp += m.neg[i]
		x, y := ratio(fp, totalNeg), ratio(tp, totalPos)
		if i < len(m.pos)-1 {
			area += (x - prevX) * (y + prevY) / 2
		}
		prevX, prevY = x, y
	}
	return area
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}
