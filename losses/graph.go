package losses

import (
	"fmt"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/gokeras/keras/internal/graphx"
)

// epsilon is Keras's backend.epsilon(), the clipping bound of
// probabilities and the floor of MAPE's denominator.
const epsilon = 1e-7

// compute checks the inputs of a loss, then builds it with f. It turns
// engine panics into errors and prefixes every error with the loss name.
func compute(name string, yTrue, yPred *G.Node, f func(e *graphx.Expr, t, p *G.Node) *G.Node) (*G.Node, error) {
	return build(name, yTrue, yPred, false, func(e *graphx.Expr, t, p *G.Node, _ reduction) *G.Node { return f(e, t, p) })
}

// builder builds a loss from its element terms, reducing them with r:
// written once per loss, it gives both the batch loss (Compute) and the
// loss of each sample (PerSample).
type builder func(e *graphx.Expr, t, p *G.Node, r reduction) *G.Node

// reduction is how a loss reduces its terms. mean averages every term
// (the losses that average over the last axis); rows sums each row of
// the last axis, then averages the rows (the losses that sum over the
// classes).
type reduction struct {
	mean, rows func(x *G.Node) *G.Node
}

// reduced builds the batch loss of f: Keras's sum_over_batch_size, the
// mean of the per-sample losses.
func reduced(name string, yTrue, yPred *G.Node, f builder) (*G.Node, error) {
	return build(name, yTrue, yPred, false, f)
}

// perSample builds the loss of each sample of f, a (batch,) vector whose
// mean is the batch loss.
func perSample(name string, yTrue, yPred *G.Node, f builder) (*G.Node, error) {
	return build(name, yTrue, yPred, true, f)
}

// sampleReduction reduces terms to one value per sample of a batch of
// the given size: each sample's terms are a contiguous run of the
// flattened tensor, so a reshape to (batch, rest) and a sum over rest
// gives them, divided as the batch reduction divides.
func sampleReduction(e *graphx.Expr, batch int) reduction {
	per := func(x *G.Node, byRows bool) *G.Node {
		if e.Err() != nil {
			return nil
		}
		s := x.Shape()
		n := s.TotalSize()
		if x.IsScalar() || n%batch != 0 {
			return e.Fail("per-sample loss: terms of shape %v do not split into %d samples", s, batch)
		}
		k := n / batch
		sum := e.SumAxes(e.Reshape(x, batch, k), false, 1)
		div := k
		if byRows {
			div = k / s[len(s)-1]
		}
		if div == 1 {
			return sum
		}
		return e.Div(sum, e.Scalar(float64(div)))
	}
	return reduction{
		mean: func(x *G.Node) *G.Node { return per(x, false) },
		rows: func(x *G.Node) *G.Node { return per(x, true) },
	}
}

// build checks the inputs of a loss, then builds it with f, per sample
// or reduced over the batch. It turns engine panics into errors and
// prefixes every error with the loss name.
func build(name string, yTrue, yPred *G.Node, samples bool, f builder) (out *G.Node, err error) {
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
	if samples && yPred.Dims() < 2 {
		return nil, fmt.Errorf("%s: a per-sample loss needs y_pred of shape (batch, outputs...), got %v", name, yPred.Shape())
	}
	e := graphx.New(dt)
	r := reduction{mean: e.Mean, rows: e.SumRowsMean}
	if samples {
		r = sampleReduction(e, yPred.Shape()[0])
	}
	out = f(e, yTrue, yPred, r)
	if err := e.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}

// smooth returns t*(1-s) + s*k: label smoothing towards k.
func smooth(e *graphx.Expr, t *G.Node, s, k float64) *G.Node {
	if s == 0 {
		return t
	}
	return e.Add(e.Mul(t, e.Scalar(1-s)), e.Scalar(s*k))
}

// baseConfig is the part of the Keras config every loss shares.
func baseConfig(name string) map[string]any {
	return map[string]any{"name": name, "reduction": "sum_over_batch_size"}
}

// checkLastAxis fails unless axis names the last axis of x (-1, or its
// index): the axis the losses reduce over here.
func checkLastAxis(e *graphx.Expr, x *G.Node, axis int) bool {
	if axis == -1 || axis == x.Dims()-1 {
		return true
	}
	e.Fail("axis %d: only the last axis (-1) is supported, for y_pred of shape %v", axis, x.Shape())
	return false
}
