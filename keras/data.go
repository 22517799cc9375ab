package keras

import (
	"fmt"
	"math"

	"gorgonia.org/tensor"
)

// array is a user's x or y, cast once to the model's float type and laid
// out contiguously, sample after sample. It shares the user's data when
// no cast is needed, so it is never written to.
type array struct {
	shape []int // (samples, ...)
	f32   []float32
	f64   []float64
}

func (a *array) samples() int { return a.shape[0] }

func (a *array) rowSize() int { return numel(a.shape[1:]) }

func numel(s []int) int {
	n := 1
	for _, d := range s {
		n *= d
	}
	return n
}

// toArray casts t to dt, checking that it has a batch dimension and holds
// no NaN. what names the argument in errors ("x", "y").
func toArray(t tensor.Tensor, dt tensor.Dtype, what string) (*array, error) {
	if t == nil {
		return nil, fmt.Errorf("keras: %s is nil", what)
	}
	d, ok := t.(*tensor.Dense)
	if !ok {
		return nil, fmt.Errorf("keras: %s must be a *tensor.Dense, got %T", what, t)
	}
	if d == nil {
		return nil, fmt.Errorf("keras: %s is nil", what)
	}
	shape := []int(d.Shape().Clone())
	if d.IsScalar() || len(shape) == 0 {
		return nil, fmt.Errorf("keras: %s must have a batch dimension, got a scalar", what)
	}
	if shape[0] == 0 {
		return nil, fmt.Errorf("keras: %s has no samples", what)
	}
	for i, n := range shape[1:] {
		if n <= 0 {
			return nil, fmt.Errorf("keras: %s has shape %v: axis %d is empty", what, shape, i+1)
		}
	}
	if d.RequiresIterator() {
		d = d.Materialize().(*tensor.Dense)
	}
	a := &array{shape: shape}
	if !a.load(d.Data(), dt, numel(shape)) {
		return nil, fmt.Errorf("keras: %s has unsupported dtype %v", what, d.Dtype())
	}
	if i := a.firstNonFinite(); i >= 0 {
		v := a.value(i)
		if dt == tensor.Float32 && finiteAt(d.Data(), i) {
			return nil, fmt.Errorf("keras: %s holds a value beyond float32 range (sample %d), which a float32 model cannot represent", what, i/max(a.rowSize(), 1))
		}
		return nil, fmt.Errorf("keras: %s holds %v (sample %d); inputs must be finite", what, v, i/max(a.rowSize(), 1))
	}
	return a, nil
}

// load takes n values of data as dt. Data already of type dt is shared,
// not copied: an array is only ever read (60,000 MNIST images are 188 MB,
// copied on every Fit otherwise). It reports false for a type it cannot
// cast.
func (a *array) load(data any, dt tensor.Dtype, n int) bool {
	switch v := data.(type) {
	case []float32:
		if dt == tensor.Float32 {
			a.f32 = v[:n]
			return true
		}
		castInto(a, dt, v[:n])
	case []float64:
		if dt == tensor.Float64 {
			a.f64 = v[:n]
			return true
		}
		castInto(a, dt, v[:n])
	case []int:
		castInto(a, dt, v[:n])
	case []int64:
		castInto(a, dt, v[:n])
	case []int32:
		castInto(a, dt, v[:n])
	case []int16:
		castInto(a, dt, v[:n])
	case []int8:
		castInto(a, dt, v[:n])
	case []uint8:
		castInto(a, dt, v[:n])
	case []uint16:
		castInto(a, dt, v[:n])
	case []uint32:
		castInto(a, dt, v[:n])
	default:
		return false
	}
	return true
}

type number interface {
	~float32 | ~float64 | ~int | ~int8 | ~int16 | ~int32 | ~int64 | ~uint8 | ~uint16 | ~uint32
}

// castInto sets a to a copy of v converted to dt.
func castInto[T number](a *array, dt tensor.Dtype, v []T) {
	if dt == tensor.Float64 {
		a.f64 = make([]float64, len(v))
		for i, x := range v {
			a.f64[i] = float64(x)
		}
		return
	}
	a.f32 = make([]float32, len(v))
	for i, x := range v {
		a.f32[i] = float32(x)
	}
}

