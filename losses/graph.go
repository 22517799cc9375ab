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
func compute(name string, yTrue, yPred *G.Node, f func(e *graphx.Expr, t, p *G.Node) *G.Node) (out *G.Node, err error) {
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
	e := graphx.New(dt)
	out = f(e, yTrue, yPred)
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
