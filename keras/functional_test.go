package keras_test

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
	"gorgonia.org/tensor"
)

// seq fills a float32 tensor of the given shape with a fixed, varied
// pattern.
func seq(shape []int, scale float64) *tensor.Dense {
	n := 1
	for _, d := range shape {
		n *= d
	}
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(scale * math.Sin(float64(i)*1.7+0.3))
	}
	return f32(shape, v...)
}

// dense64 is x·w + b over rows, in float64: the direct computation the
// graphs are checked against.
func dense64(x []float64, rows, in int, w, b []float32, out int, act func(float64) float64) []float64 {
	y := make([]float64, rows*out)
	for r := 0; r < rows; r++ {
		for j := 0; j < out; j++ {
			s := float64(b[j])
			for k := 0; k < in; k++ {
				s += x[r*in+k] * float64(w[k*out+j])
			}
			y[r*out+j] = act(s)
		}
	}
	return y
}

func relu(v float64) float64  { return math.Max(v, 0) }
func ident(v float64) float64 { return v }
func sigm(v float64) float64  { return 1 / (1 + math.Exp(-v)) }

func data64(t *tensor.Dense) []float64 {
	v := t.Data().([]float32)
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

func closeAll(t *testing.T, what string, got *tensor.Dense, want []float64, tol float64) {
	t.Helper()
	g := data64(got)
	if len(g) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(g), len(want))
	}
	for i := range g {
		if math.Abs(g[i]-want[i]) > tol*(1+math.Abs(want[i])) {
			t.Fatalf("%s[%d] = %v, want %v", what, i, g[i], want[i])
		}
	}
}

// The residual two-tower model: two Dense towers concatenated, a
// Dense and a residual Add, a sigmoid head, against a direct computation
// from the model's own weights.
func TestFunctionalResidualTwoTower(t *testing.T) {
	inputs := keras.Input(5)
	a := keras.Apply(layers.Dense(4, layers.Activation("relu")), inputs)
	b := keras.Apply(layers.Dense(4), inputs)
	x := keras.Apply(layers.Concatenate(), a, b)
	shortcut := x
	x = keras.Apply(layers.Dense(8, layers.Activation("relu")), x)
	x = keras.Apply(layers.Add(), x, shortcut)
	outputs := keras.Apply(layers.Dense(1, layers.Activation("sigmoid")), x)
	model, err := keras.NewModel([]*keras.Tensor{inputs}, []*keras.Tensor{outputs})
	if err != nil {
		t.Fatal(err)
	}
	if got := outputs.Shape(); len(got) != 1 || got[0] != 1 {
		t.Fatalf("output shape %v", got)
	}
	ws := model.GetWeights()
	if len(ws) != 8 {
		t.Fatalf("%d weights, want 8 (4 Dense layers, kernel and bias)", len(ws))
	}
	w := func(i int) []float32 { return ws[i].Data().([]float32) }
	xs := seq([]int{7, 5}, 1.5)
	x64 := data64(xs)
	ya := dense64(x64, 7, 5, w(0), w(1), 4, relu)
	yb := dense64(x64, 7, 5, w(2), w(3), 4, ident)
	cat := make([]float64, 7*8)
	for r := 0; r < 7; r++ {
		copy(cat[r*8:], ya[r*4:r*4+4])
		copy(cat[r*8+4:], yb[r*4:r*4+4])
	}
	h := dense64(cat, 7, 8, w(4), w(5), 8, relu)
	for i := range h {
		h[i] += cat[i]
	}
	want := dense64(h, 7, 8, w(6), w(7), 1, sigm)
	for _, batch := range []int{32, 3, 1} {
		got, err := model.Predict(xs, keras.BatchSize(batch))
		if err != nil {
			t.Fatal(err)
		}
		closeAll(t, "predict", got, want, 1e-5)
	}
	if err := model.Compile(optimizers.Adam(), losses.BinaryCrossentropy(), keras.Metrics("accuracy")); err != nil {
		t.Fatal(err)
	}
	ys := f32([]int{7, 1}, 0, 1, 1, 0, 1, 0, 1)
	hist, err := model.Fit(xs, ys, keras.Epochs(3), keras.Verbose(0))
	if err != nil {
		t.Fatal(err)
	}
	if len(hist.History["accuracy"]) != 3 {
		t.Fatalf("history %v", hist.History)
	}
	sum := model.Summary()
	for _, want := range []string{"Connected to", "input_layer (InputLayer)", "concatenate (Concatenate)", "dense[0][0],", "dense_1[0][0]", "add (Add)", "dense_2[0][0],", "concatenate[0][0]", "Total params: 129"} {
		if !strings.Contains(sum, want) {
			t.Errorf("summary lacks %q:\n%s", want, sum)
		}
	}
}

