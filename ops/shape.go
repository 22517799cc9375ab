package ops

import (
	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/graphx"
)

// ReduceOption chooses the axes of Sum, Mean and Max, and whether they
// are kept.
type ReduceOption func(*reduceConfig)

type reduceConfig struct {
	axes []int
	keep bool
}

// Axis reduces over the given axes only; a negative axis counts from
// the end (-1 is the last). Default: every axis, giving a scalar.
func Axis(axes ...int) ReduceOption {
	return func(c *reduceConfig) { c.axes = append(c.axes, axes...) }
}

// KeepDims keeps each reduced axis with length 1, as Keras's keepdims,
// so that the result broadcasts against the input. Default: false.
func KeepDims(b bool) ReduceOption { return func(c *reduceConfig) { c.keep = b } }

func reduceOpts(opts []ReduceOption) reduceConfig {
	var c reduceConfig
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	return c
}

// Sum adds up the elements of x over the chosen axes (all by default).
func Sum(x *G.Node, opts ...ReduceOption) (*G.Node, error) {
	c := reduceOpts(opts)
	return unary("Sum", x, func(e *graphx.Expr, x *G.Node) *G.Node { return e.SumAxes(x, c.keep, c.axes...) })
}

// Mean is the mean of the elements of x over the chosen axes (all by
// default).
func Mean(x *G.Node, opts ...ReduceOption) (*G.Node, error) {
	c := reduceOpts(opts)
	return unary("Mean", x, func(e *graphx.Expr, x *G.Node) *G.Node { return e.MeanAxes(x, c.keep, c.axes...) })
}

// Max is the largest element of x over the chosen axes (all by
// default).
func Max(x *G.Node, opts ...ReduceOption) (*G.Node, error) {
	c := reduceOpts(opts)
	return unary("Max", x, func(e *graphx.Expr, x *G.Node) *G.Node { return e.MaxAxes(x, c.keep, c.axes...) })
}

// Matmul is the matrix product: (m, k) by (k, n) gives (m, n), (m, k)
// by a vector (k) gives (m), and (b, m, k) by (b, k, n) multiplies b
// pairs of matrices.
func Matmul(a, b *G.Node) (*G.Node, error) {
	return build("Matmul", a, func(e *graphx.Expr) *G.Node {
		if b == nil {
			return e.Fail("%w: nil node", ErrOperand)
		}
		return e.Matmul(a, b)
	})
}

// Reshape gives x a new shape of the same number of elements; one
// length may be -1, the length that makes them agree (Reshape(x, -1, 4)
// on a (2, 3, 4) node gives (6, 4)).
func Reshape(x *G.Node, shape ...int) (*G.Node, error) {
	return unary("Reshape", x, func(e *graphx.Expr, x *G.Node) *G.Node { return e.Reshape(x, shape...) })
}

// Transpose permutes the axes of x: axis i of the result is axis
// perm[i] of x. Without perm the axes are reversed (a matrix's
// transpose).
func Transpose(x *G.Node, perm ...int) (*G.Node, error) {
	return unary("Transpose", x, func(e *graphx.Expr, x *G.Node) *G.Node { return e.Transpose(x, perm...) })
}

// Concatenate joins xs along axis (negative counts from the end, Keras's
// default is 0); their other axes must agree.
func Concatenate(xs []*G.Node, axis int) (*G.Node, error) {
	return build("Concatenate", firstNode(anys(xs)...), func(e *graphx.Expr) *G.Node { return e.Concat(axis, xs...) })
}

func anys(xs []*G.Node) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}
