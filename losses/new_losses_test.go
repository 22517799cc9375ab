package losses

import (
	"math"
	"testing"
)

// Float64 implementations of Keras 3's formulas (keras/src/losses/losses.py),
// one sample (row) at a time, for batchMean.

func refMSLE(t, p []float64) float64 {
	var s float64
	for i := range t {
		d := math.Log(math.Max(p[i], 1e-7)+1) - math.Log(math.Max(t[i], 1e-7)+1)
		s += d * d
	}
	return s / float64(len(t))
}

func refSquaredHinge(t, p []float64) float64 {
	var s float64
	for i := range t {
		h := math.Max(1-t[i]*p[i], 0)
		s += h * h
	}
	return s / float64(len(t))
}

func refCategoricalHinge(t, p []float64) float64 {
	var pos float64
	neg := math.Inf(-1)
	for i := range t {
		pos += t[i] * p[i]
		neg = math.Max(neg, (1-t[i])*p[i])
	}
	return math.Max(neg-pos+1, 0)
}

func refPoisson(t, p []float64) float64 {
	var s float64
	for i := range t {
		s += p[i] - t[i]*math.Log(p[i]+1e-7)
	}
	return s / float64(len(t))
}

func refCosine(t, p []float64) float64 {
	norm := func(v []float64) float64 {
		var s float64
		for _, x := range v {
			s += x * x
		}
		return math.Sqrt(math.Max(s, 1e-14))
	}
	nt, np := norm(t), norm(p)
	var dot float64
	for i := range t {
		dot += t[i] / nt * p[i] / np
	}
	return -dot
}

func sigmoid(x float64) float64 {
	if x > 0 {
		return 1 / (1 + math.Exp(-x))
	}
	return math.Exp(x) / (1 + math.Exp(x))
}

// refBinaryFocal is binary_focal_crossentropy with its options.
func refBinaryFocal(gamma, alpha, smoothing float64, balance, logits bool) func(t, p []float64) float64 {
	return func(t, p []float64) float64 {
		var s float64
		for i := range t {
			ti, pi := t[i], p[i]
			if smoothing > 0 {
				ti = ti*(1-smoothing) + 0.5*smoothing
			}
			if logits {
				pi = sigmoid(pi)
			}
			q := math.Min(math.Max(pi, 1e-7), 1-1e-7)
			bce := -(ti*math.Log(q) + (1-ti)*math.Log(1-q))
			pt := ti*pi + (1-ti)*(1-pi)
			f := math.Pow(1-pt, gamma) * bce
			if balance {
				f *= ti*alpha + (1-ti)*(1-alpha)
			}
			s += f
		}
		return s / float64(len(t))
	}
}

// refCategoricalFocal is categorical_focal_crossentropy with its options.
func refCategoricalFocal(gamma, alpha, smoothing float64, logits bool) func(t, p []float64) float64 {
	return func(t, p []float64) float64 {
		n := float64(len(p))
		q := append([]float64(nil), p...)
		if logits {
			m := math.Inf(-1)
			for _, x := range q {
				m = math.Max(m, x)
			}
			for i := range q {
				q[i] = math.Exp(q[i] - m)
			}
		}
		var z float64
		for _, x := range q {
			z += x
		}
		var s float64
		for i := range q {
			pi := math.Min(math.Max(q[i]/z, 1e-7), 1-1e-7)
			ti := t[i]
			if smoothing > 0 {
				ti = ti*(1-smoothing) + smoothing/n
			}
			s += alpha * math.Pow(1-pi, gamma) * -ti * math.Log(pi)
		}
		return s
	}
}

var (
	// Keras losses_test.py CategoricalFocalCrossentropyTest.test_unweighted.
	cfTrue   = []float64{1, 0, 0, 0, 1, 0, 0, 0, 1}
	cfPred   = []float64{0.9, 0.05, 0.05, 0.5, 0.89, 0.6, 0.05, 0.01, 0.94}
	cfLogits = []float64{8, 1, 1, 0, 9, 1, 2, 3, 5}
	// Keras losses_test.py BinaryFocalCrossentropyTest.test_unweighted.
	bfTrue   = []float64{1, 0, 1, 0}
	bfPred   = []float64{0.9, 0.8, 0.7, 0.2}
	bfTrueL  = []float64{1, 1, 0, 0, 1, 0}
	bfLogits = []float64{1.5, -2.7, 2.9, -3.8, 1.2, -4.5}
	// Keras losses.py BinaryFocalCrossentropy docstring.
	bfDocTrue = []float64{0, 1, 0, 0}
	bfDocX    = []float64{-18.6, 0.51, 2.94, -12.8}
)

