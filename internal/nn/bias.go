package nn

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	"github.com/gokeras/keras/internal/opkit"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// BiasAdd adds the vector b to every position of x along x's last axis
// (x of any rank, b of shape (x's last dimension)). Its gradient with
// respect to x is the incoming gradient itself, and with respect to b
// that gradient summed over every axis but the last: one pass each,
// where Gorgonia's BroadcastAdd first repeats b to x's full size.
func BiasAdd(x, b *G.Node) (*G.Node, error) {
	xs, bs := x.Shape(), b.Shape()
	if xs.Dims() < 1 || bs.Dims() != 1 || bs[0] != xs[xs.Dims()-1] {
		return nil, fmt.Errorf("bias_add: bias of shape %v does not match the last axis of %v", bs, xs)
	}
	return G.ApplyOp(biasAddOp{rank: xs.Dims()}, x, b)
}

// BiasRelu is max(x + b, 0), b added along x's last axis: BiasAdd and
// a relu in one pass. Its gradient reads the output: the incoming
// gradient where the output is positive, 0 elsewhere (as TensorFlow's
// relu, whose gradient at 0 is 0), summed over all but the last axis
// for b.
func BiasRelu(x, b *G.Node) (*G.Node, error) {
	xs, bs := x.Shape(), b.Shape()
	if xs.Dims() < 1 || bs.Dims() != 1 || bs[0] != xs[xs.Dims()-1] {
		return nil, fmt.Errorf("bias_relu: bias of shape %v does not match the last axis of %v", bs, xs)
	}
	return G.ApplyOp(biasAddOp{rank: xs.Dims(), relu: true}, x, b)
}

// biasAddOp is (x, b) -> x + b along the last axis, or max(x + b, 0)
// with relu.
type biasAddOp struct {
	opkit.Base
	rank int
	relu bool
}

// Arity is 2: the tensor and the bias.
func (op biasAddOp) Arity() int { return 2 }

// Type is tensor a → vector a → tensor a.
func (op biasAddOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	t := &G.TensorType{Dims: op.rank, Of: a}
	return hm.NewFnType(t, &G.TensorType{Dims: 1, Of: a}, t)
}

// InferShape returns x's shape.
func (op biasAddOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return opkit.InputShape(op, in, 2, 0)
}

