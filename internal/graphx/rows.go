package graphx

import (
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// A row is a slice of a tensor along its last axis: a matrix (M, C) has
// M rows of C elements, a tensor (A, B, C) has A*B, a vector (C) has
// one. The Row methods reduce each row to one element (the result has
// the input's shape without its last axis; a scalar for a vector) and
// combine a tensor with such a reduction, repeated along the last axis.

// Rows views x, of shape (..., C), as a matrix (M, C), M the product of
// the leading dimensions (1 for a vector). A matrix is returned as is.
func (e *Expr) Rows(x *G.Node) *G.Node {
	if e.err != nil {
		return nil
	}
	s := x.Shape()
	c := s[len(s)-1]
	if s.Dims() == 2 {
		return x
	}
	return e.Node(G.Reshape(x, tensor.Shape{s.TotalSize() / c, c}))
}

// RowSum sums x over its last axis.
func (e *Expr) RowSum(x *G.Node) *G.Node {
	if e.err != nil {
		return nil
	}
	return e.Node(G.Sum(x, x.Dims()-1))
}

// RowMax is the maximum of x over its last axis.
func (e *Expr) RowMax(x *G.Node) *G.Node {
	if e.err != nil {
		return nil
	}
	return e.Node(G.Max(x, x.Dims()-1))
}

// SubRow is x - r, r being x reduced over its last axis (by RowSum or
// RowMax) and repeated along that axis.
func (e *Expr) SubRow(x, r *G.Node) *G.Node { return e.broadcastRow(G.BroadcastSub, x, r) }

// DivRow is x / r, r being x reduced over its last axis (by RowSum or
// RowMax) and repeated along that axis.
func (e *Expr) DivRow(x, r *G.Node) *G.Node { return e.broadcastRow(G.BroadcastHadamardDiv, x, r) }

func (e *Expr) broadcastRow(op func(a, b *G.Node, left, right []byte) (*G.Node, error), x, r *G.Node) *G.Node {
	if e.err != nil {
		return nil
	}
	if x.Dims() == 1 {
		// r is a scalar; element-wise ops take a scalar operand as is.
		return e.Node(op(x, r, nil, nil))
	}
	return e.Node(op(x, r, nil, []byte{byte(x.Dims() - 1)}))
}

// LogSoftmax is log(softmax(x)) over the last axis, in the shifted form
// that stays finite for any logits: (x - m) - log(sum(exp(x - m))), m
// the row's maximum. The shift cancels out of the value and of the
// gradient; it is there only to keep exp finite. Gorgonia's own
// LogSoftMax is not computed this way (it returns -Inf for large
// logits) and interferes with SoftMax on the same node.
func (e *Expr) LogSoftmax(x *G.Node) *G.Node {
	shifted := e.shiftByMax(x)
	return e.SubRow(shifted, e.Log(e.RowSum(e.Exp(shifted))))
}

// Softmax is exp(x - m)/sum(exp(x - m)) over the last axis, m the row's
// maximum. It is built from primitives because Gorgonia's SoftMax
// (tensor v0.9.24, softMaxLastDimF64/F32) takes each row's maximum
// starting from the first element of the whole tensor and skips the
// row's own first element, so a row whose first logit is large and its
// largest overflows to NaN.
func (e *Expr) Softmax(x *G.Node) *G.Node {
	ex := e.Exp(e.shiftByMax(x))
	return e.DivRow(ex, e.RowSum(ex))
}

// shiftByMax returns x minus its maximum over the last axis.
func (e *Expr) shiftByMax(x *G.Node) *G.Node {
	if e.err != nil {
		return nil
	}
	if x.Dims() == 0 {
		return e.Fail("softmax needs at least one axis, got a scalar")
	}
	return e.SubRow(x, e.RowMax(x))
}
