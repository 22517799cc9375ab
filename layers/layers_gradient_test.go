package layers_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/gokeras/keras/activations"
	"github.com/gokeras/keras/layers"
)

// Finite-difference gradient checks: every activation, every regularizer
// and every layer. The graph is built once in float64; G.Grad gives the
// analytic gradient, and each element of each checked tensor is nudged
// by ±fdStep in place (the nodes hold these very tensors) to get the
// central difference (f(x+h)-f(x-h))/2h.
//
// internal/gradcheck builds its own input nodes, which cannot stand for
// the parameter nodes a layer makes through Context.Param, so the layer
// checks need this in-place form; the activation and regularizer checks
// use it too, to keep one mechanism.

const (
	fdStep   = 1e-5
	fdRelTol = 1e-6
	fdAbsTol = 1e-9
)

// fdCheck compares G.Grad of the scalar loss with central differences for
// every node in wrt (float64 nodes holding *tensor.Dense values).
func fdCheck(t *testing.T, g *G.ExprGraph, loss *G.Node, wrt []*G.Node) {
	t.Helper()
	if !loss.IsScalar() {
		t.Fatalf("loss has shape %v, want a scalar", loss.Shape())
	}
	grads, err := G.Grad(loss, wrt...)
	if err != nil {
		t.Fatalf("G.Grad: %v", err)
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	run := func() float64 {
		t.Helper()
		defer vm.Reset()
		if err := vm.RunAll(); err != nil {
			t.Fatalf("RunAll: %v", err)
		}
		v, ok := loss.Value().Data().(float64)
		if !ok {
			t.Fatalf("loss value %T, want float64", loss.Value().Data())
		}
		return v
	}
	if err := vm.RunAll(); err != nil {
		t.Fatalf("RunAll: %v", err)
	}
	analytic := make([][]float64, len(grads))
	for i, gr := range grads {
		analytic[i] = append([]float64(nil), gr.Value().Data().([]float64)...)
	}
	vm.Reset()
	for i, n := range wrt {
		data := n.Value().Data().([]float64)
		if len(data) != len(analytic[i]) {
			t.Fatalf("%s: gradient has %d elements, node %d", n.Name(), len(analytic[i]), len(data))
		}
		bad := 0
		for k, x := range data {
			xp, xm := x+fdStep, x-fdStep
			data[k] = xp
			fp := run()
			data[k] = xm
			fm := run()
			data[k] = x
			num := (fp - fm) / (xp - xm)
			a := analytic[i][k]
			if d := math.Abs(a - num); !(d <= fdAbsTol+fdRelTol*math.Max(math.Abs(a), math.Abs(num))) {
				if bad++; bad <= 5 {
					t.Errorf("%s[%d]: analytic %.12g, numeric %.12g", n.Name(), k, a, num)
				}
			}
		}
	}
}

// fdTensor returns a float64 tensor of the given shape filled from rng,
// uniformly in [lo, hi).
func fdTensor(rng *rand.Rand, lo, hi float64, shape ...int) *tensor.Dense {
	v := make([]float64, tensor.Shape(shape).TotalSize())
	for i := range v {
		v[i] = lo + (hi-lo)*rng.Float64()
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(v))
}

// fdNode adds a float64 input node holding t to g.
func fdNode(g *G.ExprGraph, name string, t *tensor.Dense) *G.Node {
	return G.NewTensor(g, tensor.Float64, t.Dims(), G.WithShape(t.Shape()...), G.WithName(name), G.WithValue(t))
}

// fdWeightedSum returns sum(y ⊙ c) for a fixed random c, so that outputs
// whose plain sum is constant (softmax rows sum to 1) still test every
// partial derivative.
func fdWeightedSum(g *G.ExprGraph, rng *rand.Rand, y *G.Node) (*G.Node, error) {
	c := fdNode(g, "fd/coef", fdTensor(rng, -1, 1, y.Shape()...))
	p, err := G.HadamardProd(y, c)
	if err != nil {
		return nil, err
	}
	return G.Sum(p)
}

// fdAwayFromKinks fills t with values in [-2.9, 2.9] at least 0.05 away
// from 0, the kinks of relu-like activations and |x| (relu6 and
// hard_sigmoid also bend at 6 and ±3).
func fdAwayFromKinks(t *tensor.Dense) {
	for i, v := range t.Data().([]float64) {
		if math.Abs(v) < 0.05 {
			t.Data().([]float64)[i] = math.Copysign(0.05, v) + v
		}
	}
}

func TestActivationGradients(t *testing.T) {
	for _, name := range activations.ActivationNames() {
		for _, shape := range [][]int{{3, 4}, {5}, {2, 3, 2}} {
			t.Run(fmt.Sprintf("%s/%v", name, shape), func(t *testing.T) {
				f, err := activations.GetActivation(name)
				if err != nil {
					t.Fatal(err)
				}
				rng := rand.New(rand.NewPCG(1, uint64(len(shape))))
				g := G.NewGraph()
				xt := fdTensor(rng, -2.9, 2.9, shape...)
				fdAwayFromKinks(xt)
				x := fdNode(g, "x", xt)
				y, err := f(x)
				if err != nil {
					t.Fatal(err)
				}
				if name == "linear" {
					// linear returns x itself; there is no op to check beyond identity.
					if y != x {
						t.Fatalf("linear returned a new node")
					}
				}
				loss, err := fdWeightedSum(g, rng, y)
				if err != nil {
					t.Fatal(err)
				}
				fdCheck(t, g, loss, []*G.Node{x})
			})
		}
	}
}

func TestRegularizerGradients(t *testing.T) {
	cases := []layers.Regularizer{
		layers.L1(0.01), layers.L2(0.01), layers.L1L2(0.03, 0.02), layers.L1L2(0, 0), layers.L1L2(0.5, 0),
	}
	for _, r := range cases {
		t.Run(fmt.Sprint(r.Name(), r.Config()), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(3, 4))
			g := G.NewGraph()
			wt := fdTensor(rng, -2, 2, 4, 3)
			fdAwayFromKinks(wt)
			w := fdNode(g, "w", wt)
			p, err := r.Penalty(w)
			if err != nil {
				t.Fatal(err)
			}
			fdCheck(t, g, p, []*G.Node{w})
		})
	}
}

