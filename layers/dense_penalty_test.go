package layers

import (
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Dense's kernel and bias regularizers are built-in L1, L2 and L1L2
// penalties in one op (fusedPenalty): their value and gradient match
// the regularizer's own graph to float32 rounding, and the regularizer
// keeps its Keras name and config.
func TestDenseFusedPenalty(t *testing.T) {
	w := []float64{0.5, -1.25, 0, 2, -0.75, 3.5}
	for _, r := range []Regularizer{L1(0.01), L2(0.02), L1L2(0.01, 0.03), L1L2(0, 0)} {
		f := withFusedPenalty(r)
		if _, ok := f.(fusedPenalty); !ok {
			t.Fatalf("%s: not fused", r.Name())
		}
		if f.Name() != r.Name() || len(f.Config()) != len(r.Config()) {
			t.Errorf("%s: name %q config %v, want %q %v", r.Name(), f.Name(), f.Config(), r.Name(), r.Config())
		}
		for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
			wantV, wantG := penaltyOf(t, r, dt, w)
			gotV, gotG := penaltyOf(t, f, dt, w)
			tol := 1e-12
			if dt == tensor.Float32 {
				tol = 1e-6
			}
			if math.Abs(gotV-wantV) > tol*math.Max(1, math.Abs(wantV)) {
				t.Errorf("%s %v: penalty %v, graph %v", r.Name(), dt, gotV, wantV)
			}
			for i := range wantG {
				if math.Abs(gotG[i]-wantG[i]) > tol {
					t.Errorf("%s %v: gradient[%d] %v, graph %v", r.Name(), dt, i, gotG[i], wantG[i])
				}
			}
		}
	}
	type custom struct{ Regularizer }
	c := custom{L2(0.1)}
	if _, ok := withFusedPenalty(c).(fusedPenalty); ok {
		t.Error("a custom regularizer was replaced")
	}
}

func penaltyOf(t *testing.T, r Regularizer, dt tensor.Dtype, w []float64) (float64, []float64) {
	t.Helper()
	g := G.NewGraph()
	var val *tensor.Dense
	if dt == tensor.Float32 {
		v := make([]float32, len(w))
		for i, x := range w {
			v[i] = float32(x)
		}
		val = tensor.New(tensor.WithShape(2, 3), tensor.WithBacking(v))
	} else {
		val = tensor.New(tensor.WithShape(2, 3), tensor.WithBacking(append([]float64(nil), w...)))
	}
	n := G.NewTensor(g, dt, 2, G.WithShape(2, 3), G.WithName("w"), G.WithValue(val))
	p, err := r.Penalty(n)
	if err != nil {
		t.Fatal(err)
	}
	grads, err := G.Grad(p, n)
	if err != nil {
		t.Fatal(err)
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	out := []float64{}
	switch d := grads[0].Value().Data().(type) {
	case []float32:
		for _, x := range d {
			out = append(out, float64(x))
		}
	case []float64:
		out = append(out, d...)
	}
	var v float64
	switch x := p.Value().Data().(type) {
	case float32:
		v = float64(x)
	case float64:
		v = x
	}
	return v, out
}