func TestNewLossValues(t *testing.T) {
	s23, s22, s33 := []int{2, 3}, []int{2, 2}, []int{3, 3}
	pm := []float64{-1, 1, 1, -1, 1, -1}
	pr := []float64{0.3, 2, -0.5, -0.2, 0.9, 1.5}
	poisT := []float64{4, 8, 12, 8, 1, 3}
	poisP := []float64{1, 9, 2, 5, 2, 6}
	runLossCases(t, []lossCase{
		{name: "msle_keras", loss: MeanSquaredLogarithmicError(), shape: s23, yTrue: kerasRegTrue, yPred: kerasRegPred,
			want: 1.4370, rel: 1e-4, source: "Keras losses_test.py MeanSquaredLogarithmicErrorTest.test_unweighted (1.4370)"},
		{name: "msle_formula", loss: MeanSquaredLogarithmicError(), shape: s23, yTrue: kerasRegTrue, yPred: kerasRegPred,
			want: batchMean(s23, kerasRegTrue, kerasRegPred, refMSLE), source: "refMSLE"},
		{name: "squared_hinge_keras", loss: SquaredHinge(), shape: s22, yTrue: kerasBinTrue, yPred: kerasBinPred,
			want: 1.86, rel: 1e-6, source: "Keras losses_test.py SquaredHingeTest.test_unweighted (1.86)"},
		{name: "squared_hinge_pm", loss: SquaredHinge(), shape: s23, yTrue: pm, yPred: pr,
			want: batchMean(s23, pm, pr, refSquaredHinge), source: "refSquaredHinge"},
		{name: "categorical_hinge_keras", loss: CategoricalHinge(), shape: s22, yTrue: kerasBinTrue, yPred: kerasBinPred,
			want: 1.4, rel: 1e-6, source: "Keras losses_test.py CategoricalHingeTest.test_unweighted (1.4)"},
		{name: "categorical_hinge_formula", loss: CategoricalHinge(), shape: s33, yTrue: cfTrue, yPred: cfLogits,
			want: batchMean(s33, cfTrue, cfLogits, refCategoricalHinge), source: "refCategoricalHinge"},
		{name: "poisson_keras", loss: Poisson(), shape: s23, yTrue: poisT, yPred: poisP,
			want: batchMean(s23, poisT, poisP, refPoisson), source: "Keras losses_test.py PoissonTest (y_pred - y_true*log(y_pred)) with Keras's 1e-7"},
		{name: "cosine_keras_doc", loss: CosineSimilarity(), shape: []int{3, 2},
			yTrue: []float64{0, 1, 1, 1, 1, 1}, yPred: []float64{1, 0, 1, 1, -1, -1},
			want: 0, source: "Keras losses.py cosine_similarity docstring: per sample [-0, -0.99999994, 0.99999994]"},
		{name: "cosine_keras_test", loss: CosineSimilarity(), shape: s23, yTrue: kerasRegTrue, yPred: kerasRegPred,
			want: batchMean(s23, kerasRegTrue, kerasRegPred, refCosine), source: "refCosine on Keras's CosineSimilarityTest batch"},
		{name: "cosine_zero_vector", loss: CosineSimilarity(), shape: s22, yTrue: []float64{0, 0, 1, 2}, yPred: []float64{3, 4, 2, 4},
			want: -0.5, source: "by hand: 0 for the zero vector, -1 for parallel vectors"},
		{name: "binary_focal_keras", loss: BinaryFocalCrossentropy(), shape: s22, yTrue: bfTrue, yPred: bfPred,
			want: 0.268, rel: 2e-3, source: "Keras losses_test.py BinaryFocalCrossentropyTest.test_unweighted (0.268)"},
		{name: "binary_focal_keras_logits", loss: BinaryFocalCrossentropy(Gamma(3), FromLogits(true)), shape: s23, yTrue: bfTrueL, yPred: bfLogits,
			want: 0.799, rel: 1e-3, source: "Keras losses_test.py BinaryFocalCrossentropyTest.test_unweighted, logits (0.799)"},
		{name: "binary_focal_doc", loss: BinaryFocalCrossentropy(Gamma(2), FromLogits(true)), shape: []int{1, 4}, yTrue: bfDocTrue, yPred: bfDocX,
			want: 0.691, rel: 1e-3, source: "Keras losses.py BinaryFocalCrossentropy docstring (0.691)"},
		{name: "binary_focal_doc_balanced", loss: BinaryFocalCrossentropy(ApplyClassBalancing(true), Gamma(2), FromLogits(true)), shape: []int{1, 4},
			yTrue: bfDocTrue, yPred: bfDocX, want: 0.51, rel: 2e-2, source: "Keras losses.py BinaryFocalCrossentropy docstring (0.51)"},
		{name: "binary_focal_doc_2x2", loss: BinaryFocalCrossentropy(Gamma(3), FromLogits(true)), shape: s22, yTrue: bfDocTrue, yPred: bfDocX,
			want: 0.647, rel: 1e-3, source: "Keras losses.py BinaryFocalCrossentropy docstring, example 2 (0.647)"},
		{name: "binary_focal_doc_2x2_balanced", loss: BinaryFocalCrossentropy(ApplyClassBalancing(true), Gamma(3), FromLogits(true)), shape: s22,
			yTrue: bfDocTrue, yPred: bfDocX, want: 0.482, rel: 1e-3, source: "Keras losses.py BinaryFocalCrossentropy docstring, example 2 (0.482)"},
		{name: "binary_focal_formula", loss: BinaryFocalCrossentropy(Gamma(1.5), Alpha(0.4), ApplyClassBalancing(true), LabelSmoothing(0.1)), shape: s22,
			yTrue: bfTrue, yPred: bfPred, want: batchMean(s22, bfTrue, bfPred, refBinaryFocal(1.5, 0.4, 0.1, true, false)), source: "refBinaryFocal"},
		{name: "binary_focal_formula_logits", loss: BinaryFocalCrossentropy(FromLogits(true), LabelSmoothing(0.2)), shape: s23,
			yTrue: bfTrueL, yPred: bfLogits, want: batchMean(s23, bfTrueL, bfLogits, refBinaryFocal(2, 0.25, 0.2, false, true)), source: "refBinaryFocal"},
		{name: "categorical_focal_keras", loss: CategoricalFocalCrossentropy(), shape: s33, yTrue: cfTrue, yPred: cfPred,
			want: 0.02059, rel: 1e-3, source: "Keras losses_test.py CategoricalFocalCrossentropyTest.test_unweighted (0.02059)"},
		{name: "categorical_focal_keras_logits", loss: CategoricalFocalCrossentropy(FromLogits(true)), shape: s33, yTrue: cfTrue, yPred: cfLogits,
			want: 0.000345, rel: 2e-3, source: "Keras losses_test.py CategoricalFocalCrossentropyTest.test_unweighted, logits (0.000345)"},
		{name: "categorical_focal_doc", loss: CategoricalFocalCrossentropy(), shape: []int{2, 3},
			yTrue: []float64{0, 1, 0, 0, 0, 1}, yPred: []float64{0.05, 0.95, 0, 0.1, 0.8, 0.1},
			want: 0.23315276, rel: 1e-6, source: "Keras losses.py CategoricalFocalCrossentropy docstring (0.23315276)"},
		{name: "categorical_focal_formula", loss: CategoricalFocalCrossentropy(Gamma(1.5), Alpha(0.6), LabelSmoothing(0.1), FromLogits(true)), shape: s33,
			yTrue: cfTrue, yPred: cfLogits, want: batchMean(s33, cfTrue, cfLogits, refCategoricalFocal(1.5, 0.6, 0.1, true)), source: "refCategoricalFocal"},
	})
}

