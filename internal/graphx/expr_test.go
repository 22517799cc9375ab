package graphx_test

import (
	"errors"
	"math"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/gokeras/keras/internal/gradcheck"
	"github.com/gokeras/keras/internal/graphx"
)

// logits has rows of magnitude 1e3, where exp overflows unless each row
// is shifted by its maximum, and a row whose first value is its largest.
var logits = []float64{
	1000, 1001, 999.5, -1000,
	-1000, -999, -1002, -998.5,
	3, -1, 0.5, 2,
}

// Reference values, row by row, from Python's math module:
//
//	python3 -c 'import math
//	for r in ([1000,1001,999.5,-1000],[-1000,-999,-1002,-998.5],[3,-1,0.5,2]):
//	  m=max(r); s=sum(math.exp(x-m) for x in r)
//	  print([x-m-math.log(s) for x in r], [math.exp(x-m)/s for x in r])'
var (
	wantLogSoftmax = []float64{
		-1.464368784107945, -0.4643687841079449, -1.964368784107945, -2001.464368784108,
		-2.1205002500252093, -1.1205002500252095, -4.120500250025209, -0.6205002500252095,
		-0.38409170128869025, -4.38409170128869, -2.8840917012886904, -1.3840917012886902,
	}
	wantSoftmax = []float64{
		0.23122389762214907, 0.6285317192117624, 0.14024438316608848, 0,
		0.11997159770272663, 0.32611661396652075, 0.01623639015544746, 0.5376753981753052,
		0.6810689694136799, 0.012474213302103304, 0.05590554541710209, 0.25055127186711473,
	}
)

// eval builds f on a node of the given dtype and shape holding x, runs
// it and returns the output as float64s.
func eval(t *testing.T, f func(e *graphx.Expr, x *G.Node) *G.Node, dt tensor.Dtype, shape []int, x []float64) []float64 {
	t.Helper()
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
	e := graphx.New(dt)
	y, err := e.Result(f(e, xn))
	if err != nil {
		t.Fatal(err)
	}
	if !y.Shape().Eq(xn.Shape()) || y.Dtype() != dt {
		t.Fatalf("output %v %v, want %v %v", y.Shape(), y.Dtype(), xn.Shape(), dt)
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	var out []float64
	switch v := y.Value().Data().(type) {
	case []float64:
		out = append(out, v...)
	case []float32:
		for _, e := range v {
			out = append(out, float64(e))
		}
	}
	return out
}

func TestSoftmaxValues(t *testing.T) {
	cases := []struct {
		name string
		f    func(e *graphx.Expr, x *G.Node) *G.Node
		want []float64
	}{
		{"log_softmax", (*graphx.Expr).LogSoftmax, wantLogSoftmax},
		{"softmax", (*graphx.Expr).Softmax, wantSoftmax},
	}
	// Every rank is taken row by row along its last axis; a vector is
	// one row.
	shapes := []struct {
		shape []int
		n     int // how many of logits it holds
	}{{[]int{3, 4}, 12}, {[]int{3, 1, 4}, 12}, {[]int{4}, 4}}
	for _, tc := range cases {
		for _, s := range shapes {
			for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
				rel := 1e-12
				if dt == tensor.Float32 {
					rel = 2e-6
				}
				got := eval(t, tc.f, dt, s.shape, logits[:s.n])
				for i, w := range tc.want[:s.n] {
					if math.Abs(got[i]-w) > rel*math.Max(1, math.Abs(w)) {
						t.Errorf("%s %v %v [%d] = %.17g, want %.17g", tc.name, s.shape, dt, i, got[i], w)
					}
				}
			}
		}
	}
}

// TestSoftmaxGradients checks the gradients of log-softmax and softmax on
// the logits of magnitude 1e3 against central differences, through
// sum(c ⊙ f(x)) with fixed weights c (softmax rows sum to 1, so a plain
// sum would have a zero gradient).
func TestSoftmaxGradients(t *testing.T) {
	c := []float64{0.3, -0.7, 0.9, 0.2, -0.4, 0.8, -0.1, 0.5, 0.6, -0.9, 0.05, -0.3}
	for _, tc := range []struct {
		name string
		f    func(e *graphx.Expr, x *G.Node) *G.Node
	}{{"log_softmax", (*graphx.Expr).LogSoftmax}, {"softmax", (*graphx.Expr).Softmax}} {
		for _, shape := range [][]int{{3, 4}, {3, 1, 4}} {
			x := tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float64(nil), logits...)))
			w := tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float64(nil), c...)))
			res, err := gradcheck.Check(func(in []*G.Node) (*G.Node, error) {
				e := graphx.New(tensor.Float64)
				return e.Result(e.Sum(e.Mul(in[1], tc.f(e, in[0]))))
			}, []*tensor.Dense{x, w}, gradcheck.Config{WRT: []int{0}})
			if err != nil {
				t.Fatalf("%s %v: %v", tc.name, shape, err)
			}
			if err := res.Err(); err != nil {
				t.Errorf("%s %v: %v", tc.name, shape, err)
			}
		}
	}
}

func TestSoftmaxOfScalar(t *testing.T) {
	g := G.NewGraph()
	x := G.NewScalar(g, tensor.Float64, G.WithName("x"))
	e := graphx.New(tensor.Float64)
	if _, err := e.Result(e.Softmax(x)); err == nil || !strings.Contains(err.Error(), "at least one axis") {
		t.Errorf("softmax of a scalar: error %v", err)
	}
}

// After the first error every method returns nil, and the first error
// is the one reported.
func TestFirstErrorKept(t *testing.T) {
	g := G.NewGraph()
	x := G.NewMatrix(g, tensor.Float64, G.WithShape(2, 3), G.WithName("x"))
	y := G.NewMatrix(g, tensor.Float64, G.WithShape(3, 2), G.WithName("y"))
	e := graphx.New(tensor.Float64)
	if n := e.Add(x, y); n != nil || e.Err() == nil {
		t.Fatalf("adding (2, 3) and (3, 2): node %v, error %v", n, e.Err())
	}
	first := e.Err()
	if n := e.Exp(x); n != nil {
		t.Error("Exp after an error returned a node")
	}
	if n := e.Fail("second"); n != nil || !errors.Is(e.Err(), first) {
		t.Errorf("error %v, want the first one, %v", e.Err(), first)
	}
	if n, err := e.Result(x); n != nil || err == nil {
		t.Errorf("Result = %v, %v", n, err)
	}
}

// Constants take the Expr's dtype, and Fill tensors of different values
// get different names, so that hash-consing never merges them.
func TestConstants(t *testing.T) {
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		e := graphx.New(dt)
		if got := e.Scalar(2).Dtype(); got != dt {
			t.Errorf("Scalar dtype %v, want %v", got, dt)
		}
		a, b := e.Fill(tensor.Shape{2, 3}, 0.5), e.Fill(tensor.Shape{2, 3}, 0.25)
		if a.Dtype() != dt || !a.Shape().Eq(tensor.Shape{2, 3}) {
			t.Errorf("Fill: %v %v", a.Dtype(), a.Shape())
		}
		if a.Name() == b.Name() {
			t.Errorf("Fill 0.5 and 0.25 share the name %q", a.Name())
		}
	}
}