// A layer applied twice shares its weights, listed once; its gradient is
// the sum of both calls', checked against finite differences of the loss
// through the public API (Evaluate, one SGD step).
func TestSharedLayerGradient(t *testing.T) {
	inputs := keras.Input(3)
	shared := layers.Dense(3, layers.Activation("tanh"))
	left := keras.Apply(shared, keras.Apply(layers.Dense(3), inputs))
	right := keras.Apply(shared, inputs)
	out := keras.Apply(layers.Dense(1), keras.Apply(layers.Concatenate(), left, right))
	model, err := keras.NewModel([]*keras.Tensor{inputs}, []*keras.Tensor{out})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(model.GetWeights()); n != 6 {
		t.Fatalf("%d weights, want 6 (the shared layer's once)", n)
	}
	const lr = 1e-3
	if err := model.Compile(optimizers.SGD(optimizers.LearningRate(lr)), losses.MeanSquaredError(), keras.DType(tensor.Float64)); err != nil {
		t.Fatal(err)
	}
	xs := seq([]int{4, 3}, 1)
	ys := seq([]int{4, 1}, 0.7)
	before := model.GetWeights()
	loss := func(ws []*tensor.Dense) float64 {
		if err := model.SetWeights(ws); err != nil {
			t.Fatal(err)
		}
		l, err := model.Evaluate(xs, ys, keras.Verbose(0))
		if err != nil {
			t.Fatal(err)
		}
		return l["loss"]
	}
	// The shared kernel is the second Dense's (weights 2 and 3: the
	// first call's layer is dense, then dense_1 is shared... find it by
	// shape order: dense (3x3), shared (3x3), head (6x1)).
	const k = 2
	fd := make([]float64, 9)
	for i := range fd {
		const h = 1e-6
		plus := cloneAll(before)
		plus[k].Data().([]float64)[i] += h
		minus := cloneAll(before)
		minus[k].Data().([]float64)[i] -= h
		fd[i] = (loss(plus) - loss(minus)) / (2 * h)
	}
	if err := model.SetWeights(before); err != nil {
		t.Fatal(err)
	}
	if _, err := model.Fit(xs, ys, keras.Epochs(1), keras.BatchSize(4), keras.Shuffle(false), keras.Verbose(0)); err != nil {
		t.Fatal(err)
	}
	after := model.GetWeights()
	for i := range fd {
		grad := (before[k].Data().([]float64)[i] - after[k].Data().([]float64)[i]) / lr
		if math.Abs(grad-fd[i]) > 1e-5*(1+math.Abs(fd[i])) {
			t.Errorf("shared kernel grad[%d] = %v, finite difference %v", i, grad, fd[i])
		}
	}
}

func cloneAll(ws []*tensor.Dense) []*tensor.Dense {
	out := make([]*tensor.Dense, len(ws))
	for i, w := range ws {
		out[i] = w.Clone().(*tensor.Dense)
	}
	return out
}

// TensorFlow's probability model: Sequential(model, Softmax) shares the
// trained model's weights, and the trained model predicts as before at
// batch sizes it has not used.
func TestProbabilityModelSharesWeights(t *testing.T) {
	model := keras.Sequential(keras.Input(4), layers.Dense(8, layers.Activation("relu")), layers.Dense(3))
	if err := model.Compile(optimizers.Adam(), losses.SparseCategoricalCrossentropy(losses.FromLogits(true))); err != nil {
		t.Fatal(err)
	}
	xs := seq([]int{20, 4}, 2)
	ys := f32([]int{20}, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1)
	if _, err := model.Fit(xs, ys, keras.Epochs(5), keras.Verbose(0)); err != nil {
		t.Fatal(err)
	}
	logits, err := model.Predict(xs, keras.BatchSize(20))
	if err != nil {
		t.Fatal(err)
	}
	prob := keras.Sequential(model, layers.Activation("softmax"))
	p, err := prob.Predict(xs) // never compiled, as in the tutorial
	if err != nil {
		t.Fatal(err)
	}
	l := data64(logits)
	want := make([]float64, len(l))
	for r := 0; r < 20; r++ {
		row := l[r*3 : r*3+3]
		mx := math.Max(row[0], math.Max(row[1], row[2]))
		s := 0.0
		for _, v := range row {
			s += math.Exp(v - mx)
		}
		for j, v := range row {
			want[r*3+j] = math.Exp(v-mx) / s
		}
	}
	closeAll(t, "softmax(model)", p, want, 1e-5)
	for _, batch := range []int{7, 1, 32} {
		again, err := model.Predict(xs, keras.BatchSize(batch))
		if err != nil {
			t.Fatal(err)
		}
		closeAll(t, "model after sharing", again, l, 1e-6)
	}
	if len(prob.GetWeights()) != 4 {
		t.Fatalf("probability model has %d weights, want the 4 shared ones", len(prob.GetWeights()))
	}
}

