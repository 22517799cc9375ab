package plots

import (
	"fmt"

	"gorgonia.org/tensor"
)

// float64s returns t's values in row-major order as float64, with its
// shape. Views are copied out first, since Data returns the backing array.
func float64s(t *tensor.Dense) ([]float64, []int, error) {
	if t == nil {
		return nil, nil, fmt.Errorf("nil tensor")
	}
	if t.IsMaterializable() {
		m, ok := t.Materialize().(*tensor.Dense)
		if !ok {
			return nil, nil, fmt.Errorf("cannot read a %T", t.Materialize())
		}
		t = m
	}
	shape := []int(t.Shape().Clone())
	n := t.Shape().TotalSize()
	out := make([]float64, n)
	switch d := t.Data().(type) {
	case []float64:
		copy(out, d[:n])
	case []float32:
		for i := range out {
			out[i] = float64(d[i])
		}
	case []int:
		for i := range out {
			out[i] = float64(d[i])
		}
	case []int64:
		for i := range out {
			out[i] = float64(d[i])
		}
	case []int32:
		for i := range out {
			out[i] = float64(d[i])
		}
	case []uint8:
		for i := range out {
			out[i] = float64(d[i])
		}
	case []bool:
		for i := range out {
			if d[i] {
				out[i] = 1
			}
		}
	case float64:
		out, shape = []float64{d}, nil
	case float32:
		out, shape = []float64{float64(d)}, nil
	default:
		return nil, nil, fmt.Errorf("unsupported dtype %v", t.Dtype())
	}
	return out, shape, nil
}

// classes turns labels or predictions into class indices: one column (or a
// vector) of probabilities is thresholded at 0.5 unless it already holds
// integer labels, several columns are reduced by argmax.
func classes(vals []float64, shape []int, rows int, threshold bool) ([]int, error) {
	cols := 1
	switch len(shape) {
	case 0, 1:
	case 2:
		cols = shape[1]
	default:
		return nil, fmt.Errorf("want shape (n,) or (n, k), got %v", shape)
	}
	if len(vals) != rows*cols {
		return nil, fmt.Errorf("want %d rows, got shape %v", rows, shape)
	}
	out := make([]int, rows)
	if cols == 1 {
		for i, v := range vals {
			switch {
			case threshold && v >= 0.5:
				out[i] = 1
			case threshold:
				out[i] = 0
			default:
				if v < 0 || v != float64(int(v)) {
					return nil, fmt.Errorf("label %v at row %d is not a class index", v, i)
				}
				out[i] = int(v)
			}
		}
		return out, nil
	}
	for i := range out {
		best := 0
		for j := 1; j < cols; j++ {
			if vals[i*cols+j] > vals[i*cols+best] {
				best = j
			}
		}
		out[i] = best
	}
	return out, nil
}
