package losses

import (
	"math"
	"strings"
	"testing"

	"github.com/gokeras/keras/internal/gradcheck"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// allLosses is every built-in loss with its default options, plus the
// variants whose per-sample form takes another path (logits, smoothing,
// class balancing).
func allLosses() []Loss {
	return []Loss{
		MeanSquaredError(), MeanAbsoluteError(), MeanAbsolutePercentageError(),
		MeanSquaredLogarithmicError(), Huber(), Huber(Delta(0.3)), LogCosh(),
		BinaryCrossentropy(), BinaryCrossentropy(FromLogits(true)), BinaryCrossentropy(LabelSmoothing(0.2)),
		BinaryFocalCrossentropy(), BinaryFocalCrossentropy(ApplyClassBalancing(true), FromLogits(true)),
		CategoricalCrossentropy(), CategoricalCrossentropy(FromLogits(true)), CategoricalCrossentropy(LabelSmoothing(0.1)),
		CategoricalFocalCrossentropy(), CategoricalFocalCrossentropy(FromLogits(true)),
		SparseCategoricalCrossentropy(), SparseCategoricalCrossentropy(FromLogits(true)),
		Hinge(), SquaredHinge(), CategoricalHinge(), KLDivergence(), Poisson(), CosineSimilarity(),
	}
}

// oneHotBatch is a batch of one-hot targets and positive predictions,
// valid input for every built-in loss.
var (
	psShape = []int{4, 3}
	psTrue  = []float64{1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0}
	psPred  = []float64{0.7, 0.2, 0.1, 0.3, 0.3, 0.4, 0.05, 0.15, 0.8, 0.6, 0.35, 0.05}
)

// runPerSample builds PerSample on the given batch and returns its
// values and the batch loss from Compute on the same graph inputs.
func runPerSample(t *testing.T, l Loss, dt tensor.Dtype, shape []int, yTrue, yPred []float64) ([]float64, float64) {
	t.Helper()
	ps, ok := l.(PerSampleLoss)
	if !ok {
		t.Fatalf("%s does not implement PerSampleLoss", l.Name())
	}
	g := G.NewGraph()
	yt := G.NewTensor(g, dt, len(shape), G.WithShape(shape...), G.WithName("y_true"), G.WithValue(dense(dt, shape, yTrue)))
	yp := G.NewTensor(g, dt, len(shape), G.WithShape(shape...), G.WithName("y_pred"), G.WithValue(dense(dt, shape, yPred)))
	per, err := ps.PerSample(yt, yp)
	if err != nil {
		t.Fatalf("%s: PerSample: %v", l.Name(), err)
	}
	if !per.Shape().Eq(tensor.Shape{shape[0]}) || per.Dims() != 1 {
		t.Fatalf("%s: PerSample has shape %v, want (%d,)", l.Name(), per.Shape(), shape[0])
	}
	if per.Dtype() != dt {
		t.Fatalf("%s: PerSample has dtype %v, want %v", l.Name(), per.Dtype(), dt)
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatalf("%s: RunAll: %v", l.Name(), err)
	}
	got := toFloats64(t, per.Value().Data())
	loss, _ := evalLoss(t, l, dt, shape, yTrue, yPred)
	return got, loss
}

// TestPerSampleMatchesCompute checks every built-in loss: the mean of the
// per-sample vector is Compute's batch loss, and each sample's value is
// Compute on a batch of that sample alone (the reference: Keras's loss
// of one sample is its batch-of-one loss).
func TestPerSampleMatchesCompute(t *testing.T) {
	for _, l := range allLosses() {
		for _, dt := range dtypes {
			rel := 1e-12
			if dt == tensor.Float32 {
				rel = 2e-6
			}
			got, loss := runPerSample(t, l, dt, psShape, psTrue, psPred)
			var mean float64
			for _, v := range got {
				mean += v
			}
			mean /= float64(len(got))
			if !approx(mean, loss, rel, 1e-7) {
				t.Errorf("%s %v: mean of PerSample = %.9g, Compute = %.9g", l.Name(), dt, mean, loss)
			}
			c := psShape[1]
			for i := range got {
				one, _ := evalLoss(t, l, dt, []int{1, c}, psTrue[i*c:(i+1)*c], psPred[i*c:(i+1)*c])
				if !approx(got[i], one, rel, 1e-7) {
					t.Errorf("%s %v: sample %d = %.9g, Compute on it alone = %.9g", l.Name(), dt, i, got[i], one)
				}
			}
		}
	}
}

// TestPerSampleHandComputed checks per-sample values against float64
// formulas written here, including a rank-3 batch, where Keras averages
// the loss over the extra axis too.
func TestPerSampleHandComputed(t *testing.T) {
	mse := func(tr, pr []float64) float64 {
		var s float64
		for i := range tr {
			s += (tr[i] - pr[i]) * (tr[i] - pr[i])
		}
		return s / float64(len(tr))
	}
	bce := func(tr, pr []float64) float64 {
		var s float64
		for i := range tr {
			p := math.Min(math.Max(pr[i], 1e-7), 1-1e-7)
			s -= tr[i]*math.Log(p) + (1-tr[i])*math.Log(1-p)
		}
		return s / float64(len(tr))
	}
	// categorical cross-entropy of a (steps, classes) sample: the sum
	// over classes, averaged over steps.
	cce := func(c int) func(tr, pr []float64) float64 {
		return func(tr, pr []float64) float64 {
			var s float64
			for r := 0; r < len(tr); r += c {
				var sum float64
				for j := r; j < r+c; j++ {
					sum += pr[j]
				}
				for j := r; j < r+c; j++ {
					s -= tr[j] * math.Log(math.Min(math.Max(pr[j]/sum, 1e-7), 1-1e-7))
				}
			}
			return s / float64(len(tr)/c)
		}
	}
	rank3True := []float64{1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1}
	rank3Pred := []float64{0.9, 0.1, 0.3, 0.7, 0.6, 0.4, 0.2, 0.8, 0.5, 0.5, 0.25, 0.75}
	cases := []struct {
		name         string
		loss         Loss
		shape        []int
		yTrue, yPred []float64
		f            func(tr, pr []float64) float64
	}{
		{"mse Keras batch", MeanSquaredError(), []int{2, 3}, kerasRegTrue, kerasRegPred, mse},
		{"bce Keras batch", BinaryCrossentropy(), []int{2, 2}, kerasBinTrue, kerasBinPred, bce},
		{"cce", CategoricalCrossentropy(), psShape, psTrue, psPred, cce(3)},
		{"mse rank 3", MeanSquaredError(), []int{2, 3, 2}, rank3True, rank3Pred, mse},
		{"cce rank 3", CategoricalCrossentropy(), []int{2, 3, 2}, rank3True, rank3Pred, cce(2)},
	}
	for _, c := range cases {
		got, _ := runPerSample(t, c.loss, tensor.Float64, c.shape, c.yTrue, c.yPred)
		k := len(c.yTrue) / c.shape[0]
		for i := range got {
			want := c.f(c.yTrue[i*k:(i+1)*k], c.yPred[i*k:(i+1)*k])
			if !approx(got[i], want, 1e-12, 1e-12) {
				t.Errorf("%s: sample %d = %.12g, want %.12g", c.name, i, got[i], want)
			}
		}
	}
}

// TestPerSampleWeightedGradient checks the gradient of the weighted sum
// Keras reduces, sum(w × per-sample loss) / batch, by central
// differences, for every built-in loss.
func TestPerSampleWeightedGradient(t *testing.T) {
	w := []float64{0.5, 2, 0, 1.25}
	for _, l := range allLosses() {
		ps := l.(PerSampleLoss)
		cfg := gradcheck.Config{WRT: []int{1}, RelTol: 1e-5, AbsTol: 1e-7}
		if l.Name() == "mean_absolute_percentage_error" {
			// Targets of 0 divide by epsilon: terms of 1e6 leave the
			// central difference with roundoff of about 1e-4.
			cfg.RelTol = 5e-4
		}
		res, err := gradcheck.Check(func(in []*G.Node) (*G.Node, error) {
			per, err := ps.PerSample(in[0], in[1])
			if err != nil {
				return nil, err
			}
			wn := G.NewConstant(dense(tensor.Float64, []int{4}, w))
			prod, err := G.HadamardProd(per, wn)
			if err != nil {
				return nil, err
			}
			sum, err := G.Sum(prod)
			if err != nil {
				return nil, err
			}
			return G.Div(sum, G.NewConstant(4.0))
		}, []*tensor.Dense{dense(tensor.Float64, psShape, psTrue), dense(tensor.Float64, psShape, psPred)},
			cfg)
		if err != nil {
			t.Fatalf("%s: %v", l.Name(), err)
		}
		if err := res.Err(); err != nil {
			t.Errorf("%s: %v", l.Name(), err)
		}
	}
}

func TestPerSampleErrors(t *testing.T) {
	g := G.NewGraph()
	v := G.NewVector(g, tensor.Float32, G.WithShape(3), G.WithName("v"))
	w := G.NewVector(g, tensor.Float32, G.WithShape(3), G.WithName("w"))
	_, err := MeanSquaredError().(PerSampleLoss).PerSample(v, w)
	if err == nil || !strings.Contains(err.Error(), "per-sample") || !strings.Contains(err.Error(), "mean_squared_error") {
		t.Errorf("rank-1 y_pred: err = %v, want a per-sample shape error naming the loss", err)
	}
	yt, yp := twoNodes(t)
	if _, err := BinaryCrossentropy(LabelSmoothing(2)).(PerSampleLoss).PerSample(yt, yp); err == nil {
		t.Error("label_smoothing 2: no error")
	}
	if _, err := MeanSquaredError().(PerSampleLoss).PerSample(nil, yp); err == nil {
		t.Error("nil y_true: no error")
	}
}
