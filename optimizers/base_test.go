package optimizers

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"gorgonia.org/tensor"
)

// constructors of every optimizer, by registry name.
var constructors = registry

func dense(dt tensor.Dtype, vals ...float64) *tensor.Dense {
	return newDense(dt, []int{len(vals)}, vals)
}

func TestClipping(t *testing.T) {
	// With SGD at learning rate 1 from w = 0, the new parameters are minus
	// the clipped gradients.
	for _, tc := range []struct {
		name  string
		opt   Option
		grads [][]float64
		want  [][]float64 // clipped gradients
	}{
		// keras optimizers' test_clip_norm: clipnorm=1, g = [100, 100] -> [sqrt(2)/2, sqrt(2)/2]
		{"clipnorm", ClipNorm(1), [][]float64{{100, 100}}, [][]float64{{math.Sqrt2 / 2, math.Sqrt2 / 2}}},
		// per variable: ||[3, 0]|| = 3 -> [1, 0]; ||[0, 4]|| = 4 -> [0, 1]
		{"clipnorm per variable", ClipNorm(1), [][]float64{{3, 0}, {0, 4}}, [][]float64{{1, 0}, {0, 1}}},
		// below the norm: unchanged (g*c/max(||g||, c) = g)
		{"clipnorm below", ClipNorm(10), [][]float64{{3, 4}}, [][]float64{{3, 4}}},
		// zero gradient stays zero
		{"clipnorm zero", ClipNorm(1), [][]float64{{0, 0}}, [][]float64{{0, 0}}},
		// global: norm of all = sqrt(9 + 16) = 5, scale 1/5 -> [0.6, 0], [0, 0.8]
		{"global_clipnorm", GlobalClipNorm(1), [][]float64{{3, 0}, {0, 4}}, [][]float64{{0.6, 0}, {0, 0.8}}},
		{"global_clipnorm below", GlobalClipNorm(6), [][]float64{{3, 0}, {0, 4}}, [][]float64{{3, 0}, {0, 4}}},
		// keras optimizers' test_clip_value: clipvalue=1, [100, 100] -> [1, 1]
		{"clipvalue", ClipValue(1), [][]float64{{100, -100, 0.5}}, [][]float64{{1, -1, 0.5}}},
		// 0 means no clipping, as in Keras (`if self.clipnorm and self.clipnorm > 0`)
		{"clipnorm 0", ClipNorm(0), [][]float64{{100, 100}}, [][]float64{{100, 100}}},
	} {
		for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
			var params, grads []*tensor.Dense
			for _, g := range tc.grads {
				params = append(params, dense(dt, make([]float64, len(g))...))
				grads = append(grads, dense(dt, g...))
			}
			if err := SGD(LearningRate(1), tc.opt).Apply(params, grads); err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			for i, p := range params {
				want := make([]float64, len(tc.want[i]))
				for j, x := range tc.want[i] {
					want[j] = -x
				}
				assertClose(t, fmt.Sprintf("%s %v param %d", tc.name, dt, i), values(p), want, 1e-6)
				// The caller's gradients are not modified.
				assertClose(t, tc.name+" gradient unchanged", values(grads[i]), tc.grads[i], 0)
			}
		}
	}
}

func TestGlobalClipNormNonFinite(t *testing.T) {
	// Keras: scale = c*min(1/norm, 1/c) + (norm - norm) is NaN when the
	// norm is infinite, so every gradient becomes NaN.
	p := dense(tensor.Float64, 0, 0)
	if err := SGD(LearningRate(1), GlobalClipNorm(1)).Apply([]*tensor.Dense{p}, []*tensor.Dense{dense(tensor.Float64, math.Inf(1), 1)}); err != nil {
		t.Fatal(err)
	}
	for _, x := range values(p) {
		if !math.IsNaN(x) {
			t.Fatalf("got %v, want NaN", values(p))
		}
	}
}

