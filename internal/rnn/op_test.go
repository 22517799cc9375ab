package rnn

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/gokeras/keras/internal/gradcheck"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

type variant struct {
	name string
	spec Spec
}

// variants lists every cell and layout with each option that changes
// the arithmetic.
func variants() []variant {
	var vs []variant
	base := []Spec{
		{Cell: SimpleRNN, Activation: Tanh},
		{Cell: SimpleRNN, Activation: Relu},
		{Cell: LSTM, Activation: Tanh, RecurrentActivation: Sigmoid},
		{Cell: LSTM, Activation: Relu, RecurrentActivation: HardSigmoid},
		{Cell: GRU, Activation: Tanh, RecurrentActivation: Sigmoid, ResetAfter: true},
		{Cell: GRU, Activation: Tanh, RecurrentActivation: Sigmoid, ResetAfter: false},
		{Cell: GRU, Activation: Softsign, RecurrentActivation: HardSigmoid, ResetAfter: true},
		{Cell: LSTM, Activation: Tanh, RecurrentActivation: HardSigmoidKeras2},
		{Cell: GRU, Activation: Tanh, RecurrentActivation: HardSigmoidKeras2, ResetAfter: false},
	}
	for _, b := range base {
		for _, o := range []struct {
			name                          string
			bias, mask, back, seq, zeroed bool
		}{
			{"last", true, false, false, false, false},
			{"seq", true, false, false, true, false},
			{"nobias-back", false, false, true, true, false},
			{"mask-last", true, true, false, false, false},
			{"mask-seq", true, true, false, true, false},
			{"mask-back-seq-zero", true, true, true, true, true},
			{"mask-back-last", true, true, true, false, false},
		} {
			s := b
			s.Units = 3
			s.UseBias, s.Masked, s.GoBackwards, s.ReturnSequences, s.ZeroOutputForMask = o.bias, o.mask, o.back, o.seq, o.zeroed
			vs = append(vs, variant{fmt.Sprintf("%v-%v-%v-ra%t-%s", s.Cell, s.Activation, s.RecurrentActivation, s.ResetAfter, o.name), s})
		}
	}
	return vs
}

type testData struct {
	n, t, f                int
	x, k, rk, b, mask      []float64
	xS, kS, rkS, bS, maskS []int
}

func newTestData(s Spec, seed uint64, n, t, f int) testData {
	r := rand.New(rand.NewPCG(seed, 7))
	g := s.gates() * s.Units
	d := testData{n: n, t: t, f: f,
		x: randSlice(r, n*t*f, 1), k: randSlice(r, f*g, 0.8), rk: randSlice(r, s.Units*g, 0.8),
		xS: []int{n, t, f}, kS: []int{f, g}, rkS: []int{s.Units, g}}
	if s.UseBias {
		d.bS = s.BiasShape()
		d.b = randSlice(r, g*len(d.bS), 0.5)
		if len(d.bS) == 2 {
			d.b = randSlice(r, 2*g, 0.5)
		}
	}
	if s.Masked {
		d.mask, d.maskS = testMask(n, t), []int{n, t}
	}
	return d
}

func (d testData) tensors(dt tensor.Dtype) []*tensor.Dense {
	mk := func(v []float64, shape []int) *tensor.Dense {
		if dt == tensor.Float32 {
			f := make([]float32, len(v))
			for i := range v {
				f[i] = float32(v[i])
			}
			return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(f))
		}
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float64(nil), v...)))
	}
	ts := []*tensor.Dense{mk(d.x, d.xS), mk(d.k, d.kS), mk(d.rk, d.rkS)}
	if d.b != nil {
		ts = append(ts, mk(d.b, d.bS))
	}
	if d.mask != nil {
		ts = append(ts, mk(d.mask, d.maskS))
	}
	return ts
}

