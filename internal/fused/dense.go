package fused

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	"github.com/gokeras/keras/internal/opkit"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
	"math"
)

// activation is an element-wise activation the dense op applies after
// the bias: one whose derivative reads the output.
type activation uint8

const (
	linear activation = iota
	relu
	tanh
)

var activationNames = map[string]activation{"linear": linear, "relu": relu, "tanh": tanh}

func (a activation) String() string {
	switch a {
	case relu:
		return "relu"
	case tanh:
		return "tanh"
	}
	return "linear"
}

// CanDense reports whether Dense fuses the named activation ("linear",
// "relu", "tanh"); other activations are applied after a "linear" Dense.
func CanDense(act string) bool {
	_, ok := activationNames[act]
	return ok
}

// Dense is act(x·w + b) in one op: x (rows, in), w (in, units), b
// (units,) or nil for none, act "linear", "relu" (max(z, 0)) or "tanh".
// Its gradients: dz from the output (relu: where the output is positive,
// as TensorFlow's; tanh: 1 - y²), dw = xᵀ·dz, db the column sums of dz,
// dx = dz·wᵀ, each one op writing into its own buffer.
func Dense(x, w, b *G.Node, act string) (*G.Node, error) {
	a, ok := activationNames[act]
	if !ok {
		return nil, fmt.Errorf("fused dense: activation %q is not fused (linear, relu, tanh)", act)
	}
	xs, ws := x.Shape(), w.Shape()
	if xs.Dims() != 2 || ws.Dims() != 2 || xs[1] != ws[0] {
		return nil, fmt.Errorf("fused dense: input of shape %v does not match a kernel of shape %v", xs, ws)
	}
	if b == nil {
		return G.ApplyOp(denseOp{act: a}, x, w)
	}
	if bs := b.Shape(); bs.Dims() != 1 || bs[0] != ws[1] {
		return nil, fmt.Errorf("fused dense: bias of shape %v does not match a kernel of shape %v", bs, ws)
	}
	return G.ApplyOp(denseOp{act: a, bias: true}, x, w, b)
}

// denseOp is (x, w[, b]) -> act(x·w + b).
type denseOp struct {
	opkit.Base
	act  activation
	bias bool
}

// Arity is 3 with a bias, else 2.
func (op denseOp) Arity() int {
	if op.bias {
		return 3
	}
	return 2
}

// Type is matrix a → matrix a [→ vector a] → matrix a.
func (op denseOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	m := &G.TensorType{Dims: 2, Of: a}
	if op.bias {
		return hm.NewFnType(m, m, &G.TensorType{Dims: 1, Of: a}, m)
	}
	return hm.NewFnType(m, m, m)
}

// InferShape returns (rows, units).
func (op denseOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	if len(in) != op.Arity() {
		return nil, fmt.Errorf("%v: expected %d shapes, got %d", op, op.Arity(), len(in))
	}
	xs, err := opkit.Shape(in[0], op.String())
	if err != nil {
		return nil, err
	}
	ws, err := opkit.Shape(in[1], op.String())
	if err != nil {
		return nil, err
	}
	if xs.Dims() != 2 || ws.Dims() != 2 || xs[1] != ws[0] {
		return nil, fmt.Errorf("%v: input of shape %v does not match a kernel of shape %v", op, xs, ws)
	}
	return tensor.Shape{xs[0], ws[1]}, nil
}