// TestWeightDecayKeras is every Keras optimizer test's test_weight_decay:
// three optimizers with learning_rate 1 and weight_decay 0.004 each apply
// a zero gradient to a variable of 2: 2*(1 - 0.004)^3 = 1.9760959.
func TestWeightDecayKeras(t *testing.T) {
	for _, name := range Names() {
		for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
			p := newDense(dt, []int{1}, []float64{2})
			for k := 0; k < 3; k++ {
				opt := constructors[name](LearningRate(1), WeightDecay(0.004))
				if err := opt.Apply([]*tensor.Dense{p}, []*tensor.Dense{newDense(dt, []int{1}, []float64{0})}); err != nil {
					t.Fatal(err)
				}
			}
			assertClose(t, name+" weight decay "+dt.String(), values(p), []float64{1.9760959}, 1e-6)
		}
	}
}

func TestWeightDecayUsesScheduledRate(t *testing.T) {
	// w = 1, g = 0, lr from the schedule: 0.5 at step 0, then 0.25.
	// w1 = 1 - 1*0.1*0.5 = 0.95; w2 = 0.95 - 0.95*0.1*0.25 = 0.92625.
	opt := SGD(Schedule(PiecewiseConstantDecay([]int64{0}, []float64{0.5, 0.25})), WeightDecay(0.1))
	p := dense(tensor.Float64, 1)
	for k := 0; k < 2; k++ {
		if err := opt.Apply([]*tensor.Dense{p}, []*tensor.Dense{dense(tensor.Float64, 0)}); err != nil {
			t.Fatal(err)
		}
	}
	assertClose(t, "weight decay with schedule", values(p), []float64{0.92625}, 1e-12)
}

func TestInvalidOptions(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  Optimizer
		want string // in the error message
	}{
		{"two clips", SGD(ClipNorm(1), ClipValue(1)), "only one of clipnorm, clipvalue and global_clipnorm"},
		{"three clips", Adam(ClipNorm(1), ClipValue(1), GlobalClipNorm(1)), "only one of"},
		{"clipnorm and global", RMSprop(ClipNorm(1), GlobalClipNorm(2)), "only one of"},
		{"negative lr", SGD(LearningRate(-0.1)), "learning_rate"},
		{"NaN lr", Adam(LearningRate(math.NaN())), "learning_rate"},
		{"nil schedule", Adam(Schedule(nil)), "schedule is nil"},
		{"negative clipnorm", SGD(ClipNorm(-1)), "clipnorm"},
		{"NaN weight decay", SGD(WeightDecay(math.NaN())), "weight_decay"},
		{"momentum > 1", SGD(Momentum(1.5)), "momentum"},
		{"negative momentum", SGD(Momentum(-0.1)), "momentum"},
		{"beta_1 = 1", Adam(Beta1(1)), "beta_1"},
		{"beta_2 < 0", Nadam(Beta2(-0.5)), "beta_2"},
		{"negative epsilon", Adamax(Epsilon(-1)), "epsilon"},
		{"negative accumulator", Adagrad(InitialAccumulatorValue(-0.1)), "initial_accumulator_value"},
		{"rho > 1", Adadelta(Rho(2)), "rho"},
		{"momentum on adam", Adam(Momentum(0.9)), "adam does not take momentum"},
		{"amsgrad on sgd", SGD(Amsgrad(true)), "sgd does not take amsgrad"},
		{"rho on nadam", Nadam(Rho(0.9)), "nadam does not take rho"},
	} {
		p := dense(tensor.Float32, 1, 2)
		before := values(p)
		errBuild := tc.opt.Build([]*tensor.Dense{p})
		errApply := tc.opt.Apply([]*tensor.Dense{p}, []*tensor.Dense{dense(tensor.Float32, 1, 1)})
		for _, err := range []error{errBuild, errApply} {
			if !errors.Is(err, ErrInvalidOption) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: error %v, want ErrInvalidOption mentioning %q", tc.name, err, tc.want)
			}
		}
		assertClose(t, tc.name+": params unchanged", values(p), before, 0)
		if tc.opt.Iterations() != 0 {
			t.Errorf("%s: iterations went up on error", tc.name)
		}
	}
}

