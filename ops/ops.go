package ops

import (
	"errors"
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/gokeras/keras/internal/graphx"
)

// ErrOperand is wrapped by the error of a call given an operand that is
// neither a node nor a number, no node at all, or a node of a dtype
// other than float32 or float64.
var ErrOperand = errors.New("ops: invalid operand")

// build runs f on a builder whose constants have the dtype of like,
// turns engine panics into errors and prefixes errors with ops.name.
func build(name string, like *G.Node, f func(e *graphx.Expr) *G.Node) (out *G.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("ops.%s: %v", name, r)
		}
	}()
	if like == nil {
		return nil, fmt.Errorf("ops.%s: %w: nil node", name, ErrOperand)
	}
	dt := like.Dtype()
	if dt != tensor.Float32 && dt != tensor.Float64 {
		return nil, fmt.Errorf("ops.%s: %w: dtype %v, want float32 or float64", name, ErrOperand, dt)
	}
	e := graphx.New(dt)
	out = f(e)
	if err := e.Err(); err != nil {
		return nil, fmt.Errorf("ops.%s: %w", name, err)
	}
	if out == nil {
		return nil, fmt.Errorf("ops.%s: no result", name)
	}
	return out, nil
}

// unary is build for a function of one node.
func unary(name string, x *G.Node, f func(e *graphx.Expr, x *G.Node) *G.Node) (*G.Node, error) {
	return build(name, x, func(e *graphx.Expr) *G.Node { return f(e, x) })
}

// firstNode returns the first of vs that is a *G.Node.
func firstNode(vs ...any) *G.Node {
	for _, v := range vs {
		if n, ok := v.(*G.Node); ok && n != nil {
			return n
		}
	}
	return nil
}

// node turns an operand into a node of e's dtype.
func node(e *graphx.Expr, v any) *G.Node {
	switch x := v.(type) {
	case *G.Node:
		if x == nil {
			return e.Fail("%w: nil node", ErrOperand)
		}
		return x
	case float64:
		return e.Scalar(x)
	case float32:
		return e.Scalar(float64(x))
	case int:
		return e.Scalar(float64(x))
	}
	return e.Fail("%w: %T, want a *gorgonia.Node or a number", ErrOperand, v)
}

// binary is build for an element-wise function of two operands.
func binary(name string, a, b any, f func(e *graphx.Expr, a, b *G.Node) *G.Node) (*G.Node, error) {
	like := firstNode(a, b)
	if like == nil {
		return nil, fmt.Errorf("ops.%s: %w: operands %T and %T, want at least one *gorgonia.Node", name, ErrOperand, a, b)
	}
	return build(name, like, func(e *graphx.Expr) *G.Node {
		x, y := node(e, a), node(e, b)
		if e.Err() != nil {
			return nil
		}
		if x.Dtype() != y.Dtype() {
			return e.Fail("%w: dtypes %v and %v differ", ErrOperand, x.Dtype(), y.Dtype())
		}
		return f(e, x, y)
	})
}

// Add is a + b element-wise, with NumPy broadcasting: shapes align on
// their last axes and an axis of length 1 (or a missing one) repeats,
// so a (batch, n) node plus an (n) node adds it to every row. A number
// operand is a constant of the node's dtype.
func Add(a, b any) (*G.Node, error) { return binary("Add", a, b, (*graphx.Expr).Add) }

// Subtract is a - b element-wise, broadcast as Add.
func Subtract(a, b any) (*G.Node, error) { return binary("Subtract", a, b, (*graphx.Expr).Sub) }

// Multiply is a * b element-wise (not the matrix product: see Matmul),
// broadcast as Add.
func Multiply(a, b any) (*G.Node, error) { return binary("Multiply", a, b, (*graphx.Expr).Mul) }

// Divide is a / b element-wise, broadcast as Add. Divide(1.0, x) is 1/x
// and Divide(x, 2) is x/2: the operands are taken in the order written,
// whichever is the number.
func Divide(a, b any) (*G.Node, error) { return binary("Divide", a, b, (*graphx.Expr).Div) }

// Maximum is max(a, b) element-wise, broadcast as Add. The gradient goes
// to the larger operand.
func Maximum(a, b any) (*G.Node, error) { return binary("Maximum", a, b, (*graphx.Expr).Maximum) }

// Minimum is min(a, b) element-wise, broadcast as Add.
func Minimum(a, b any) (*G.Node, error) { return binary("Minimum", a, b, (*graphx.Expr).Minimum) }

