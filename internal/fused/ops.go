package fused

import (
	"fmt"
	"hash"
	"hash/fnv"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// float is the element type of every kernel here.
type float interface{ float32 | float64 }

// base holds the methods every op here shares.
type base struct{}

// ReturnsPtr is false: ops here return new values.
func (base) ReturnsPtr() bool { return false }

// CallsExtern is false: nothing here needs a locked OS thread.
func (base) CallsExtern() bool { return false }

// OverwritesInput is -1: no op writes into its inputs.
func (base) OverwritesInput() int { return -1 }

// hashOf hashes an op by its String, which names every parameter.
func hashOf(op fmt.Stringer) uint32 {
	h := fnv.New32a()
	writeHash(h, op)
	return h.Sum32()
}

func writeHash(h hash.Hash, op fmt.Stringer) { fmt.Fprint(h, op.String()) }

// dense returns v as a float32 or float64 tensor of the given rank (0:
// any rank of 1 or more) with its data contiguous in row-major order.
func dense(v G.Value, rank int, what string) (*tensor.Dense, error) {
	d, ok := v.(*tensor.Dense)
	if !ok {
		return nil, fmt.Errorf("%s: expected a dense tensor, got %T", what, v)
	}
	if d.Dtype() != tensor.Float32 && d.Dtype() != tensor.Float64 {
		return nil, fmt.Errorf("%s: expected float32 or float64, got %v", what, d.Dtype())
	}
	if r := d.Shape().Dims(); r < 1 || (rank > 0 && r != rank) {
		return nil, fmt.Errorf("%s: expected a tensor of rank %d, got shape %v", what, max(rank, 1), d.Shape())
	}
	if d.RequiresIterator() {
		m, ok := d.Materialize().(*tensor.Dense)
		if !ok {
			return nil, fmt.Errorf("%s: cannot materialize a view of type %T", what, d)
		}
		d = m
	}
	return d, nil
}

// sameDtype checks that every tensor has the first one's dtype.
func sameDtype(ds ...*tensor.Dense) error {
	for _, d := range ds[1:] {
		if d.Dtype() != ds[0].Dtype() {
			return fmt.Errorf("dtypes differ: %v and %v", ds[0].Dtype(), d.Dtype())
		}
	}
	return nil
}

// output returns prealloc when it is a tensor of the wanted dtype and
// shape that owns its memory, and a new zeroed tensor otherwise. The
// caller writes every element.
func output(prealloc G.Value, dt tensor.Dtype, shape ...int) *tensor.Dense {
	if p, ok := prealloc.(*tensor.Dense); ok && p.Dtype() == dt && !p.IsView() && p.Shape().Eq(tensor.Shape(shape)) {
		return p
	}
	return tensor.New(tensor.Of(dt), tensor.WithShape(shape...))
}

// scalarOut returns prealloc when it is a scalar of dtype dt, else a new
// one, set to v.
func scalarOut(prealloc G.Value, dt tensor.Dtype, v float64) G.Value {
	if dt == tensor.Float32 {
		if p, ok := prealloc.(*G.F32); ok {
			*p = G.F32(float32(v))
			return p
		}
		return G.NewF32(float32(v))
	}
	if p, ok := prealloc.(*G.F64); ok {
		*p = G.F64(v)
		return p
	}
	return G.NewF64(v)
}

// scalarOf reads a scalar value (a Gorgonia scalar or a one-element
// tensor).
func scalarOf(v G.Value) (float64, error) {
	switch x := v.(type) {
	case *G.F32:
		return float64(*x), nil
	case *G.F64:
		return float64(*x), nil
	case *tensor.Dense:
		if x.Shape().TotalSize() == 1 {
			switch d := x.Data().(type) {
			case []float32:
				return float64(d[0]), nil
			case []float64:
				return d[0], nil
			case float32:
				return float64(d), nil
			case float64:
				return d, nil
			}
		}
	}
	return 0, fmt.Errorf("expected a scalar, got %T", v)
}

// shapeOf reads a shape from a DimSizer.
func shapeOf(d G.DimSizer, what string) (tensor.Shape, error) {
	s, ok := d.(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("%s: expected a shape, got %T", what, d)
	}
	return s, nil
}