// Do computes into a new tensor.
func (op denseOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// UsePreallocDo computes into prealloc when it fits.
func (op denseOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	if len(in) != op.Arity() {
		return nil, fmt.Errorf("%v: expected %d inputs, got %d", op, op.Arity(), len(in))
	}
	x, err := dense(in[0], 2, "dense input")
	if err != nil {
		return nil, err
	}
	w, err := dense(in[1], 2, "dense kernel")
	if err != nil {
		return nil, err
	}
	if err := opkit.SameDtype(x, w); err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	xs, ws := x.Shape(), w.Shape()
	if xs[1] != ws[0] {
		return nil, fmt.Errorf("%v: input of shape %v does not match a kernel of shape %v", op, xs, ws)
	}
	var b *tensor.Dense
	if op.bias {
		if b, err = dense(in[2], 1, "dense bias"); err != nil {
			return nil, err
		}
		if err := opkit.SameDtype(x, b); err != nil {
			return nil, fmt.Errorf("%v: %w", op, err)
		}
		if b.Shape()[0] != ws[1] {
			return nil, fmt.Errorf("%v: bias of shape %v does not match a kernel of shape %v", op, b.Shape(), ws)
		}
	}
	rows, k, n := xs[0], xs[1], ws[1]
	out := opkit.Output(prealloc, x.Dtype(), rows, n)
	switch x.Dtype() {
	case tensor.Float32:
		var bv []float32
		if b != nil {
			bv = b.Float32s()
		}
		denseForward(x.Float32s(), w.Float32s(), bv, out.Float32s(), rows, k, n, op.act, opkit.Tanh32)
	default:
		var bv []float64
		if b != nil {
			bv = b.Float64s()
		}
		denseForward(x.Float64s(), w.Float64s(), bv, out.Float64s(), rows, k, n, op.act, math.Tanh)
	}
	return out, nil
}

func denseForward[T float](x, w, b, out []T, rows, k, n int, act activation, th func(T) T) {
	opkit.Gemm(false, false, rows, n, k, x, k, w, n, 0, out, n)
	if b == nil && act == linear {
		return
	}
	for i := 0; i < rows*n; i += n {
		o := out[i : i+n]
		for j, e := range b { // none without a bias
			o[j] += e
		}
		switch act {
		case relu:
			for j, v := range o {
				o[j] = max(v, 0)
			}
		case tanh:
			for j, v := range o {
				o[j] = th(v)
			}
		}
	}
}

// DiffWRT: every input.
func (op denseOp) DiffWRT(n int) []bool {
	d := make([]bool, n)
	for i := range d {
		d[i] = true
	}
	return d
}

// SymDiff builds dz from the output, then dx, dw and db from dz.
func (op denseOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if len(inputs) != op.Arity() {
		return nil, fmt.Errorf("%v: expected %d inputs, got %d", op, op.Arity(), len(inputs))
	}
	dz := grad
	var err error
	if op.act != linear {
		if dz, err = G.ApplyOp(actGradOp{act: op.act}, output, grad); err != nil {
			return nil, err
		}
	}
	dx, err := G.ApplyOp(matMulOp{transB: true}, dz, inputs[1])
	if err != nil {
		return nil, err
	}
	dw, err := G.ApplyOp(matMulOp{transA: true}, inputs[0], dz)
	if err != nil {
		return nil, err
	}
	if !op.bias {
		return G.Nodes{dx, dw}, nil
	}
	db, err := G.ApplyOp(colSumOp{}, dz)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx, dw, db}, nil
}

// WriteHash writes the op's name and settings.
func (op denseOp) WriteHash(h hash.Hash) { opkit.WriteName(h, op) }

// Hashcode hashes the op's name and settings.
func (op denseOp) Hashcode() uint32 { return opkit.Hashcode(op) }

// String names the op.
func (op denseOp) String() string { return fmt.Sprintf("FusedDense{%v, bias=%v}", op.act, op.bias) }

// actGradOp is (y, dy) -> dy·act'(z) read from the output y.
type actGradOp struct {
	opkit.Base
	act activation
}

// Arity is 2: the output and its gradient.
func (op actGradOp) Arity() int { return 2 }

// Type is a → a → a.
func (op actGradOp) Type() hm.Type {
	t := &G.TensorType{Dims: 2, Of: hm.TypeVariable('a')}
	return hm.NewFnType(t, t, t)
}

// InferShape returns the output's shape.
func (op actGradOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return opkit.InputShape(op, in, 2, 0)
}

