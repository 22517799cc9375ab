package graphx_test

import (
	"math"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/gokeras/keras/internal/gradcheck"
	"github.com/gokeras/keras/internal/graphx"
)

// refSigmoid is sigmoid in float64 from math.Exp, in the form that is
// accurate on both sides: exp(x)/(1+exp(x)) below 0, and 1 minus that
// of -x above (1/(1+exp(-x)) would round 1+exp(-x) first).
// The op itself computes 1/(1+exp(-x)) above 0: a different
// expression of the same value.
func refSigmoid(x float64) float64 {
	if x > 0 {
		z := math.Exp(-x)
		return 1 - z/(1+z)
	}
	z := math.Exp(x)
	return z / (1 + z)
}

// The saturation points of issue 15, where Gorgonia's own sigmoid is
// exactly 1 (x > 15 in float32, x > 19 in float64), and points where
// exp(-x) would overflow.
var sigmoidPoints = []float64{-40, -20, -15.5, -1, -1e-3, 0, 1e-3, 1, 15.5, 20, 40}

func TestSigmoidExact(t *testing.T) {
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		got := eval(t, (*graphx.Expr).Sigmoid, dt, []int{len(sigmoidPoints)}, sigmoidPoints)
		for i, x := range sigmoidPoints {
			want := refSigmoid(x)
			if dt == tensor.Float32 {
				// Exact to rounding: the float32 nearest the true value.
				if w := float64(float32(want)); got[i] != w {
					t.Errorf("float32 sigmoid(%v) = %.9g, want %.9g", x, got[i], w)
				}
				continue
			}
			if math.Abs(got[i]-want) > 2.3e-16*want {
				t.Errorf("float64 sigmoid(%v) = %.17g, want %.17g", x, got[i], want)
			}
		}
	}
	// Keras 3 in float32 (issue 15): sigmoid(15.5) = 0.999999821.
	got := eval(t, (*graphx.Expr).Sigmoid, tensor.Float32, []int{1}, []float64{15.5})
	if math.Abs(got[0]-0.999999821) > 1e-9 {
		t.Errorf("float32 sigmoid(15.5) = %.9f, Keras gives 0.999999821", got[0])
	}
	// Far out: no NaN from exp overflowing.
	far := []float64{-1000, -100, 100, 1000}
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		got := eval(t, (*graphx.Expr).Sigmoid, dt, []int{4}, far)
		for i, x := range far {
			if want := refSigmoid(x); math.IsNaN(got[i]) || math.Abs(got[i]-want) > 1e-30 {
				t.Errorf("%v sigmoid(%v) = %v, want %v", dt, x, got[i], want)
			}
		}
	}
}

// The gradient is sigmoid(x)*(1-sigmoid(x)) everywhere: nonzero where
// Gorgonia's own sigmoid has none (15.5, 20, 40), and 0.25 at 0, where
// a form built on |x| would give 0.
func TestSigmoidGradient(t *testing.T) {
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		g := G.NewGraph()
		x := G.NewVector(g, dt, G.WithShape(len(sigmoidPoints)), G.WithName("x"),
			G.WithValue(tensorOf(dt, []int{len(sigmoidPoints)}, sigmoidPoints)))
		e := graphx.New(dt)
		y, err := e.Result(e.Sum(e.Sigmoid(x)))
		if err != nil {
			t.Fatal(err)
		}
		grads, err := G.Grad(y, x)
		if err != nil {
			t.Fatal(err)
		}
		vm := G.NewTapeMachine(g)
		if err := vm.RunAll(); err != nil {
			t.Fatal(err)
		}
		got := floatsOf(grads[0].Value().Data())
		vm.Close()
		rel := 1e-14
		if dt == tensor.Float32 {
			rel = 1e-6
		}
		for i, xv := range sigmoidPoints {
			s := refSigmoid(xv)
			want := s * refSigmoid(-xv)
			if math.Abs(got[i]-want) > rel*want {
				t.Errorf("%v d sigmoid/dx at %v = %.9g, want %.9g", dt, xv, got[i], want)
			}
		}
	}
	// Central differences on moderate points, 0 included (the
	// saturated points are checked against s(1-s) above: there a
	// difference quotient drowns in the rounding of sigmoid near 1).
	xs := []float64{-3, -0.5, 0, 0.7, 2, 6}
	c := []float64{0.3, -0.7, 0.9, 0.2, -0.4, 1.5}
	res, err := gradcheck.Check(func(in []*G.Node) (*G.Node, error) {
		e := graphx.New(tensor.Float64)
		return e.Result(e.Sum(e.Mul(in[1], e.Sigmoid(in[0]))))
	}, []*tensor.Dense{tensorOf(tensor.Float64, []int{6}, xs), tensorOf(tensor.Float64, []int{6}, c)},
		gradcheck.Config{WRT: []int{0}, Step: 1e-4})
	if err != nil {
		t.Fatal(err)
	}
	if err := res.Err(); err != nil {
		t.Error(err)
	}
}

func tensorOf(dt tensor.Dtype, shape []int, x []float64) *tensor.Dense {
	if dt == tensor.Float32 {
		v := make([]float32, len(x))
		for i := range x {
			v[i] = float32(x[i])
		}
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(v))
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float64(nil), x...)))
}

func floatsOf(d any) []float64 {
	switch v := d.(type) {
	case []float64:
		return append([]float64(nil), v...)
	case []float32:
		out := make([]float64, len(v))
		for i, e := range v {
			out[i] = float64(e)
		}
		return out
	}
	return nil
}
