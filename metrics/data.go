package metrics

import (
	"fmt"
	"math"
	"slices"

	"gorgonia.org/tensor"
)

// float is the element type of the tensors a metric reads.
type float interface{ ~float32 | ~float64 }

// geom is yPred seen as rows samples of cols outputs: (batch,) is
// (batch, 1), and leading axes beyond the first fold into rows, as Keras
// reduces over the last axis only.
type geom struct{ rows, cols int }

// check validates the dtypes and shapes of a batch. For a dense metric
// yTrue has yPred's shape, up to a trailing axis of 1 on either side
// (Keras's squeeze_or_expand_to_same_rank); for a sparse metric it holds
// one class index a sample: (batch,) or (batch, 1).
func check(name string, yTrue, yPred *tensor.Dense, sparse bool) (geom, error) {
	if yTrue == nil || yPred == nil {
		return geom{}, fmt.Errorf("%s: %w: nil tensor (y_true %v, y_pred %v)", name, ErrShape, yTrue == nil, yPred == nil)
	}
	dt, dp := yTrue.Dtype(), yPred.Dtype()
	if (dp != tensor.Float32 && dp != tensor.Float64) || dt != dp {
		return geom{}, fmt.Errorf("%s: %w: y_true is %v and y_pred is %v, want both float32 or both float64", name, ErrDtype, dt, dp)
	}
	ps, ts := yPred.Shape(), yTrue.Shape()
	if len(ps) == 0 || ps.TotalSize() == 0 {
		return geom{}, fmt.Errorf("%s: %w: y_pred has shape %v, want (batch, outputs) or (batch,)", name, ErrShape, ps)
	}
	g := geom{cols: 1}
	if len(ps) >= 2 {
		g.cols = ps[len(ps)-1]
	}
	g.rows = ps.TotalSize() / g.cols
	if sparse {
		lead := ps
		if len(ps) >= 2 {
			lead = ps[:len(ps)-1]
		}
		if !sameUpToTrailingOne(ts, lead) {
			return geom{}, fmt.Errorf("%s: %w: y_true has shape %v and y_pred %v, want class indices of shape %v or %v",
				name, ErrShape, ts, ps, lead, append(slices.Clone(lead), 1))
		}
		return g, nil
	}
	if !sameUpToTrailingOne(ts, ps) {
		return geom{}, fmt.Errorf("%s: %w: y_true has shape %v and y_pred %v, want the same shape", name, ErrShape, ts, ps)
	}
	return g, nil
}

// sameUpToTrailingOne reports whether a and b are equal, or equal once
// the longer drops a trailing axis of length 1.
func sameUpToTrailingOne(a, b tensor.Shape) bool {
	switch len(a) - len(b) {
	case 0:
		return slices.Equal(a, b)
	case 1:
		return a[len(a)-1] == 1 && slices.Equal(a[:len(b)], b)
	case -1:
		return b[len(b)-1] == 1 && slices.Equal(b[:len(a)], a)
	}
	return false
}

// contiguous returns t, or a row-major copy of it when t is a view that
// cannot be read as one slice (a transpose or a strided slice).
func contiguous(t *tensor.Dense) *tensor.Dense {
	if t.RequiresIterator() {
		if m, ok := t.Materialize().(*tensor.Dense); ok {
			return m
		}
	}
	return t
}

// floats32 and floats64 return the elements of yTrue and yPred in
// row-major order, in place: the tensors' Float32s and Float64s read the
// backing array without the allocation of Data's interface value.
func floats32(name string, yTrue, yPred *tensor.Dense) ([]float32, []float32, error) {
	yTrue, yPred = contiguous(yTrue), contiguous(yPred)
	return sized(name, yTrue.Float32s(), yPred.Float32s(), yTrue, yPred)
}

func floats64(name string, yTrue, yPred *tensor.Dense) ([]float64, []float64, error) {
	yTrue, yPred = contiguous(yTrue), contiguous(yPred)
	return sized(name, yTrue.Float64s(), yPred.Float64s(), yTrue, yPred)
}

func sized[T float](name string, yt, yp []T, yTrue, yPred *tensor.Dense) ([]T, []T, error) {
	nt, np := yTrue.Shape().TotalSize(), yPred.Shape().TotalSize()
	if len(yt) < nt || len(yp) < np {
		return nil, nil, fmt.Errorf("%s: %w: backing arrays hold %d and %d values for shapes %v and %v",
			name, ErrShape, len(yt), len(yp), yTrue.Shape(), yPred.Shape())
	}
	return yt[:nt], yp[:np], nil
}

// label reads a sparse label and checks it names one of cols classes.
func label[T float](v T, i, cols int) (int, error) {
	f := float64(v)
	if f != math.Trunc(f) {
		return 0, fmt.Errorf("%w: label %v of sample %d is not an integer class index", ErrLabel, f, i)
	}
	if f < 0 || f >= float64(cols) {
		return 0, fmt.Errorf("%w: label %v of sample %d is out of range [0, %d)", ErrLabel, f, i, cols)
	}
	return int(f), nil
}

// batchFunc returns the sum over the batch's samples of each sample's
// figure.
type batchFunc[T float] func(yTrue, yPred []T, g geom, c *config) (float64, error)

// meanMetric is a Keras MeanMetricWrapper: the mean over every sample
// since Reset of a figure computed per sample.
type meanMetric struct {
	cfg          config
	sparse       bool
	f32          batchFunc[float32]
	f64          batchFunc[float64]
	total, count float64
	sqrt         bool
}

func (m *meanMetric) Name() string { return m.cfg.name }

func (m *meanMetric) Reset() { m.total, m.count = 0, 0 }

func (m *meanMetric) Update(yTrue, yPred *tensor.Dense) error {
	g, err := check(m.cfg.name, yTrue, yPred, m.sparse)
	if err != nil {
		return err
	}
	var sum float64
	if yPred.Dtype() == tensor.Float32 {
		sum, err = meanOf(m.cfg.name, yTrue, yPred, floats32, m.f32, g, &m.cfg)
	} else {
		sum, err = meanOf(m.cfg.name, yTrue, yPred, floats64, m.f64, g, &m.cfg)
	}
	if err != nil {
		return err
	}
	m.total += sum
	m.count += float64(g.rows)
	return nil
}

func meanOf[T float](name string, yTrue, yPred *tensor.Dense,
	read func(string, *tensor.Dense, *tensor.Dense) ([]T, []T, error),
	f batchFunc[T], g geom, c *config) (float64, error) {
	yt, yp, err := read(name, yTrue, yPred)
	if err != nil {
		return 0, err
	}
	sum, err := f(yt, yp, g, c)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	return sum, nil
}

// Result is 0 before any sample, as Keras's divide_no_nan.
func (m *meanMetric) Result() float64 {
	if m.count == 0 {
		return 0
	}
	r := m.total / m.count
	if m.sqrt {
		return math.Sqrt(r)
	}
	return r
}
