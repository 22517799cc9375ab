package layers_test

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/gokeras/keras/keras"
	"github.com/gokeras/keras/layers"
	"github.com/gokeras/keras/losses"
	"github.com/gokeras/keras/optimizers"
)

// distinctFill gives t values 0.02 apart in random order, so that max
// pooling has no ties within a finite-difference step.
func distinctFill(rng *rand.Rand, t *tensor.Dense) {
	d := t.Data().([]float64)
	for i, p := range rng.Perm(len(d)) {
		d[i] = float64(p)*0.02 - float64(len(d))*0.01
	}
}

func TestConvPoolingGradients(t *testing.T) {
	const batch = 2
	bias := layers.BiasInitializer(layers.RandomNormal(0, 0.5))
	cases := []fdLayerCase{
		{"conv2d", func() layers.Layer { return layers.Conv2D(3, 3, bias) }, []int{5, 6, 2}},
		{"conv2d_same_stride2_tanh", func() layers.Layer {
			return layers.Conv2D(2, 3, layers.Padding("same"), layers.Strides(2), layers.Activation("tanh"), bias)
		}, []int{6, 7, 2}},
		{"conv2d_dilated_nonsquare", func() layers.Layer {
			return layers.Conv2D(2, 0, layers.KernelSizePerDim(2, 3), layers.DilationRate(2, 1), bias)
		}, []int{6, 5, 1}},
		{"conv2d_1x1_no_bias_l2", func() layers.Layer {
			return layers.Conv2D(3, 1, layers.UseBias(false), layers.KernelRegularizer(layers.L2(0.1)))
		}, []int{3, 3, 4}},
		{"conv1d", func() layers.Layer { return layers.Conv1D(3, 3, bias) }, []int{7, 2}},
		{"conv1d_causal_dilated", func() layers.Layer {
			return layers.Conv1D(2, 2, layers.Padding("causal"), layers.DilationRate(2), bias)
		}, []int{6, 3}},
		{"conv1d_same_stride2", func() layers.Layer {
			return layers.Conv1D(2, 3, layers.Padding("same"), layers.Strides(2), bias)
		}, []int{7, 2}},
		{"max_pooling2d", func() layers.Layer { return layers.MaxPooling2D() }, []int{5, 4, 3}},
		{"max_pooling2d_same_3_2", func() layers.Layer {
			return layers.MaxPooling2D(layers.PoolSize(3), layers.Strides(2), layers.Padding("same"))
		}, []int{5, 6, 2}},
		{"average_pooling2d_same", func() layers.Layer {
			return layers.AveragePooling2D(layers.PoolSize(2, 3), layers.Padding("same"))
		}, []int{5, 7, 2}},
		{"max_pooling1d", func() layers.Layer { return layers.MaxPooling1D() }, []int{7, 3}},
		{"average_pooling1d_same", func() layers.Layer {
			return layers.AveragePooling1D(layers.PoolSize(3), layers.Strides(1), layers.Padding("same"))
		}, []int{5, 2}},
		{"global_max_pooling2d", func() layers.Layer { return layers.GlobalMaxPooling2D() }, []int{3, 4, 2}},
		{"global_average_pooling2d", func() layers.Layer { return layers.GlobalAveragePooling2D() }, []int{3, 4, 2}},
		{"global_max_pooling1d", func() layers.Layer { return layers.GlobalMaxPooling1D() }, []int{5, 3}},
		{"global_average_pooling1d", func() layers.Layer { return layers.GlobalAveragePooling1D() }, []int{5, 3}},
		{"zero_padding2d", func() layers.Layer { return layers.ZeroPadding2D(1, 2, 0, 3) }, []int{3, 2, 2}},
		{"up_sampling2d", func() layers.Layer { return layers.UpSampling2D(layers.Size(2, 3)) }, []int{2, 3, 2}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(11, 12))
			fdLayerCheck(t, tc, batch, rng, func(xt *tensor.Dense) { distinctFill(rng, xt) }, nil)
		})
	}
}

