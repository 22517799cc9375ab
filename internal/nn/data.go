package nn

import (
	"fmt"
	"hash"
	"hash/fnv"
	"sync"

	"github.com/chewxy/hm"
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
	d, ok := v.(*tensor.Dense)
	if !ok {
		return nil, fmt.Errorf("%s: expected a dense tensor, got %T", what, v)
	}
	if d.Dtype() != tensor.Float32 && d.Dtype() != tensor.Float64 {
		return nil, fmt.Errorf("%s: expected float32 or float64, got %v", what, d.Dtype())
	}
	if d.Shape().Dims() < 1 {
		return nil, fmt.Errorf("%s: expected a tensor, got a scalar", what)
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

// inputs checks that op was given one value per name in what (at most
// three) and returns them read by read (dense or anyDense, which name
// the value in their errors) and checked to share a dtype. op is a type
// parameter, not an interface, so that it is boxed only on the error
// paths: the ops run allocation-free.
func inputs[O fmt.Stringer](op O, in []G.Value, read func(G.Value, string) (*tensor.Dense, error), what ...string) (ds [3]*tensor.Dense, err error) {
	if len(in) != len(what) {
		return ds, fmt.Errorf("%v: expected %s, got %d", op, counted(len(what), "input"), len(in))
	}
	for i, v := range in {
		if ds[i], err = read(v, what[i]); err != nil {
			return ds, err
		}
	}
	if err := sameDtype(ds[:len(in)]...); err != nil {
		return ds, fmt.Errorf("%v: %w", op, err)
	}
	return ds, nil
}

// shapes4 checks that op was given n shapes and returns them, each of
// rank 4.
func shapes4[O fmt.Stringer](op O, in []G.DimSizer, n int) (ss [3]tensor.Shape, err error) {
	if len(in) != n {
		return ss, fmt.Errorf("%v: expected %s, got %d", op, counted(n, "shape"), len(in))
	}
	for i, d := range in {
		if ss[i], err = shape4(d, op.String()); err != nil {
			return ss, err
		}
	}
	return ss, nil
}

// counted is "1 input", "2 inputs".
func counted(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
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
// caller must write (or zero) every element.
func output(prealloc G.Value, dt tensor.Dtype, shape ...int) *tensor.Dense {
	if p, ok := prealloc.(*tensor.Dense); ok && p.Dtype() == dt && !p.IsView() && p.Shape().Eq(tensor.Shape(shape)) {
		return p
	}
	return tensor.New(tensor.Of(dt), tensor.WithShape(shape...))
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

// shape4 returns a rank-4 shape from a DimSizer, or an error.
func shape4(d G.DimSizer, what string) (tensor.Shape, error) {
	s, ok := d.(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("%s: expected a shape, got %T", what, d)
	}
	if s.Dims() != 4 {
		return nil, fmt.Errorf("%s: expected rank 4 (batch, height, width, channels), got shape %v", what, s)
	}
	return s, nil
}
