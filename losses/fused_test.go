package losses

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gokeras/keras/activations"
	"github.com/gokeras/keras/internal/fused"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// lossAndGrad builds y_pred = act(z) (the activation of package
// activations, or fused's), the loss (Compute, or ComputeFused which
// must take it), and returns the loss and its gradient with respect to
// the logits z.
func lossAndGrad(t *testing.T, l Loss, act string, useFused bool, dt tensor.Dtype, shape []int, y, z []float64) (float64, []float64) {
	t.Helper()
	g := G.NewGraph()
	yt := G.NewTensor(g, dt, len(shape), G.WithShape(shape...), G.WithName("y_true"), G.WithValue(dense(dt, shape, y)))
	zn := G.NewTensor(g, dt, len(shape), G.WithShape(shape...), G.WithName("z"), G.WithValue(dense(dt, shape, z)))
	var p, cost *G.Node
	var err error
	if useFused {
		if act == "softmax" {
			p, err = fused.Softmax(zn)
		} else {
			p, err = fused.Sigmoid(zn)
		}
		if err != nil {
			t.Fatal(err)
		}
		var ok bool
		if cost, ok, err = ComputeFused(l, yt, p); err != nil || !ok {
			t.Fatalf("%s: ComputeFused: ok %v, %v", l.Name(), ok, err)
		}
	} else {
		f, err := activations.GetActivation(act)
		if err != nil {
			t.Fatal(err)
		}
		if p, err = f(zn); err != nil {
			t.Fatal(err)
		}
		if cost, err = l.Compute(yt, p); err != nil {
			t.Fatal(err)
		}
	}
	grads, err := G.Grad(cost, zn)
	if err != nil {
		t.Fatalf("%s: Grad: %v", l.Name(), err)
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatalf("%s: RunAll: %v", l.Name(), err)
	}
	return toFloat64(t, cost.Value().Data()), toFloats64(t, grads[0].Value().Data())
}

// kerasXent is Keras's cross-entropy on the probabilities of z in
// float64 loops (categorical: softmax, rows renormalised, clipped,
// -Σ t log p, mean over rows; binary: sigmoid, clipped, mean over all
// elements), the reference of the fused ops.
func kerasXent(act string, smoothing float64, y, z []float64, c int) float64 {
	const eps = 1e-7
	clip := func(p float64) float64 { return math.Min(math.Max(p, eps), 1-eps) }
	if act == "sigmoid" {
		s := 0.0
		for i, v := range z {
			p := clip(1 / (1 + math.Exp(-v)))
			t := y[i]*(1-smoothing) + smoothing/2
			s += t*math.Log(p) + (1-t)*math.Log(1-p)
		}
		return -s / float64(len(z))
	}
	s := 0.0
	for i := 0; i < len(z); i += c {
		m := math.Inf(-1)
		for _, v := range z[i : i+c] {
			m = math.Max(m, v)
		}
		sum := 0.0
		for _, v := range z[i : i+c] {
			sum += math.Exp(v - m)
		}
		for j, v := range z[i : i+c] {
			t := y[i+j]*(1-smoothing) + smoothing/float64(c)
			s += t * math.Log(clip(math.Exp(v-m)/sum))
		}
	}
	return -s / float64(len(z)/c)
}