// fdAllocate gives each weight of l a float64 value drawn from its
// initializer, as a model would.
func fdAllocate(l layers.Layer, rng *rand.Rand) {
	for _, w := range l.Weights() {
		w.Value = tensor.New(tensor.WithShape(w.Shape...), tensor.WithBacking(w.Initializer.Initialize(rng, w.Shape)))
	}
}

// fdLayerCase builds one layer on an input of the given sample shape.
type fdLayerCase struct {
	name   string
	layer  func() layers.Layer
	sample []int
}

func TestLayerGradients(t *testing.T) {
	const batch = 4
	cases := []fdLayerCase{
		{"dense", func() layers.Layer {
			return layers.Dense(3, layers.BiasInitializer(layers.RandomNormal(0, 0.5)))
		}, []int{5}},
		{"dense_no_bias", func() layers.Layer { return layers.Dense(2, layers.UseBias(false)) }, []int{3}},
		{"dense_tanh", func() layers.Layer {
			return layers.Dense(3, layers.Activation("tanh"), layers.BiasInitializer(layers.RandomUniform(-0.5, 0.5)))
		}, []int{4}},
		{"dense_softmax", func() layers.Layer { return layers.Dense(3, layers.Activation("softmax")) }, []int{4}},
		{"dense_regularized", func() layers.Layer {
			return layers.Dense(3, layers.Activation("sigmoid"),
				layers.KernelRegularizer(layers.L1L2(0.05, 0.1)), layers.BiasRegularizer("l2"),
				layers.BiasInitializer(layers.Constant(0.3)))
		}, []int{4}},
		{"activation_selu", func() layers.Layer { return layers.Activation("selu") }, []int{6}},
		{"activation_gelu", func() layers.Layer { return layers.Activation("gelu") }, []int{6}},
		{"flatten", func() layers.Layer { return layers.Flatten() }, []int{2, 3}},
		{"flatten_flat", func() layers.Layer { return layers.Flatten() }, []int{5}},
		{"reshape", func() layers.Layer { return layers.Reshape(3, -1) }, []int{6}},
		{"reshape_3d", func() layers.Layer { return layers.Reshape(6) }, []int{2, 3}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			fdLayerCheck(t, tc, batch, rand.New(rand.NewPCG(5, 6)), fdAwayFromKinks,
				func(extra []*G.Node) {
					if tc.name == "dense_regularized" && len(extra) != 2 {
						t.Fatalf("got %d regularization losses, want 2 (kernel and bias)", len(extra))
					}
				})
		})
	}
}

