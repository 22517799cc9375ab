package rnn

import (
	"fmt"
	"hash"
	"sync"

	"github.com/chewxy/hm"
	"github.com/gokeras/keras/internal/opkit"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Apply adds the fused recurrence of spec over a whole sequence to x's
// graph: x (N, T, F), kernel (F, G), recurrent (U, G), bias
// (spec.BiasShape(), nil unless spec.UseBias) and mask ((N, T) of 0 and
// 1 in x's dtype, nil unless spec.Masked), where G is Units times 4
// (LSTM), 3 (GRU) or 1. The result is (N, T, U) with ReturnSequences,
// (N, U) otherwise. It is differentiable with respect to every input but
// the mask (backpropagation through time in one op).
//
// training chooses between two kinds of op. A training op keeps the
// forward pass's gates in buffers of its own for the backward op, which
// saves recomputing them; such a node must therefore be run by one
// goroutine at a time, which is how a training graph is run. An
// inference op (training false) has no mutable state of its own: any
// number of goroutines may run it at once (each run takes its scratch
// from a pool), and its backward op recomputes the forward pass.
func Apply(spec Spec, training bool, x, kernel, recurrent, bias, mask *G.Node) (*G.Node, error) {
	if err := spec.validate(); err != nil {
		return nil, err
	}
	if (bias != nil) != spec.UseBias {
		return nil, fmt.Errorf("rnn %v: bias given %t, spec.UseBias %t", spec.Cell, bias != nil, spec.UseBias)
	}
	if (mask != nil) != spec.Masked {
		return nil, fmt.Errorf("rnn %v: mask given %t, spec.Masked %t", spec.Cell, mask != nil, spec.Masked)
	}
	in := []*G.Node{x, kernel, recurrent}
	if bias != nil {
		in = append(in, bias)
	}
	if mask != nil {
		in = append(in, mask)
	}
	shapes := make([]tensor.Shape, len(in))
	for i, n := range in {
		shapes[i] = n.Shape()
	}
	op := &seqOp{spec: spec, training: training}
	if _, err := op.dims(shapes); err != nil {
		return nil, err
	}
	return G.ApplyOp(op, in...)
}

// seqOp is the forward op.
type seqOp struct {
	opkit.Base
	spec     Spec
	training bool

	// A training op's own buffers (see Apply), one per dtype.
	w32 *work[float32]
	w64 *work[float64]
	// An inference op's scratch.
	pool sync.Pool
}

func (op *seqOp) nIn() int {
	n := 3
	if op.spec.UseBias {
		n++
	}
	if op.spec.Masked {
		n++
	}
	return n
}

func (op *seqOp) maskIndex() int {
	if op.spec.UseBias {
		return 4
	}
	return 3
}

// dims checks the input shapes and returns the sizes.
func (op *seqOp) dims(shapes []tensor.Shape) (dims, error) {
	s := &op.spec
	name := "rnn " + s.Cell.String()
	if len(shapes) != op.nIn() {
		return dims{}, fmt.Errorf("%s: %d inputs, want %d", name, len(shapes), op.nIn())
	}
	xs := shapes[0]
	if xs.Dims() != 3 {
		return dims{}, fmt.Errorf("%s: expected input of rank 3 (batch, steps, features), got shape %v", name, xs)
	}
	d := dims{n: xs[0], t: xs[1], f: xs[2], u: s.Units}
	if d.n < 1 || d.t < 1 || d.f < 1 {
		return dims{}, fmt.Errorf("%s: input shape %v has an empty axis", name, xs)
	}
	g := s.gates() * s.Units
	want := func(what string, got tensor.Shape, w ...int) error {
		if !got.Eq(tensor.Shape(w)) {
			return fmt.Errorf("%s: %s has shape %v, want %v", name, what, got, tensor.Shape(w))
		}
		return nil
	}
	if err := want("kernel", shapes[1], d.f, g); err != nil {
		return dims{}, err
	}
	if err := want("recurrent kernel", shapes[2], d.u, g); err != nil {
		return dims{}, err
	}
	if s.UseBias {
		if err := want("bias", shapes[3], s.BiasShape()...); err != nil {
			return dims{}, err
		}
	}
	if s.Masked {
		if err := want("mask", shapes[op.maskIndex()], d.n, d.t); err != nil {
			return dims{}, err
		}
	}
	return d, nil
}

func (op *seqOp) outShape(d dims) tensor.Shape {
	if op.spec.ReturnSequences {
		return tensor.Shape{d.n, d.t, d.u}
	}
	return tensor.Shape{d.n, d.u}
}

func inputTypes(s *Spec, a hm.Type) []hm.Type {
	ts := []hm.Type{G.TensorType{Dims: 3, Of: a}, G.TensorType{Dims: 2, Of: a}, G.TensorType{Dims: 2, Of: a}}
	if s.UseBias {
		ts = append(ts, G.TensorType{Dims: len(s.BiasShape()), Of: a})
	}
	if s.Masked {
		ts = append(ts, G.TensorType{Dims: 2, Of: a})
	}
	return ts
}

func (op *seqOp) outDims() int {
	if op.spec.ReturnSequences {
		return 3
	}
	return 2
}

// Arity is the number of inputs: x, kernel, recurrent kernel, then the
// bias and the mask when the spec has them.
func (op *seqOp) Arity() int { return op.nIn() }

// Type is Tensor a → ... → Tensor a.
func (op *seqOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(append(inputTypes(&op.spec, a), G.TensorType{Dims: op.outDims(), Of: a})...)
}

// InferShape is (N, T, U) or (N, U).
func (op *seqOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	shapes, err := G.DimSizersToShapes(in)
	if err != nil {
		return nil, err
	}
	d, err := op.dims(shapes)
	if err != nil {
		return nil, err
	}
	return op.outShape(d), nil
}

// WriteHash writes the spec; a training op also writes its own address,
// so that two training nodes are never merged into one (each keeps its
// own gates).
func (op *seqOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "rnn.seq %v training=%t", &op.spec, op.training)
	if op.training {
		fmt.Fprintf(h, " %p", op)
	}
}