// Do computes into a new tensor.
func (op actGradOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// UsePreallocDo computes into prealloc when it fits.
func (op actGradOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	ds, err := opkit.Inputs(op, in, anyRank, "activation output", "activation output gradient")
	if err != nil {
		return nil, err
	}
	y, g := ds[0], ds[1]
	if !y.Shape().Eq(g.Shape()) {
		return nil, fmt.Errorf("%v: output %v and gradient %v differ in shape", op, y.Shape(), g.Shape())
	}
	out := opkit.Output(prealloc, y.Dtype(), y.Shape()...)
	switch y.Dtype() {
	case tensor.Float32:
		actGrad(op.act, y.Float32s(), g.Float32s(), out.Float32s())
	default:
		actGrad(op.act, y.Float64s(), g.Float64s(), out.Float64s())
	}
	return out, nil
}

func actGrad[T float](act activation, y, g, out []T) {
	g, out = g[:len(y)], out[:len(y)]
	switch act {
	case relu:
		opkit.ReluGrad(y, g, out)
	case tanh:
		// Gorgonia's form: (1 - y·y)·dy.
		for i, v := range y {
			out[i] = (1 - v*v) * g[i]
		}
	default:
		copy(out, g)
	}
}

// WriteHash writes the op's name.
func (op actGradOp) WriteHash(h hash.Hash) { opkit.WriteName(h, op) }

// Hashcode hashes the op's name.
func (op actGradOp) Hashcode() uint32 { return opkit.Hashcode(op) }

// String names the op.
func (op actGradOp) String() string { return fmt.Sprintf("FusedActGrad{%v}", op.act) }

// matMulOp is op(a)·op(b) for matrices, op a transpose where asked.
type matMulOp struct {
	opkit.Base
	transA, transB bool
}

// Arity is 2.
func (op matMulOp) Arity() int { return 2 }

// Type is matrix a → matrix a → matrix a.
func (op matMulOp) Type() hm.Type {
	m := &G.TensorType{Dims: 2, Of: hm.TypeVariable('a')}
	return hm.NewFnType(m, m, m)
}

// dims returns m, k of op(a) and k, n of op(b).
func (op matMulOp) dims(as, bs tensor.Shape) (m, k, k2, n int) {
	m, k = as[0], as[1]
	if op.transA {
		m, k = k, m
	}
	k2, n = bs[0], bs[1]
	if op.transB {
		k2, n = n, k2
	}
	return
}

// InferShape returns (rows of op(a), columns of op(b)).
func (op matMulOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	if len(in) != 2 {
		return nil, fmt.Errorf("%v: expected 2 shapes, got %d", op, len(in))
	}
	as, err := opkit.Shape(in[0], op.String())
	if err != nil {
		return nil, err
	}
	bs, err := opkit.Shape(in[1], op.String())
	if err != nil {
		return nil, err
	}
	if as.Dims() != 2 || bs.Dims() != 2 {
		return nil, fmt.Errorf("%v: expected matrices, got %v and %v", op, as, bs)
	}
	m, k, k2, n := op.dims(as, bs)
	if k != k2 {
		return nil, fmt.Errorf("%v: shapes %v and %v do not multiply", op, as, bs)
	}
	return tensor.Shape{m, n}, nil
}

// Do multiplies into a new tensor.
func (op matMulOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// UsePreallocDo multiplies into prealloc when it fits.
func (op matMulOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	ds, err := opkit.Inputs(op, in, matrix, "matmul operand", "matmul operand")
	if err != nil {
		return nil, err
	}
	a, b := ds[0], ds[1]
	as, bs := a.Shape(), b.Shape()
	m, k, k2, n := op.dims(as, bs)
	if k != k2 {
		return nil, fmt.Errorf("%v: shapes %v and %v do not multiply", op, as, bs)
	}
	out := opkit.Output(prealloc, a.Dtype(), m, n)
	switch a.Dtype() {
	case tensor.Float32:
		opkit.Gemm(op.transA, op.transB, m, n, k, a.Float32s(), as[1], b.Float32s(), bs[1], 0, out.Float32s(), n)
	default:
		opkit.Gemm(op.transA, op.transB, m, n, k, a.Float64s(), as[1], b.Float64s(), bs[1], 0, out.Float64s(), n)
	}
	return out, nil
}

// WriteHash writes the op's name and transposes.
func (op matMulOp) WriteHash(h hash.Hash) { opkit.WriteName(h, op) }

// Hashcode hashes the op's name and transposes.
func (op matMulOp) Hashcode() uint32 { return opkit.Hashcode(op) }

// String names the op.
func (op matMulOp) String() string {
	return fmt.Sprintf("FusedMatMul{tA=%v, tB=%v}", op.transA, op.transB)
}

// colSumOp sums a matrix over its rows: the gradient of a bias.
type colSumOp struct{ opkit.Base }

// Arity is 1.
func (op colSumOp) Arity() int { return 1 }

// Type is matrix a → vector a.
func (op colSumOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(&G.TensorType{Dims: 2, Of: a}, &G.TensorType{Dims: 1, Of: a})
}

// InferShape returns (columns).
func (op colSumOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("%v: expected 1 shape, got %d", op, len(in))
	}
	s, err := opkit.Shape(in[0], op.String())
	if err != nil {
		return nil, err
	}
	if s.Dims() != 2 {
		return nil, fmt.Errorf("%v: expected a matrix, got %v", op, s)
	}
	return tensor.Shape{s[1]}, nil
}

// Do sums into a new tensor.
func (op colSumOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// UsePreallocDo sums into prealloc when it fits.
func (op colSumOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	ds, err := opkit.Inputs(op, in, matrix, "bias gradient")
	if err != nil {
		return nil, err
	}
	g := ds[0]
	c := g.Shape()[1]
	out := opkit.Output(prealloc, g.Dtype(), c)
	switch g.Dtype() {
	case tensor.Float32:
		opkit.ColSum(out.Float32s(), g.Float32s())
	default:
		opkit.ColSum(out.Float64s(), g.Float64s())
	}
	return out, nil
}

// WriteHash writes the op's name.
func (op colSumOp) WriteHash(h hash.Hash) { opkit.WriteName(h, op) }

// Hashcode hashes the op's name.
func (op colSumOp) Hashcode() uint32 { return opkit.Hashcode(op) }

// String names the op.
func (op colSumOp) String() string { return "FusedColSum" }
