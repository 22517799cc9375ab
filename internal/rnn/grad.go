package rnn

import (
	"errors"
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	"github.com/gokeras/keras/internal/opkit"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

var errSecondOrder = errors.New("rnn: second derivatives of the fused recurrence are not supported")

// gradOp is the backward pass of a seqOp: its inputs are the forward's,
// then the forward's output and the output's gradient, and its output is
// one vector holding the gradients of x, kernel, recurrent kernel and
// bias one after the other (partOp takes them apart).
type gradOp struct {
	opkit.Base
	fwd *seqOp
}

func (op *gradOp) packedLen(shapes []tensor.Shape) (int, error) {
	n := 0
	fwd := shapes[:op.fwd.nIn()]
	if _, err := op.fwd.dims(fwd); err != nil {
		return 0, err
	}
	for i, s := range fwd {
		if op.fwd.spec.Masked && i == op.fwd.maskIndex() {
			continue
		}
		n += s.TotalSize()
	}
	return n, nil
}

// Arity is the forward's inputs plus the output and its gradient.
func (op *gradOp) Arity() int { return op.fwd.nIn() + 2 }

// Type is Tensor a → ... → Vector a.
func (op *gradOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	ts := inputTypes(&op.fwd.spec, a)
	y := G.TensorType{Dims: op.fwd.outDims(), Of: a}
	return hm.NewFnType(append(ts, y, y, G.TensorType{Dims: 1, Of: a})...)
}

// InferShape is (the number of gradient elements).
func (op *gradOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	shapes, err := G.DimSizersToShapes(in)
	if err != nil {
		return nil, err
	}
	if len(shapes) != op.Arity() {
		return nil, fmt.Errorf("rnn backward: %d inputs, want %d", len(shapes), op.Arity())
	}
	n, err := op.packedLen(shapes)
	if err != nil {
		return nil, err
	}
	return tensor.Shape{n}, nil
}

// WriteHash names the forward op it belongs to.
func (op *gradOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "rnn.grad %p", op.fwd) }

// Hashcode is the FNV-1a hash of WriteHash.
func (op *gradOp) Hashcode() uint32 { return opkit.Hashcode(op) }

// String names the op.
func (op *gradOp) String() string { return "rnn.grad(" + op.fwd.spec.String() + ")" }

// DiffWRT: not differentiable.
func (op *gradOp) DiffWRT(n int) []bool { return make([]bool, n) }

// SymDiff refuses: no second derivatives.
func (op *gradOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) { return nil, errSecondOrder }

// Do runs the backward pass.
func (op *gradOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// UsePreallocDo runs the backward pass into prealloc when it fits.
func (op *gradOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	if len(in) != op.Arity() {
		return nil, fmt.Errorf("rnn backward: %d inputs, want %d", len(in), op.Arity())
	}
	shapes := shapesOf(in)
	n, err := op.packedLen(shapes)
	if err != nil {
		return nil, err
	}
	d, _ := op.fwd.dims(shapes[:op.fwd.nIn()])
	if want := op.fwd.outShape(d); !shapes[len(in)-1].Eq(want) {
		return nil, fmt.Errorf("rnn %v backward: output gradient has shape %v, want %v", op.fwd.spec.Cell, shapes[len(in)-1], want)
	}
	dt := in[0].Dtype()
	out := opkit.Output(prealloc, dt, n)
	switch dt {
	case tensor.Float32:
		err = runBackward(op.fwd, op.fwd.w32, d, in, out)
	case tensor.Float64:
		err = runBackward(op.fwd, op.fwd.w64, d, in, out)
	default:
		err = fmt.Errorf("rnn %v: dtype %v, want float32 or float64", op.fwd.spec.Cell, dt)
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

func runBackward[T Float](fwd *seqOp, own *work[T], d dims, in []G.Value, out *tensor.Dense) error {
	s := &fwd.spec
	v, err := values[T](in)
	if err != nil {
		return fmt.Errorf("rnn %v backward: %w", s.Cell, err)
	}
	x, k, rk, b, mask := split(fwd, v)
	dy := v[len(v)-1]
	var w *work[T]
	if fwd.training {
		// The forward op of this run left its gates in its own buffers.
		if own == nil || own.d != d || len(own.stash) != d.n*d.t*s.stride() {
			return fmt.Errorf("rnn %v backward: the forward op has not run on these shapes", s.Cell)
		}
		w = own
		w.prepare(s, d, true, true)
	} else {
		if p, ok := fwd.pool.Get().(*work[T]); ok {
			w = p
		} else {
			w = new(work[T])
		}
		defer fwd.pool.Put(w)
		w.prepare(s, d, true, true)
		// The output is recomputed only for its gates; write it into the
		// buffer of dx, which is overwritten last.
		y := make([]T, fwd.outShape(d).TotalSize())
		w.forward(s, x, k, rk, b, mask, y, true)
	}
	g := out.Data().([]T)
	G_ := s.gates() * d.u
	nx, nk, nrk := len(x), d.f*G_, d.u*G_
	dx, dk, drk := g[:nx], g[nx:nx+nk], g[nx+nk:nx+nk+nrk]
	var db []T
	if s.UseBias {
		db = g[nx+nk+nrk:]
	}
	w.backward(s, x, k, rk, mask, dy, dx, dk, drk, db)
	return nil
}

// partOp copies one input's gradient out of a gradOp's packed vector.
type partOp struct {
	opkit.Base
	fwd    *seqOp
	index  int // which input of the forward op
	offset int
	shape  tensor.Shape
}

// Arity is 1.
func (op *partOp) Arity() int { return 1 }

// Type is Vector a → Tensor a.
func (op *partOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(G.TensorType{Dims: 1, Of: a}, G.TensorType{Dims: op.shape.Dims(), Of: a})
}

// InferShape is the input's shape.
func (op *partOp) InferShape(...G.DimSizer) (tensor.Shape, error) { return op.shape.Clone(), nil }

// WriteHash names the forward op and the input.
func (op *partOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "rnn.part %p %d %d %v", op.fwd, op.index, op.offset, op.shape)
}

// Hashcode is the FNV-1a hash of WriteHash.
func (op *partOp) Hashcode() uint32 { return opkit.Hashcode(op) }

// String names the op.
func (op *partOp) String() string { return fmt.Sprintf("rnn.grad[%d]", op.index) }

// DiffWRT: not differentiable.
func (op *partOp) DiffWRT(n int) []bool { return make([]bool, n) }

// SymDiff refuses: no second derivatives.
func (op *partOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) { return nil, errSecondOrder }

// Do copies the gradient out.
func (op *partOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// UsePreallocDo copies the gradient into prealloc when it fits.
func (op *partOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("rnn gradient part: %d inputs, want 1", len(in))
	}
	src, ok := in[0].(*tensor.Dense)
	if !ok {
		return nil, fmt.Errorf("rnn gradient part: input is a %T", in[0])
	}
	n := op.shape.TotalSize()
	if src.Len() < op.offset+n {
		return nil, fmt.Errorf("rnn gradient part: packed gradient has %d elements, want at least %d", src.Len(), op.offset+n)
	}
	out := opkit.Output(prealloc, src.Dtype(), op.shape...)
	switch s := src.Data().(type) {
	case []float32:
		copy(out.Data().([]float32), s[op.offset:op.offset+n])
	case []float64:
		copy(out.Data().([]float64), s[op.offset:op.offset+n])
	default:
		return nil, fmt.Errorf("rnn gradient part: dtype %v", src.Dtype())
	}
	return out, nil
}
