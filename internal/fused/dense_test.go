package fused

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// denseRef is act(x·w + b) in float64 loops, the reference of the op.
func denseRef(x, w, b []float64, rows, k, n int, act string) []float64 {
	out := make([]float64, rows*n)
	for i := 0; i < rows; i++ {
		for j := 0; j < n; j++ {
			s := 0.0
			for l := 0; l < k; l++ {
				s += x[i*k+l] * w[l*n+j]
			}
			if b != nil {
				s += b[j]
			}
			switch act {
			case "relu":
				s = math.Max(s, 0)
			case "tanh":
				s = math.Tanh(s)
			}
			out[i*n+j] = s
		}
	}
	return out
}

// dot is Σ a·r: a scalar whose gradient with respect to a is r.
func dot(a, r []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * r[i]
	}
	return s
}

// TestDense checks the fused dense op's value against float64 loops and
// its gradients (with respect to x, w and b, under the upstream
// gradient r) against central finite differences of those loops.
func TestDense(t *testing.T) {
	for _, tc := range []struct {
		act        string
		bias       bool
		dt         tensor.Dtype
		rows, k, n int
	}{
		{"linear", true, tensor.Float64, 5, 7, 4}, {"relu", true, tensor.Float64, 5, 7, 4}, {"tanh", true, tensor.Float64, 5, 7, 4},
		{"linear", false, tensor.Float64, 5, 7, 4}, {"relu", false, tensor.Float32, 5, 7, 4}, {"tanh", true, tensor.Float32, 5, 7, 4},
		{"relu", true, tensor.Float32, 5, 7, 4}, {"linear", true, tensor.Float32, 5, 7, 4},
		{"relu", true, tensor.Float64, 40, 30, 20}, {"tanh", true, tensor.Float32, 40, 30, 20}, {"linear", false, tensor.Float32, 33, 17, 9},
	} {
		rows, k, n := tc.rows, tc.k, tc.n
		t.Run(fmt.Sprintf("%s/%v/%dx%dx%d", tc.act, tc.dt, rows, k, n), func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, 2))
			xv, wv, bv, rv := randn(r, rows*k, 1), randn(r, k*n, 0.5), randn(r, n, 0.5), randn(r, rows*n, 1)
			if !tc.bias {
				bv = nil
			}
			g := G.NewGraph()
			x := input(g, tc.dt, "x", xv, rows, k)
			w := input(g, tc.dt, "w", wv, k, n)
			var b *G.Node
			wrt := G.Nodes{x, w}
			if tc.bias {
				b = input(g, tc.dt, "b", bv, n)
				wrt = append(wrt, b)
			}
			out, err := Dense(x, w, b, tc.act)
			if err != nil {
				t.Fatal(err)
			}
			loss := G.Must(G.Sum(G.Must(G.HadamardProd(out, input(g, tc.dt, "r", rv, rows, n)))))
			grads, err := G.Grad(loss, wrt...)
			if err != nil {
				t.Fatal(err)
			}
			vals := run(t, g, append(G.Nodes{out}, grads...)...)
			tol := 1e-9
			if tc.dt == tensor.Float32 {
				tol = 1e-4
			}
			want := denseRef(xv, wv, bv, rows, k, n, tc.act)
			for i, v := range floats(vals[0]) {
				if !close(v, want[i], tol) {
					t.Fatalf("out[%d] = %v, want %v", i, v, want[i])
				}
			}
			f := func() float64 { return dot(denseRef(xv, wv, bv, rows, k, n, tc.act), rv) }
			params := [][]float64{xv, wv, bv}
			for p := range grads {
				num := numGrad(params[p], f)
				for i, v := range floats(vals[1+p]) {
					if !close(v, num[i], max(tol, 1e-6)) {
						t.Fatalf("gradient %d [%d] = %v, finite difference %v", p, i, v, num[i])
					}
				}
			}
		})
	}
}

// TestDensePrealloc checks that a second run writes into the first
// run's buffers and gives the same numbers.
func TestDensePrealloc(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	g := G.NewGraph()
	x := input(g, tensor.Float32, "x", randn(r, 6, 1), 2, 3)
	w := input(g, tensor.Float32, "w", randn(r, 12, 1), 3, 4)
	b := input(g, tensor.Float32, "b", randn(r, 4, 1), 4)
	out, err := Dense(x, w, b, "relu")
	if err != nil {
		t.Fatal(err)
	}
	op := out.Op().(G.UsePreallocDoer)
	first, err := out.Op().Do(x.Value(), w.Value(), b.Value())
	if err != nil {
		t.Fatal(err)
	}
	want := floats(first)
	again, err := op.UsePreallocDo(first, x.Value(), w.Value(), b.Value())
	if err != nil {
		t.Fatal(err)
	}
	if again != first {
		t.Fatalf("UsePreallocDo returned a new value")
	}
	for i, v := range floats(again) {
		if v != want[i] {
			t.Fatalf("second run [%d] = %v, want %v", i, v, want[i])
		}
	}
}

// TestDenseErrors checks the shape errors.
func TestDenseErrors(t *testing.T) {
	g := G.NewGraph()
	x := input(g, tensor.Float32, "x", make([]float64, 6), 2, 3)
	w := input(g, tensor.Float32, "w", make([]float64, 8), 4, 2)
	b := input(g, tensor.Float32, "b", make([]float64, 3), 3)
	w2 := input(g, tensor.Float32, "w2", make([]float64, 6), 3, 2)
	for name, f := range map[string]func() (*G.Node, error){
		"kernel rows": func() (*G.Node, error) { return Dense(x, w, nil, "linear") },
		"bias":        func() (*G.Node, error) { return Dense(x, w2, b, "linear") },
		"activation":  func() (*G.Node, error) { return Dense(x, w2, nil, "gelu") },
	} {
		if _, err := f(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
