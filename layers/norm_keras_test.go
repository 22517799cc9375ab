package layers_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"gorgonia.org/tensor"

	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
)

// The layers of issue 10 through the public keras API: GetWeights,
// SetWeights, Fit, Predict, Save and LoadModel.

func nlDense32(v []float64, shape ...int) *tensor.Dense {
	f := make([]float32, len(v))
	for i, x := range v {
		f[i] = float32(x)
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(f))
}

func nlValues(t *tensor.Dense) []float64 {
	switch v := t.Data().(type) {
	case []float32:
		out := make([]float64, len(v))
		for i, x := range v {
			out[i] = float64(x)
		}
		return out
	case []float64:
		return slices.Clone(v)
	case float32:
		return []float64{float64(v)}
	case float64:
		return []float64{v}
	}
	return nil
}

// bnStep is one SGD step (learning rate lr) of BatchNormalization alone
// under the mean squared error, in float64: the loss, and gamma and beta
// after the step.
func bnStep(x, y []float64, c int, gamma, beta []float64, lr, eps float64) (loss float64, g2, b2 []float64) {
	mean, variance := nlMoments(x, c)
	n := float64(len(x))
	dg, db := make([]float64, c), make([]float64, c)
	for i, v := range x {
		j := i % c
		xhat := (v - mean[j]) / math.Sqrt(variance[j]+eps)
		d := gamma[j]*xhat + beta[j] - y[i]
		loss += d * d / n
		dg[j] += 2 * d * xhat / n
		db[j] += 2 * d / n
	}
	g2, b2 = make([]float64, c), make([]float64, c)
	for j := range c {
		g2[j] = gamma[j] - lr*dg[j]
		b2[j] = beta[j] - lr*db[j]
	}
	return loss, g2, b2
}

func TestBatchNormalizationFitStep(t *testing.T) {
	rng := rand.New(rand.NewPCG(30, 31))
	const n, c = 8, 3
	x, y := nlSeq(rng, n*c, -2, 4), nlSeq(rng, n*c, -1, 1)
	gamma, beta, mm, mv := nlSeq(rng, c, 0.5, 2), nlSeq(rng, c, -1, 1), nlSeq(rng, c, -1, 1), nlSeq(rng, c, 0.5, 2)
	m := keras.Sequential(keras.Input(c), layers.BatchNormalization())
	if err := m.Compile(optimizers.SGD(optimizers.LearningRate(0.1)), losses.MeanSquaredError()); err != nil {
		t.Fatal(err)
	}
	if err := m.SetWeights([]*tensor.Dense{nlDense32(gamma, c), nlDense32(beta, c), nlDense32(mm, c), nlDense32(mv, c)}); err != nil {
		t.Fatal(err)
	}
	// Round the inputs to float32 first: the model computes on those.
	for _, v := range [][]float64{x, y, gamma, beta, mm, mv} {
		for i := range v {
			v[i] = float64(float32(v[i]))
		}
	}
	h, err := m.Fit(nlDense32(x, n, c), nlDense32(y, n, c), keras.BatchSize(n), keras.Epochs(1), keras.Verbose(0))
	if err != nil {
		t.Fatal(err)
	}
	loss, g2, b2 := bnStep(x, y, c, gamma, beta, 0.1, 1e-3)
	if got := h.History["loss"][0]; math.Abs(got-loss) > 1e-5*loss {
		t.Errorf("loss %v, want %v", got, loss)
	}
	mean, variance := nlMoments(x, c)
	wantMM, wantMV := make([]float64, c), make([]float64, c)
	for j := range c {
		wantMM[j] = mm[j]*0.99 + mean[j]*0.01
		wantMV[j] = mv[j]*0.99 + variance[j]*0.01
	}
	ws := m.GetWeights()
	if len(ws) != 4 {
		t.Fatalf("%d weights, want gamma, beta, moving_mean, moving_variance", len(ws))
	}
	nlNear(t, "gamma", nlValues(ws[0]), g2, 1e-5)
	nlNear(t, "beta", nlValues(ws[1]), b2, 1e-5)
	nlNear(t, "moving_mean", nlValues(ws[2]), wantMM, 1e-6)
	nlNear(t, "moving_variance", nlValues(ws[3]), wantMV, 1e-6)

	// Predict uses the moving statistics.
	p, err := m.Predict(nlDense32(x, n, c))
	if err != nil {
		t.Fatal(err)
	}
	nlNear(t, "predict", nlValues(p), nlBatchNorm(x, c, nlValues(ws[2]), nlValues(ws[3]), nlValues(ws[0]), nlValues(ws[1]), 1e-3), 1e-5)
	if s := m.Summary(); !strings.Contains(s, "Non-trainable params: 6") {
		t.Errorf("summary does not count the 6 moving statistics as non-trainable:\n%s", s)
	}
}

