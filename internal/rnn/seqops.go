package rnn

import (
	"fmt"
	"hash"
	"math"

	"github.com/chewxy/hm"
	"github.com/gokeras/keras/internal/opkit"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// The small sequence ops the recurrent layers need around the fused
// recurrence: reversing the time axis (Bidirectional), making masks from
// ids or from a padding value (Embedding, Masking), zeroing masked steps
// (Masking) and looking rows up in an embedding table. None keeps state:
// all are safe for concurrent use.

func dense(v G.Value, what string) (*tensor.Dense, error) {
	d, ok := v.(*tensor.Dense)
	if !ok {
		return nil, fmt.Errorf("%s: input is a %T, not a dense tensor", what, v)
	}
	if d.RequiresIterator() {
		d = tensor.Materialize(d).(*tensor.Dense)
	}
	return d, nil
}

// ---- Reverse ----

// Reverse returns x (N, T, ...) with its steps (axis 1) in reverse order.
func Reverse(x *G.Node) (*G.Node, error) {
	if x.Shape().Dims() < 2 {
		return nil, fmt.Errorf("rnn.Reverse: expected rank 2 or more, got shape %v", x.Shape())
	}
	return G.ApplyOp(reverseOp{dims: x.Shape().Dims()}, x)
}

type reverseOp struct {
	opkit.Base
	dims int
}

func (op reverseOp) Arity() int { return 1 }
func (op reverseOp) Type() hm.Type {
	t := G.TensorType{Dims: op.dims, Of: hm.TypeVariable('a')}
	return hm.NewFnType(t, t)
}
func (op reverseOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, ok := in[0].(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("rnn.Reverse: no shape")
	}
	return s.Clone(), nil
}
func (op reverseOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "rnn.reverse %d", op.dims) }
func (op reverseOp) Hashcode() uint32      { return opkit.Hashcode(op) }
func (op reverseOp) String() string        { return "rnn.Reverse" }
func (op reverseOp) DiffWRT(n int) []bool  { return []bool{true} }
func (op reverseOp) SymDiff(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	g, err := G.ApplyOp(op, grad)
	return G.Nodes{g}, err
}
func (op reverseOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }
func (op reverseOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	x, err := dense(in[0], "rnn.Reverse")
	if err != nil {
		return nil, err
	}
	s := x.Shape()
	out := opkit.Output(prealloc, x.Dtype(), s...)
	n, t := s[0], s[1]
	inner := s.TotalSize() / (n * t)
	switch src := x.Data().(type) {
	case []float32:
		reverseSteps(out.Data().([]float32), src, n, t, inner)
	case []float64:
		reverseSteps(out.Data().([]float64), src, n, t, inner)
	default:
		return nil, fmt.Errorf("rnn.Reverse: dtype %v", x.Dtype())
	}
	return out, nil
}

func reverseSteps[T Float](dst, src []T, n, t, inner int) {
	for i := 0; i < n; i++ {
		for j := 0; j < t; j++ {
			copy(dst[(i*t+j)*inner:(i*t+j+1)*inner], src[(i*t+t-1-j)*inner:(i*t+t-j)*inner])
		}
	}
}

// ---- masks ----

// IDMask returns the mask of integer ids (N, T): 1 where the id is not
// 0, 0 where it is (Keras's Embedding with mask_zero).
func IDMask(ids *G.Node) (*G.Node, error) {
	if ids.Shape().Dims() < 1 {
		return nil, fmt.Errorf("rnn.IDMask: expected ids of rank 1 or more, got a scalar")
	}
	return G.ApplyOp(maskOp{dims: ids.Shape().Dims(), fromIDs: true}, ids)
}

// ValueMask returns the mask of x (N, T, F...): 1 for a step where some
// feature differs from value, 0 where all equal it (Keras's Masking).
func ValueMask(x *G.Node, value float64) (*G.Node, error) {
	if x.Shape().Dims() < 3 {
		return nil, fmt.Errorf("rnn.ValueMask: expected rank 3 or more (batch, steps, features), got shape %v", x.Shape())
	}
	return G.ApplyOp(maskOp{dims: x.Shape().Dims(), value: value}, x)
}

type maskOp struct {
	opkit.Base
	dims    int
	fromIDs bool    // the mask of ids: id != 0, elementwise
	value   float64 // otherwise: any feature != value, per step
}