// applyTo builds the op on nodes in the order of testData.tensors.
func applyTo(s Spec, training bool, in []*G.Node) (*G.Node, error) {
	var b, m *G.Node
	i := 3
	if s.UseBias {
		b = in[i]
		i++
	}
	if s.Masked {
		m = in[i]
	}
	return Apply(s, training, in[0], in[1], in[2], b, m)
}

func nodesFor(g *G.ExprGraph, ts []*tensor.Dense) []*G.Node {
	ns := make([]*G.Node, len(ts))
	for i, t := range ts {
		ns[i] = G.NewTensor(g, t.Dtype(), t.Dims(), G.WithShape(t.Shape()...), G.WithValue(t), G.WithName(fmt.Sprintf("in%d", i)))
	}
	return ns
}

func toF64(v G.Value) []float64 {
	switch d := v.Data().(type) {
	case []float64:
		return append([]float64(nil), d...)
	case []float32:
		o := make([]float64, len(d))
		for i, x := range d {
			o[i] = float64(x)
		}
		return o
	}
	return nil
}

func TestForwardMatchesReference(t *testing.T) {
	for _, v := range variants() {
		for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
			for _, training := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/%v/training=%t", v.name, dt, training), func(t *testing.T) {
					d := newTestData(v.spec, 1, 5, 4, 2)
					g := G.NewGraph()
					out, err := applyTo(v.spec, training, nodesFor(g, d.tensors(dt)))
					if err != nil {
						t.Fatal(err)
					}
					vm := G.NewTapeMachine(g)
					defer vm.Close()
					if err := vm.RunAll(); err != nil {
						t.Fatal(err)
					}
					got := toF64(out.Value())
					seq, last := refRun(v.spec, d.n, d.t, d.f, d.x, d.k, d.rk, d.b, d.mask)
					want := last
					if v.spec.ReturnSequences {
						want = seq
					}
					if len(got) != len(want) {
						t.Fatalf("got %d values, want %d", len(got), len(want))
					}
					tol := 1e-12
					if dt == tensor.Float32 {
						tol = 2e-6
					}
					for i := range want {
						if math.Abs(got[i]-want[i]) > tol {
							t.Fatalf("element %d: got %.9g, want %.9g", i, got[i], want[i])
						}
					}
				})
			}
		}
	}
}

// The reference itself: a masked step keeps the output of the step
// before, so a sample masked at the end returns the output of its last
// real step, and a fully masked one returns zeros (Keras 3's rnn).
func TestReferenceMaskSemantics(t *testing.T) {
	s := Spec{Cell: SimpleRNN, Units: 2, Activation: Tanh, UseBias: true, Masked: true, ReturnSequences: true}
	d := newTestData(s, 3, 5, 4, 2)
	seq, last := refRun(s, d.n, d.t, d.f, d.x, d.k, d.rk, d.b, d.mask)
	u, T := 2, 4
	// Sample 1 is masked at steps 2 and 3.
	for j := 0; j < u; j++ {
		if seq[(1*T+3)*u+j] != seq[(1*T+1)*u+j] || last[1*u+j] != seq[(1*T+1)*u+j] {
			t.Fatal("a step masked at the end does not repeat the last real output")
		}
		if last[4*u+j] != 0 {
			t.Fatal("a fully masked sample does not give zeros")
		}
	}
}