// TestComputeFused checks the fused cross-entropies against the graph
// they replace (activation of package activations, then Compute): the
// loss and its gradient with respect to the logits agree to float32
// rounding (to 1e-12 in float64), on ordinary logits and on confident
// ones whose probabilities are clipped; and in float64 the fused
// gradient matches central finite differences of kerasXent.
func TestComputeFused(t *testing.T) {
	const rows, c = 6, 4
	shape := []int{rows, c}
	r := rand.New(rand.NewPCG(5, 6))
	onehot := make([]float64, rows*c)
	for i := 0; i < rows; i++ {
		onehot[i*c+r.IntN(c)] = 1
	}
	binary := make([]float64, rows*c)
	for i := range binary {
		binary[i] = float64(r.IntN(2))
	}
	for _, tc := range []struct {
		name      string
		l         Loss
		act       string
		smoothing float64
		y         []float64
	}{
		{"cce", CategoricalCrossentropy(), "softmax", 0, onehot},
		{"cce smoothed", CategoricalCrossentropy(LabelSmoothing(0.1)), "softmax", 0.1, onehot},
		{"sparse", SparseCategoricalCrossentropy(), "softmax", 0, onehot},
		{"bce", BinaryCrossentropy(), "sigmoid", 0, binary},
		{"bce smoothed", BinaryCrossentropy(LabelSmoothing(0.2)), "sigmoid", 0.2, binary},
	} {
		for _, scale := range []float64{2, 40} {
			z := randn(r, rows*c, scale)
			for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
				tol := 1e-12
				if dt == tensor.Float32 {
					tol = 2e-6
				}
				wantL, wantG := lossAndGrad(t, tc.l, tc.act, false, dt, shape, tc.y, z)
				gotL, gotG := lossAndGrad(t, tc.l, tc.act, true, dt, shape, tc.y, z)
				if math.Abs(gotL-wantL) > tol*math.Max(1, math.Abs(wantL)) {
					t.Errorf("%s scale %v %v: loss %.9g, graph %.9g", tc.name, scale, dt, gotL, wantL)
				}
				for i := range wantG {
					if math.Abs(gotG[i]-wantG[i]) > tol {
						t.Errorf("%s scale %v %v: dz[%d] %.9g, graph %.9g", tc.name, scale, dt, i, gotG[i], wantG[i])
					}
				}
				if dt != tensor.Float64 || scale > 2 {
					continue // finite differences step over the clip's edges
				}
				zz := append([]float64(nil), z...)
				num := numGradient(zz, func() float64 { return kerasXent(tc.act, tc.smoothing, tc.y, zz, c) })
				for i := range num {
					if math.Abs(gotG[i]-num[i]) > 1e-7 {
						t.Errorf("%s: dz[%d] %.9g, finite difference %.9g", tc.name, i, gotG[i], num[i])
					}
				}
				if ref := kerasXent(tc.act, tc.smoothing, tc.y, z, c); math.Abs(gotL-ref) > 1e-12 {
					t.Errorf("%s: loss %.15g, float64 loops %.15g", tc.name, gotL, ref)
				}
			}
		}
	}
}

// TestComputeFusedDeclines checks that ComputeFused adds nothing for a
// loss or a prediction outside the fused pattern.
func TestComputeFusedDeclines(t *testing.T) {
	g := G.NewGraph()
	shape := []int{2, 3}
	y := G.NewTensor(g, tensor.Float32, 2, G.WithShape(shape...), G.WithName("y"), G.WithValue(dense(tensor.Float32, shape, make([]float64, 6))))
	z := G.NewTensor(g, tensor.Float32, 2, G.WithShape(shape...), G.WithName("z"), G.WithValue(dense(tensor.Float32, shape, make([]float64, 6))))
	sm, err := fused.Softmax(z)
	if err != nil {
		t.Fatal(err)
	}
	sg, err := fused.Sigmoid(z)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := activations.Softmax(z)
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		l Loss
		p *G.Node
	}{
		"from logits":     {CategoricalCrossentropy(FromLogits(true)), sm},
		"bce from logits": {BinaryCrossentropy(FromLogits(true)), sg},
		"mse":             {MeanSquaredError(), sm},
		"cce on sigmoid":  {CategoricalCrossentropy(), sg},
		"bce on softmax":  {BinaryCrossentropy(), sm},
		"plain softmax":   {CategoricalCrossentropy(), plain},
		"logits":          {CategoricalCrossentropy(), z},
	} {
		n := g.AllNodes().Len()
		if loss, ok, err := ComputeFused(tc.l, y, tc.p); ok || err != nil || loss != nil {
			t.Errorf("%s: ComputeFused = %v, %v, %v; want nil, false, nil", name, loss, ok, err)
		}
		if g.AllNodes().Len() != n {
			t.Errorf("%s: ComputeFused added nodes", name)
		}
	}
}

func randn(r *rand.Rand, n int, scale float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = r.NormFloat64() * scale
	}
	return v
}

func numGradient(x []float64, f func() float64) []float64 {
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
