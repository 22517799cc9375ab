package losses

import (
	"fmt"
	"strconv"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// epsilon is Keras's backend.epsilon(), the clipping bound of
// probabilities and the floor of MAPE's denominator.
const epsilon = 1e-7

// compute checks the inputs of a loss, then builds it with f. It turns
// engine panics into errors and prefixes every error with the loss name.
func compute(name string, yTrue, yPred *G.Node, f func(e *expr, t, p *G.Node) *G.Node) (out *G.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("%s: building the loss failed: %v", name, r)
		}
	}()
	if yTrue == nil || yPred == nil {
		return nil, fmt.Errorf("%s: y_true and y_pred must be non-nil nodes", name)
	}
	if yTrue.Graph() != yPred.Graph() {
		return nil, fmt.Errorf("%s: y_true and y_pred belong to different graphs", name)
	}
	dt := yPred.Dtype()
	if dt != tensor.Float32 && dt != tensor.Float64 {
		return nil, fmt.Errorf("%s: expected y_pred of dtype float32 or float64, got %v", name, dt)
	}
	if yTrue.Dtype() != dt {
		return nil, fmt.Errorf("%s: y_true has dtype %v, y_pred has %v: they must match", name, yTrue.Dtype(), dt)
	}
	if yPred.Dims() == 0 {
		return nil, fmt.Errorf("%s: expected y_pred of shape (batch, ...), got a scalar", name)
	}
	if !yTrue.Shape().Eq(yPred.Shape()) {
		return nil, fmt.Errorf("%s: y_true has shape %v, y_pred has %v: they must match", name, yTrue.Shape(), yPred.Shape())
	}
	e := &expr{dt: dt}
	out = f(e, yTrue, yPred)
	if e.err != nil {
		return nil, fmt.Errorf("%s: %w", name, e.err)
	}
	return out, nil
}

// expr builds one loss's part of the graph. It carries the dtype of the
// inputs, so that every constant matches it, and the first error, so
// that a loss reads as its formula: once err is set, every method does
// nothing and returns nil.
//
// Nodes are hash-consed by Gorgonia (same op, inputs and name give the
// same node). Scalar constants are named by their value, which is safe.
// Tensor constants are named here by dtype, shape and value, so that two
// of them are merged only when they are equal.
type expr struct {
	dt  tensor.Dtype
	err error
}

func (e *expr) fail(format string, args ...any) *G.Node {
	if e.err == nil {
		e.err = fmt.Errorf(format, args...)
	}
	return nil
}

func (e *expr) node(n *G.Node, err error) *G.Node {
	if e.err != nil {
		return nil
	}
	if err != nil {
		e.err = err
		return nil
	}
	return n
}

func (e *expr) unary(f func(*G.Node) (*G.Node, error), a *G.Node) *G.Node {
	if e.err != nil {
		return nil
	}
	return e.node(f(a))
}

func (e *expr) binary(f func(a, b *G.Node) (*G.Node, error), a, b *G.Node) *G.Node {
	if e.err != nil {
		return nil
	}
	return e.node(f(a, b))
}

// scalar is a scalar constant of the inputs' dtype.
func (e *expr) scalar(v float64) *G.Node {
	if e.err != nil {
		return nil
	}
	if e.dt == tensor.Float32 {
		return G.NewConstant(float32(v))
	}
	return G.NewConstant(v)
}

// fill is a constant tensor of the inputs' dtype, shape s, every element v.
func (e *expr) fill(s tensor.Shape, v float64) *G.Node {
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
	name := fmt.Sprintf("losses/fill_%v_%v_%s", e.dt, s, strconv.FormatFloat(v, 'g', -1, 64))
	return G.NewConstant(t, G.WithName(name))
}

func (e *expr) add(a, b *G.Node) *G.Node { return e.binary(G.Add, a, b) }
func (e *expr) sub(a, b *G.Node) *G.Node { return e.binary(G.Sub, a, b) }
func (e *expr) mul(a, b *G.Node) *G.Node { return e.binary(G.HadamardProd, a, b) }
func (e *expr) div(a, b *G.Node) *G.Node { return e.binary(G.HadamardDiv, a, b) }

func (e *expr) neg(a *G.Node) *G.Node    { return e.unary(G.Neg, a) }
func (e *expr) abs(a *G.Node) *G.Node    { return e.unary(G.Abs, a) }
func (e *expr) log(a *G.Node) *G.Node    { return e.unary(G.Log, a) }
func (e *expr) exp(a *G.Node) *G.Node    { return e.unary(G.Exp, a) }
func (e *expr) square(a *G.Node) *G.Node { return e.unary(G.Square, a) }
func (e *expr) relu(a *G.Node) *G.Node   { return e.unary(G.Rectify, a) }