func TestInvalidInputs(t *testing.T) {
	f32 := func(v ...float64) *tensor.Dense { return dense(tensor.Float32, v...) }
	f64 := func(v ...float64) *tensor.Dense { return dense(tensor.Float64, v...) }
	ints := tensor.New(tensor.WithShape(2), tensor.WithBacking([]int{1, 2}))
	m23 := tensor.New(tensor.WithShape(2, 3), tensor.Of(tensor.Float32))
	transposed := tensor.New(tensor.WithShape(2, 3), tensor.Of(tensor.Float32))
	if err := transposed.T(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name          string
		params, grads []*tensor.Dense
		want          string
	}{
		{"count", []*tensor.Dense{f32(1), f32(1)}, []*tensor.Dense{f32(1)}, "got 2 parameters and 1 gradients"},
		{"nil param", []*tensor.Dense{nil}, []*tensor.Dense{f32(1)}, "parameter 0 is nil"},
		{"nil grad", []*tensor.Dense{f32(1)}, []*tensor.Dense{nil}, "gradient 0 is nil"},
		{"dtype mismatch", []*tensor.Dense{f32(1, 2)}, []*tensor.Dense{f64(1, 2)}, "gradient 0 has dtype float64, its parameter float32"},
		{"shape mismatch", []*tensor.Dense{f32(1, 2)}, []*tensor.Dense{f32(1, 2, 3)}, "gradient 0 has shape (3), its parameter (2)"},
		{"same size other shape", []*tensor.Dense{m23}, []*tensor.Dense{f32(1, 2, 3, 4, 5, 6)}, "gradient 0 has shape (6), its parameter (2, 3)"},
		{"int dtype", []*tensor.Dense{ints}, []*tensor.Dense{ints}, "want float32 or float64"},
		{"transposed view", []*tensor.Dense{transposed}, []*tensor.Dense{m23}, "not contiguous"},
	} {
		for _, name := range Names() {
			opt := constructors[name]()
			err := opt.Apply(tc.params, tc.grads)
			if !errors.Is(err, ErrInvalidInput) || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), name+": ") {
				t.Errorf("%s %s: error %v, want ErrInvalidInput %q", name, tc.name, err, tc.want)
			}
			if opt.Iterations() != 0 {
				t.Errorf("%s %s: iterations went up on error", name, tc.name)
			}
		}
	}
}

func TestParametersChangeAfterBuild(t *testing.T) {
	opt := Adam()
	p := dense(tensor.Float32, 1, 2)
	if err := opt.Apply([]*tensor.Dense{p}, []*tensor.Dense{dense(tensor.Float32, 1, 1)}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name          string
		params, grads []*tensor.Dense
	}{
		{"more params", []*tensor.Dense{p, p}, []*tensor.Dense{dense(tensor.Float32, 1, 1), dense(tensor.Float32, 1, 1)}},
		{"other shape", []*tensor.Dense{dense(tensor.Float32, 1, 2, 3)}, []*tensor.Dense{dense(tensor.Float32, 1, 1, 1)}},
		{"other dtype", []*tensor.Dense{dense(tensor.Float64, 1, 2)}, []*tensor.Dense{dense(tensor.Float64, 1, 1)}},
	} {
		if err := opt.Apply(tc.params, tc.grads); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("%s: Apply error %v, want ErrInvalidInput", tc.name, err)
		}
		if err := opt.Build(tc.params); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("%s: Build error %v, want ErrInvalidInput", tc.name, err)
		}
	}
	// Building again with the same parameters is a no-op.
	if err := opt.Build([]*tensor.Dense{p}); err != nil {
		t.Errorf("rebuild with the same parameters: %v", err)
	}
	if opt.Iterations() != 1 {
		t.Errorf("iterations = %d, want 1", opt.Iterations())
	}
}

func TestEmptyApply(t *testing.T) {
	// Keras: apply with no gradients is a no-op (iterations unchanged).
	opt := SGD()
	if err := opt.Apply(nil, nil); err != nil || opt.Iterations() != 0 {
		t.Errorf("Apply(nil, nil) = %v, iterations %d", err, opt.Iterations())
	}
}

