package losses

import (
	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/graphx"
)

type cosineSimilarity struct{ axis int }

// CosineSimilarity is Keras's cosine_similarity loss: per sample minus
// the cosine of the angle between y_true and y_pred along the last
// axis, -sum(l2_normalize(y_true) * l2_normalize(y_pred)), then the mean
// over the batch. It lies in [-1, 1], -1 for vectors pointing the same
// way, so minimising it maximises the similarity; it is 0 when either
// vector is 0. l2_normalize(x) is x / sqrt(max(sum(x²), 1e-14)), as
// Keras 3's normalize. Option: Axis (default -1, the only one supported).
func CosineSimilarity(opts ...Option) Loss { return cosineSimilarity{axis: newConfig(opts).axis} }

func (cosineSimilarity) Name() string { return "cosine_similarity" }
func (l cosineSimilarity) Config() map[string]any {
	c := baseConfig("cosine_similarity")
	c["axis"] = l.axis
	return c
}

func (l cosineSimilarity) Compute(yTrue, yPred *G.Node) (*G.Node, error) {
	return reduced(l.Name(), yTrue, yPred, l.build)
}

// PerSample is the loss of each sample, a (batch,) vector whose mean is
// Compute.
func (l cosineSimilarity) PerSample(yTrue, yPred *G.Node) (*G.Node, error) {
	return perSample(l.Name(), yTrue, yPred, l.build)
}

func (l cosineSimilarity) build(e *graphx.Expr, t, p *G.Node, r reduction) *G.Node {
	if !checkLastAxis(e, p, l.axis) {
		return nil
	}
	t, p = e.Rows(t), e.Rows(p)
	dot := e.RowSum(e.Mul(l2Normalize(e, t), l2Normalize(e, p)))
	return e.Neg(r.mean(dot))
}

// l2Normalize divides each row of the matrix x by its Euclidean norm,
// floored at 1e-7 (Keras 3's normalize: x * rsqrt(max(sum(x²), eps²))).
func l2Normalize(e *graphx.Expr, x *G.Node) *G.Node {
	ss := e.RowSum(e.Square(x))
	return e.DivRow(x, e.Sqrt(e.Maximum(ss, e.Scalar(epsilon*epsilon))))
}