// TestConvOutputs checks layers in a model against plain loops over
// Keras's definitions, through SetWeights and Predict.
func TestConvOutputs(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 3))
	draw := func(shape ...int) *tensor.Dense {
		v := make([]float32, tensor.Shape(shape).TotalSize())
		for i := range v {
			v[i] = float32(rng.Float64()*2 - 1)
		}
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(v))
	}
	t.Run("conv2d same stride 2 relu", func(t *testing.T) {
		// 7x6 input, 3x3 kernel, stride 2, "same": output 4x3, padding
		// (1, 1) rows and (0, 1) columns: Keras puts the odd cell last.
		x, k, b := draw(2, 7, 6, 2), draw(3, 3, 2, 3), draw(3)
		m := keras.Sequential(keras.Input(7, 6, 2), layers.Conv2D(3, 3, layers.Strides(2), layers.Padding("same"), layers.Activation("relu")))
		y := predict(t, m, x, k, b)
		if !y.Shape().Eq(tensor.Shape{2, 4, 3, 3}) {
			t.Fatalf("shape %v, want (2, 4, 3, 3)", y.Shape())
		}
		xs, ks, ys := x.Float32s(), k.Float32s(), y.Float32s()
		for n := 0; n < 2; n++ {
			for oy := 0; oy < 4; oy++ {
				for ox := 0; ox < 3; ox++ {
					for f := 0; f < 3; f++ {
						s := float64(b.Float32s()[f])
						for ky := 0; ky < 3; ky++ {
							for kx := 0; kx < 3; kx++ {
								iy, ix := oy*2-1+ky, ox*2-0+kx
								if iy < 0 || iy >= 7 || ix < 0 || ix >= 6 {
									continue
								}
								for c := 0; c < 2; c++ {
									s += float64(xs[((n*7+iy)*6+ix)*2+c]) * float64(ks[((ky*3+kx)*2+c)*3+f])
								}
							}
						}
						want := math.Max(s, 0)
						if got := float64(ys[((n*4+oy)*3+ox)*3+f]); math.Abs(got-want) > 1e-5 {
							t.Fatalf("y[%d,%d,%d,%d] = %v, want %v", n, oy, ox, f, got, want)
						}
					}
				}
			}
		}
	})
	t.Run("conv1d causal dilation 2", func(t *testing.T) {
		// y[t] = Σ_k x[t - 2(K-1) + 2k]·w[k] + b: no output sees a later step.
		x, k, b := draw(2, 6, 2), draw(3, 2, 2), draw(2)
		m := keras.Sequential(keras.Input(6, 2), layers.Conv1D(2, 3, layers.Padding("causal"), layers.DilationRate(2)))
		y := predict(t, m, x, k, b)
		if !y.Shape().Eq(tensor.Shape{2, 6, 2}) {
			t.Fatalf("shape %v, want (2, 6, 2)", y.Shape())
		}
		for n := 0; n < 2; n++ {
			for st := 0; st < 6; st++ {
				for f := 0; f < 2; f++ {
					s := float64(b.Float32s()[f])
					for kk := 0; kk < 3; kk++ {
						if src := st - 4 + 2*kk; src >= 0 {
							for c := 0; c < 2; c++ {
								s += float64(x.Float32s()[(n*6+src)*2+c]) * float64(k.Float32s()[(kk*2+c)*2+f])
							}
						}
					}
					if got := float64(y.Float32s()[(n*6+st)*2+f]); math.Abs(got-s) > 1e-5 {
						t.Fatalf("y[%d,%d,%d] = %v, want %v", n, st, f, got, s)
					}
				}
			}
		}
	})
	t.Run("average pooling same counts real cells", func(t *testing.T) {
		// 1x3 input, pool 2, stride 2, "same": windows [0,1] and [2]; the
		// second averages one real cell, as Keras (not (x2+0)/2).
		x := tensor.New(tensor.WithShape(1, 1, 3, 1), tensor.WithBacking([]float32{1, 2, 6}))
		m := keras.Sequential(keras.Input(1, 3, 1), layers.AveragePooling2D(layers.PoolSize(1, 2), layers.Padding("same")))
		y := predict(t, m, x)
		if got := y.Float32s(); !reflect.DeepEqual(got, []float32{1.5, 6}) {
			t.Fatalf("got %v, want [1.5 6]", got)
		}
	})
	t.Run("zero padding and up-sampling", func(t *testing.T) {
		x := tensor.New(tensor.WithShape(1, 1, 2, 1), tensor.WithBacking([]float32{1, 2}))
		y := predict(t, keras.Sequential(keras.Input(1, 2, 1), layers.ZeroPadding2D(1, 0)), x)
		if got := y.Float32s(); !reflect.DeepEqual(got, []float32{0, 0, 1, 2, 0, 0}) {
			t.Fatalf("padding: got %v", got)
		}
		y = predict(t, keras.Sequential(keras.Input(1, 2, 1), layers.UpSampling2D(layers.Size(2, 1))), x)
		if got := y.Float32s(); !reflect.DeepEqual(got, []float32{1, 2, 1, 2}) {
			t.Fatalf("up-sampling: got %v", got)
		}
	})
}

