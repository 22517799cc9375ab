package rnn

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/gokeras/keras/internal/gradcheck"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

func run(t *testing.T, g *G.ExprGraph) error {
	t.Helper()
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	return vm.RunAll()
}

func TestReverseAndMasks(t *testing.T) {
	g := G.NewGraph()
	// x (2, 3, 2): sample 1 step 1 is all 7 (masked by value 7).
	xv := []float64{1, 2, 3, 4, 5, 6, 0, 7, 7, 7, 8, 9}
	x := G.NewTensor(g, tensor.Float64, 3, G.WithShape(2, 3, 2), G.WithName("x"), G.WithValue(tensor.New(tensor.WithShape(2, 3, 2), tensor.WithBacking(xv))))
	ids := G.NewMatrix(g, tensor.Float64, G.WithShape(2, 3), G.WithName("ids"), G.WithValue(tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float64{3, 0, 1, 0, 0, 2}))))
	rev, err := Reverse(x)
	if err != nil {
		t.Fatal(err)
	}
	vm, err := ValueMask(x, 7)
	if err != nil {
		t.Fatal(err)
	}
	im, err := IDMask(ids)
	if err != nil {
		t.Fatal(err)
	}
	am, err := ApplyMask(x, vm)
	if err != nil {
		t.Fatal(err)
	}
	if err := run(t, g); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		n    *G.Node
		want []float64
	}{
		{"reverse", rev, []float64{5, 6, 3, 4, 1, 2, 8, 9, 7, 7, 0, 7}},
		{"value mask", vm, []float64{1, 1, 1, 1, 0, 1}},
		{"id mask", im, []float64{1, 0, 1, 0, 0, 1}},
		{"apply mask", am, []float64{1, 2, 3, 4, 5, 6, 0, 7, 0, 0, 8, 9}},
	}
	for _, c := range cases {
		got := toF64(c.n.Value())
		for i := range c.want {
			if got[i] != c.want[i] {
				t.Errorf("%s: got %v, want %v", c.name, got, c.want)
				break
			}
		}
	}
}

func TestSeqOpGradients(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	x := tensor.New(tensor.WithShape(2, 3, 2), tensor.WithBacking(randSlice(r, 12, 1)))
	mask := tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float64{1, 0, 1, 1, 1, 0}))
	w := tensor.New(tensor.WithShape(2, 3, 2), tensor.WithBacking(randSlice(r, 12, 1)))
	weighted := func(n *G.Node) (*G.Node, error) {
		c := G.NewTensor(n.Graph(), tensor.Float64, 3, G.WithShape(2, 3, 2), G.WithName("w"), G.WithValue(w))
		p, err := G.HadamardProd(n, c)
		if err != nil {
			return nil, err
		}
		return G.Sum(p)
	}
	for name, f := range map[string]gradcheck.Func{
		"reverse": func(in []*G.Node) (*G.Node, error) {
			y, err := Reverse(in[0])
			if err != nil {
				return nil, err
			}
			return weighted(y)
		},
		"apply mask": func(in []*G.Node) (*G.Node, error) {
			y, err := ApplyMask(in[0], in[1])
			if err != nil {
				return nil, err
			}
			return weighted(y)
		},
	} {
		res, err := gradcheck.Check(f, []*tensor.Dense{x, mask}, gradcheck.Config{WRT: []int{0}})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := res.Err(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
}

func TestGather(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	table := tensor.New(tensor.WithShape(4, 3), tensor.WithBacking(randSlice(r, 12, 1)))
	ids := tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float64{3, 0, 3, 1, 2, 3}))
	w := tensor.New(tensor.WithShape(2, 3, 3), tensor.WithBacking(randSlice(r, 18, 1)))
	f := func(in []*G.Node) (*G.Node, error) {
		y, err := Gather("embedding", in[0], in[1])
		if err != nil {
			return nil, err
		}
		c := G.NewTensor(y.Graph(), tensor.Float64, 3, G.WithShape(2, 3, 3), G.WithName("w"), G.WithValue(w))
		p, err := G.HadamardProd(y, c)
		if err != nil {
			return nil, err
		}
		return G.Sum(p)
	}
	res, err := gradcheck.Check(f, []*tensor.Dense{ids, table}, gradcheck.Config{WRT: []int{1}})
	if err != nil {
		t.Fatal(err)
	}
	if err := res.Err(); err != nil {
		t.Fatal(err)
	}
	// The rows themselves.
	g := G.NewGraph()
	in := nodesFor(g, []*tensor.Dense{ids, table})
	y, err := Gather("embedding", in[0], in[1])
	if err != nil {
		t.Fatal(err)
	}
	if err := run(t, g); err != nil {
		t.Fatal(err)
	}
	got, tab := toF64(y.Value()), table.Data().([]float64)
	for i, id := range ids.Data().([]float64) {
		for j := 0; j < 3; j++ {
			if got[i*3+j] != tab[int(id)*3+j] {
				t.Fatalf("row %d: got %v, want row %v of the table", i, got[i*3:i*3+3], id)
			}
		}
	}
	for _, c := range []struct {
		ids  []float64
		want string
	}{{[]float64{0, 1, 4, 0, 0, 0}, "outside [0, 4)"}, {[]float64{0, -1, 0, 0, 0, 0}, "outside"}, {[]float64{0, 1.5, 0, 0, 0, 0}, "whole numbers"}} {
		g := G.NewGraph()
		in := nodesFor(g, []*tensor.Dense{tensor.New(tensor.WithShape(2, 3), tensor.WithBacking(c.ids)), table})
		if _, err := Gather("embedding", in[0], in[1]); err != nil {
			t.Fatal(err)
		}
		err := run(t, g)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "embedding") {
			t.Errorf("ids %v: error %v, want one naming the layer and %q", c.ids, err, c.want)
		}
	}
}