// Freezing a base model keeps the optimizer off its weights while a new
// head trains; Summary counts the frozen values as non-trainable.
func TestFreezeBaseModel(t *testing.T) {
	base := keras.Sequential(keras.Input(4), layers.Dense(5, layers.Activation("relu")))
	base.GetWeights() // builds and draws
	base.SetTrainable(false)
	model := keras.Sequential(base, layers.Dense(1))
	if err := model.Compile(optimizers.SGD(optimizers.LearningRate(0.1)), losses.MeanSquaredError()); err != nil {
		t.Fatal(err)
	}
	before := model.GetWeights()
	xs, ys := seq([]int{10, 4}, 1), seq([]int{10, 1}, 1)
	if _, err := model.Fit(xs, ys, keras.Epochs(3), keras.Verbose(0)); err != nil {
		t.Fatal(err)
	}
	after := model.GetWeights()
	for i := 0; i < 2; i++ {
		if !equal32(before[i], after[i]) {
			t.Errorf("frozen weight %d changed", i)
		}
	}
	if equal32(before[2], after[2]) {
		t.Error("the head did not train")
	}
	s := model.Summary()
	for _, want := range []string{"Total params: 31", "Trainable params: 6 ", "Non-trainable params: 25 "} {
		if !strings.Contains(s, want) {
			t.Errorf("summary lacks %q:\n%s", want, s)
		}
	}
	base.SetTrainable(true)
	if _, err := model.Fit(xs, ys, keras.Epochs(1), keras.Verbose(0)); err == nil || !strings.Contains(err.Error(), "call Compile again") {
		t.Fatalf("Fit after unfreezing without Compile: %v", err)
	}
	if err := model.Compile(optimizers.SGD(optimizers.LearningRate(0.1)), losses.MeanSquaredError()); err != nil {
		t.Fatal(err)
	}
	if _, err := model.Fit(xs, ys, keras.Epochs(1), keras.Verbose(0)); err != nil {
		t.Fatal(err)
	}
	if equal32(after[0], model.GetWeights()[0]) {
		t.Error("unfrozen base did not train")
	}
}

func equal32(a, b *tensor.Dense) bool {
	x, y := a.Data().([]float32), b.Data().([]float32)
	for i := range x {
		if x[i] != y[i] {
			return false
		}
	}
	return true
}

// Dense on (batch, steps, features) applies to the last axis.
func TestDense3D(t *testing.T) {
	model := keras.Sequential(keras.Input(3, 4), layers.Dense(2))
	xs := seq([]int{5, 3, 4}, 1)
	out, err := model.Predict(xs)
	if err != nil {
		t.Fatal(err)
	}
	if s := out.Shape(); len(s) != 3 || s[0] != 5 || s[1] != 3 || s[2] != 2 {
		t.Fatalf("shape %v, want (5, 3, 2)", s)
	}
	ws := model.GetWeights()
	want := dense64(data64(xs), 15, 4, ws[0].Data().([]float32), ws[1].Data().([]float32), 2, ident)
	closeAll(t, "dense 3-D", out, want, 1e-6)
}

// A built layer keeps its weights; building it for another shape is an
// error naming it.
func TestLayerKeepsWeights(t *testing.T) {
	d := layers.Dense(2, layers.Name("d"))
	m1 := keras.Sequential(keras.Input(3), d)
	w1 := m1.GetWeights()
	m2 := keras.Sequential(keras.Input(3), d)
	w2 := m2.GetWeights()
	if !equal32(w1[0], w2[0]) {
		t.Fatal("a shared layer got new weights in a second model")
	}
	m3 := keras.Sequential(keras.Input(4), d)
	if _, err := m3.Predict(seq([]int{1, 4}, 1)); err == nil || !strings.Contains(err.Error(), "d: already built for input shape (3,)") {
		t.Fatalf("error %v", err)
	}
}

