// Package graphx builds Gorgonia expressions that read as formulas.
//
// An Expr carries the dtype of the inputs, so that every constant it
// makes matches it, and the first error met, so that a formula is
// written without an error check at each step: once an error is set,
// every method does nothing and returns nil, and Err (or Result) reports
// it at the end.
//
//	e := graphx.New(x.Dtype())
//	y := e.Div(x, e.Add(e.Abs(x), e.Scalar(1))) // softsign
//	return e.Result(y)
//
// The layers and losses packages build their graphs with it; neither
// imports the other.
package graphx

import (
	"fmt"
	"strconv"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Expr builds part of a graph with constants of one dtype and keeps the
// first error. Its zero value is not ready to use: call New.
//
// Nodes are hash-consed by Gorgonia (same op, inputs and name give the
// same node). Scalar constants are named by their value, which is safe.
// Tensor constants (Fill) are named here by dtype, shape and value, so
// that two of them are merged only when they are equal.
type Expr struct {
	dt  tensor.Dtype
	err error
}

// New returns an Expr whose constants have dtype dt: float32 for
// tensor.Float32, float64 otherwise.
func New(dt tensor.Dtype) *Expr { return &Expr{dt: dt} }

// Err returns the first error met, or nil.
func (e *Expr) Err() error { return e.err }

// Result returns n, or the first error met.
func (e *Expr) Result(n *G.Node) (*G.Node, error) {
	if e.err != nil {
		return nil, e.err
	}
	return n, nil
}

// Fail records an error made from format and args, unless one is
// already recorded, and returns nil.
func (e *Expr) Fail(format string, args ...any) *G.Node {
	if e.err == nil {
		e.err = fmt.Errorf(format, args...)
	}
	return nil
}

// Node takes the result of a Gorgonia call: it records err, if any, and
// returns n. Its arguments are evaluated before it can check an earlier
// error, so it is for calls that do not panic on nil inputs; Unary and
// Binary do check first.
func (e *Expr) Node(n *G.Node, err error) *G.Node {
	if e.err != nil {
		return nil
	}
	if err != nil {
		e.err = err
		return nil
	}
	return n
}

// Unary applies the Gorgonia op f to a.
func (e *Expr) Unary(f func(*G.Node) (*G.Node, error), a *G.Node) *G.Node {
	if e.err != nil {
		return nil
	}
	return e.Node(f(a))
}

// Binary applies the Gorgonia op f to a and b.
func (e *Expr) Binary(f func(a, b *G.Node) (*G.Node, error), a, b *G.Node) *G.Node {
	if e.err != nil {
		return nil
	}
	return e.Node(f(a, b))
}

// Scalar is a scalar constant of the Expr's dtype.
func (e *Expr) Scalar(v float64) *G.Node {
	if e.err != nil {
		return nil
	}
	if e.dt == tensor.Float32 {
		return G.NewConstant(float32(v))
	}
	return G.NewConstant(v)
}

// Fill is a constant tensor of the Expr's dtype and shape s, every
// element v.
func (e *Expr) Fill(s tensor.Shape, v float64) *G.Node {
	if e.err != nil {
		return nil
	}
	var t *tensor.Dense
	if e.dt == tensor.Float32 {
		d := make([]float32, s.TotalSize())
		for i := range d {
			d[i] = float32(v)
		}
		t = tensor.New(tensor.WithShape(s...), tensor.WithBacking(d))
	} else {
		d := make([]float64, s.TotalSize())
		for i := range d {
			d[i] = v
		}
		t = tensor.New(tensor.WithShape(s...), tensor.WithBacking(d))
	}
	name := fmt.Sprintf("graphx/fill_%v_%v_%s", e.dt, s, strconv.FormatFloat(v, 'g', -1, 64))
	return G.NewConstant(t, G.WithName(name))
}

// Add is a + b element-wise; either operand may be a scalar, and other
// shapes broadcast by NumPy's rules ((batch, n) and (n) give (batch, n)).
func (e *Expr) Add(a, b *G.Node) *G.Node { return e.elementwise(G.Add, a, b) }

// Sub is a - b element-wise, broadcast as Add.
func (e *Expr) Sub(a, b *G.Node) *G.Node { return e.elementwise(G.Sub, a, b) }

// Mul is a * b element-wise, broadcast as Add.
func (e *Expr) Mul(a, b *G.Node) *G.Node { return e.elementwise(G.HadamardProd, a, b) }

// Div is a / b element-wise, broadcast as Add.
func (e *Expr) Div(a, b *G.Node) *G.Node { return e.elementwise(G.HadamardDiv, a, b) }

// Neg is -a.
func (e *Expr) Neg(a *G.Node) *G.Node { return e.Unary(G.Neg, a) }

// Abs is |a|.
func (e *Expr) Abs(a *G.Node) *G.Node { return e.Unary(G.Abs, a) }

// Log is the natural logarithm of a.
func (e *Expr) Log(a *G.Node) *G.Node { return e.Unary(G.Log, a) }

// Exp is e to the a.
func (e *Expr) Exp(a *G.Node) *G.Node { return e.Unary(G.Exp, a) }

// Expm1 is exp(a) - 1, accurate for small a.
func (e *Expr) Expm1(a *G.Node) *G.Node { return e.Unary(G.Expm1, a) }

// Square is a².
func (e *Expr) Square(a *G.Node) *G.Node { return e.Unary(G.Square, a) }

// Relu is max(a, 0).
func (e *Expr) Relu(a *G.Node) *G.Node { return e.Unary(G.Rectify, a) }

// Maximum is max(a, b) element-wise, broadcast as Add (a scalar
// operand is filled out to the other's shape).
func (e *Expr) Maximum(a, b *G.Node) *G.Node { return e.between(G.MaxBetween, a, b) }

// Minimum is min(a, b) element-wise, broadcast as Maximum.
func (e *Expr) Minimum(a, b *G.Node) *G.Node { return e.between(G.MinBetween, a, b) }

// between applies MaxBetween or MinBetween, which take operands of one
// shape only.
func (e *Expr) between(f func(a, b *G.Node) (*G.Node, error), a, b *G.Node) *G.Node {
	if e.err != nil {
		return nil
	}
	if a == nil || b == nil {
		return e.Fail("nil operand")
	}
	if a.IsScalar() != b.IsScalar() {
		s, other := a, b
		if b.IsScalar() {
			s, other = b, a
		}
		var full *G.Node
		if v, ok := constantValue(s); ok {
			full = e.Fill(other.Shape(), v)
		} else {
			full = e.Add(e.Fill(other.Shape(), 0), s)
		}
		if a.IsScalar() {
			return e.Binary(f, full, b)
		}
		return e.Binary(f, a, full)
	}
	a, b = e.broadcast(a, b)
	return e.Binary(f, a, b)
}

// Clip bounds x to [lo, hi]. The gradient passes where x is inside.
func (e *Expr) Clip(x *G.Node, lo, hi float64) *G.Node {
	if e.err != nil {
		return nil
	}
	s := x.Shape()
	return e.Minimum(e.Maximum(x, e.Fill(s, lo)), e.Fill(s, hi))
}

// Sum adds up all the elements of x into a scalar.
func (e *Expr) Sum(x *G.Node) *G.Node {
	if e.err != nil {
		return nil
	}
	return e.Node(G.Sum(x))
}

// Mean is the mean of all the elements of x. For a loss that averages
// over the last axis, this is also the batch mean of the per-sample
// losses, since every sample has the same number of elements.
func (e *Expr) Mean(x *G.Node) *G.Node {
	if e.err != nil {
		return nil
	}
	return e.Div(e.Sum(x), e.Scalar(float64(x.Shape().TotalSize())))
}

// SumRowsMean sums x over its last axis (each sample's loss), then takes
// the mean over all the other axes (the batch).
func (e *Expr) SumRowsMean(x *G.Node) *G.Node {
	if e.err != nil {
		return nil
	}
	s := x.Shape()
	rows := s.TotalSize() / s[len(s)-1]
	return e.Div(e.Sum(x), e.Scalar(float64(rows)))
}

// Softplus is log(1 + exp(x)) in the form that neither overflows nor
// loses precision: max(x, 0) + log(1 + exp(-|x|)). Gorgonia's Softplus
// replaces its result by x above 16 (float64) or 14 (float32), an error
// of up to 1e-7, so it is used here only on -|x| <= 0, where it is exact.
// max(x, 0) is written (x + |x|)/2 so that its subgradient at 0 (0.5,
// since Gorgonia's sign(0) is 0) matches the other term's and the
// gradient is right at x = 0 too.
func (e *Expr) Softplus(x *G.Node) *G.Node {
	a := e.Abs(x)
	pos := e.Mul(e.Add(x, a), e.Scalar(0.5))
	return e.Add(pos, e.Unary(G.Softplus, e.Neg(a)))
}

// constantValue is the value of a scalar constant made by Scalar (a
// node outside any graph).
func constantValue(n *G.Node) (float64, bool) {
	if n.Graph() != nil {
		return 0, false
	}
	switch v := n.Value().(type) {
	case *G.F64:
		return float64(*v), true
	case *G.F32:
		return float64(*v), true
	}
	return 0, false
}