func TestBatchNormalizationFrozenFit(t *testing.T) {
	rng := rand.New(rand.NewPCG(32, 33))
	const n, c = 6, 2
	x, y := nlSeq(rng, n*c, -2, 4), nlSeq(rng, n, -1, 1)
	bn := layers.BatchNormalization()
	m := keras.Sequential(keras.Input(c), bn, layers.Dense(1))
	bn.SetTrainable(false)
	if err := m.Compile(optimizers.SGD(optimizers.LearningRate(0.1)), losses.MeanSquaredError()); err != nil {
		t.Fatal(err)
	}
	ws := m.GetWeights()
	ws[0], ws[1], ws[2], ws[3] = nlDense32([]float64{1.5, 0.5}, c), nlDense32([]float64{0.2, -0.3}, c), nlDense32([]float64{0.4, 1}, c), nlDense32([]float64{2, 0.5}, c)
	if err := m.SetWeights(ws); err != nil {
		t.Fatal(err)
	}
	before := m.GetWeights()
	// In a frozen layer's training step the output uses the moving
	// statistics (Keras 3), so the loss of the step is the loss of
	// Predict's outputs.
	p, err := m.Predict(nlDense32(x, n, c))
	if err != nil {
		t.Fatal(err)
	}
	want := 0.0
	for i, v := range nlValues(p) {
		d := v - float64(float32(y[i]))
		want += d * d / n
	}
	h, err := m.Fit(nlDense32(x, n, c), nlDense32(y, n, 1), keras.BatchSize(n), keras.Epochs(1), keras.Verbose(0))
	if err != nil {
		t.Fatal(err)
	}
	if got := h.History["loss"][0]; math.Abs(got-want) > 1e-5*want {
		t.Errorf("frozen step's loss %v, want %v (moving statistics)", got, want)
	}
	after := m.GetWeights()
	for i := range 4 {
		if !slices.Equal(nlValues(after[i]), nlValues(before[i])) {
			t.Errorf("frozen BatchNormalization weight %d changed: %v -> %v", i, nlValues(before[i]), nlValues(after[i]))
		}
	}
	if slices.Equal(nlValues(after[4]), nlValues(before[4])) {
		t.Error("the Dense kernel did not train")
	}
}

func TestNormalizationInModel(t *testing.T) {
	rng := rand.New(rand.NewPCG(34, 35))
	const n, f = 40, 3
	x := nlSeq(rng, n*f, 0, 100)
	y := nlSeq(rng, n, -1, 1)

	// The tutorial's order: Adapt, then a model without Input.
	norm := layers.Normalization()
	if err := norm.Adapt(nlDense32(x, n, f)); err != nil {
		t.Fatal(err)
	}
	m := keras.Sequential(norm, layers.Dense(1))
	if err := m.Compile(optimizers.Adam(optimizers.LearningRate(0.1)), losses.MeanAbsoluteError()); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Fit(nlDense32(x, n, f), nlDense32(y, n, 1), keras.Epochs(2), keras.Verbose(0), keras.ValidationSplit(0.2)); err != nil {
		t.Fatal(err)
	}
	ws := m.GetWeights()
	if len(ws) != 4 {
		t.Fatalf("%d weights, want mean, variance, kernel, bias", len(ws))
	}
	mean, variance := nlMoments(x, f)
	nlNear(t, "mean", nlValues(ws[0]), mean, 1e-6)
	nlNear(t, "variance", nlValues(ws[1]), variance, 1e-6)
	if s := m.Summary(); !strings.Contains(s, "Non-trainable params: 6") {
		t.Errorf("summary does not count mean and variance (6) as non-trainable:\n%s", s)
	}

	// A model built before Adapt refuses to predict, naming the layer,
	// and works once the layer is adapted.
	late := layers.Normalization(layers.Name("late_norm"))
	m2 := keras.Sequential(keras.Input(f), late, layers.Dense(1))
	if err := m2.Compile(optimizers.SGD(), losses.MeanSquaredError()); err != nil {
		t.Fatal(err)
	}
	_, err := m2.Predict(nlDense32(x, n, f))
	if !errors.Is(err, layers.ErrNotAdapted) || !strings.Contains(err.Error(), "late_norm") {
		t.Fatalf("predict before Adapt: error %v", err)
	}
	if _, err := m2.Fit(nlDense32(x, n, f), nlDense32(y, n, 1), keras.Verbose(0)); !errors.Is(err, layers.ErrNotAdapted) {
		t.Fatalf("fit before Adapt: error %v", err)
	}
	if err := late.Adapt(nlDense32(x, n, f)); err != nil {
		t.Fatal(err)
	}
	p, err := m2.Predict(nlDense32(x[:f], 1, f))
	if err != nil {
		t.Fatal(err)
	}
	w := m2.GetWeights()
	kernel, bias := nlValues(w[2]), nlValues(w[3])
	want := bias[0]
	for j := range f {
		want += (x[j] - mean[j]) / math.Sqrt(variance[j]) * kernel[j]
	}
	nlNear(t, "predict after a late Adapt", nlValues(p), []float64{want}, 1e-5)

	// A float64 model takes the float32 statistics Adapt made.
	n64 := layers.Normalization()
	if err := n64.Adapt(nlDense32(x, n, f)); err != nil {
		t.Fatal(err)
	}
	m3 := keras.Sequential(n64, layers.Dense(1))
	if err := m3.Compile(optimizers.SGD(), losses.MeanSquaredError(), keras.DType(tensor.Float64)); err != nil {
		t.Fatal(err)
	}
	if _, err := m3.Fit(nlDense32(x, n, f), nlDense32(y, n, 1), keras.Verbose(0)); err != nil {
		t.Fatalf("float64 model with an adapted Normalization: %v", err)
	}
}