// Hashcode is the FNV-1a hash of WriteHash.
func (op *seqOp) Hashcode() uint32 { return opkit.Hashcode(op) }

// String names the op.
func (op *seqOp) String() string { return "rnn." + op.spec.String() }

// DiffWRT: every input but the mask.
func (op *seqOp) DiffWRT(n int) []bool {
	d := make([]bool, n)
	for i := range d {
		d[i] = !(op.spec.Masked && i == op.maskIndex())
	}
	return d
}

// SymDiff returns the gradients of the inputs: one backward op computes
// them all, packed, and one part op per input copies its own out.
func (op *seqOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	gop := &gradOp{fwd: op}
	args := append(append(G.Nodes{}, inputs...), output, grad)
	packed, err := G.ApplyOp(gop, args...)
	if err != nil {
		return nil, err
	}
	out := make(G.Nodes, len(inputs))
	off := 0
	for i, in := range inputs {
		if op.spec.Masked && i == op.maskIndex() {
			continue
		}
		p := &partOp{fwd: op, index: i, offset: off, shape: in.Shape().Clone()}
		if out[i], err = G.ApplyOp(p, packed); err != nil {
			return nil, err
		}
		off += in.Shape().TotalSize()
	}
	return out, nil
}

// values unpacks the inputs of a Do into float slices of one dtype.
func values[T Float](vs []G.Value) ([][]T, error) {
	out := make([][]T, len(vs))
	for i, v := range vs {
		t, ok := v.(tensor.Tensor)
		if !ok {
			return nil, fmt.Errorf("input %d is a %T, not a tensor", i, v)
		}
		if t.RequiresIterator() {
			t = tensor.Materialize(t)
		}
		data, ok := t.Data().([]T)
		if !ok {
			var zero T
			return nil, fmt.Errorf("input %d has dtype %v, want %T", i, t.Dtype(), zero)
		}
		out[i] = data
	}
	return out, nil
}

func shapesOf(vs []G.Value) []tensor.Shape {
	s := make([]tensor.Shape, len(vs))
	for i, v := range vs {
		s[i] = v.Shape()
	}
	return s
}

// Do runs the forward pass.
func (op *seqOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// UsePreallocDo runs the forward pass into prealloc when its shape and
// dtype fit.
func (op *seqOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	d, err := op.dims(shapesOf(in))
	if err != nil {
		return nil, err
	}
	if len(in) == 0 {
		return nil, fmt.Errorf("rnn: no inputs")
	}
	dt := in[0].Dtype()
	y := opkit.Output(prealloc, dt, op.outShape(d)...)
	switch dt {
	case tensor.Float32:
		err = runForward(op, &op.w32, d, in, y)
	case tensor.Float64:
		err = runForward(op, &op.w64, d, in, y)
	default:
		err = fmt.Errorf("rnn %v: dtype %v, want float32 or float64", op.spec.Cell, dt)
	}
	if err != nil {
		return nil, err
	}
	return y, nil
}

// split names the unpacked inputs.
func split[T Float](op *seqOp, v [][]T) (x, k, rk, b, mask []T) {
	x, k, rk = v[0], v[1], v[2]
	if op.spec.UseBias {
		b = v[3]
	}
	if op.spec.Masked {
		mask = v[op.maskIndex()]
	}
	return
}

func runForward[T Float](op *seqOp, own **work[T], d dims, in []G.Value, y *tensor.Dense) error {
	v, err := values[T](in)
	if err != nil {
		return fmt.Errorf("rnn %v: %w", op.spec.Cell, err)
	}
	x, k, rk, b, mask := split(op, v)
	var w *work[T]
	if op.training {
		if *own == nil {
			*own = new(work[T])
		}
		w = *own
	} else {
		if p, ok := op.pool.Get().(*work[T]); ok {
			w = p
		} else {
			w = new(work[T])
		}
		defer op.pool.Put(w)
	}
	w.prepare(&op.spec, d, op.training, false)
	w.forward(&op.spec, x, k, rk, b, mask, y.Data().([]T), op.training)
	return nil
}
