package losses

import (
	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/graphx"
)

type huber struct{ delta float64 }

// Huber is Keras's huber loss: with x = y_pred - y_true, each element
// costs 0.5*x² where |x| <= delta and delta*|x| - 0.5*delta² elsewhere;
// the mean over the last axis, then over the batch. Option: Delta
// (default 1.0).
//
// Its Name is "huber", the name Keras's get accepts; Keras names an
// instance of its Huber class "huber_loss".
func Huber(opts ...Option) Loss { return huber{delta: newConfig(opts).delta} }

func (huber) Name() string { return "huber" }
func (l huber) Config() map[string]any {
	c := baseConfig("huber")
	c["delta"] = l.delta
	return c
}

func (l huber) Compute(yTrue, yPred *G.Node) (*G.Node, error) {
	return reduced(l.Name(), yTrue, yPred, l.build)
}

// PerSample is the loss of each sample, a (batch,) vector whose mean is
// Compute.
func (l huber) PerSample(yTrue, yPred *G.Node) (*G.Node, error) {
	return perSample(l.Name(), yTrue, yPred, l.build)
}

func (l huber) build(e *graphx.Expr, t, p *G.Node, r reduction) *G.Node {
	if !(l.delta > 0) {
		return e.Fail("delta must be positive, got %v", l.delta)
	}
	// With q = min(|x|, delta), 0.5*q² + delta*(|x| - q) is both
	// branches at once, without a select on the error's value.
	a := e.Abs(e.Sub(p, t))
	q := e.Minimum(a, e.Fill(a.Shape(), l.delta))
	quad := e.Mul(e.Scalar(0.5), e.Square(q))
	lin := e.Mul(e.Scalar(l.delta), e.Sub(a, q))
	return r.mean(e.Add(quad, lin))
}