func (op maskOp) outDims() int {
	if op.fromIDs {
		return op.dims
	}
	return 2
}
func (op maskOp) Arity() int { return 1 }
func (op maskOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(G.TensorType{Dims: op.dims, Of: a}, G.TensorType{Dims: op.outDims(), Of: a})
}
func (op maskOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, ok := in[0].(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("rnn mask: no shape")
	}
	if op.fromIDs {
		return s.Clone(), nil
	}
	return tensor.Shape{s[0], s[1]}, nil
}
func (op maskOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "rnn.mask %d %t %v", op.dims, op.fromIDs, math.Float64bits(op.value))
}
func (op maskOp) Hashcode() uint32 { return opkit.Hashcode(op) }
func (op maskOp) String() string {
	return fmt.Sprintf("rnn.Mask{ids=%t value=%v}", op.fromIDs, op.value)
}
func (op maskOp) DiffWRT(n int) []bool { return []bool{false} }
func (op maskOp) SymDiff(G.Nodes, *G.Node, *G.Node) (G.Nodes, error) {
	return nil, fmt.Errorf("rnn: a mask is not differentiable")
}
func (op maskOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }
func (op maskOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	x, err := dense(in[0], "rnn mask")
	if err != nil {
		return nil, err
	}
	s, _ := op.InferShape(x.Shape())
	out := opkit.Output(prealloc, x.Dtype(), s...)
	switch src := x.Data().(type) {
	case []float32:
		op.fill(out.Data().([]float32), src, s.TotalSize())
	case []float64:
		op.fill(out.Data().([]float64), src, s.TotalSize())
	default:
		return nil, fmt.Errorf("rnn mask: dtype %v", x.Dtype())
	}
	return out, nil
}

func fillMask[T Float](op maskOp, dst, src []T, steps int) {
	if op.fromIDs {
		for i, v := range src {
			dst[i] = 0
			if v != 0 {
				dst[i] = 1
			}
		}
		return
	}
	inner := len(src) / steps
	val := T(op.value)
	for i := 0; i < steps; i++ {
		dst[i] = 0
		for _, v := range src[i*inner : (i+1)*inner] {
			if v != val {
				dst[i] = 1
				break
			}
		}
	}
}

func (op maskOp) fill(dst, src any, steps int) {
	switch d := dst.(type) {
	case []float32:
		fillMask(op, d, src.([]float32), steps)
	case []float64:
		fillMask(op, d, src.([]float64), steps)
	}
}

// ApplyMask returns x (N, T, ...) with the steps where mask (N, T) is 0
// set to zero (Keras's Masking output). Its gradient is masked the same
// way.
func ApplyMask(x, mask *G.Node) (*G.Node, error) {
	xs, ms := x.Shape(), mask.Shape()
	if xs.Dims() < 2 || ms.Dims() != 2 || xs[0] != ms[0] || xs[1] != ms[1] {
		return nil, fmt.Errorf("rnn.ApplyMask: mask of shape %v does not fit input of shape %v", ms, xs)
	}
	return G.ApplyOp(applyMaskOp{dims: xs.Dims()}, x, mask)
}

type applyMaskOp struct {
	opkit.Base
	dims int
}

func (op applyMaskOp) Arity() int { return 2 }
func (op applyMaskOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	t := G.TensorType{Dims: op.dims, Of: a}
	return hm.NewFnType(t, G.TensorType{Dims: 2, Of: a}, t)
}
func (op applyMaskOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, ok := in[0].(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("rnn.ApplyMask: no shape")
	}
	return s.Clone(), nil
}
func (op applyMaskOp) WriteHash(h hash.Hash) { fmt.Fprintf(h, "rnn.applymask %d", op.dims) }
func (op applyMaskOp) Hashcode() uint32      { return opkit.Hashcode(op) }
func (op applyMaskOp) String() string        { return "rnn.ApplyMask" }
func (op applyMaskOp) DiffWRT(n int) []bool  { return []bool{true, false} }
func (op applyMaskOp) SymDiff(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	g, err := G.ApplyOp(op, grad, in[1])
	return G.Nodes{g, nil}, err
}
func (op applyMaskOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }
func (op applyMaskOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	x, err := dense(in[0], "rnn.ApplyMask")
	if err != nil {
		return nil, err
	}
	m, err := dense(in[1], "rnn.ApplyMask")
	if err != nil {
		return nil, err
	}
	out := opkit.Output(prealloc, x.Dtype(), x.Shape()...)
	steps := m.Shape().TotalSize()
	if steps == 0 || x.Shape().TotalSize()%steps != 0 {
		return nil, fmt.Errorf("rnn.ApplyMask: mask of shape %v does not fit input of shape %v", m.Shape(), x.Shape())
	}
	switch src := x.Data().(type) {
	case []float32:
		maskSteps(out.Data().([]float32), src, m.Data().([]float32))
	case []float64:
		maskSteps(out.Data().([]float64), src, m.Data().([]float64))
	default:
		return nil, fmt.Errorf("rnn.ApplyMask: dtype %v", x.Dtype())
	}
	return out, nil
}