// Where is a where cond > 0 and b elsewhere, element-wise, the three
// broadcast together (Keras's where on a boolean condition: pass the
// condition as 1 and 0, or as any sign). The gradient reaches a where
// the condition holds and b elsewhere. It is computed as m*a + (1-m)*b,
// so an infinite or NaN value in the branch not taken still gives NaN:
// make both branches finite (Where(x, Log(Maximum(x, 1e-12)), 0), not
// Where(x, Log(x), 0)).
func Where(cond *G.Node, a, b any) (*G.Node, error) {
	return build("Where", cond, func(e *graphx.Expr) *G.Node {
		x, y := node(e, a), node(e, b)
		if e.Err() != nil {
			return nil
		}
		return e.Where(cond, x, y)
	})
}

// Negative is -x.
func Negative(x *G.Node) (*G.Node, error) { return unary("Negative", x, (*graphx.Expr).Neg) }

// Abs is |x|.
func Abs(x *G.Node) (*G.Node, error) { return unary("Abs", x, (*graphx.Expr).Abs) }

// Square is x².
func Square(x *G.Node) (*G.Node, error) { return unary("Square", x, (*graphx.Expr).Square) }

// Sqrt is the square root of x. Its gradient is infinite at 0: add a
// small constant first where x may be 0.
func Sqrt(x *G.Node) (*G.Node, error) { return unary("Sqrt", x, (*graphx.Expr).Sqrt) }

// Power is x to the constant power p. Powers 1 and 2 are exact; others
// need x > 0 (or x >= 0 with p >= 1) for a finite gradient.
func Power(x *G.Node, p float64) (*G.Node, error) {
	return unary("Power", x, func(e *graphx.Expr, x *G.Node) *G.Node { return e.Pow(x, p) })
}

// Exp is e to the x.
func Exp(x *G.Node) (*G.Node, error) { return unary("Exp", x, (*graphx.Expr).Exp) }

// Log is the natural logarithm of x: -Inf at 0. Clip or add a small
// constant first where x may be 0 (Keras clips probabilities to
// [1e-7, 1-1e-7]).
func Log(x *G.Node) (*G.Node, error) { return unary("Log", x, (*graphx.Expr).Log) }

// Log1p is log(1 + x), accurate for small x.
func Log1p(x *G.Node) (*G.Node, error) { return unary("Log1p", x, (*graphx.Expr).Log1p) }

// Clip bounds x to [lo, hi] element-wise; the gradient passes where x
// lies inside.
func Clip(x *G.Node, lo, hi float64) (*G.Node, error) {
	return unary("Clip", x, func(e *graphx.Expr, x *G.Node) *G.Node {
		if !(lo <= hi) {
			return e.Fail("lower bound %v above upper bound %v", lo, hi)
		}
		return e.Clip(x, lo, hi)
	})
}

// Relu is max(x, 0).
func Relu(x *G.Node) (*G.Node, error) { return unary("Relu", x, (*graphx.Expr).Relu) }

// Tanh is the hyperbolic tangent of x.
func Tanh(x *G.Node) (*G.Node, error) { return unary("Tanh", x, (*graphx.Expr).Tanh) }

// Sigmoid is 1/(1 + exp(-x)), exact to the float's rounding for every x
// (0.99999982 at 15.5 in float32, as Keras), with the gradient
// sigmoid(x)(1 - sigmoid(x)) everywhere. It is the sigmoid the library's
// own "sigmoid" activation and losses use.
func Sigmoid(x *G.Node) (*G.Node, error) { return unary("Sigmoid", x, (*graphx.Expr).Sigmoid) }

// Softplus is log(1 + exp(x)), computed as max(x, 0) + log(1 +
// exp(-|x|)): finite and accurate for every x.
func Softplus(x *G.Node) (*G.Node, error) { return unary("Softplus", x, (*graphx.Expr).Softplus) }

// Softmax is exp(x)/sum(exp(x)) over the last axis, shifted by each
// row's maximum so that it is finite for logits of any size.
func Softmax(x *G.Node) (*G.Node, error) { return unary("Softmax", x, (*graphx.Expr).Softmax) }

// LogSoftmax is log(softmax(x)) over the last axis, computed as
// (x - m) - log(sum(exp(x - m))), m each row's maximum: finite for any
// logits, where log(Softmax(x)) is -Inf for a probability that
// underflows.
func LogSoftmax(x *G.Node) (*G.Node, error) {
	return unary("LogSoftmax", x, (*graphx.Expr).LogSoftmax)
}
