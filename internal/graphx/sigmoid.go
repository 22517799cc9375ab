package graphx

import (
	"fmt"
	"hash"
	"hash/fnv"
	"math"

	"github.com/chewxy/hm"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Sigmoid is 1/(1 + exp(-x)) element-wise, exact to the float's
// rounding on the whole line, with the gradient sigmoid(x)*(1 -
// sigmoid(x)), also exact, everywhere.
//
// Gorgonia's own Sigmoid returns exactly 1 above 15 (float32) or 19
// (float64), so its gradient there is 0 and a cross-entropy on it reads
// its clip bound. Built from Gorgonia's primitives, the formula is still
// a few ulps off in float32, whose exp (chewxy/math32) is not correctly
// rounded, and 1/(1 + exp(-x)) as written rounds 1 + exp(-x) first
// (0.99999976 at 15.5 in float32, where the true value rounds to
// 0.99999982, Keras's figure). So Sigmoid is one op of its own, which
// computes in float64 in the form accurate on each side of 0 (exp(x)/(1 +
// exp(x)) below, 1/(1 + exp(-x)) above) and rounds once to the dtype;
// its gradient is a second such op, z/(1 + z)² with z = exp(-|x|).
func (e *Expr) Sigmoid(x *G.Node) *G.Node {
	if e.err != nil {
		return nil
	}
	return e.Node(G.ApplyOp(sigmoidOp{}, x))
}

// sigmoidOp computes sigmoid (grad false) or its derivative (grad true)
// element-wise, on float32 or float64 tensors and scalars.
type sigmoidOp struct{ grad bool }

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

func (op sigmoidOp) f() func(float64) float64 {
	if op.grad {
		return sigmoidGrad64
	}
	return sigmoid64
}

func (op sigmoidOp) Arity() int { return 1 }

func (op sigmoidOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	return hm.NewFnType(a, a)
}

func (op sigmoidOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	if len(in) != 1 || in[0] == nil {
		return nil, fmt.Errorf("%v: expected one input shape, got %d", op, len(in))
	}
	s, ok := in[0].(tensor.Shape)
	if !ok {
		return nil, fmt.Errorf("%v: expected a tensor.Shape, got %T", op, in[0])
	}
	return s.Clone(), nil
}

func (op sigmoidOp) Do(in ...G.Value) (G.Value, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("%v: expected 1 input, got %d", op, len(in))
	}
	return op.apply(nil, in[0])
}

// UsePreallocDo writes into prealloc when it is a tensor of the input's
// dtype and size, so that a graph run again allocates nothing here.
func (op sigmoidOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("%v: expected 1 input, got %d", op, len(in))
	}
	out, _ := prealloc.(*tensor.Dense)
	return op.apply(out, in[0])
}

func (op sigmoidOp) apply(out *tensor.Dense, v G.Value) (G.Value, error) {
	f := op.f()
	switch x := v.(type) {
	case *G.F64:
		return G.NewF64(f(float64(*x))), nil
	case *G.F32:
		return G.NewF32(float32(f(float64(*x)))), nil
	case *tensor.Dense:
		if x.RequiresIterator() {
			m, ok := x.Materialize().(*tensor.Dense)
			if !ok {
				return nil, fmt.Errorf("%v: cannot read a %T view", op, x)
			}
			x = m
		}
		if out == nil || out.Dtype() != x.Dtype() || out.Shape().TotalSize() != x.Shape().TotalSize() || out.RequiresIterator() {
			out = tensor.New(tensor.Of(x.Dtype()), tensor.WithShape(x.Shape().Clone()...))
		} else if !out.Shape().Eq(x.Shape()) {
			if err := out.Reshape(x.Shape().Clone()...); err != nil {
				return nil, fmt.Errorf("%v: %w", op, err)
			}
		}
		switch x.Dtype() {
		case tensor.Float64:
			src, dst := x.Float64s(), out.Float64s()
			for i, e := range src {
				dst[i] = f(e)
			}
		case tensor.Float32:
			src, dst := x.Float32s(), out.Float32s()
			for i, e := range src {
				dst[i] = float32(f(float64(e)))
			}
		default:
			return nil, fmt.Errorf("%v: expected float32 or float64, got %v", op, x.Dtype())
		}
		return out, nil
	}
	return nil, fmt.Errorf("%v: expected a float32 or float64 tensor or scalar, got %T", op, v)
}

func (op sigmoidOp) ReturnsPtr() bool     { return false }
func (op sigmoidOp) CallsExtern() bool    { return false }
func (op sigmoidOp) OverwritesInput() int { return -1 }

func (op sigmoidOp) WriteHash(h hash.Hash) { fmt.Fprint(h, op.String()) }

func (op sigmoidOp) Hashcode() uint32 {
	h := fnv.New32a()
	op.WriteHash(h)
	return h.Sum32()
}

func (op sigmoidOp) String() string {
	if op.grad {
		return "graphx.SigmoidGrad"
	}
	return "graphx.Sigmoid"
}

// DiffWRT: the value is differentiable; its derivative op is not taken
// further (no second derivatives of sigmoid).
func (op sigmoidOp) DiffWRT(inputs int) []bool { return []bool{!op.grad} }

// SymDiff is grad * sigmoid'(x), sigmoid' computed by the derivative op
// from x itself rather than from the output (1 - y loses its relative
// accuracy as y nears 1).
func (op sigmoidOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if op.grad {
		return nil, fmt.Errorf("%v: second derivatives of sigmoid are not supported", op)
	}
	if len(inputs) != 1 {
		return nil, fmt.Errorf("%v: expected 1 input, got %d", op, len(inputs))
	}
	d, err := G.ApplyOp(sigmoidOp{grad: true}, inputs[0])
	if err != nil {
		return nil, err
	}
	dx, err := G.HadamardProd(grad, d)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx}, nil
}
