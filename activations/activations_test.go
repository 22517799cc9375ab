package activations_test

import (
	"math"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/gokeras/keras/activations"
)

// actEval applies the named activation to x (of the given shape and
// dtype) and returns the output as float64s.
func actEval(t *testing.T, name string, dt tensor.Dtype, shape []int, x []float64) []float64 {
	t.Helper()
	f, err := activations.GetActivation(name)
	if err != nil {
		t.Fatal(err)
	}
	g := G.NewGraph()
	var xt *tensor.Dense
	if dt == tensor.Float32 {
		v := make([]float32, len(x))
		for i := range x {
			v[i] = float32(x[i])
		}
		xt = tensor.New(tensor.WithShape(shape...), tensor.WithBacking(v))
	} else {
		xt = tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float64(nil), x...)))
	}
	xn := G.NewTensor(g, dt, len(shape), G.WithShape(shape...), G.WithName("x"), G.WithValue(xt))
	y, err := f(xn)
	if err != nil {
		t.Fatal(err)
	}
	if y.Dtype() != dt {
		t.Fatalf("output dtype %v, want %v", y.Dtype(), dt)
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	out := make([]float64, 0, len(x))
	switch v := y.Value().Data().(type) {
	case []float64:
		out = append(out, v...)
	case []float32:
		for _, e := range v {
			out = append(out, float64(e))
		}
	default:
		t.Fatalf("output data %T", v)
	}
	return out
}

func actClose(got, want, rel float64) bool {
	return math.Abs(got-want) <= rel*math.Max(1, math.Abs(want))
}

// TestActivationValues checks each activation at six points against
// values of its Keras 3 formula (keras/src/activations/activations.py and
// the backends' nn.py), computed once with Python's math module:
//
//	python3 -c 'import math; print([0.5*x*(1+math.erf(x/math.sqrt(2))) for x in (-3.5,-1,-0.25,0.5,2,7)])'
//
// and likewise for the others; selu uses Keras's alpha
// 1.6732632423543772848170429916717 and scale
// 1.0507009873554804934193349852946.
func TestActivationValues(t *testing.T) {
	xs := []float64{-3.5, -1.0, -0.25, 0.5, 2.0, 7.0}
	cases := []struct {
		name string
		want []float64
	}{
		{"linear", xs},
		{"relu", []float64{0, 0, 0, 0.5, 2.0, 7.0}},                 // max(x, 0)
		{"relu6", []float64{0, 0, 0, 0.5, 2.0, 6}},                  // min(max(x, 0), 6)
		{"leaky_relu", []float64{-0.7, -0.2, -0.05, 0.5, 2.0, 7.0}}, // negative_slope 0.2
		{"softsign", []float64{-0.7777777777777778, -0.5, -0.2, 0.3333333333333333, 0.6666666666666666, 0.875}},
		{"hard_sigmoid", []float64{0, 0.3333333333333333, 0.4583333333333333, 0.5833333333333334, 0.8333333333333334, 1}}, // relu6(x+3)/6
		{"hard_silu", []float64{0, -0.3333333333333333, -0.11458333333333333, 0.2916666666666667, 1.6666666666666667, 7}},
		{"hard_swish", []float64{0, -0.3333333333333333, -0.11458333333333333, 0.2916666666666667, 1.6666666666666667, 7}},
		{"sigmoid", []float64{0.02931223075135632, 0.2689414213699951, 0.43782349911420193, 0.6224593312018546, 0.8807970779778823, 0.9990889488055994}},
		{"tanh", []float64{-0.9981778976111987, -0.7615941559557649, -0.24491866240370913, 0.46211715726000974, 0.9640275800758169, 0.9999983369439447}},
		{"softplus", []float64{0.029750418272620566, 0.31326168751822286, 0.5759394198788436, 0.9740769841801067, 2.1269280110429727, 7.000911466453774}},
		{"elu", []float64{-0.9698026165776815, -0.6321205588285577, -0.22119921692859512, 0.5, 2.0, 7.0}},
		{"selu", []float64{-1.705009340957283, -1.1113307378125625, -0.3888901974781189, 0.5253504936777402, 2.101401974710961, 7.354906911488364}},
		{"gelu", []float64{-0.0008142017766243903, -0.15865525393145707, -0.10032341857926907, 0.34573123063700656, 1.9544997361036416, 6.999999999991041}},
		{"silu", []float64{-0.10259280762974712, -0.2689414213699951, -0.10945587477855048, 0.3112296656009273, 1.7615941559557646, 6.993622641639195}},
		{"swish", []float64{-0.10259280762974712, -0.2689414213699951, -0.10945587477855048, 0.3112296656009273, 1.7615941559557646, 6.993622641639195}},
		{"mish", []float64{-0.10409575448637122, -0.30340146137410895, -0.129926963679141, 0.3752452113048951, 1.9439589595339946, 6.999988379809741}},
		{"exponential", []float64{0.0301973834223185, 0.36787944117144233, 0.7788007830714049, 1.6487212707001282, 7.38905609893065, 1096.6331584284585}},
	}
	for _, tc := range cases {
		for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
			t.Run(tc.name+"/"+dt.String(), func(t *testing.T) {
				rel := 1e-12
				if dt == tensor.Float32 {
					rel = 2e-6
				}
				got := actEval(t, tc.name, dt, []int{len(xs)}, xs)
				for i := range got {
					if !actClose(got[i], tc.want[i], rel) {
						t.Errorf("%s(%v) = %.17g, want %.17g", tc.name, xs[i], got[i], tc.want[i])
					}
				}
			})
		}
	}
}

