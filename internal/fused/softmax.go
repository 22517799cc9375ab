package fused

import (
	"fmt"
	"hash"
	"math"

	"github.com/chewxy/hm"
	"github.com/chewxy/math32"
	"github.com/gokeras/keras/internal/opkit"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Softmax is exp(z - m)/sum(exp(z - m)) over z's last axis, m the row's
// maximum: Keras's softmax, finite for any logits. Its gradient reads
// the output: p⊙(dp - Σ p·dp) per row. A loss made by
// SoftmaxCrossentropy on its output takes its gradient straight to z.
func Softmax(z *G.Node) (*G.Node, error) {
	if z.Dims() < 1 {
		return nil, fmt.Errorf("fused softmax: needs at least one axis, got a scalar")
	}
	return G.ApplyOp(softmaxOp{rank: z.Dims()}, z)
}

// Sigmoid is 1/(1 + exp(-z)) element-wise, exact to rounding on the
// whole line (computed in float64, as internal/graphx's sigmoid), with
// the gradient dy·σ'(z) read from z. A loss made by
// SigmoidBinaryCrossentropy on its output takes its gradient straight
// to z.
func Sigmoid(z *G.Node) (*G.Node, error) {
	if z.Dims() < 1 {
		return nil, fmt.Errorf("fused sigmoid: needs a tensor, got a scalar")
	}
	return G.ApplyOp(sigmoidOp{rank: z.Dims()}, z)
}

// softmaxOp is z -> softmax(z) over the last axis.
type softmaxOp struct {
	opkit.Base
	rank int
}

// Arity is 1.
func (op softmaxOp) Arity() int { return 1 }

// Type is a → a.
func (op softmaxOp) Type() hm.Type {
	t := &G.TensorType{Dims: op.rank, Of: hm.TypeVariable('a')}
	return hm.NewFnType(t, t)
}

// InferShape returns z's shape.
func (op softmaxOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return opkit.InputShape(op, in, 1, 0)
}

// Do computes into a new tensor.
func (op softmaxOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// UsePreallocDo computes into prealloc when it fits.
func (op softmaxOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	ds, err := opkit.Inputs(op, in, anyRank, "softmax input")
	if err != nil {
		return nil, err
	}
	z := ds[0]
	s := z.Shape()
	out := opkit.Output(prealloc, z.Dtype(), s...)
	c := s[s.Dims()-1]
	switch z.Dtype() {
	case tensor.Float32:
		softmax(z.Float32s(), out.Float32s(), c, math32.Exp)
	default:
		softmax(z.Float64s(), out.Float64s(), c, math.Exp)
	}
	return out, nil
}

// softmax computes each row of c values as the graph of primitives did:
// the row's maximum, exp of the shifted values, their sum, a division.
func softmax[T float](z, out []T, c int, exp func(T) T) {
	if c == 0 {
		return
	}
	for i := 0; i+c <= len(z); i += c {
		r, o := z[i:i+c], out[i:i+c]
		m := r[0]
		for _, v := range r[1:] {
			m = max(m, v)
		}
		var sum T
		for j, v := range r {
			e := exp(v - m)
			o[j] = e
			sum += e
		}
		for j := range o {
			o[j] /= sum
		}
	}
}

// DiffWRT: the logits.
func (op softmaxOp) DiffWRT(int) []bool { return []bool{true} }

// SymDiff is the softmax's Jacobian applied to grad, read from the
// output.
func (op softmaxOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if len(inputs) != 1 {
		return nil, fmt.Errorf("%v: expected 1 input, got %d", op, len(inputs))
	}
	dz, err := G.ApplyOp(softmaxGradOp{rank: op.rank}, output, grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dz}, nil
}

// WriteHash writes the op's name and rank.
func (op softmaxOp) WriteHash(h hash.Hash) { opkit.WriteName(h, op) }

// Hashcode hashes the op's name and rank.
func (op softmaxOp) Hashcode() uint32 { return opkit.Hashcode(op) }

// String names the op.
func (op softmaxOp) String() string { return fmt.Sprintf("FusedSoftmax{rank=%d}", op.rank) }

// softmaxGradOp is (p, dp) -> p⊙(dp - Σ p·dp) per row.
type softmaxGradOp struct {
	opkit.Base
	rank int
}

// Arity is 2.
func (op softmaxGradOp) Arity() int { return 2 }

// Type is a → a → a.
func (op softmaxGradOp) Type() hm.Type {
	t := &G.TensorType{Dims: op.rank, Of: hm.TypeVariable('a')}
	return hm.NewFnType(t, t, t)
}

// InferShape returns p's shape.
func (op softmaxGradOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return opkit.InputShape(op, in, 2, 0)
}

// Do computes into a new tensor.
func (op softmaxGradOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// UsePreallocDo computes into prealloc when it fits.
func (op softmaxGradOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	ds, err := opkit.Inputs(op, in, anyRank, "softmax output", "softmax output gradient")
	if err != nil {
		return nil, err
	}
	p, g := ds[0], ds[1]
	if !p.Shape().Eq(g.Shape()) {
		return nil, fmt.Errorf("%v: output %v and gradient %v differ in shape", op, p.Shape(), g.Shape())
	}
	s := p.Shape()
	out := opkit.Output(prealloc, p.Dtype(), s...)
	c := s[s.Dims()-1]
	switch p.Dtype() {
	case tensor.Float32:
		softmaxGrad(p.Float32s(), g.Float32s(), out.Float32s(), c)
	default:
		softmaxGrad(p.Float64s(), g.Float64s(), out.Float64s(), c)
	}
	return out, nil
}

func softmaxGrad[T float](p, g, out []T, c int) {
	if c == 0 {
		return
	}
	for i := 0; i+c <= len(p); i += c {
		pr, gr, o := p[i:i+c], g[i:i+c], out[i:i+c]
		var dot T
		for j, v := range pr {
			dot += v * gr[j]
		}
		for j, v := range pr {
			o[j] = v * (gr[j] - dot)
		}
	}
}

// WriteHash writes the op's name and rank.
func (op softmaxGradOp) WriteHash(h hash.Hash) { opkit.WriteName(h, op) }

// Hashcode hashes the op's name and rank.
func (op softmaxGradOp) Hashcode() uint32 { return opkit.Hashcode(op) }

// String names the op.
func (op softmaxGradOp) String() string { return fmt.Sprintf("FusedSoftmaxGrad{rank=%d}", op.rank) }

// sigmoidOp is z -> σ(z) element-wise (grad false), or (z, dy) ->
// dy·σ'(z) (grad true).
type sigmoidOp struct {
	opkit.Base
	rank int
	grad bool
}

func sigmoid64(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	z := math.Exp(x)
	return z / (1 + z)
}

func sigmoidGrad64(x float64) float64 {
	z := math.Exp(-math.Abs(x))
	d := 1 + z
	return z / (d * d)
}

// Arity is 1, or 2 for the gradient.
func (op sigmoidOp) Arity() int {
	if op.grad {
		return 2
	}
	return 1
}

// Type is a → a, or a → a → a for the gradient.
func (op sigmoidOp) Type() hm.Type {
	t := &G.TensorType{Dims: op.rank, Of: hm.TypeVariable('a')}
	if op.grad {
		return hm.NewFnType(t, t, t)
	}
	return hm.NewFnType(t, t)
}

// InferShape returns z's shape.
func (op sigmoidOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	if len(in) != op.Arity() {
		return nil, fmt.Errorf("%v: expected %d shapes, got %d", op, op.Arity(), len(in))
	}
	s, err := opkit.Shape(in[0], op.String())
	if err != nil {
		return nil, err
	}
	return s.Clone(), nil
}

// Do computes into a new tensor.
func (op sigmoidOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// UsePreallocDo computes into prealloc when it fits.
func (op sigmoidOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	if len(in) != op.Arity() {
		return nil, fmt.Errorf("%v: expected %d inputs, got %d", op, op.Arity(), len(in))
	}
	z, err := dense(in[0], 0, "sigmoid input")
	if err != nil {
		return nil, err
	}
	var g *tensor.Dense
	if op.grad {
		if g, err = dense(in[1], 0, "sigmoid output gradient"); err != nil {
			return nil, err
		}
		if err := opkit.SameDtype(z, g); err != nil {
			return nil, fmt.Errorf("%v: %w", op, err)
		}
		if !z.Shape().Eq(g.Shape()) {
			return nil, fmt.Errorf("%v: input %v and gradient %v differ in shape", op, z.Shape(), g.Shape())
		}
	}
	out := opkit.Output(prealloc, z.Dtype(), z.Shape()...)
	switch {
	case z.Dtype() == tensor.Float32 && g == nil:
		sigmoid(z.Float32s(), out.Float32s())
	case z.Dtype() == tensor.Float32:
		sigmoidGrad(z.Float32s(), g.Float32s(), out.Float32s())
	case g == nil:
		sigmoid(z.Float64s(), out.Float64s())
	default:
		sigmoidGrad(z.Float64s(), g.Float64s(), out.Float64s())
	}
	return out, nil
}

// sigmoid writes σ(z), computed in float64.
func sigmoid[T float](z, out []T) {
	for i, v := range z {
		out[i] = T(sigmoid64(float64(v)))
	}
}

// sigmoidGrad writes g·σ'(z), σ' computed in float64.
func sigmoidGrad[T float](z, g, out []T) {
	for i, v := range z {
		out[i] = g[i] * T(sigmoidGrad64(float64(v)))
	}
}

// DiffWRT: z (the gradient op is not differentiated).
func (op sigmoidOp) DiffWRT(n int) []bool {
	if op.grad {
		return make([]bool, n)
	}
	return []bool{true}
}

// SymDiff is dy·σ'(z).
func (op sigmoidOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if op.grad || len(inputs) != 1 {
		return nil, fmt.Errorf("%v: not differentiable here", op)
	}
	dz, err := G.ApplyOp(sigmoidOp{rank: op.rank, grad: true}, inputs[0], grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dz}, nil
}

// WriteHash writes the op's name and rank.
func (op sigmoidOp) WriteHash(h hash.Hash) { opkit.WriteName(h, op) }

// Hashcode hashes the op's name and rank.
func (op sigmoidOp) Hashcode() uint32 { return opkit.Hashcode(op) }

// String names the op.
func (op sigmoidOp) String() string {
	if op.grad {
		return fmt.Sprintf("FusedSigmoidGrad{rank=%d}", op.rank)
	}
	return fmt.Sprintf("FusedSigmoid{rank=%d}", op.rank)
}