// Do adds into a new tensor.
func (op biasAddOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// UsePreallocDo adds into prealloc when it fits.
func (op biasAddOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	ds, err := opkit.Inputs(op, in, anyDense, "bias_add input", "bias")
	if err != nil {
		return nil, err
	}
	x, b := ds[0], ds[1]
	xs := x.Shape()
	if b.Shape().TotalSize() != xs[xs.Dims()-1] {
		return nil, fmt.Errorf("%v: bias of shape %v does not match the last axis of %v", op, b.Shape(), xs)
	}
	out := opkit.Output(prealloc, x.Dtype(), xs...)
	switch x.Dtype() {
	case tensor.Float32:
		biasAdd(x.Float32s(), b.Float32s(), out.Float32s(), op.relu)
	default:
		biasAdd(x.Float64s(), b.Float64s(), out.Float64s(), op.relu)
	}
	return out, nil
}

func biasAdd[T float](x, b, out []T, relu bool) {
	c := len(b)
	parallelFor(len(x)/c, len(x), func(lo, hi int) { biasAddRange(x, b, out, relu, lo, hi) })
}

// biasAddRange adds b to rows [lo, hi) of x, each of len(b).
func biasAddRange[T float](x, b, out []T, relu bool, lo, hi int) {
	c := len(b)
	for i := lo * c; i < hi*c; i += c {
		o, v := out[i:i+c], x[i:i+c]
		if relu {
			for j, e := range b {
				o[j] = max(v[j]+e, 0)
			}
			continue
		}
		for j, e := range b {
			o[j] = v[j] + e
		}
	}
}

// DiffWRT: both inputs.
func (op biasAddOp) DiffWRT(int) []bool { return []bool{true, true} }

// SymDiff passes the gradient (masked by the relu's) to x and sums it
// for b.
func (op biasAddOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if len(inputs) != 2 {
		return nil, fmt.Errorf("%v: expected 2 inputs, got %d", op, len(inputs))
	}
	if op.relu {
		var err error
		if grad, err = G.ApplyOp(reluGradOp{rank: op.rank}, output, grad); err != nil {
			return nil, err
		}
	}
	db, err := G.ApplyOp(biasGradOp{rank: op.rank}, grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{grad, db}, nil
}

// WriteHash writes the op's name and rank.
func (op biasAddOp) WriteHash(h hash.Hash) { opkit.WriteName(h, op) }

// Hashcode hashes the op's name and rank.
func (op biasAddOp) Hashcode() uint32 { return opkit.Hashcode(op) }

// String names the op.
func (op biasAddOp) String() string {
	if op.relu {
		return fmt.Sprintf("BiasRelu{rank=%d}", op.rank)
	}
	return fmt.Sprintf("BiasAdd{rank=%d}", op.rank)
}

// biasGradOp sums a tensor over every axis but the last.
type biasGradOp struct {
	opkit.Base
	rank int
}

// Arity is 1.
func (op biasGradOp) Arity() int { return 1 }

// Type is tensor a → vector a.
func (op biasGradOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(&G.TensorType{Dims: op.rank, Of: a}, &G.TensorType{Dims: 1, Of: a})
}

// InferShape returns (last dimension).
func (op biasGradOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("%v: expected 1 shape, got %d", op, len(in))
	}
	s, ok := in[0].(tensor.Shape)
	if !ok || s.Dims() < 1 {
		return nil, fmt.Errorf("%v: expected a shape of rank 1 or more, got %v", op, in[0])
	}
	return tensor.Shape{s[s.Dims()-1]}, nil
}

// Do sums into a new tensor.
func (op biasGradOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// UsePreallocDo sums into prealloc when it fits.
func (op biasGradOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	ds, err := opkit.Inputs(op, in, anyDense, "bias gradient")
	if err != nil {
		return nil, err
	}
	g := ds[0]
	gs := g.Shape()
	c := gs[gs.Dims()-1]
	out := opkit.Output(prealloc, g.Dtype(), c)
	switch g.Dtype() {
	case tensor.Float32:
		opkit.ColSum(out.Float32s(), g.Float32s())
	default:
		opkit.ColSum(out.Float64s(), g.Float64s())
	}
	return out, nil
}

// WriteHash writes the op's name and rank.
func (op biasGradOp) WriteHash(h hash.Hash) { opkit.WriteName(h, op) }

// Hashcode hashes the op's name and rank.
func (op biasGradOp) Hashcode() uint32 { return opkit.Hashcode(op) }

// String names the op.
func (op biasGradOp) String() string { return fmt.Sprintf("BiasGrad{rank=%d}", op.rank) }

// reluGradOp is (y, dy) -> dy where y > 0, else 0: the gradient of a
// relu read from its output.
type reluGradOp struct {
	opkit.Base
	rank int
}

// Arity is 2: the relu's output and its gradient.
func (op reluGradOp) Arity() int { return 2 }

// Type is a → a → a.
func (op reluGradOp) Type() hm.Type {
	t := &G.TensorType{Dims: op.rank, Of: hm.TypeVariable('a')}
	return hm.NewFnType(t, t, t)
}

// InferShape returns the output's shape.
func (op reluGradOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return opkit.InputShape(op, in, 2, 0)
}

// Do masks into a new tensor.
func (op reluGradOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// UsePreallocDo masks into prealloc when it fits.
func (op reluGradOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	ds, err := opkit.Inputs(op, in, anyDense, "relu output", "relu output gradient")
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
		reluGrad(y.Float32s(), g.Float32s(), out.Float32s())
	default:
		reluGrad(y.Float64s(), g.Float64s(), out.Float64s())
	}
	return out, nil
}

func reluGrad[T float](y, g, out []T) {
	parallelFor(len(y), len(y), func(lo, hi int) { opkit.ReluGrad(y[lo:hi], g[lo:hi], out[lo:hi]) })
}

// WriteHash writes the op's name and rank.
func (op reluGradOp) WriteHash(h hash.Hash) { opkit.WriteName(h, op) }

// Hashcode hashes the op's name and rank.
func (op reluGradOp) Hashcode() uint32 { return opkit.Hashcode(op) }

// String names the op.
func (op reluGradOp) String() string { return fmt.Sprintf("ReluGrad{rank=%d}", op.rank) }
