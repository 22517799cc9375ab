package fused

import (
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// run computes every node of g in order by calling each op's Do, as
// keras's executor does, and returns the values of the nodes asked for.
func run(t *testing.T, g *G.ExprGraph, want ...*G.Node) []G.Value {
	t.Helper()
	sorted, err := G.Sort(g)
	if err != nil {
		t.Fatal(err)
	}
	vals := map[*G.Node]G.Value{}
	for i := len(sorted) - 1; i >= 0; i-- {
		n := sorted[i]
		var args []G.Value
		for it := g.From(n.ID()); it.Next(); {
			args = append(args, vals[it.Node().(*G.Node)])
		}
		if len(args) == 0 {
			vals[n] = n.Value()
			continue
		}
		v, err := n.Op().Do(args...)
		if err != nil {
			t.Fatalf("%v: %v", n, err)
		}
		vals[n] = v
	}
	out := make([]G.Value, len(want))
	for i, n := range want {
		out[i] = vals[n]
	}
	return out
}

// input adds a node of dtype dt holding v (float64 values, converted).
func input(g *G.ExprGraph, dt tensor.Dtype, name string, v []float64, shape ...int) *G.Node {
	var t *tensor.Dense
	if dt == tensor.Float32 {
		f := make([]float32, len(v))
		for i, e := range v {
			f[i] = float32(e)
		}
		t = tensor.New(tensor.WithShape(shape...), tensor.WithBacking(f))
	} else {
		t = tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float64(nil), v...)))
	}
	return G.NewTensor(g, dt, len(shape), G.WithShape(shape...), G.WithName(name), G.WithValue(t))
}

// floats returns a value's elements as float64.
func floats(v G.Value) []float64 {
	switch d := v.Data().(type) {
	case []float32:
		out := make([]float64, len(d))
		for i, e := range d {
			out[i] = float64(e)
		}
		return out
	case []float64:
		return append([]float64(nil), d...)
	case float32:
		return []float64{float64(d)}
	case float64:
		return []float64{d}
	}
	return nil
}

func randn(r *rand.Rand, n int, scale float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = r.NormFloat64() * scale
	}
	return v
}

func close(a, b, tol float64) bool {
	d := a - b
	if d < 0 {
		d = -d
	}
	m := max(1, a, -a, b, -b)
	return d <= tol*m
}

// numGrad is the central finite difference of f at x, element by element.
func numGrad(x []float64, f func() float64) []float64 {
	const h = 1e-6
	g := make([]float64, len(x))
	for i := range x {
		old := x[i]
		x[i] = old + h
		up := f()
		x[i] = old - h
		down := f()
		x[i] = old
		g[i] = (up - down) / (2 * h)
	}
	return g
}