// predict compiles m, sets its weights (if any are given) and predicts x.
func predict(t *testing.T, m *keras.Model, x *tensor.Dense, ws ...*tensor.Dense) *tensor.Dense {
	t.Helper()
	if err := m.Compile(optimizers.SGD(), losses.MeanSquaredError()); err != nil {
		t.Fatal(err)
	}
	if len(ws) > 0 {
		if err := m.SetWeights(ws); err != nil {
			t.Fatal(err)
		}
	}
	y, err := m.Predict(x)
	if err != nil {
		t.Fatal(err)
	}
	return y
}

func TestConvShapes(t *testing.T) {
	cases := []struct {
		layer layers.Layer
		in    []int
		want  []int
	}{
		{layers.Conv2D(32, 3), []int{28, 28, 1}, []int{26, 26, 32}},
		{layers.Conv2D(8, 3, layers.Padding("same"), layers.Strides(2)), []int{28, 28, 1}, []int{14, 14, 8}},
		{layers.Conv2D(8, 3, layers.Padding("same"), layers.Strides(2)), []int{7, 5, 1}, []int{4, 3, 8}},
		{layers.Conv2D(4, 3, layers.DilationRate(2)), []int{10, 9, 3}, []int{6, 5, 4}},
		{layers.Conv2D(4, 0, layers.KernelSizePerDim(1, 5)), []int{10, 9, 3}, []int{10, 5, 4}},
		{layers.Conv1D(4, 5), []int{20, 3}, []int{16, 4}},
		{layers.Conv1D(4, 5, layers.Padding("causal")), []int{20, 3}, []int{20, 4}},
		{layers.Conv1D(4, 5, layers.Strides(3), layers.Padding("same")), []int{20, 3}, []int{7, 4}},
		{layers.MaxPooling2D(), []int{26, 26, 32}, []int{13, 13, 32}},
		{layers.MaxPooling2D(), []int{11, 11, 64}, []int{5, 5, 64}},
		{layers.MaxPooling2D(layers.Padding("same")), []int{11, 11, 64}, []int{6, 6, 64}},
		{layers.AveragePooling2D(layers.PoolSize(3), layers.Strides(1)), []int{5, 6, 2}, []int{3, 4, 2}},
		{layers.MaxPooling1D(), []int{9, 2}, []int{4, 2}},
		{layers.AveragePooling1D(layers.Padding("same")), []int{9, 2}, []int{5, 2}},
		{layers.GlobalAveragePooling2D(), []int{5, 5, 64}, []int{64}},
		{layers.GlobalMaxPooling1D(), []int{9, 2}, []int{2}},
		{layers.ZeroPadding2D(), []int{4, 5, 3}, []int{6, 7, 3}},
		{layers.ZeroPadding2D(2, 1), []int{4, 5, 3}, []int{8, 7, 3}},
		{layers.UpSampling2D(), []int{4, 5, 3}, []int{8, 10, 3}},
	}
	for _, tc := range cases {
		got, err := tc.layer.Build(tc.in)
		if err != nil {
			t.Errorf("%s on %v: %v", tc.layer.ClassName(), tc.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s %v on %v: got %v, want %v", tc.layer.ClassName(), tc.layer.Config(), tc.in, got, tc.want)
		}
	}
}

func TestConvBuildErrors(t *testing.T) {
	named := func(l layers.Layer, name string) layers.Layer { l.SetName(name); return l }
	cases := []struct {
		layer layers.Layer
		in    []int
		want  string
	}{
		{named(layers.Conv2D(32, 3), "conv2d_1"), []int{784}, "conv2d_1: expected input of rank 3 (height, width, channels), got (784,)"},
		{named(layers.Conv1D(4, 3), "conv1d"), []int{5, 5, 1}, "conv1d: expected input of rank 2 (steps, channels), got (5, 5, 1)"},
		{named(layers.Conv2D(4, 5), "conv2d"), []int{4, 4, 1}, "conv2d: "},
		{named(layers.Conv2D(4, 3, layers.Padding("full")), "conv2d"), []int{4, 4, 1}, `conv2d: unknown padding "full"`},
		{named(layers.Conv2D(4, 3, layers.Padding("causal")), "conv2d"), []int{4, 4, 1}, `conv2d: unknown padding "causal"`},
		{named(layers.Conv2D(4, 3, layers.Strides(2), layers.DilationRate(2)), "conv2d"), []int{9, 9, 1}, "conv2d: strides"},
		{named(layers.Conv2D(4, 3, layers.Activation("nope")), "conv2d"), []int{9, 9, 1}, "conv2d: "},
		{named(layers.MaxPooling2D(), "max_pooling2d"), []int{26, 26}, "max_pooling2d: expected input of rank 3 (height, width, channels), got (26, 26)"},
		{named(layers.MaxPooling2D(layers.PoolSize(3)), "max_pooling2d"), []int{2, 5, 1}, "max_pooling2d: "},
		{named(layers.AveragePooling1D(layers.Padding("causal")), "average_pooling1d"), []int{5, 1}, `average_pooling1d: unknown padding "causal"`},
		{named(layers.GlobalAveragePooling2D(), "gap"), []int{5, 1}, "gap: expected input of rank 3 (height, width, channels), got (5, 1)"},
		{named(layers.ZeroPadding2D(), "zp"), []int{5}, "zp: expected input of rank 3"},
		{named(layers.UpSampling2D(), "up"), []int{5, 2}, "up: expected input of rank 3"},
	}
	for _, tc := range cases {
		_, err := tc.layer.Build(tc.in)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s on %v: got error %v, want %q...", tc.layer.ClassName(), tc.in, err, tc.want)
		}
	}
	// The same mistake reaches the user as an error from Compile or, when
	// the model builds lazily, from Predict; never as a panic.
	m := keras.Sequential(keras.Input(784), layers.Conv2D(32, 3))
	err := m.Compile(optimizers.Adam(), losses.MeanSquaredError())
	if err == nil {
		_, err = m.Predict(tensor.New(tensor.WithShape(2, 784), tensor.Of(tensor.Float32)))
	}
	if err == nil || !strings.Contains(err.Error(), "expected input of rank 3 (height, width, channels), got (784,)") {
		t.Errorf("Compile/Predict: got %v", err)
	}
}

