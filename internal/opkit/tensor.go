package opkit

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// FloatDense returns v as a dense tensor of float32 or float64; what
// names the value in the error.
func FloatDense(v G.Value, what string) (*tensor.Dense, error) {
	d, ok := v.(*tensor.Dense)
	if !ok {
		return nil, fmt.Errorf("%s: expected a dense tensor, got %T", what, v)
	}
	if d.Dtype() != tensor.Float32 && d.Dtype() != tensor.Float64 {
		return nil, fmt.Errorf("%s: expected float32 or float64, got %v", what, d.Dtype())
	}
	return d, nil
}

// Contiguous returns d, or a row-major copy of it when d is a view whose
// data are not contiguous.
func Contiguous(d *tensor.Dense, what string) (*tensor.Dense, error) {
	if d.RequiresIterator() {
		m, ok := d.Materialize().(*tensor.Dense)
		if !ok {
			return nil, fmt.Errorf("%s: cannot materialize a view of type %T", what, d)
		}
		d = m
	}
	return d, nil
}

// SameDtype checks that every tensor has the first one's dtype.
func SameDtype(ds ...*tensor.Dense) error {
	for _, d := range ds[1:] {
		if d.Dtype() != ds[0].Dtype() {
			return fmt.Errorf("dtypes differ: %v and %v", ds[0].Dtype(), d.Dtype())
		}
	}
	return nil
}

// Inputs checks that op was given one value per name in what (at most
// three) and returns them read by read (which names the value in its
// errors) and checked to share a dtype. op is a type parameter, not an
// interface, so that it is boxed only on the error paths: the ops run
// allocation-free.
func Inputs[O fmt.Stringer](op O, in []G.Value, read func(G.Value, string) (*tensor.Dense, error), what ...string) (ds [3]*tensor.Dense, err error) {
	if len(in) != len(what) {
		return ds, fmt.Errorf("%v: expected %s, got %d", op, Counted(len(what), "input"), len(in))
	}
	for i, v := range in {
		if ds[i], err = read(v, what[i]); err != nil {
			return ds, err
		}
	}
	if err := SameDtype(ds[:len(in)]...); err != nil {
		return ds, fmt.Errorf("%v: %w", op, err)
	}
	return ds, nil
}

// Output returns prealloc when it is a tensor of the wanted dtype and
// shape that owns its memory, and a new zeroed tensor otherwise. The
// caller writes (or zeroes) every element.
func Output(prealloc G.Value, dt tensor.Dtype, shape ...int) *tensor.Dense {
	if p, ok := prealloc.(*tensor.Dense); ok && p.Dtype() == dt && !p.IsView() && p.Shape().Eq(tensor.Shape(shape)) {
		return p
	}
	return tensor.New(tensor.Of(dt), tensor.WithShape(shape...))
}

// Shape reads a shape from a DimSizer; what names the op in the error.
func Shape(d G.DimSizer, what string) (tensor.Shape, error) {
	s, ok := d.(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("%s: expected a shape, got %T", what, d)
	}
	return s, nil
}

// InputShape checks that op was given n shapes and returns a copy of the
// i-th: the InferShape of an op whose output has the shape of an input.
func InputShape[O fmt.Stringer](op O, in []G.DimSizer, n, i int) (tensor.Shape, error) {
	if len(in) != n {
		return nil, fmt.Errorf("%v: expected %s, got %d", op, Counted(n, "shape"), len(in))
	}
	s, err := Shape(in[i], op.String())
	if err != nil {
		return nil, err
	}
	return s.Clone(), nil
}
