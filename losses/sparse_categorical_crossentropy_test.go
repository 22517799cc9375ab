package losses

import "testing"

func TestSparseCategoricalCrossentropyIsSparse(t *testing.T) {
	s, ok := SparseCategoricalCrossentropy().(Sparse)
	if !ok || !s.SparseTargets() {
		t.Fatal("sparse_categorical_crossentropy must implement Sparse")
	}
	if _, ok := CategoricalCrossentropy().(Sparse); ok {
		t.Error("categorical_crossentropy must not implement Sparse")
	}
}

// The model one-hot encodes the labels [0, 1, 2] before Compute.
func TestSparseCategoricalCrossentropyValues(t *testing.T) {
	runLossCases(t, []lossCase{
		{name: "keras_unweighted", loss: SparseCategoricalCrossentropy(), shape: []int{3, 3}, yTrue: cceTrue, yPred: ccePred,
			want: 0.3239, rel: 5e-4, source: "Keras losses_test.py SparseCategoricalCrossentropyTest.test_unweighted (Keras asserts 3 places)"},
		{name: "keras_logits", loss: SparseCategoricalCrossentropy(FromLogits(true)), shape: []int{3, 3}, yTrue: cceTrue, yPred: cceLogits,
			want: 0.0573, rel: 2e-3, source: "Keras losses_test.py SparseCategoricalCrossentropyTest.test_unweighted, with logits (Keras asserts 3 places)"},
		{name: "formula_logits", loss: SparseCategoricalCrossentropy(FromLogits(true)), shape: []int{3, 3}, yTrue: cceTrue, yPred: cceLogits,
			want: batchMean([]int{3, 3}, cceTrue, cceLogits, refCCELogits), source: "refCCELogits in categorical_crossentropy_test.go"},
	})
}

func TestSparseCategoricalCrossentropyGradient(t *testing.T) {
	runGradCases(t, []gradCase{
		{name: "probs", loss: SparseCategoricalCrossentropy(), shape: []int{3, 3}, yTrue: cceTrue, yPred: ccePred},
		{name: "logits", loss: SparseCategoricalCrossentropy(FromLogits(true)), shape: []int{3, 3}, yTrue: cceTrue, yPred: cceLogits},
	})
}