// TestSoftmaxLastAxis checks softmax and log_softmax on a batch of rows,
// including logits of magnitude 1e3 where a naive log(softmax) gives
// -Inf. Row [1, 2, 3, -1000]: log_softmax = x - 3 - log(1 + e^-1 + e^-2)
// (python3: [x-3-math.log(1+math.exp(-1)+math.exp(-2)) for x in ...]).
func TestSoftmaxLastAxis(t *testing.T) {
	x := []float64{
		1, 2, 3, -1000,
		1000, 0, -1000, 0,
	}
	wantLog := []float64{
		-2.4076059644443806, -1.4076059644443804, -0.4076059644443804, -1003.4076059644444,
		0, -1000, -2000, -1000,
	}
	wantSoft := []float64{
		0.09003057317038043, 0.24472847105479764, 0.6652409557748218, 0,
		1, 0, 0, 0,
	}
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		rel := 1e-12
		if dt == tensor.Float32 {
			rel = 2e-6
		}
		ls := actEval(t, "log_softmax", dt, []int{2, 4}, x)
		sm := actEval(t, "softmax", dt, []int{2, 4}, x)
		for i := range x {
			if !actClose(ls[i], wantLog[i], rel) {
				t.Errorf("%v log_softmax[%d] = %.17g, want %.17g", dt, i, ls[i], wantLog[i])
			}
			if !actClose(sm[i], wantSoft[i], rel) {
				t.Errorf("%v softmax[%d] = %.17g, want %.17g", dt, i, sm[i], wantSoft[i])
			}
		}
	}
	// A single vector is one row.
	ls := actEval(t, "log_softmax", tensor.Float64, []int{4}, x[:4])
	for i := range ls {
		if !actClose(ls[i], wantLog[i], 1e-12) {
			t.Errorf("vector log_softmax[%d] = %v, want %v", i, ls[i], wantLog[i])
		}
	}
}

func TestGetActivation(t *testing.T) {
	// Keras 3 names (keras.activations) that must resolve.
	for _, name := range []string{
		"linear", "relu", "relu6", "sigmoid", "tanh", "softmax", "log_softmax", "softplus", "softsign",
		"elu", "selu", "leaky_relu", "gelu", "swish", "silu", "mish", "exponential", "hard_sigmoid",
		"hard_silu", "hard_swish", "",
	} {
		if f, err := activations.GetActivation(name); err != nil || f == nil {
			t.Errorf("GetActivation(%q) = %v, %v", name, f, err)
		}
	}
	_, err := activations.GetActivation("relu7")
	if err == nil {
		t.Fatal("GetActivation(relu7): no error")
	}
	for _, s := range []string{`"relu7"`, "relu6", "gelu", "hard_sigmoid"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not mention %s", err, s)
		}
	}
	names := activations.ActivationNames()
	for i := 1; i < len(names); i++ {
		if names[i-1] >= names[i] {
			t.Fatalf("ActivationNames not sorted: %v", names)
		}
	}
}

func TestActivationRejectsIntegers(t *testing.T) {
	g := G.NewGraph()
	x := G.NewVector(g, tensor.Int, G.WithShape(3), G.WithName("x"))
	for _, name := range activations.ActivationNames() {
		if name == "linear" {
			continue
		}
		f, _ := activations.GetActivation(name)
		if _, err := f(x); err == nil {
			t.Errorf("%s accepted an int node", name)
		}
	}
}