func TestGradientsMatchFiniteDifferences(t *testing.T) {
	for _, v := range variants() {
		for _, training := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/training=%t", v.name, training), func(t *testing.T) {
				d := newTestData(v.spec, 2, 5, 3, 2)
				ts := d.tensors(tensor.Float64)
				r := rand.New(rand.NewPCG(9, 9))
				var wS []int
				if v.spec.ReturnSequences {
					wS = []int{d.n, d.t, v.spec.Units}
				} else {
					wS = []int{d.n, v.spec.Units}
				}
				n := 1
				for _, s := range wS {
					n *= s
				}
				weights := tensor.New(tensor.WithShape(wS...), tensor.WithBacking(randSlice(r, n, 1)))
				wrt := []int{0, 1, 2}
				if v.spec.UseBias {
					wrt = append(wrt, 3)
				}
				res, err := gradcheck.Check(func(in []*G.Node) (*G.Node, error) {
					out, err := applyTo(v.spec, training, in)
					if err != nil {
						return nil, err
					}
					w := G.NewTensor(out.Graph(), tensor.Float64, len(wS), G.WithShape(wS...), G.WithValue(weights), G.WithName("weights"))
					p, err := G.HadamardProd(out, w)
					if err != nil {
						return nil, err
					}
					return G.Sum(p)
				}, ts, gradcheck.Config{WRT: wrt, RelTol: 1e-5, AbsTol: 1e-8})
				if err != nil {
					t.Fatal(err)
				}
				if err := res.Err(); err != nil {
					t.Fatal(err)
				}
			})
		}
	}
}

// An inference op has no state of its own: many goroutines may run one
// node's op at once and each gets the answer of a lone run.
func TestInferenceOpIsSafeForConcurrentUse(t *testing.T) {
	s := Spec{Cell: LSTM, Units: 4, Activation: Tanh, RecurrentActivation: Sigmoid, UseBias: true, Masked: true, ReturnSequences: true}
	g := G.NewGraph()
	var inputs [][]G.Value
	var wants [][]float64
	var out *G.Node
	for i := 0; i < 4; i++ {
		d := newTestData(s, uint64(10+i), 6, 5+i, 3)
		ts := d.tensors(tensor.Float32)
		vals := make([]G.Value, len(ts))
		for j := range ts {
			vals[j] = ts[j]
		}
		inputs = append(inputs, vals)
		seq, _ := refRun(s, d.n, d.t, d.f, d.x, d.k, d.rk, d.b, d.mask)
		wants = append(wants, seq)
		if i == 0 {
			var err error
			if out, err = applyTo(s, false, nodesFor(g, ts)); err != nil {
				t.Fatal(err)
			}
		}
	}
	op := out.Op()
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for gi := 0; gi < 8; gi++ {
		wg.Add(1)
		go func(gi int) {
			defer wg.Done()
			for rep := 0; rep < 20; rep++ {
				k := (gi + rep) % len(inputs)
				v, err := op.Do(inputs[k]...)
				if err != nil {
					errs <- err
					return
				}
				got := toF64(v)
				for i := range got {
					if math.Abs(got[i]-wants[k][i]) > 2e-6 {
						errs <- fmt.Errorf("goroutine %d input %d element %d: got %v want %v", gi, k, i, got[i], wants[k][i])
						return
					}
				}
			}
		}(gi)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func TestBadShapesAreErrors(t *testing.T) {
	s := Spec{Cell: GRU, Units: 3, Activation: Tanh, RecurrentActivation: Sigmoid, ResetAfter: true, UseBias: true}
	cases := []struct {
		name          string
		x, k, rk, b   []int
		wantSubstring string
	}{
		{"rank", []int{2, 3}, []int{3, 9}, []int{3, 9}, []int{2, 9}, "rank 3"},
		{"kernel", []int{2, 4, 5}, []int{3, 9}, []int{3, 9}, []int{2, 9}, "kernel"},
		{"recurrent", []int{2, 4, 3}, []int{3, 9}, []int{4, 9}, []int{2, 9}, "recurrent kernel"},
		{"bias", []int{2, 4, 3}, []int{3, 9}, []int{3, 9}, []int{9}, "bias"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := G.NewGraph()
			mk := func(name string, sh []int) *G.Node {
				return G.NewTensor(g, tensor.Float32, len(sh), G.WithShape(sh...), G.WithName(name))
			}
			_, err := Apply(s, false, mk("x", c.x), mk("k", c.k), mk("rk", c.rk), mk("b", c.b), nil)
			if err == nil {
				t.Fatal("no error")
			}
			if !contains(err.Error(), c.wantSubstring) {
				t.Fatalf("error %q does not mention %q", err, c.wantSubstring)
			}
		})
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