// NewModel's errors name what is wrong; nothing panics.
func TestNewModelErrors(t *testing.T) {
	in := keras.Input(3)
	other := keras.Input(3)
	tests := []struct {
		name    string
		in, out []*keras.Tensor
		want    string
	}{
		{"foreign input", []*keras.Tensor{in}, []*keras.Tensor{keras.Apply(layers.Dense(2), other)}, "does not come from the model's inputs"},
		{"output is another input", []*keras.Tensor{in}, []*keras.Tensor{other}, "does not come from the model's inputs"},
		{"input not from Input", []*keras.Tensor{keras.Apply(layers.Dense(2), in)}, []*keras.Tensor{in}, "must come from keras.Input"},
		{"concat mismatch", []*keras.Tensor{in}, []*keras.Tensor{keras.Apply(layers.Concatenate(), keras.Apply(layers.Reshape(3, 1), in), keras.Apply(layers.Reshape(1, 3), in))}, "must match on every axis but the concatenation axis"},
		{"add shapes", []*keras.Tensor{in}, []*keras.Tensor{keras.Apply(layers.Add(), in, keras.Apply(layers.Dense(4), in))}, "same shape, got (3,) (input 0) and (4,)"},
		{"two inputs to dense", []*keras.Tensor{in}, []*keras.Tensor{keras.Apply(layers.Dense(2), in, in)}, "dense: takes one input, got 2"},
		{"merge of one", []*keras.Tensor{in}, []*keras.Tensor{keras.Apply(layers.Add(), in)}, "at least 2 inputs"},
		{"two outputs", []*keras.Tensor{in}, []*keras.Tensor{in, in}, "not supported yet"},
		{"nil output", []*keras.Tensor{in}, []*keras.Tensor{nil}, "is nil"},
		{"bad input shape", []*keras.Tensor{keras.Input(-3)}, []*keras.Tensor{keras.Input(-3)}, "dimension 0 is -3"},
		{"dot axes", []*keras.Tensor{in}, []*keras.Tensor{keras.Apply(layers.Dot(1), in, keras.Apply(layers.Dense(4), in))}, "must match along axes 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := keras.NewModel(tt.in, tt.out)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
	if _, err := keras.NewModel([]*keras.Tensor{in, other}, nil); err == nil {
		t.Fatal("no error")
	}
	var unused = keras.Input(2)
	_, err := keras.NewModel([]*keras.Tensor{unused}, []*keras.Tensor{keras.Apply(layers.Dense(1), keras.Input(2))})
	if err == nil || errors.Is(err, keras.ErrEngine) {
		t.Fatalf("error %v", err)
	}
}

// The merge layers against direct element-wise computations.
func TestMergeLayers(t *testing.T) {
	x := seq([]int{3, 4}, 2)
	xv := data64(x)
	tests := []struct {
		name string
		l    layers.Layer
		f    func(a, b float64) float64
	}{
		{"add", layers.Add(), func(a, b float64) float64 { return a + b }},
		{"subtract", layers.Subtract(), func(a, b float64) float64 { return a - b }},
		{"multiply", layers.Multiply(), func(a, b float64) float64 { return a * b }},
		{"average", layers.Average(), func(a, b float64) float64 { return (a + b) / 2 }},
		{"maximum", layers.Maximum(), math.Max},
		{"minimum", layers.Minimum(), math.Min},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := keras.Input(4)
			neg := keras.Apply(layers.Dense(4, layers.UseBias(false), layers.KernelInitializer("zeros")), in)
			// b = -0.5 * x through a fixed Dense.
			model, err := keras.NewModel([]*keras.Tensor{in}, []*keras.Tensor{keras.Apply(tt.l, in, neg)})
			if err != nil {
				t.Fatal(err)
			}
			ws := model.GetWeights()
			k := ws[0].Data().([]float32)
			for i := range k {
				k[i] = 0
			}
			for i := 0; i < 4; i++ {
				k[i*4+i] = -0.5
			}
			if err := model.SetWeights(ws); err != nil {
				t.Fatal(err)
			}
			got, err := model.Predict(x)
			if err != nil {
				t.Fatal(err)
			}
			want := make([]float64, len(xv))
			for i, v := range xv {
				want[i] = tt.f(v, float64(float32(-0.5*v)))
			}
			closeAll(t, tt.name, got, want, 1e-6)
		})
	}
}

