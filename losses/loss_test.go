package losses

import (
	"encoding/json"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

func TestGetKnownNames(t *testing.T) {
	// Keras 3 names and aliases (keras/src/losses/__init__.py).
	cases := map[string]string{
		"mean_squared_error":              "mean_squared_error",
		"mse":                             "mean_squared_error",
		"MSE":                             "mean_squared_error",
		"MeanSquaredError":                "mean_squared_error",
		"mean_absolute_error":             "mean_absolute_error",
		"mae":                             "mean_absolute_error",
		"mean_absolute_percentage_error":  "mean_absolute_percentage_error",
		"mape":                            "mean_absolute_percentage_error",
		"huber":                           "huber",
		"log_cosh":                        "log_cosh",
		"binary_crossentropy":             "binary_crossentropy",
		"bce":                             "binary_crossentropy",
		"categorical_crossentropy":        "categorical_crossentropy",
		"sparse_categorical_crossentropy": "sparse_categorical_crossentropy",
		"hinge":                           "hinge",
		"kl_divergence":                   "kl_divergence",
		"kld":                             "kl_divergence",
		"KLDivergence":                    "kl_divergence",
		"mean_squared_logarithmic_error":  "mean_squared_logarithmic_error",
		"msle":                            "mean_squared_logarithmic_error",
		"MeanSquaredLogarithmicError":     "mean_squared_logarithmic_error",
		"squared_hinge":                   "squared_hinge",
		"SquaredHinge":                    "squared_hinge",
		"categorical_hinge":               "categorical_hinge",
		"CategoricalHinge":                "categorical_hinge",
		"poisson":                         "poisson",
		"Poisson":                         "poisson",
		"cosine_similarity":               "cosine_similarity",
		"CosineSimilarity":                "cosine_similarity",
		"binary_focal_crossentropy":       "binary_focal_crossentropy",
		"BinaryFocalCrossentropy":         "binary_focal_crossentropy",
		"categorical_focal_crossentropy":  "categorical_focal_crossentropy",
		"CategoricalFocalCrossentropy":    "categorical_focal_crossentropy",
	}
	for name, want := range cases {
		l, err := Get(name)
		if err != nil {
			t.Errorf("Get(%q): %v", name, err)
			continue
		}
		if l.Name() != want {
			t.Errorf("Get(%q).Name() = %q, want %q", name, l.Name(), want)
		}
	}
	// Every registered name builds a loss that computes.
	for _, name := range Names() {
		l, err := Get(name)
		if err != nil {
			t.Fatalf("Get(%q): %v", name, err)
		}
		v, _ := evalLoss(t, l, tensor.Float32, []int{2, 2}, kerasBinTrue, kerasBinPred)
		if v != v {
			t.Errorf("%s: NaN loss", name)
		}
	}
}

func TestGetUnknownNameListsKnownNames(t *testing.T) {
	_, err := Get("mean_squared_eror")
	if err == nil {
		t.Fatal("expected an error")
	}
	for _, want := range []string{`"mean_squared_eror"`, "mean_squared_error", "categorical_crossentropy", "kl_divergence"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
}

func TestDefaultsAndConfig(t *testing.T) {
	cases := []struct {
		loss Loss
		want map[string]any
	}{
		// Keras defaults: from_logits=False, label_smoothing=0.0, delta=1.0.
		{MeanSquaredError(), map[string]any{"name": "mean_squared_error", "reduction": "sum_over_batch_size"}},
		{Huber(), map[string]any{"name": "huber", "reduction": "sum_over_batch_size", "delta": 1.0}},
		{Huber(Delta(0.5)), map[string]any{"name": "huber", "reduction": "sum_over_batch_size", "delta": 0.5}},
		{BinaryCrossentropy(), map[string]any{"name": "binary_crossentropy", "reduction": "sum_over_batch_size", "from_logits": false, "label_smoothing": 0.0, "axis": -1}},
		{CategoricalCrossentropy(FromLogits(true), LabelSmoothing(0.1)), map[string]any{"name": "categorical_crossentropy", "reduction": "sum_over_batch_size", "from_logits": true, "label_smoothing": 0.1, "axis": -1}},
		{SparseCategoricalCrossentropy(FromLogits(true)), map[string]any{"name": "sparse_categorical_crossentropy", "reduction": "sum_over_batch_size", "from_logits": true, "axis": -1}},
		// Keras 3 defaults of the focal losses: apply_class_balancing=False,
		// alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1.
		{BinaryFocalCrossentropy(), map[string]any{"name": "binary_focal_crossentropy", "reduction": "sum_over_batch_size", "apply_class_balancing": false,
			"alpha": 0.25, "gamma": 2.0, "from_logits": false, "label_smoothing": 0.0, "axis": -1}},
		{CategoricalFocalCrossentropy(), map[string]any{"name": "categorical_focal_crossentropy", "reduction": "sum_over_batch_size",
			"alpha": 0.25, "gamma": 2.0, "from_logits": false, "label_smoothing": 0.0, "axis": -1}},
		{CosineSimilarity(), map[string]any{"name": "cosine_similarity", "reduction": "sum_over_batch_size", "axis": -1}},
		{Poisson(), map[string]any{"name": "poisson", "reduction": "sum_over_batch_size"}},
	}
	for _, c := range cases {
		got := c.loss.Config()
		if len(got) != len(c.want) {
			t.Errorf("%s: Config() = %v, want %v", c.loss.Name(), got, c.want)
			continue
		}
		for k, v := range c.want {
			if got[k] != v {
				t.Errorf("%s: Config()[%q] = %v, want %v", c.loss.Name(), k, got[k], v)
			}
		}
	}
}

// A config survives a JSON round trip through FromConfig.
func TestFromConfigRoundTrip(t *testing.T) {
	for _, l := range []Loss{Huber(Delta(0.25)), BinaryCrossentropy(FromLogits(true), LabelSmoothing(0.2)), CategoricalCrossentropy(FromLogits(true)), SparseCategoricalCrossentropy(FromLogits(true)), KLDivergence(),
		BinaryFocalCrossentropy(ApplyClassBalancing(true), Alpha(0.4), Gamma(1.5), FromLogits(true), LabelSmoothing(0.1)),
		CategoricalFocalCrossentropy(Alpha(0.5), Gamma(3), FromLogits(true), LabelSmoothing(0.05)), CosineSimilarity(Axis(1)), Poisson()} {
		b, err := json.Marshal(l.Config())
		if err != nil {
			t.Fatal(err)
		}
		var cfg map[string]any
		if err := json.Unmarshal(b, &cfg); err != nil {
			t.Fatal(err)
		}
		back, err := FromConfig(l.Name(), cfg)
		if err != nil {
			t.Fatalf("%s: %v", l.Name(), err)
		}
		if back != l {
			t.Errorf("%s: round trip gave %#v, want %#v", l.Name(), back, l)
		}
	}
	if _, err := FromConfig("huber", map[string]any{"delta": "big"}); err == nil {
		t.Error("FromConfig with a string delta: expected an error")
	}
	if _, err := FromConfig("nope", nil); err == nil {
		t.Error("FromConfig with an unknown name: expected an error")
	}
}

func TestComputeRejectsBadInputs(t *testing.T) {
	g := G.NewGraph()
	a := G.NewMatrix(g, tensor.Float32, G.WithShape(2, 3), G.WithName("a"))
	b := G.NewMatrix(g, tensor.Float32, G.WithShape(2, 2), G.WithName("b"))
	c := G.NewMatrix(g, tensor.Float64, G.WithShape(2, 3), G.WithName("c"))
	d := G.NewMatrix(g, tensor.Int, G.WithShape(2, 3), G.WithName("d"))
	other := G.NewMatrix(G.NewGraph(), tensor.Float32, G.WithShape(2, 3), G.WithName("a"))
	cases := []struct {
		name         string
		yTrue, yPred *G.Node
		want         string
	}{
		{"shape", a, b, "shape"},
		{"dtype", a, c, "dtype"},
		{"int", d, d, "float32 or float64"},
		{"graphs", a, other, "different graphs"},
		{"nil", nil, a, "non-nil"},
	}
	for _, c := range cases {
		for _, l := range []Loss{MeanSquaredError(), CategoricalCrossentropy(FromLogits(true))} {
			_, err := l.Compute(c.yTrue, c.yPred)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), l.Name()+":") {
				t.Errorf("%s %s: error %v, want one starting %q and mentioning %q", l.Name(), c.name, err, l.Name()+":", c.want)
			}
		}
	}
}