// fdLayerCheck builds tc's layer for a batch, gives its weights values
// from their initializers and an input from fdTensor(rng, -2, 2) passed
// through fill, and checks the gradient of a weighted sum of the output
// plus the layer's regularization losses (handed to extra first, when
// not nil) with respect to the input and every weight.
func fdLayerCheck(t *testing.T, tc fdLayerCase, batch int, rng *rand.Rand, fill func(*tensor.Dense), extra func([]*G.Node)) {
	t.Helper()
	l := tc.layer()
	l.SetName(tc.name)
	if _, err := l.Build(tc.sample); err != nil {
		t.Fatal(err)
	}
	fdAllocate(l, rng)
	g := G.NewGraph()
	ctx := layers.NewContext(g, true, batch, tensor.Float64)
	xt := fdTensor(rng, -2, 2, append([]int{batch}, tc.sample...)...)
	fill(xt)
	x := fdNode(g, "x", xt)
	y, err := l.Call(ctx, x)
	if err != nil {
		t.Fatal(err)
	}
	loss, err := fdWeightedSum(g, rng, y)
	if err != nil {
		t.Fatal(err)
	}
	regs, err := ctx.Losses()
	if err != nil {
		t.Fatal(err)
	}
	if extra != nil {
		extra(regs)
	}
	for _, e := range regs {
		if loss, err = G.Add(loss, e); err != nil {
			t.Fatal(err)
		}
	}
	_, params := ctx.Params()
	if len(params) != len(l.Weights()) {
		t.Fatalf("graph uses %d params, layer has %d weights", len(params), len(l.Weights()))
	}
	fdCheck(t, g, loss, append([]*G.Node{x}, params...))
}

