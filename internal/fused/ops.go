package fused

import (
	"fmt"

	"github.com/gokeras/keras/internal/opkit"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// float is the element type of every kernel here.
type float interface{ float32 | float64 }

// dense returns v as a float32 or float64 tensor of the given rank (0:
// any rank of 1 or more) with its data contiguous in row-major order.
func dense(v G.Value, rank int, what string) (*tensor.Dense, error) {
	d, err := opkit.FloatDense(v, what)
	if err != nil {
		return nil, err
	}
	if r := d.Shape().Dims(); r < 1 || (rank > 0 && r != rank) {
		return nil, fmt.Errorf("%s: expected a tensor of rank %d, got shape %v", what, max(rank, 1), d.Shape())
	}
	return opkit.Contiguous(d, what)
}

// anyRank is dense of any rank of 1 or more, and matrix dense of rank 2:
// readers for opkit.Inputs.
func anyRank(v G.Value, what string) (*tensor.Dense, error) { return dense(v, 0, what) }

func matrix(v G.Value, what string) (*tensor.Dense, error) { return dense(v, 2, what) }

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

// lossShape is the InferShape of an op that computes a scalar loss, or
// with grad the loss's gradient, of the shape of input i.
func lossShape[O interface {
	fmt.Stringer
	Arity() int
}](op O, in []G.DimSizer, grad bool, i int) (tensor.Shape, error) {
	if len(in) != op.Arity() {
		return nil, fmt.Errorf("%v: expected %d shapes, got %d", op, op.Arity(), len(in))
	}
	if !grad {
		return tensor.ScalarShape(), nil
	}
	s, err := opkit.Shape(in[i], op.String())
	if err != nil {
		return nil, err
	}
	return s.Clone(), nil
}