// Several losses built on the same nodes of one graph must stay apart:
// Gorgonia merges nodes with equal op, inputs and name, and the tensor
// constants (clip bounds, Huber's delta) differ only in value.
func TestLossesShareAGraph(t *testing.T) {
	shape := []int{2, 3}
	yt, yp := huberTrue, huberPred
	ls := []Loss{Huber(), Huber(Delta(0.5)), Huber(Delta(0.1)), BinaryCrossentropy(), KLDivergence(), MeanAbsolutePercentageError(), MeanSquaredError()}
	want := make([]float64, len(ls))
	for i, l := range ls {
		want[i], _ = evalLoss(t, l, tensor.Float64, shape, yt, yp)
	}
	g := G.NewGraph()
	tn := G.NewTensor(g, tensor.Float64, 2, G.WithShape(shape...), G.WithName("y_true"), G.WithValue(dense(tensor.Float64, shape, yt)))
	pn := G.NewTensor(g, tensor.Float64, 2, G.WithShape(shape...), G.WithName("y_pred"), G.WithValue(dense(tensor.Float64, shape, yp)))
	outs := make([]*G.Node, len(ls))
	for i, l := range ls {
		var err error
		if outs[i], err = l.Compute(tn, pn); err != nil {
			t.Fatal(err)
		}
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	for i, o := range outs {
		if got := o.Value().Data().(float64); got != want[i] {
			t.Errorf("%s (%d): %v in a shared graph, %v alone", ls[i].Name(), i, got, want[i])
		}
	}
}