func TestConvConstructorPanics(t *testing.T) {
	cases := map[string]func(){
		"Conv2D filters 0":       func() { layers.Conv2D(0, 3) },
		"Conv2D kernel 0":        func() { layers.Conv2D(4, 0) },
		"Conv2D strides -1":      func() { layers.Conv2D(4, 3, layers.Strides(-1)) },
		"Conv2D 3 strides":       func() { layers.Conv2D(4, 3, layers.Strides(1, 2, 3)) },
		"Conv2D kernel per dim":  func() { layers.Conv2D(4, 3, layers.KernelSizePerDim(3, 0)) },
		"Conv1D dilation 0":      func() { layers.Conv1D(4, 3, layers.DilationRate(0)) },
		"Conv1D filters -2":      func() { layers.Conv1D(-2, 3) },
		"MaxPooling2D pool 0":    func() { layers.MaxPooling2D(layers.PoolSize(0)) },
		"AveragePooling1D -1":    func() { layers.AveragePooling1D(layers.Strides(-1)) },
		"ZeroPadding2D negative": func() { layers.ZeroPadding2D(-1) },
		"ZeroPadding2D 3 values": func() { layers.ZeroPadding2D(1, 2, 3) },
		"UpSampling2D size 0":    func() { layers.UpSampling2D(layers.Size(0)) },
	}
	for name, f := range cases {
		if r := panicOf(f); r == nil {
			t.Errorf("%s: no panic", name)
		} else if !strings.HasPrefix(fmt.Sprint(r), "layers.") {
			t.Errorf("%s: panic %q does not name the constructor", name, r)
		}
	}
}