// maximum and minimum are elementwise between tensors of equal shape.
func (e *expr) maximum(a, b *G.Node) *G.Node { return e.binary(G.MaxBetween, a, b) }
func (e *expr) minimum(a, b *G.Node) *G.Node { return e.binary(G.MinBetween, a, b) }

// clip bounds x to [lo, hi]. The gradient passes where x is inside.
func (e *expr) clip(x *G.Node, lo, hi float64) *G.Node {
	if e.err != nil {
		return nil
	}
	s := x.Shape()
	return e.minimum(e.maximum(x, e.fill(s, lo)), e.fill(s, hi))
}

// sum adds up all the elements of x into a scalar.
func (e *expr) sum(x *G.Node) *G.Node {
	if e.err != nil {
		return nil
	}
	return e.node(G.Sum(x))
}

// mean is the mean of all the elements of x. For a loss that averages
// over the last axis, this is also the batch mean of the per-sample
// losses, since every sample has the same number of elements.
func (e *expr) mean(x *G.Node) *G.Node {
	if e.err != nil {
		return nil
	}
	return e.div(e.sum(x), e.scalar(float64(x.Shape().TotalSize())))
}

// sumRowsMean sums x over its last axis (each sample's loss), then takes
// the mean over all the other axes (the batch).
func (e *expr) sumRowsMean(x *G.Node) *G.Node {
	if e.err != nil {
		return nil
	}
	s := x.Shape()
	rows := s.TotalSize() / s[len(s)-1]
	return e.div(e.sum(x), e.scalar(float64(rows)))
}

// rows views x, of shape (..., C), as a matrix (M, C), M the product of
// the leading dimensions (1 for a vector).
func (e *expr) rows(x *G.Node) *G.Node {
	if e.err != nil {
		return nil
	}
	s := x.Shape()
	c := s[len(s)-1]
	if s.Dims() == 2 {
		return x
	}
	return e.node(G.Reshape(x, tensor.Shape{s.TotalSize() / c, c}))
}

// rowSum and rowMax reduce a matrix (M, C) over its last axis to (M).
func (e *expr) rowSum(x *G.Node) *G.Node {
	if e.err != nil {
		return nil
	}
	return e.node(G.Sum(x, 1))
}

func (e *expr) rowMax(x *G.Node) *G.Node {
	if e.err != nil {
		return nil
	}
	return e.node(G.Max(x, 1))
}

// subRow and divRow combine a matrix (M, C) with a vector (M) repeated
// along the last axis.
func (e *expr) subRow(x, r *G.Node) *G.Node {
	if e.err != nil {
		return nil
	}
	return e.node(G.BroadcastSub(x, r, nil, []byte{1}))
}

func (e *expr) divRow(x, r *G.Node) *G.Node {
	if e.err != nil {
		return nil
	}
	return e.node(G.BroadcastHadamardDiv(x, r, nil, []byte{1}))
}

// logSoftmax is log(softmax(x)) over the last axis of a matrix (M, C),
// in the shifted form that stays finite for any logits:
// (x - max) - log(sum(exp(x - max))). The row max cancels out of the
// value and of the gradient; it is there only to keep exp finite.
// Gorgonia's own LogSoftMax is not computed this way (it returns -Inf
// for large logits) and interferes with SoftMax on the same node.
func (e *expr) logSoftmax(x *G.Node) *G.Node {
	shifted := e.subRow(x, e.rowMax(x))
	return e.subRow(shifted, e.log(e.rowSum(e.exp(shifted))))
}

// smooth returns t*(1-s) + s*k: label smoothing towards k.
func (e *expr) smooth(t *G.Node, s, k float64) *G.Node {
	if s == 0 {
		return t
	}
	return e.add(e.mul(t, e.scalar(1-s)), e.scalar(s*k))
}

// baseConfig is the part of the Keras config every loss shares.
func baseConfig(name string) map[string]any {
	return map[string]any{"name": name, "reduction": "sum_over_batch_size"}
}

// softplus is log(1 + exp(x)) in the form that neither overflows nor
// loses precision: max(x, 0) + log(1 + exp(-|x|)). Gorgonia's Softplus
// replaces its result by x above 16 (float64) or 14 (float32), an error
// of up to 1e-7, so it is used here only on -|x| <= 0, where it is exact.
// max(x, 0) is written (x + |x|)/2 so that its subgradient at 0 (0.5,
// since Gorgonia's sign(0) is 0) matches the other term's and the
// gradient is right at x = 0 too.
func (e *expr) softplus(x *G.Node) *G.Node {
	a := e.abs(x)
	pos := e.mul(e.add(x, a), e.scalar(0.5))
	return e.add(pos, e.unary(G.Softplus, e.neg(a)))
}
