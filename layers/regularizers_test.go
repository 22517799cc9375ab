package layers_test

import (
	"math"
	"reflect"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/gokeras/keras/layers"
)

// regPenalty evaluates r's penalty on w, in dtype dt.
func regPenalty(t *testing.T, r layers.Regularizer, dt tensor.Dtype, w []float64, shape ...int) float64 {
	t.Helper()
	g := G.NewGraph()
	var wt *tensor.Dense
	if dt == tensor.Float32 {
		v := make([]float32, len(w))
		for i := range w {
			v[i] = float32(w[i])
		}
		wt = tensor.New(tensor.WithShape(shape...), tensor.WithBacking(v))
	} else {
		wt = tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float64(nil), w...)))
	}
	n := G.NewTensor(g, dt, len(shape), G.WithShape(shape...), G.WithName("w"), G.WithValue(wt))
	p, err := r.Penalty(n)
	if err != nil {
		t.Fatal(err)
	}
	if !p.IsScalar() || p.Dtype() != dt {
		t.Fatalf("penalty shape %v dtype %v, want a %v scalar", p.Shape(), p.Dtype(), dt)
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	switch v := p.Value().Data().(type) {
	case float64:
		return v
	case float32:
		return float64(v)
	}
	t.Fatalf("penalty value %T", p.Value().Data())
	return 0
}

// TestRegularizerPenalty checks Keras's penalties
// (keras/src/regularizers/regularizers.py: l1*sum|w| + l2*sum w²) on
// w = [[1, -2], [0.5, -0.25]], by hand: sum|w| = 3.75, sum w² = 5.3125.
func TestRegularizerPenalty(t *testing.T) {
	w := []float64{1, -2, 0.5, -0.25}
	cases := []struct {
		r    layers.Regularizer
		want float64
	}{
		{layers.L1(0.01), 0.0375},
		{layers.L2(0.01), 0.053125},
		{layers.L1L2(0.01, 0.02), 0.0375 + 0.10625},
		{layers.L1L2(0, 0), 0},
		{layers.L1L2(0.1, 0), 0.375},
		{layers.L1L2(0, 1), 5.3125},
	}
	for _, tc := range cases {
		for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
			got := regPenalty(t, tc.r, dt, w, 2, 2)
			tol := 1e-15
			if dt == tensor.Float32 {
				tol = 1e-7
			}
			if math.Abs(got-tc.want) > tol*math.Max(1, tc.want) {
				t.Errorf("%s%v %v: penalty %v, want %v", tc.r.Name(), tc.r.Config(), dt, got, tc.want)
			}
		}
	}
	// A bias vector.
	if got := regPenalty(t, layers.L2(0.5), tensor.Float64, []float64{3, 4}, 2); got != 12.5 {
		t.Errorf("L2(0.5) on [3 4] = %v, want 12.5", got)
	}
}

// TestRegularizerRegistry checks Keras's names and string defaults: "l1"
// and "l2" use 0.01; "l1_l2" uses l1=0.01, l2=0.01 (Keras's L1L2
// docstring), while the L1L2 constructor's own defaults are 0, 0.
func TestRegularizerRegistry(t *testing.T) {
	cases := []struct {
		name   string
		config map[string]any
	}{
		{"l1", map[string]any{"l1": 0.01}},
		{"l2", map[string]any{"l2": 0.01}},
		{"l1_l2", map[string]any{"l1": 0.01, "l2": 0.01}},
	}
	for _, tc := range cases {
		r, err := layers.GetRegularizer(tc.name)
		if err != nil {
			t.Fatal(err)
		}
		if r.Name() != tc.name || !reflect.DeepEqual(r.Config(), tc.config) {
			t.Errorf("%s: got %s %v, want config %v", tc.name, r.Name(), r.Config(), tc.config)
		}
	}
	if r, err := layers.GetRegularizer(nil); r != nil || err != nil {
		t.Errorf("GetRegularizer(nil) = %v, %v; want nil, nil", r, err)
	}
	r := layers.L2(0.3)
	if got, err := layers.GetRegularizer(r); err != nil || got != r {
		t.Errorf("GetRegularizer(L2(0.3)) = %v, %v", got, err)
	}
	if _, err := layers.GetRegularizer("l3"); err == nil || !strings.Contains(err.Error(), "l1_l2") {
		t.Errorf("GetRegularizer(l3) error %v, want one listing the known names", err)
	}
	if _, err := layers.GetRegularizer(0.01); err == nil {
		t.Error("GetRegularizer(0.01): no error")
	}
	if got := layers.RegularizerNames(); !reflect.DeepEqual(got, []string{"l1", "l1_l2", "l2"}) {
		t.Errorf("RegularizerNames = %v", got)
	}
}

func TestRegularizerRejects(t *testing.T) {
	for name, f := range map[string]func(){
		"L1(-1)":      func() { layers.L1(-1) },
		"L2(NaN)":     func() { layers.L2(math.NaN()) },
		"L1L2(0,Inf)": func() { layers.L1L2(0, math.Inf(1)) },
	} {
		if panicOf(f) == nil {
			t.Errorf("%s did not panic", name)
		}
	}
	g := G.NewGraph()
	w := G.NewVector(g, tensor.Int, G.WithShape(3), G.WithName("w"))
	if _, err := layers.L2(0.01).Penalty(w); err == nil {
		t.Error("L2 accepted an int weight")
	}
}