func TestDropoutGradient(t *testing.T) {
	const (
		batch = 4
		rate  = 0.4
	)
	l := layers.Dropout(rate)
	l.SetName("dropout")
	if _, err := l.Build([]int{6}); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 8))
	g := G.NewGraph()
	ctx := layers.NewContext(g, true, batch, tensor.Float64)
	xt := fdTensor(rng, -2, 2, batch, 6)
	x := fdNode(g, "x", xt)
	y, err := l.Call(ctx, x)
	if err != nil {
		t.Fatal(err)
	}
	feeds := ctx.Feeds()
	if len(feeds) != 1 {
		t.Fatalf("got %d feeds, want 1 mask", len(feeds))
	}
	feeds[0].Fill(rand.New(rand.NewPCG(9, 10)), feeds[0].Value)
	mask := append([]float64(nil), feeds[0].Value.Data().([]float64)...)
	zeros := 0
	for _, m := range mask {
		switch m {
		case 0:
			zeros++
		case 1 / (1 - rate):
		default:
			t.Fatalf("mask value %v, want 0 or %v", m, 1/(1-rate))
		}
	}
	if zeros == 0 || zeros == len(mask) {
		t.Fatalf("mask of %d values has %d zeros; want some of each", len(mask), zeros)
	}

	// Forward: y = x ⊙ mask.
	vm := G.NewTapeMachine(g)
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	got := y.Value().Data().([]float64)
	for i, v := range xt.Data().([]float64) {
		if want := v * mask[i]; got[i] != want {
			t.Errorf("y[%d] = %v, want %v", i, got[i], want)
		}
	}
	vm.Close()

	loss, err := fdWeightedSum(g, rng, y)
	if err != nil {
		t.Fatal(err)
	}
	fdCheck(t, g, loss, []*G.Node{x})

	// Inference: the layer is the identity and asks for no mask.
	g2 := G.NewGraph()
	ctx2 := layers.NewContext(g2, false, batch, tensor.Float64)
	x2 := fdNode(g2, "x", fdTensor(rng, -2, 2, batch, 6))
	y2, err := l.Call(ctx2, x2)
	if err != nil {
		t.Fatal(err)
	}
	if y2 != x2 {
		t.Errorf("inference graph: Dropout returned a new node, want its input")
	}
	if n := len(ctx2.Feeds()); n != 0 {
		t.Errorf("inference graph: %d feeds, want 0", n)
	}
}

// fdGradOf returns d sum(f(x) ⊙ c)/dx for x and c given as float64
// values, computed in a graph of dtype dt.
func fdGradOf(t *testing.T, f activations.ActivationFunc, dt tensor.Dtype, x, c []float64, shape []int) []float64 {
	t.Helper()
	toT := func(v []float64) *tensor.Dense {
		if dt == tensor.Float32 {
			w := make([]float32, len(v))
			for i := range v {
				w[i] = float32(v[i])
			}
			return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(w))
		}
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float64(nil), v...)))
	}
	g := G.NewGraph()
	xn := G.NewTensor(g, dt, len(shape), G.WithShape(shape...), G.WithName("x"), G.WithValue(toT(x)))
	cn := G.NewTensor(g, dt, len(shape), G.WithShape(shape...), G.WithName("c"), G.WithValue(toT(c)))
	y, err := f(xn)
	if err != nil {
		t.Fatal(err)
	}
	p, err := G.HadamardProd(y, cn)
	if err != nil {
		t.Fatal(err)
	}
	loss, err := G.Sum(p)
	if err != nil {
		t.Fatal(err)
	}
	grads, err := G.Grad(loss, xn)
	if err != nil {
		t.Fatal(err)
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	var out []float64
	switch v := grads[0].Value().Data().(type) {
	case []float64:
		out = append(out, v...)
	case []float32:
		for _, e := range v {
			out = append(out, float64(e))
		}
	}
	return out
}

// TestActivationGradientsFloat32 checks that every activation's backward
// graph also builds and runs in float32 (Keras's default dtype: every
// constant must be float32 there too) and agrees with float64.
func TestActivationGradientsFloat32(t *testing.T) {
	shape := []int{3, 4}
	rng := rand.New(rand.NewPCG(15, 16))
	xt := fdTensor(rng, -2.9, 2.9, shape...)
	fdAwayFromKinks(xt)
	x := xt.Data().([]float64)
	c := fdTensor(rng, -1, 1, shape...).Data().([]float64)
	for _, name := range activations.ActivationNames() {
		if name == "linear" {
			continue // no op: the gradient of x w.r.t. itself
		}
		f, _ := activations.GetActivation(name)
		want := fdGradOf(t, f, tensor.Float64, x, c, shape)
		got := fdGradOf(t, f, tensor.Float32, x, c, shape)
		for i := range want {
			if math.Abs(got[i]-want[i]) > 1e-5*math.Max(1, math.Abs(want[i])) {
				t.Errorf("%s: float32 gradient[%d] = %v, float64 %v", name, i, got[i], want[i])
			}
		}
	}
}
