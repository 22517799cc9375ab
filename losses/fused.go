package losses

import (
	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/fused"
)

// fuser is implemented by the losses that have a one-op form on the
// probabilities of a softmax or sigmoid made by internal/fused.
type fuser interface {
	computeFused(yTrue, yPred *G.Node) (*G.Node, bool, error)
}

// ComputeFused is l.Compute(yTrue, yPred) in one op when the graph has
// exactly that pattern: yPred is the softmax (or sigmoid) of logits made
// by internal/fused (a Dense layer's output activation) and l is
// categorical_crossentropy or sparse_categorical_crossentropy (or
// binary_crossentropy) on probabilities. The value is Compute's, to
// float32 rounding, and the gradient goes straight to the logits. ok is
// false, and nothing is added to the graph, for any other loss or
// pattern: the caller then uses Compute.
func ComputeFused(l Loss, yTrue, yPred *G.Node) (loss *G.Node, ok bool, err error) {
	f, is := l.(fuser)
	if !is || yTrue == nil || yPred == nil || yTrue.Graph() != yPred.Graph() ||
		yTrue.Dtype() != yPred.Dtype() || !yTrue.Shape().Eq(yPred.Shape()) || yPred.Dims() == 0 {
		return nil, false, nil
	}
	return f.computeFused(yTrue, yPred)
}

func (l categoricalCrossentropy) computeFused(yTrue, yPred *G.Node) (*G.Node, bool, error) {
	if l.fromLogits || !(l.labelSmoothing >= 0 && l.labelSmoothing <= 1) {
		return nil, false, nil
	}
	return fusedXent(yTrue, yPred, "softmax", l.labelSmoothing)
}

func (l sparseCategoricalCrossentropy) computeFused(yTrue, yPred *G.Node) (*G.Node, bool, error) {
	if l.fromLogits {
		return nil, false, nil
	}
	return fusedXent(yTrue, yPred, "softmax", 0)
}

func (l binaryCrossentropy) computeFused(yTrue, yPred *G.Node) (*G.Node, bool, error) {
	if l.fromLogits || !(l.labelSmoothing >= 0 && l.labelSmoothing <= 1) {
		return nil, false, nil
	}
	return fusedXent(yTrue, yPred, "sigmoid", l.labelSmoothing)
}

func fusedXent(yTrue, yPred *G.Node, kind string, smoothing float64) (*G.Node, bool, error) {
	if _, k, ok := fused.LogitsOf(yPred); !ok || k != kind {
		return nil, false, nil
	}
	var n *G.Node
	var err error
	if kind == "softmax" {
		n, err = fused.SoftmaxCrossentropy(yTrue, yPred, smoothing)
	} else {
		n, err = fused.SigmoidBinaryCrossentropy(yTrue, yPred, smoothing)
	}
	if err != nil {
		return nil, false, err
	}
	return n, true, nil
}