func TestConvConfigRoundTrip(t *testing.T) {
	ls := []layers.Layer{
		layers.Conv2D(32, 3, layers.Activation("relu")),
		layers.Conv2D(8, 0, layers.KernelSizePerDim(3, 5), layers.Strides(2, 1), layers.Padding("same"), layers.UseBias(false),
			layers.KernelInitializer("he_normal"), layers.KernelRegularizer(layers.L2(0.01)), layers.InputShape(28, 28, 1)),
		layers.Conv1D(4, 5, layers.Padding("causal"), layers.DilationRate(2), layers.Activation("tanh")),
		layers.MaxPooling2D(layers.PoolSize(2, 2)),
		layers.MaxPooling2D(layers.PoolSize(3), layers.Strides(2), layers.Padding("same")),
		layers.AveragePooling2D(),
		layers.MaxPooling1D(layers.PoolSize(3)),
		layers.AveragePooling1D(layers.Strides(1), layers.Padding("same")),
		layers.GlobalMaxPooling2D(), layers.GlobalAveragePooling2D(),
		layers.GlobalMaxPooling1D(), layers.GlobalAveragePooling1D(),
		layers.ZeroPadding2D(1, 2, 3, 4),
		layers.UpSampling2D(layers.Size(3, 2)),
	}
	for i, l := range ls {
		l.SetName(fmt.Sprintf("layer_%d", i))
		cfg := l.Config()
		back, err := layers.FromConfig(l.ClassName(), cfg)
		if err != nil {
			t.Errorf("%s: %v", l.ClassName(), err)
			continue
		}
		// An initializer given by name comes back as its full form
		// ({"class_name": "glorot_uniform", ...}), as for Dense; the rest
		// comes back as it was, and a second trip changes nothing.
		got := back.Config()
		for _, k := range []string{"kernel_initializer", "bias_initializer"} {
			if name, ok := cfg[k].(string); ok {
				if full, ok := got[k].(map[string]any); !ok || full["class_name"] != name {
					t.Errorf("%s: %s %v became %v", l.ClassName(), k, cfg[k], got[k])
				}
				got[k] = name
			}
		}
		if back.ClassName() != l.ClassName() || !reflect.DeepEqual(got, cfg) {
			t.Errorf("%s: config\n%v\nbecame\n%v", l.ClassName(), cfg, got)
		}
		again, err := layers.FromConfig(back.ClassName(), back.Config())
		if err != nil || !reflect.DeepEqual(again.Config(), back.Config()) {
			t.Errorf("%s: second round trip: %v", l.ClassName(), err)
		}
	}
	// Keras's defaults, as Keras 3 writes them.
	defaults := map[string]map[string]any{
		"Conv2D":       {"kernel_size": []any{3, 3}, "strides": []any{1, 1}, "padding": "valid", "dilation_rate": []any{1, 1}, "use_bias": true, "activation": "linear", "kernel_initializer": "glorot_uniform", "bias_initializer": "zeros"},
		"MaxPooling2D": {"pool_size": []any{2, 2}, "strides": []any{2, 2}, "padding": "valid"},
		"MaxPooling1D": {"pool_size": []any{2}, "strides": []any{2}, "padding": "valid"},
		"UpSampling2D": {"size": []any{2, 2}, "interpolation": "nearest"},
	}
	made := map[string]layers.Layer{"Conv2D": layers.Conv2D(4, 3), "MaxPooling2D": layers.MaxPooling2D(), "MaxPooling1D": layers.MaxPooling1D(), "UpSampling2D": layers.UpSampling2D()}
	for class, want := range defaults {
		cfg := made[class].Config()
		for k, v := range want {
			if !reflect.DeepEqual(cfg[k], v) {
				t.Errorf("%s default %s = %v, want %v", class, k, cfg[k], v)
			}
		}
	}
	if got := layers.ZeroPadding2D().Config()["padding"]; !reflect.DeepEqual(got, []any{[]any{1, 1}, []any{1, 1}}) {
		t.Errorf("ZeroPadding2D default padding %v", got)
	}
}

