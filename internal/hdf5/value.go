package hdf5

import "fmt"

// Value is the decoded value of an attribute: numbers or strings of one
// Dtype, in row-major order, with a shape (nil for a scalar).
type Value struct {
	dtype Dtype
	shape []int
	n     int
	raw   []byte   // numbers, in the file's byte order
	strs  []string // strings
	what  string
}

// value decodes an attribute's data.
func (f *File) value(t Dtype, space dataspace, raw []byte, what string) (Value, error) {
	v := Value{dtype: t, shape: space.shape(), n: int(space.n), raw: raw, what: what}
	if t.IsString() {
		s, err := f.strings(raw, v.n, t, what)
		if err != nil {
			return Value{}, err
		}
		v.strs, v.raw = s, nil
	}
	return v, nil
}

// Dtype returns the type of the value's elements.
func (v Value) Dtype() Dtype { return v.dtype }

// Shape returns the value's dimensions: nil for a scalar.
func (v Value) Shape() []int { return append([]int(nil), v.shape...) }

// Len returns the number of elements (1 for a scalar).
func (v Value) Len() int { return v.n }

// IsString reports whether the value holds strings.
func (v Value) IsString() bool { return v.dtype.IsString() }

// Str returns a string value that is a scalar or has exactly one element.
func (v Value) Str() (string, error) {
	if !v.IsString() {
		return "", fmt.Errorf("%s: %s value, want a string: %w", v.what, v.dtype, ErrType)
	}
	if v.n != 1 {
		return "", fmt.Errorf("%s: %d strings, want one: %w", v.what, v.n, ErrType)
	}
	return v.strs[0], nil
}

// Strings returns the strings of a string value.
func (v Value) Strings() ([]string, error) {
	if !v.IsString() {
		return nil, fmt.Errorf("%s: %s value, want strings: %w", v.what, v.dtype, ErrType)
	}
	return append([]string(nil), v.strs...), nil
}

// Float64s returns the elements of a numeric value as float64.
func (v Value) Float64s() ([]float64, error) {
	if err := numericOnly(v.dtype, v.what, "float64"); err != nil {
		return nil, err
	}
	out := make([]float64, v.n)
	toFloat64(out, v.raw, v.dtype)
	return out, nil
}

// Int64s returns the elements of an integer value as int64.
func (v Value) Int64s() ([]int64, error) {
	out := make([]int64, v.n)
	if err := toInt64(out, v.raw, v.dtype, v.what); err != nil {
		return nil, err
	}
	return out, nil
}

// Float64 returns a numeric value of exactly one element.
func (v Value) Float64() (float64, error) {
	xs, err := v.Float64s()
	if err != nil {
		return 0, err
	}
	if len(xs) != 1 {
		return 0, fmt.Errorf("%s: %d numbers, want one: %w", v.what, len(xs), ErrType)
	}
	return xs[0], nil
}

// Int64 returns an integer value of exactly one element.
func (v Value) Int64() (int64, error) {
	xs, err := v.Int64s()
	if err != nil {
		return 0, err
	}
	if len(xs) != 1 {
		return 0, fmt.Errorf("%s: %d numbers, want one: %w", v.what, len(xs), ErrType)
	}
	return xs[0], nil
}

// Raw returns the bytes of a value that is not of variable-length strings,
// as stored (row-major, in the file's byte order).
func (v Value) Raw() ([]byte, error) {
	if v.IsString() {
		return nil, fmt.Errorf("%s: string value, want raw bytes: %w", v.what, ErrType)
	}
	return append([]byte(nil), v.raw...), nil
}

// Interface returns the value as a Go value: for a scalar a string, int64,
// uint64 or float64; otherwise a []string, []int64, []uint64 or []float64
// of all elements in row-major order. Opaque values are their raw bytes,
// a []byte.
func (v Value) Interface() any {
	o := order(v.dtype)
	switch v.dtype.Class {
	case ClassOpaque:
		return append([]byte(nil), v.raw...)
	case ClassString, ClassVarString:
		if v.shape == nil && v.n == 1 {
			return v.strs[0]
		}
		return append([]string(nil), v.strs...)
	case ClassInt:
		xs := make([]int64, v.n)
		for i := range xs {
			xs[i] = elemInt(v.raw[i*v.dtype.Size:], v.dtype, o)
		}
		if v.shape == nil && v.n == 1 {
			return xs[0]
		}
		return xs
	case ClassUint:
		xs := make([]uint64, v.n)
		for i := range xs {
			xs[i] = elemUint(v.raw[i*v.dtype.Size:], v.dtype, o)
		}
		if v.shape == nil && v.n == 1 {
			return xs[0]
		}
		return xs
	}
	xs := make([]float64, v.n)
	toFloat64(xs, v.raw, v.dtype)
	if v.shape == nil && v.n == 1 {
		return xs[0]
	}
	return xs
}

// String formats the value for people (it is not a conversion; see Str).
func (v Value) String() string { return fmt.Sprint(v.Interface()) }