func TestMixedDtypes(t *testing.T) {
	// Like Keras variables, each parameter keeps its own dtype.
	p32, p64 := dense(tensor.Float32, 1), dense(tensor.Float64, 1)
	opt := SGD(LearningRate(0.5), Momentum(0.5))
	if err := opt.Apply([]*tensor.Dense{p32, p64}, []*tensor.Dense{dense(tensor.Float32, 1), dense(tensor.Float64, 2)}); err != nil {
		t.Fatal(err)
	}
	// m = -0.5*g: w32 = 1 - 0.5 = 0.5, w64 = 1 - 1 = 0
	assertClose(t, "float32", values(p32), []float64{0.5}, 0)
	assertClose(t, "float64", values(p64), []float64{0}, 0)
}

func TestLearningRateAndSchedule(t *testing.T) {
	// The schedule is evaluated at the iteration count before the step:
	// PiecewiseConstantDecay([1], [1, 0.5]) gives 1 at steps 0 and 1, then 0.5.
	opt := SGD(Schedule(PiecewiseConstantDecay([]int64{1}, []float64{1, 0.5})))
	p := dense(tensor.Float64, 0)
	var rates []float64
	for k := 0; k < 3; k++ {
		rates = append(rates, opt.LearningRate())
		if err := opt.Apply([]*tensor.Dense{p}, []*tensor.Dense{dense(tensor.Float64, 1)}); err != nil {
			t.Fatal(err)
		}
	}
	if !slices.Equal(rates, []float64{1, 1, 0.5}) {
		t.Errorf("rates = %v, want [1 1 0.5]", rates)
	}
	assertClose(t, "w after scheduled steps", values(p), []float64{-2.5}, 0) // -1 - 1 - 0.5
	lr := opt.Config()["learning_rate"].(map[string]any)
	if lr["class_name"] != "PiecewiseConstantDecay" {
		t.Errorf("config learning_rate = %v, want a serialized schedule", lr)
	}
	// SetLearningRate replaces the schedule with a constant.
	opt.SetLearningRate(0.1)
	if opt.LearningRate() != 0.1 || opt.Config()["learning_rate"] != 0.1 {
		t.Errorf("after SetLearningRate(0.1): LearningRate %v, config %v", opt.LearningRate(), opt.Config()["learning_rate"])
	}
	if err := opt.Apply([]*tensor.Dense{p}, []*tensor.Dense{dense(tensor.Float64, 1)}); err != nil {
		t.Fatal(err)
	}
	assertClose(t, "w after constant step", values(p), []float64{-2.6}, 1e-12)
	// A negative rate set at run time is refused by Apply, not a panic.
	opt.SetLearningRate(-1)
	if err := opt.Apply([]*tensor.Dense{p}, []*tensor.Dense{dense(tensor.Float64, 1)}); !errors.Is(err, ErrInvalidOption) {
		t.Errorf("Apply with negative rate: %v, want ErrInvalidOption", err)
	}
	// Options apply in order: the last of LearningRate and Schedule wins.
	if got := SGD(Schedule(CosineDecay(1, 10, 0)), LearningRate(0.3)).LearningRate(); got != 0.3 {
		t.Errorf("LearningRate after Schedule then LearningRate = %v, want 0.3", got)
	}
}

func TestDefaultLearningRates(t *testing.T) {
	// Keras defaults: SGD 0.01, all the others 0.001.
	for _, name := range Names() {
		want := 0.001
		if name == "sgd" {
			want = 0.01
		}
		opt := constructors[name]()
		if opt.LearningRate() != want || opt.Name() != name {
			t.Errorf("%s: LearningRate %v, Name %q; want %v, %q", name, opt.LearningRate(), opt.Name(), want, name)
		}
	}
}