// firstNonFinite returns the index of the first NaN or ±Inf, or -1. A
// sum per block of 4096 values (finite) answers -1 without testing each
// value; a block whose sum is not finite is searched exactly.
func (a *array) firstNonFinite() int {
	if finiteBlocks(a.f32) && finiteBlocks(a.f64) {
		return -1
	}
	for i, x := range a.f32 {
		if x != x || x > math.MaxFloat32 || x < -math.MaxFloat32 {
			return i
		}
	}
	for i, x := range a.f64 {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return i
		}
	}
	return -1
}

// finiteAt reports whether the user's value i was finite (so that a
// non-finite value after the cast to float32 was an overflow).
func finiteAt(data any, i int) bool {
	if v, ok := data.([]float64); ok && i < len(v) {
		return !math.IsNaN(v[i]) && !math.IsInf(v[i], 0)
	}
	return false
}

// value returns element i as float64.
func (a *array) value(i int) float64 {
	if a.f64 != nil {
		return a.f64[i]
	}
	return float64(a.f32[i])
}

// slice returns samples [from, to) as a new array sharing memory.
func (a *array) slice(from, to int) *array {
	r := a.rowSize()
	s := &array{shape: append([]int{to - from}, a.shape[1:]...)}
	if a.f64 != nil {
		s.f64 = a.f64[from*r : to*r]
	} else {
		s.f32 = a.f32[from*r : to*r]
	}
	return s
}

// gather copies the samples idx into dst's backing, in order.
func (a *array) gather(dst *tensor.Dense, idx []int) { a.gatherAt(dst, 0, idx) }

// gatherAt copies the samples idx into dst's backing from sample at.
func (a *array) gatherAt(dst *tensor.Dense, at int, idx []int) {
	r := a.rowSize()
	if a.f64 != nil {
		d := dst.Float64s()[at*r:]
		for k, i := range idx {
			copy(d[k*r:(k+1)*r], a.f64[i*r:(i+1)*r])
		}
		return
	}
	d := dst.Float32s()[at*r:]
	for k, i := range idx {
		copy(d[k*r:(k+1)*r], a.f32[i*r:(i+1)*r])
	}
}

// oneHot writes the labels idx of a into dst (batch, classes) as one-hot
// rows. The labels were checked by checkLabels.
func (a *array) oneHot(dst *tensor.Dense, idx []int, classes int) {
	switch d := dst.Data().(type) {
	case []float32:
		clear(d)
		for k, i := range idx {
			d[k*classes+int(a.value(i))] = 1
		}
	case []float64:
		clear(d)
		for k, i := range idx {
			d[k*classes+int(a.value(i))] = 1
		}
	}
}

// checkLabels checks that a holds one integer class index per sample, in
// [0, classes).
func (a *array) checkLabels(classes int) error {
	if a.rowSize() != 1 {
		return fmt.Errorf("keras: sparse labels must have shape (samples,) or (samples, 1), got %v", a.shape)
	}
	for i := 0; i < a.samples(); i++ {
		v := a.value(i)
		if v != math.Trunc(v) || v < 0 || v >= float64(classes) {
			return fmt.Errorf("keras: label %v of sample %d is out of range: expected an integer in [0, %d)", v, i, classes)
		}
	}
	return nil
}

// checkSparseLabels checks the class indices y against an output of the
// given shape before any cast, so that values beyond int or float32 range
// are reported as out-of-range labels.
func checkSparseLabels(y tensor.Tensor, out []int) error {
	d, ok := y.(*tensor.Dense)
	if !ok || d == nil || d.IsScalar() || d.Shape().TotalSize() == 0 {
		return nil // toArray reports it
	}
	if d.RequiresIterator() {
		d = d.Materialize().(*tensor.Dense)
	}
	a := &array{shape: []int(d.Shape().Clone())}
	if !a.load(d.Data(), tensor.Float64, d.Shape().TotalSize()) {
		return nil
	}
	return a.checkLabels(out[len(out)-1])
}
