package losses

import (
	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/graphx"
)

type sparseCategoricalCrossentropy struct{ fromLogits bool }

// SparseCategoricalCrossentropy is Keras's sparse_categorical_crossentropy:
// categorical_crossentropy for targets given as class indices. It
// implements Sparse: the model one-hot encodes the labels before
// Compute, which then computes exactly CategoricalCrossentropy (without
// label smoothing, which Keras's sparse loss does not take).
// Option: FromLogits (default false).
func SparseCategoricalCrossentropy(opts ...Option) Loss {
	return sparseCategoricalCrossentropy{fromLogits: newConfig(opts).fromLogits}
}

func (sparseCategoricalCrossentropy) Name() string { return "sparse_categorical_crossentropy" }

// SparseTargets reports that the targets are class indices.
func (sparseCategoricalCrossentropy) SparseTargets() bool { return true }

func (l sparseCategoricalCrossentropy) Config() map[string]any {
	c := baseConfig("sparse_categorical_crossentropy")
	c["from_logits"] = l.fromLogits
	c["axis"] = -1
	return c
}

func (l sparseCategoricalCrossentropy) Compute(yTrue, yPred *G.Node) (*G.Node, error) {
	return reduced(l.Name(), yTrue, yPred, l.build)
}

// PerSample is the loss of each sample, a (batch,) vector whose mean is
// Compute.
func (l sparseCategoricalCrossentropy) PerSample(yTrue, yPred *G.Node) (*G.Node, error) {
	return perSample(l.Name(), yTrue, yPred, l.build)
}

func (l sparseCategoricalCrossentropy) build(e *graphx.Expr, t, p *G.Node, r reduction) *G.Node {
	return crossentropy(e, t, p, l.fromLogits, r)
}
