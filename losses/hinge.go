package losses

import G "gorgonia.org/gorgonia"

type hinge struct{}

// Hinge is Keras's hinge: the mean over the last axis of
// max(1 - y_true*y_pred, 0), then the mean over the batch. Targets are
// expected in {-1, 1}; as in Keras, when every target of the batch is 0
// or 1 they are first mapped to -1 and 1. It takes no options.
func Hinge(opts ...Option) Loss { return hinge{} }

func (hinge) Name() string           { return "hinge" }
func (hinge) Config() map[string]any { return baseConfig("hinge") }

func (l hinge) Compute(yTrue, yPred *G.Node) (*G.Node, error) {
	return compute(l.Name(), yTrue, yPred, func(e *expr, t, p *G.Node) *G.Node {
		t = e.hingeLabels(t)
		return e.mean(e.relu(e.sub(e.scalar(1), e.mul(t, p))))
	})
}

// hingeLabels is Keras's convert_binary_labels_to_hinge, decided when the
// graph runs: t - t² is 0 exactly for t in {0, 1}, so the batch is
// binary when the sum of |t - t²| is 0, and then t becomes 2t - 1,
// written t + b*(t - 1) with b = 1 for a binary batch, 0 otherwise.
func (e *expr) hingeLabels(t *G.Node) *G.Node {
	if e.err != nil {
		return nil
	}
	off := e.sum(e.abs(e.sub(t, e.square(t))))
	b := e.node(G.Eq(off, e.scalar(0), true))
	return e.add(t, e.mul(b, e.sub(t, e.scalar(1))))
}
