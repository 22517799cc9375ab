package fused

import (
	"fmt"
	"hash"
	"math"

	"github.com/chewxy/hm"
	"github.com/gokeras/keras/internal/opkit"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Penalty is Keras's L1L2 weight penalty in one op: l1·Σ|w| + l2·Σw²,
// a scalar, with the gradient g·(l1·sign(w) + 2·l2·w) (sign(0) = 0, as
// Gorgonia's) in one op too. A zero factor adds nothing.
func Penalty(w *G.Node, l1, l2 float64) (*G.Node, error) {
	if w.Dims() < 1 {
		return nil, fmt.Errorf("fused penalty: needs a tensor, got a scalar")
	}
	return G.ApplyOp(penaltyOp{rank: w.Dims(), l1: l1, l2: l2}, w)
}

// penaltyOp is w -> the penalty, or with grad (w, g) -> its gradient.
type penaltyOp struct {
	opkit.Base
	rank   int
	l1, l2 float64
	grad   bool
}

// Arity is 1, or 2 for the gradient.
func (op penaltyOp) Arity() int {
	if op.grad {
		return 2
	}
	return 1
}

// Type is tensor a → a, or tensor a → a → tensor a.
func (op penaltyOp) Type() hm.Type {
	a := hm.TypeVariable('a')
	t := &G.TensorType{Dims: op.rank, Of: a}
	if op.grad {
		return hm.NewFnType(t, a, t)
	}
	return hm.NewFnType(t, a)
}

// InferShape is a scalar, or w's shape for the gradient.
func (op penaltyOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return lossShape(op, in, op.grad, 0)
}

// Do computes into a new value.
func (op penaltyOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// UsePreallocDo computes into prealloc when it fits.
func (op penaltyOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	if len(in) != op.Arity() {
		return nil, fmt.Errorf("%v: expected %d inputs, got %d", op, op.Arity(), len(in))
	}
	w, err := dense(in[0], 0, "penalised weight")
	if err != nil {
		return nil, err
	}
	if !op.grad {
		var v float64
		switch w.Dtype() {
		case tensor.Float32:
			v = penalty(w.Float32s(), float32(op.l1), float32(op.l2))
		default:
			v = penalty(w.Float64s(), op.l1, op.l2)
		}
		return scalarOut(prealloc, w.Dtype(), v), nil
	}
	g, err := scalarOf(in[1])
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	out := opkit.Output(prealloc, w.Dtype(), w.Shape()...)
	switch w.Dtype() {
	case tensor.Float32:
		penaltyGrad(w.Float32s(), out.Float32s(), float32(g), float32(op.l1), float32(op.l2))
	default:
		penaltyGrad(w.Float64s(), out.Float64s(), g, op.l1, op.l2)
	}
	return out, nil
}

func penalty[T float](w []T, l1, l2 T) float64 {
	var a, s T
	for _, v := range w {
		a += T(math.Abs(float64(v)))
		s += v * v
	}
	var p T
	if l1 != 0 {
		p += a * l1
	}
	if l2 != 0 {
		p += s * l2
	}
	return float64(p)
}

func penaltyGrad[T float](w, out []T, g, l1, l2 T) {
	out = out[:len(w)]
	for i, v := range w {
		var d T
		if l1 != 0 {
			switch {
			case v > 0:
				d = g * l1
			case v < 0:
				d = -g * l1
			}
		}
		if l2 != 0 {
			d += 2 * v * (g * l2)
		}
		out[i] = d
	}
}

// DiffWRT: the weight.
func (op penaltyOp) DiffWRT(n int) []bool {
	d := make([]bool, n)
	if !op.grad && n == 1 {
		d[0] = true
	}
	return d
}

// SymDiff is the gradient op.
func (op penaltyOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if op.grad || len(inputs) != 1 {
		return nil, fmt.Errorf("%v: not differentiable here", op)
	}
	gop := op
	gop.grad = true
	d, err := G.ApplyOp(gop, inputs[0], grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{d}, nil
}

// WriteHash writes the op's name and factors.
func (op penaltyOp) WriteHash(h hash.Hash) { opkit.WriteName(h, op) }

// Hashcode hashes the op's name and factors.
func (op penaltyOp) Hashcode() uint32 { return opkit.Hashcode(op) }

// String names the op.
func (op penaltyOp) String() string {
	name := "FusedPenalty"
	if op.grad {
		name += "Grad"
	}
	return fmt.Sprintf("%s{rank=%d, l1=%v, l2=%v}", name, op.rank, op.l1, op.l2)
}
