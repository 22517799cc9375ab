package datasets

import (
	"fmt"
	"math"

	"gorgonia.org/tensor"
)

// dense32 wraps a float32 slice in a tensor of the given shape.
func dense32(data []float32, shape ...int) *tensor.Dense {
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(data))
}

// contiguous returns t itself, or a packed copy when t is a strided view.
func contiguous(fn, what string, t *tensor.Dense) (out *tensor.Dense, err error) {
	if t == nil {
		return nil, argError(fn, "%s is nil", what)
	}
	if t.Shape().IsScalar() {
		return nil, argError(fn, "%s must have a sample axis, got a scalar", what)
	}
	if t.Shape().TotalSize() == 0 {
		return nil, argError(fn, "%s is empty (shape %v)", what, t.Shape())
	}
	if !t.IsMaterializable() && !t.RequiresIterator() {
		return t, nil
	}
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("datasets.%s: copying %s: %v", fn, what, p)
		}
	}()
	m, ok := t.Materialize().(*tensor.Dense)
	if !ok {
		return nil, fmt.Errorf("datasets.%s: copying %s gave no *tensor.Dense", fn, what)
	}
	return m, nil
}

// data_ is t.Data(), or nil where the tensor library panics on an odd
// tensor, so that callers report an unsupported dtype instead of dying.
func denseData(t *tensor.Dense) (d any) {
	defer func() {
		if recover() != nil {
			d = nil
		}
	}()
	return t.Data()
}

// rowLen is the number of values per sample (the product of all axes but
// the first).
func rowLen(s tensor.Shape) int {
	l := 1
	for _, d := range s[1:] {
		l *= d
	}
	return l
}

func gatherT[T any](src []T, rl int, idx []int) []T {
	out := make([]T, 0, len(idx)*rl)
	for _, i := range idx {
		out = append(out, src[i*rl:(i+1)*rl]...)
	}
	return out
}

// gather returns the samples of t at idx, in that order, keeping t's dtype
// and the shape of one sample.
func gather(fn, what string, t *tensor.Dense, idx []int) (*tensor.Dense, error) {
	t, err := contiguous(fn, what, t)
	if err != nil {
		return nil, err
	}
	s := t.Shape()
	rl := rowLen(s)
	var data any
	switch d := denseData(t).(type) {
	case []float32:
		data = gatherT(d, rl, idx)
	case []float64:
		data = gatherT(d, rl, idx)
	case []int:
		data = gatherT(d, rl, idx)
	case []int8:
		data = gatherT(d, rl, idx)
	case []int16:
		data = gatherT(d, rl, idx)
	case []int32:
		data = gatherT(d, rl, idx)
	case []int64:
		data = gatherT(d, rl, idx)
	case []uint:
		data = gatherT(d, rl, idx)
	case []uint8:
		data = gatherT(d, rl, idx)
	case []uint16:
		data = gatherT(d, rl, idx)
	case []uint32:
		data = gatherT(d, rl, idx)
	case []uint64:
		data = gatherT(d, rl, idx)
	case []bool:
		data = gatherT(d, rl, idx)
	default:
		return nil, argError(fn, "%s has unsupported dtype %v", what, t.Dtype())
	}
	shape := append([]int{len(idx)}, s[1:]...)
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(data)), nil
}

func floatsT[T int | int8 | int16 | int32 | int64 | uint | uint8 | uint16 | uint32 | uint64 | float32](d []T) []float64 {
	out := make([]float64, len(d))
	for i, v := range d {
		out[i] = float64(v)
	}
	return out
}

// float64s returns t's values as a fresh float64 slice, with its shape.
func float64s(fn, what string, t *tensor.Dense) ([]float64, tensor.Shape, error) {
	t, err := contiguous(fn, what, t)
	if err != nil {
		return nil, nil, err
	}
	var out []float64
	switch d := denseData(t).(type) {
	case []float64:
		out = append([]float64(nil), d...)
	case []float32:
		out = floatsT(d)
	case []int:
		out = floatsT(d)
	case []int8:
		out = floatsT(d)
	case []int16:
		out = floatsT(d)
	case []int32:
		out = floatsT(d)
	case []int64:
		out = floatsT(d)
	case []uint:
		out = floatsT(d)
	case []uint8:
		out = floatsT(d)
	case []uint16:
		out = floatsT(d)
	case []uint32:
		out = floatsT(d)
	case []uint64:
		out = floatsT(d)
	default:
		return nil, nil, argError(fn, "%s must be numeric, got dtype %v", what, t.Dtype())
	}
	return out, t.Shape().Clone(), nil
}

// sameSamples checks that x and y hold the same number of samples.
func sameSamples(fn string, x, y *tensor.Dense) (int, error) {
	if x == nil || y == nil {
		return 0, argError(fn, "x and y must not be nil")
	}
	xs, ys := x.Shape(), y.Shape()
	if xs.IsScalar() || ys.IsScalar() {
		return 0, argError(fn, "x and y need a sample axis, got shapes %v and %v", xs, ys)
	}
	if xs[0] != ys[0] {
		return 0, argError(fn, "x and y must hold the same number of samples, got %d and %d (shapes %v and %v)", xs[0], ys[0], xs, ys)
	}
	if xs[0] == 0 {
		return 0, argError(fn, "x and y are empty")
	}
	return xs[0], nil
}

// isInt says whether v is a whole number that fits an int label.
func isInt(v float64) bool {
	return v == math.Trunc(v) && !math.IsInf(v, 0) && math.Abs(v) < 1<<53
}