// Logits past Gorgonia's sigmoid cut-off (15 in float32, 19 in float64):
// with the exact sigmoid the focal loss reads sigmoid(15.5), not the clip
// bound, and has a gradient.
func TestBinaryFocalSaturation(t *testing.T) {
	l := BinaryFocalCrossentropy(Gamma(0), FromLogits(true))
	for _, dt := range dtypes {
		x := 15.5
		got, grad := evalLoss(t, l, dt, []int{1, 1}, []float64{0}, []float64{x})
		// Gamma 0: the clipped binary cross-entropy of sigmoid(15.5), label 0.
		p := sigmoid(x)
		if dt.Name() == "float32" {
			p = float64(float32(p))
		}
		want := -math.Log(1 - p)
		if !approx(got, want, 1e-5, 0) {
			t.Errorf("%v: loss %v, want %v", dt, got, want)
		}
		if grad[0] == 0 {
			t.Errorf("%v: zero gradient at logit %v", dt, x)
		}
	}
}

func TestNewLossGradients(t *testing.T) {
	s23, s22, s33 := []int{2, 3}, []int{2, 2}, []int{3, 3}
	runGradCases(t, []gradCase{
		{name: "msle", loss: MeanSquaredLogarithmicError(), shape: s23, yTrue: []float64{1, 9, 2, 0.5, 2, 6}, yPred: []float64{4, 8, 12, 8, 1, 3}},
		{name: "squared_hinge", loss: SquaredHinge(), shape: s23, yTrue: []float64{-1, 1, 1, -1, 1, -1}, yPred: []float64{0.3, 2, -0.5, -0.2, 0.9, 1.5}},
		{name: "squared_hinge_binary", loss: SquaredHinge(), shape: s22, yTrue: kerasBinTrue, yPred: kerasBinPred},
		{name: "categorical_hinge", loss: CategoricalHinge(), shape: s33, yTrue: cfTrue, yPred: []float64{0.9, 0.05, 0.1, 0.5, 0.89, 0.6, 0.05, 0.01, 0.94}}, // no ties in the max
		{name: "poisson", loss: Poisson(), shape: s23, yTrue: []float64{4, 8, 12, 8, 1, 3}, yPred: []float64{1, 9, 2, 5, 2, 6}},
		{name: "cosine", loss: CosineSimilarity(), shape: s23, yTrue: kerasRegTrue, yPred: kerasRegPred},
		{name: "binary_focal", loss: BinaryFocalCrossentropy(), shape: s22, yTrue: bfTrue, yPred: bfPred},
		{name: "binary_focal_balanced_gamma", loss: BinaryFocalCrossentropy(ApplyClassBalancing(true), Gamma(1.5), LabelSmoothing(0.1)), shape: s22, yTrue: bfTrue, yPred: bfPred},
		{name: "binary_focal_logits", loss: BinaryFocalCrossentropy(FromLogits(true), Gamma(3)), shape: s23, yTrue: bfTrueL, yPred: bfLogits},
		{name: "categorical_focal", loss: CategoricalFocalCrossentropy(), shape: s33, yTrue: cfTrue, yPred: cfPred},
		{name: "categorical_focal_logits", loss: CategoricalFocalCrossentropy(FromLogits(true), Gamma(1.5), LabelSmoothing(0.1)), shape: s33, yTrue: cfTrue, yPred: []float64{1, -1, 0.5, 0, 2, 1, 2, 3, -1}},
	})
}

func TestNewLossBadOptions(t *testing.T) {
	for _, l := range []Loss{
		BinaryFocalCrossentropy(Gamma(-1)),
		BinaryFocalCrossentropy(Alpha(1.5), ApplyClassBalancing(true)),
		BinaryFocalCrossentropy(LabelSmoothing(2)),
		CategoricalFocalCrossentropy(Gamma(-0.5)),
		CategoricalFocalCrossentropy(Axis(0)),
		CosineSimilarity(Axis(0)),
	} {
		if _, err := l.Compute(twoNodes(t)); err == nil {
			t.Errorf("%s %v: expected an error", l.Name(), l.Config())
		}
	}
	// Axis 1 is the last axis of a (2, 3) batch.
	if _, err := CosineSimilarity(Axis(1)).Compute(twoNodes(t)); err != nil {
		t.Errorf("cosine_similarity axis 1 of (2, 3): %v", err)
	}
}
