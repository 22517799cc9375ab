package nn

import (
	"fmt"
	"sync"

	"github.com/chewxy/hm"
	"github.com/gokeras/keras/internal/opkit"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// float is the element type of every kernel here.
type float interface{ float32 | float64 }

// scratchable are the element types of pooled scratch memory.
type scratchable interface{ float32 | float64 | int }

// dense returns v as a dense tensor of rank 4 with its data in
// row-major order (a copy when v is a non-contiguous view).
func dense(v G.Value, what string) (*tensor.Dense, error) {
	d, err := anyDense(v, what)
	if err != nil {
		return nil, err
	}
	if d.Shape().Dims() != 4 {
		return nil, fmt.Errorf("%s: expected a tensor of rank 4 (batch, height, width, channels), got shape %v", what, d.Shape())
	}
	return d, nil
}

// anyDense returns v as a dense tensor of rank 1 or more with its data
// in row-major order.
func anyDense(v G.Value, what string) (*tensor.Dense, error) {
	d, err := opkit.FloatDense(v, what)
	if err != nil {
		return nil, err
	}
	if d.Shape().Dims() < 1 {
		return nil, fmt.Errorf("%s: expected a tensor, got a scalar", what)
	}
	return opkit.Contiguous(d, what)
}

// shapes4 checks that op was given n shapes and returns them, each of
// rank 4.
func shapes4[O fmt.Stringer](op O, in []G.DimSizer, n int) (ss [3]tensor.Shape, err error) {
	if len(in) != n {
		return ss, fmt.Errorf("%v: expected %s, got %d", op, opkit.Counted(n, "shape"), len(in))
	}
	for i, d := range in {
		if ss[i], err = shape4(d, op.String()); err != nil {
			return ss, err
		}
	}
	return ss, nil
}

// Scratch memory comes from pools, one per element type, so that an op
// holds no mutable state and may run from several goroutines at once.
var (
	pool32, pool64, poolInt sync.Pool
)

// getScratch returns a slice of n elements with unspecified contents.
func getScratch[T scratchable](n int) *[]T {
	p := poolOf[T]()
	if v, ok := p.Get().(*[]T); ok && cap(*v) >= n {
		*v = (*v)[:n]
		return v
	}
	s := make([]T, n)
	return &s
}

// putScratch hands s back to its pool.
func putScratch[T scratchable](s *[]T) { poolOf[T]().Put(s) }

func poolOf[T scratchable]() *sync.Pool {
	var zero T
	switch any(zero).(type) {
	case float32:
		return &pool32
	case float64:
		return &pool64
	}
	return &poolInt
}

// t4 is the type of a rank-4 tensor of the op's element type.
func t4() hm.Type { return &G.TensorType{Dims: 4, Of: hm.TypeVariable('a')} }

// shape4 returns a rank-4 shape from a DimSizer, or an error.
func shape4(d G.DimSizer, what string) (tensor.Shape, error) {
	s, err := opkit.Shape(d, what)
	if err != nil {
		return nil, err
	}
	if s.Dims() != 4 {
		return nil, fmt.Errorf("%s: expected rank 4 (batch, height, width, channels), got shape %v", what, s)
	}
	return s, nil
}