// TestNormLayersSaveLoad saves a model holding every layer of this group
// and checks that the loaded model predicts the same numbers bit for bit.
func TestNormLayersSaveLoad(t *testing.T) {
	rng := rand.New(rand.NewPCG(36, 37))
	const n = 10
	x := nlSeq(rng, n*4*4*3, 0, 255)
	y := nlSeq(rng, n*2*6, 0, 1)
	norm := layers.Normalization()
	if err := norm.Adapt(nlDense32(x, n, 4, 4, 3)); err != nil {
		t.Fatal(err)
	}
	build := func() *keras.Model {
		return keras.Sequential(
			keras.Input(4, 4, 3),
			norm,
			layers.Rescaling(0.5, layers.Offset(0.1)),
			layers.BatchNormalization(layers.Momentum(0.9)),
			layers.SpatialDropout2D(0.2),
			layers.GaussianNoise(0.1),
			layers.PReLU(layers.SharedAxes(1, 2), layers.AlphaInitializer(layers.Constant(0.2))),
			layers.LayerNormalization(),
			layers.ReLU(layers.MaxValue(6), layers.NegativeSlope(0.1), layers.Threshold(0.05)),
			layers.LeakyReLU(),
			layers.ELU(layers.Alpha(0.5)),
			layers.Softmax(layers.Axis(1)),
			layers.Permute(2, 1, 3),
			layers.Flatten(),
			layers.Normalization(layers.Mean(0.1), layers.Variance(0.04), layers.Invert(false)),
			layers.Dense(6),
			layers.RepeatVector(2),
			layers.Softmax(),
		)
	}
	m := build()
	if err := m.Compile(optimizers.Adam(), losses.MeanSquaredError(), keras.Seed(3)); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Fit(nlDense32(x, n, 4, 4, 3), nlDense32(y, n, 2, 6), keras.Epochs(2), keras.BatchSize(4), keras.Verbose(0)); err != nil {
		t.Fatal(err)
	}
	l, p1, p2 := predictReloaded(t, m, nlDense32(x, n, 4, 4, 3))
	if !slices.Equal(nlValues(p1), nlValues(p2)) {
		t.Errorf("loaded model predicts differently:\n%v\n%v", nlValues(p1)[:6], nlValues(p2)[:6])
	}
	w1, w2 := m.GetWeights(), l.GetWeights()
	if len(w1) != len(w2) {
		t.Fatalf("%d weights, loaded %d", len(w1), len(w2))
	}
	for i := range w1 {
		if !slices.Equal(nlValues(w1[i]), nlValues(w2[i])) {
			t.Errorf("weight %d differs after loading", i)
		}
	}
	var classes []string
	for _, ly := range l.Layers() {
		classes = append(classes, ly.ClassName())
	}
	for _, want := range []string{"Normalization", "Rescaling", "BatchNormalization", "SpatialDropout2D", "GaussianNoise", "PReLU", "LayerNormalization", "ReLU", "LeakyReLU", "ELU", "Softmax", "Permute", "RepeatVector"} {
		if !slices.Contains(classes, want) {
			t.Errorf("loaded model has no %s layer (layers %v)", want, classes)
		}
	}
}