func maskSteps[T Float](dst, src, mask []T) {
	inner := len(src) / len(mask)
	for i, m := range mask {
		d, s := dst[i*inner:(i+1)*inner], src[i*inner:(i+1)*inner]
		if m != 0 {
			copy(d, s)
		} else {
			clear(d)
		}
	}
}

// ---- embedding lookup ----

// Gather returns the rows of table (V, D) named by ids (any shape, ids
// held as whole numbers in the table's dtype): shape ids.Shape + (D).
// Running it with an id that is not a whole number in [0, V) is an error
// naming layer. It is differentiable with respect to the table.
func Gather(layer string, ids, table *G.Node) (*G.Node, error) {
	ts := table.Shape()
	if ts.Dims() != 2 {
		return nil, fmt.Errorf("%s: embedding table must be 2-D, got shape %v", layer, ts)
	}
	if ids.Shape().Dims() < 1 {
		return nil, fmt.Errorf("%s: expected ids of rank 1 or more, got a scalar", layer)
	}
	return G.ApplyOp(gatherOp{layer: layer, idDims: ids.Shape().Dims(), vocab: ts[0], width: ts[1]}, ids, table)
}

type gatherOp struct {
	opkit.Base
	layer        string
	idDims       int
	vocab, width int
	scatter      bool // the gradient: (ids, grad) -> (V, D)
}

func (op gatherOp) Arity() int { return 2 }
func (op gatherOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	ids := G.TensorType{Dims: op.idDims, Of: a}
	rows := G.TensorType{Dims: op.idDims + 1, Of: a}
	tab := G.TensorType{Dims: 2, Of: a}
	if op.scatter {
		return hm.NewFnType(ids, rows, tab)
	}
	return hm.NewFnType(ids, tab, rows)
}
func (op gatherOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	s, ok := in[0].(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("%s: no shape", op.layer)
	}
	if op.scatter {
		return tensor.Shape{op.vocab, op.width}, nil
	}
	return append(s.Clone(), op.width), nil
}
func (op gatherOp) WriteHash(h hash.Hash) {
	fmt.Fprintf(h, "rnn.gather %s %d %d %d %t", op.layer, op.idDims, op.vocab, op.width, op.scatter)
}
func (op gatherOp) Hashcode() uint32 { return opkit.Hashcode(op) }
func (op gatherOp) String() string {
	if op.scatter {
		return "rnn.ScatterAdd"
	}
	return "rnn.Gather"
}
func (op gatherOp) DiffWRT(n int) []bool { return []bool{false, !op.scatter} }
func (op gatherOp) SymDiff(in G.Nodes, out, grad *G.Node) (G.Nodes, error) {
	if op.scatter {
		return nil, errSecondOrder
	}
	s := op
	s.scatter = true
	g, err := G.ApplyOp(s, in[0], grad)
	return G.Nodes{nil, g}, err
}
func (op gatherOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }
func (op gatherOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	ids, err := dense(in[0], op.layer)
	if err != nil {
		return nil, err
	}
	src, err := dense(in[1], op.layer)
	if err != nil {
		return nil, err
	}
	s, _ := op.InferShape(ids.Shape())
	out := opkit.Output(prealloc, src.Dtype(), s...)
	switch d := src.Data().(type) {
	case []float32:
		idv, ok := ids.Data().([]float32)
		if !ok {
			return nil, fmt.Errorf("%s: ids have dtype %v, the table %v", op.layer, ids.Dtype(), src.Dtype())
		}
		err = gatherRows(op, out.Data().([]float32), d, idv)
	case []float64:
		idv, ok := ids.Data().([]float64)
		if !ok {
			return nil, fmt.Errorf("%s: ids have dtype %v, the table %v", op.layer, ids.Dtype(), src.Dtype())
		}
		err = gatherRows(op, out.Data().([]float64), d, idv)
	default:
		err = fmt.Errorf("%s: dtype %v", op.layer, src.Dtype())
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

func gatherRows[T Float](op gatherOp, dst, src, ids []T) error {
	w := op.width
	if op.scatter {
		clear(dst)
	}
	for i, v := range ids {
		id := int(v)
		if T(id) != v {
			return fmt.Errorf("%s: ids must be whole numbers, got %v", op.layer, v)
		}
		if id < 0 || id >= op.vocab {
			return fmt.Errorf("%s: id %d is outside [0, %d) (input_dim %d)", op.layer, id, op.vocab, op.vocab)
		}
		if op.scatter {
			addRow(dst[id*w:(id+1)*w], src[i*w:(i+1)*w])
		} else {
			copy(dst[i*w:(i+1)*w], src[id*w:(id+1)*w])
		}
	}
	return nil
}