// A model used as a layer reports Keras's config of the model.
func TestModelConfigAsLayer(t *testing.T) {
	inner := keras.Sequential(keras.Input(3), layers.Dense(2, layers.Name("d")))
	inner.SetName("inner")
	cfg := inner.Config()
	if cfg["name"] != "inner" {
		t.Fatalf("config %v", cfg)
	}
	ls, ok := cfg["layers"].([]any)
	if !ok || len(ls) != 2 {
		t.Fatalf("layers %v", cfg["layers"])
	}
	if d, _ := ls[1].(map[string]any); d["class_name"] != "Dense" {
		t.Fatalf("layer 1 %v", ls[1])
	}
}

// The other spelling of the probability model: a Sequential of the
// trained model's layers and a softmax shares them too.
func TestProbabilityModelFromLayers(t *testing.T) {
	model := keras.Sequential(keras.Input(4), layers.Dense(6, layers.Activation("relu")), layers.Dense(3))
	if err := model.Compile(optimizers.Adam(), losses.SparseCategoricalCrossentropy(losses.FromLogits(true))); err != nil {
		t.Fatal(err)
	}
	xs := seq([]int{12, 4}, 2)
	ys := f32([]int{12}, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2)
	if _, err := model.Fit(xs, ys, keras.Epochs(3), keras.Verbose(0)); err != nil {
		t.Fatal(err)
	}
	before, err := model.Predict(xs, keras.BatchSize(12))
	if err != nil {
		t.Fatal(err)
	}
	prob := keras.Sequential(append(model.Layers(), layers.Activation("softmax"))...)
	p, err := prob.Predict(xs, keras.BatchSize(5))
	if err != nil {
		t.Fatal(err)
	}
	l := data64(before)
	for r := 0; r < 12; r++ {
		var s float64
		for j := 0; j < 3; j++ {
			s += math.Exp(l[r*3+j])
		}
		for j := 0; j < 3; j++ {
			if got, want := float64(p.Data().([]float32)[r*3+j]), math.Exp(l[r*3+j])/s; math.Abs(got-want) > 1e-5 {
				t.Fatalf("row %d: %v, want %v", r, got, want)
			}
		}
	}
	for _, batch := range []int{1, 7} {
		again, err := model.Predict(xs, keras.BatchSize(batch))
		if err != nil {
			t.Fatal(err)
		}
		closeAll(t, "trained model", again, l, 1e-6)
	}
}

// OutputShape and Dtype, as Keras's model.output_shape and model.dtype:
// unknown before a Sequential model is built, known from the graph of a
// functional one.
func TestOutputShapeAndDtype(t *testing.T) {
	seqModel := keras.Sequential(layers.Dense(4), layers.Reshape(2, 2))
	if got := seqModel.OutputShape(); got != nil {
		t.Errorf("unbuilt Sequential: OutputShape() = %v, want nil", got)
	}
	if _, err := seqModel.Build([]int{3}); err != nil {
		t.Fatal(err)
	}
	if got := seqModel.OutputShape(); !slices.Equal(got, []int{2, 2}) {
		t.Errorf("built Sequential: OutputShape() = %v, want [2 2]", got)
	}
	in := keras.Input(5)
	out := keras.Apply(layers.Dense(7), in)
	fn, err := keras.NewModel([]*keras.Tensor{in}, []*keras.Tensor{out})
	if err != nil {
		t.Fatal(err)
	}
	if got := fn.OutputShape(); !slices.Equal(got, []int{7}) {
		t.Errorf("functional: OutputShape() = %v, want [7]", got)
	}
	got := fn.OutputShape()
	got[0] = 99 // a copy
	if fn.OutputShape()[0] != 7 {
		t.Error("OutputShape returned the model's own slice")
	}
	if fn.Dtype() != tensor.Float32 {
		t.Errorf("Dtype() = %v, want float32", fn.Dtype())
	}
	if err := fn.Compile(optimizers.SGD(), losses.MeanSquaredError(), keras.DType(tensor.Float64)); err != nil {
		t.Fatal(err)
	}
	if fn.Dtype() != tensor.Float64 {
		t.Errorf("after Compile(DType(Float64)): Dtype() = %v", fn.Dtype())
	}
}