func TestConfig(t *testing.T) {
	base := map[string]any{"learning_rate": 0.001, "weight_decay": nil, "clipnorm": nil, "global_clipnorm": nil, "clipvalue": nil}
	with := func(extra map[string]any) map[string]any {
		m := map[string]any{}
		for k, v := range base {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	// Keys and defaults of Keras 3's get_config (less use_ema and the
	// other options not supported here).
	for _, tc := range []struct {
		opt  Optimizer
		want map[string]any
	}{
		{SGD(), with(map[string]any{"name": "SGD", "learning_rate": 0.01, "momentum": 0.0, "nesterov": false})},
		{Adam(), with(map[string]any{"name": "adam", "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7, "amsgrad": false})},
		{AdamW(), with(map[string]any{"name": "adamw", "weight_decay": 0.004, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7, "amsgrad": false})},
		{RMSprop(), with(map[string]any{"name": "rmsprop", "rho": 0.9, "momentum": 0.0, "epsilon": 1e-7, "centered": false})},
		{Adagrad(), with(map[string]any{"name": "adagrad", "initial_accumulator_value": 0.1, "epsilon": 1e-7})},
		{Adadelta(), with(map[string]any{"name": "adadelta", "rho": 0.95, "epsilon": 1e-7})},
		{Adamax(), with(map[string]any{"name": "adamax", "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7})},
		{Nadam(), with(map[string]any{"name": "nadam", "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7})},
		{SGD(LearningRate(0.5), Momentum(0.06), Nesterov(true), WeightDecay(0.004), ClipNorm(2)),
			with(map[string]any{"name": "SGD", "learning_rate": 0.5, "momentum": 0.06, "nesterov": true, "weight_decay": 0.004, "clipnorm": 2.0})},
	} {
		if got := tc.opt.Config(); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s config:\n got %v\nwant %v", tc.opt.Name(), got, tc.want)
		}
	}
}

// TestVariablesLayout checks the number and order of saved variables:
// iterations, then each kind of slot for every parameter, then shared.
func TestVariablesLayout(t *testing.T) {
	for _, tc := range []struct {
		opt   Optimizer
		slots int
		extra int
	}{
		{SGD(), 0, 0},
		{SGD(Momentum(0.9)), 1, 0},
		{Adam(), 2, 0},
		{Adam(Amsgrad(true)), 3, 0},
		{AdamW(), 2, 0},
		{RMSprop(), 1, 0},
		{RMSprop(Momentum(0.5), Centered(true)), 3, 0},
		{Adagrad(), 1, 0},
		{Adadelta(), 2, 0},
		{Adamax(), 2, 0},
		{Nadam(), 2, 1},
	} {
		if n := len(tc.opt.Variables()); n != 1 {
			t.Errorf("%s: %d variables before build, want 1", tc.opt.Name(), n)
		}
		params := []*tensor.Dense{tensor.New(tensor.WithShape(2, 3), tensor.Of(tensor.Float32)), dense(tensor.Float32, 1, 2, 3, 4)}
		if err := tc.opt.Build(params); err != nil {
			t.Fatal(err)
		}
		v := tc.opt.Variables()
		if len(v) != 1+2*tc.slots+tc.extra {
			t.Fatalf("%s: %d variables, want %d", tc.opt.Name(), len(v), 1+2*tc.slots+tc.extra)
		}
		if v[0].Dtype() != tensor.Int64 || v[0].Data().([]int64)[0] != 0 {
			t.Errorf("%s: iterations variable %v %v", tc.opt.Name(), v[0].Dtype(), v[0].Data())
		}
		for k := 0; k < tc.slots; k++ {
			if !v[1+2*k].Shape().Eq(tensor.Shape{2, 3}) || !v[2+2*k].Shape().Eq(tensor.Shape{4}) {
				t.Errorf("%s: slot %d shapes %v %v", tc.opt.Name(), k, v[1+2*k].Shape(), v[2+2*k].Shape())
			}
		}
	}
	// Adagrad's accumulator starts at initial_accumulator_value.
	opt := Adagrad()
	if err := opt.Build([]*tensor.Dense{dense(tensor.Float64, 1, 2)}); err != nil {
		t.Fatal(err)
	}
	assertClose(t, "adagrad accumulator", values(opt.Variables()[1]), []float64{0.1, 0.1}, 0)
}

// TestSetVariablesResumes trains an optimizer for a few steps, restores
// its Variables into a fresh optimizer, and checks that both continue
// bit for bit identically.
func TestSetVariablesResumes(t *testing.T) {
	for _, tc := range []struct {
		name string
		make func() Optimizer
	}{
		{"sgd", func() Optimizer { return SGD(Momentum(0.9), Nesterov(true)) }},
		{"adam", func() Optimizer { return Adam(LearningRate(0.01), Amsgrad(true)) }},
		{"adamw", func() Optimizer { return AdamW(Schedule(ExponentialDecay(0.01, 2, 0.9, false))) }},
		{"rmsprop", func() Optimizer { return RMSprop(Momentum(0.5), Centered(true), ClipNorm(1)) }},
		{"adagrad", func() Optimizer { return Adagrad(LearningRate(0.1)) }},
		{"adadelta", func() Optimizer { return Adadelta(LearningRate(1)) }},
		{"adamax", func() Optimizer { return Adamax(LearningRate(0.01)) }},
		{"nadam", func() Optimizer { return Nadam(LearningRate(0.01), GlobalClipNorm(1)) }},
	} {
		for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
			a := tc.make()
			pa := []*tensor.Dense{newDense(dt, []int{2, 3}, initialParams(0, 6)), newDense(dt, []int{4}, initialParams(1, 4))}
			grads := func(s int) []*tensor.Dense {
				return []*tensor.Dense{newDense(dt, []int{2, 3}, testGrad(0, s, 6)), newDense(dt, []int{4}, testGrad(1, s, 4))}
			}
			for s := 0; s < 3; s++ {
				if err := a.Apply(pa, grads(s)); err != nil {
					t.Fatal(err)
				}
			}
			saved := a.Variables()
			b := tc.make()
			pb := []*tensor.Dense{pa[0].Clone().(*tensor.Dense), pa[1].Clone().(*tensor.Dense)}
			if err := b.Build(pb); err != nil {
				t.Fatal(err)
			}
			if err := b.SetVariables(saved); err != nil {
				t.Fatalf("%s: SetVariables: %v", tc.name, err)
			}
			// Variables returns copies: changing them changes nothing.
			for _, v := range saved {
				if v.Dtype() == dt {
					if dt == tensor.Float32 {
						v.Float32s()[0] = 123
					} else {
						v.Float64s()[0] = 123
					}
				}
			}
			if b.Iterations() != 3 || b.LearningRate() != a.LearningRate() {
				t.Errorf("%s: restored iterations %d, lr %v; want 3, %v", tc.name, b.Iterations(), b.LearningRate(), a.LearningRate())
			}
			for s := 3; s < 7; s++ {
				if err := a.Apply(pa, grads(s)); err != nil {
					t.Fatal(err)
				}
				if err := b.Apply(pb, grads(s)); err != nil {
					t.Fatal(err)
				}
			}
			for i := range pa {
				if !slices.Equal(values(pa[i]), values(pb[i])) {
					t.Errorf("%s %v: resumed parameter %d differs:\n%v\n%v", tc.name, dt, i, values(pa[i]), values(pb[i]))
				}
			}
		}
	}
}

func TestSetVariablesErrors(t *testing.T) {
	newBuilt := func() Optimizer {
		o := Adam()
		if err := o.Build([]*tensor.Dense{dense(tensor.Float32, 1, 2)}); err != nil {
			t.Fatal(err)
		}
		return o
	}
	good := newBuilt().Variables() // iterations, m, v
	iter := func(x any, shape ...int) *tensor.Dense {
		if len(shape) == 0 {
			return tensor.New(tensor.FromScalar(x))
		}
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(x))
	}
	for _, tc := range []struct {
		name string
		v    []*tensor.Dense
		want string
	}{
		{"too few", good[:2], "got 2 variables, want 3"},
		{"too many", append(slices.Clone(good), good[1]), "got 4 variables, want 3"},
		{"slot shape", []*tensor.Dense{good[0], dense(tensor.Float32, 1, 2, 3), good[2]}, "variable 1 (momentum of parameter 0) is float32 (3), want contiguous float32 (2)"},
		{"slot dtype", []*tensor.Dense{good[0], good[1], dense(tensor.Float64, 1, 2)}, "variable 2 (velocity of parameter 0) is float64"},
		{"nil slot", []*tensor.Dense{good[0], nil, good[2]}, "variable 1 is nil"},
		{"negative iterations", []*tensor.Dense{iter([]int64{-1}, 1), good[1], good[2]}, "iterations is -1"},
		{"fractional iterations", []*tensor.Dense{iter([]float64{1.5}, 1), good[1], good[2]}, "whole number"},
		{"iterations of two", []*tensor.Dense{iter([]int64{1, 2}, 2), good[1], good[2]}, "want one element"},
		{"nil iterations", []*tensor.Dense{nil, good[1], good[2]}, "iterations variable is nil"},
	} {
		o := newBuilt()
		err := o.SetVariables(tc.v)
		if !errors.Is(err, ErrInvalidState) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want ErrInvalidState %q", tc.name, err, tc.want)
		}
	}
	// Not built: only the iteration count can be set; the error says to Build.
	if err := Adam().SetVariables(good); !errors.Is(err, ErrInvalidState) || !strings.Contains(err.Error(), "call Build") {
		t.Errorf("SetVariables before Build: %v", err)
	}
	// The iteration count may come as a scalar or as int32/float64 (Keras
	// saves int64, JAX int32).
	for _, it := range []*tensor.Dense{iter(int64(7)), iter([]int32{7}, 1), iter([]float64{7}, 1), iter(float32(7))} {
		o := SGD()
		if err := o.SetVariables([]*tensor.Dense{it}); err != nil || o.Iterations() != 7 {
			t.Errorf("SetVariables(%v %v): %v, iterations %d", it.Dtype(), it.Shape(), err, o.Iterations())
		}
	}
	// Nothing changes on error.
	o := newBuilt()
	bad := []*tensor.Dense{iter([]int64{5}, 1), dense(tensor.Float32, 9, 9), dense(tensor.Float64, 1, 2)}
	if err := o.SetVariables(bad); err == nil {
		t.Fatal("want error")
	}
	if o.Iterations() != 0 || values(o.Variables()[1])[0] != 0 {
		t.Errorf("state changed on error: iterations %d, m %v", o.Iterations(), values(o.Variables()[1]))
	}
}

// TestApplyDoesNotAllocate checks that a step allocates nothing once the
// optimizer is built, with and without clipping.
func TestApplyDoesNotAllocate(t *testing.T) {
	for _, name := range Names() {
		for _, extra := range []Option{nil, ClipNorm(1), GlobalClipNorm(1), ClipValue(0.5), WeightDecay(0.01)} {
			opt := constructors[name](extra)
			params := []*tensor.Dense{tensor.New(tensor.WithShape(30, 20), tensor.Of(tensor.Float32)), dense(tensor.Float64, 1, 2)}
			grads := []*tensor.Dense{tensor.New(tensor.WithShape(30, 20), tensor.Of(tensor.Float32)), dense(tensor.Float64, 0.5, -0.5)}
			if err := opt.Apply(params, grads); err != nil {
				t.Fatal(err)
			}
			if n := testing.AllocsPerRun(20, func() { _ = opt.Apply(params, grads) }); n != 0 {
				t.Errorf("%s %v: %v allocations per Apply, want 0", name, opt.Config(), n)
			}
		}
	}
}

// panicky is a user schedule with a bug.
type panicky struct{}

func (panicky) Rate(int64) float64     { panic("bug in schedule") }
func (panicky) Name() string           { return "Panicky" }
func (panicky) Config() map[string]any { return nil }

func TestPanicBecomesError(t *testing.T) {
	p := dense(tensor.Float32, 1)
	err := SGD(Schedule(panicky{})).Apply([]*tensor.Dense{p}, []*tensor.Dense{dense(tensor.Float32, 1)})
	if err == nil || !strings.Contains(err.Error(), "bug in schedule") {
		t.Errorf("Apply with a panicking schedule: %v, want an error", err)
	}
}