func TestConvConfigErrors(t *testing.T) {
	cases := []struct {
		class string
		cfg   map[string]any
	}{
		{"Conv2D", map[string]any{"filters": 0.0, "kernel_size": []any{3.0, 3.0}}},
		{"Conv2D", map[string]any{"filters": 4.0, "kernel_size": []any{0.0, 3.0}}},
		{"Conv2D", map[string]any{"filters": 4.0, "kernel_size": []any{3.0, 3.0, 3.0}}},
		{"Conv2D", map[string]any{"filters": 4.0}},
		{"Conv2D", map[string]any{"filters": 4.0, "kernel_size": 3.0, "strides": []any{-1.0, 1.0}}},
		{"Conv2D", map[string]any{"filters": 4.0, "kernel_size": 3.0, "padding": "full"}},
		{"Conv2D", map[string]any{"filters": 4.0, "kernel_size": 3.0, "groups": 2.0}},
		{"Conv1D", map[string]any{"filters": 2.5, "kernel_size": 3.0}},
		{"MaxPooling2D", map[string]any{"pool_size": []any{0.0, 2.0}}},
		{"AveragePooling1D", map[string]any{"padding": "causal"}},
		{"ZeroPadding2D", map[string]any{"padding": []any{[]any{-1.0, 0.0}, []any{0.0, 0.0}}}},
		{"UpSampling2D", map[string]any{"size": []any{0.0, 2.0}}},
	}
	for _, tc := range cases {
		if _, err := layers.FromConfig(tc.class, tc.cfg); err == nil {
			t.Errorf("%s %v: no error", tc.class, tc.cfg)
		}
	}
	for _, class := range []string{"Conv2D", "MaxPooling2D", "GlobalAveragePooling2D", "ZeroPadding2D", "UpSampling2D"} {
		cfg := map[string]any{"filters": 2.0, "kernel_size": 3.0, "data_format": "channels_first"}
		if _, err := layers.FromConfig(class, cfg); !errors.Is(err, layers.ErrUnsupportedConfig) {
			t.Errorf("%s channels_first: got %v, want ErrUnsupportedConfig", class, err)
		}
	}
	if _, err := layers.FromConfig("UpSampling2D", map[string]any{"interpolation": "bilinear"}); !errors.Is(err, layers.ErrUnsupportedConfig) {
		t.Errorf("bilinear: got %v", err)
	}
}

// TestGlobalAveragePooling1DMask: the mean runs over the unmasked steps.
func TestGlobalAveragePooling1DMask(t *testing.T) {
	l := layers.GlobalAveragePooling1D()
	l.SetName("gap")
	if _, err := l.Build([]int{3, 2}); err != nil {
		t.Fatal(err)
	}
	g := G.NewGraph()
	ctx := layers.NewContext(g, false, 2, tensor.Float64)
	x := fdNode(g, "x", tensor.New(tensor.WithShape(2, 3, 2), tensor.WithBacking([]float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})))
	m := fdNode(g, "mask", tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float64{1, 1, 0, 0, 1, 0})))
	ctx.BeginCall(l, m)
	y, err := l.Call(ctx, x)
	if err != nil {
		t.Fatal(err)
	}
	if ctx.OutputMask() != nil {
		t.Errorf("the mask is passed on")
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	if got, want := y.Value().Data().([]float64), []float64{2, 3, 9, 10}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// TestConvSaveLoad: a model holding every layer of this group predicts
// the same after Save and LoadModel.
func TestConvSaveLoad(t *testing.T) {
	m := keras.Sequential(keras.Input(8, 8, 2),
		layers.ZeroPadding2D(1),
		layers.Conv2D(3, 3, layers.Activation("relu"), layers.Padding("same"), layers.Strides(2)),
		layers.UpSampling2D(),
		layers.AveragePooling2D(layers.Padding("same")),
		layers.MaxPooling2D(),
		layers.Reshape(4, 3),
		layers.Conv1D(2, 2, layers.Padding("causal")),
		layers.MaxPooling1D(),
		layers.AveragePooling1D(layers.PoolSize(1)),
		layers.GlobalMaxPooling1D(),
		layers.Dense(2),
	)
	if err := m.Compile(optimizers.SGD(), losses.MeanSquaredError()); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(4, 4))
	xv := make([]float32, 3*8*8*2)
	for i := range xv {
		xv[i] = float32(rng.Float64())
	}
	x := tensor.New(tensor.WithShape(3, 8, 8, 2), tensor.WithBacking(xv))
	_, want, got := predictReloaded(t, m, x)
	if !reflect.DeepEqual(got.Float32s(), want.Float32s()) {
		t.Errorf("after LoadModel: %v, want %v", got.Float32s(), want.Float32s())
	}
}
