package layers_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/gokeras/keras/layers"
)

// Tests of the normalization, activation, reshaping and noise layers of
// issue 10. Every reference value is computed here in float64 from
// Keras 3's formulas (keras/src/layers/... and keras/src/backend/numpy),
// written as plain loops, or is a number printed in Keras's own
// docstrings (cited where used).

// sig checks the signatures issue 10 lists, exactly as written there.
var (
	_ func(...layers.Option) layers.Layer                   = layers.BatchNormalization
	_ func(...layers.Option) layers.Layer                   = layers.LayerNormalization
	_ func(float64) layers.Option                           = layers.Momentum
	_ func(float64) layers.Option                           = layers.Epsilon
	_ func(bool) layers.Option                              = layers.Center
	_ func(bool) layers.Option                              = layers.Scale
	_ func(...layers.Option) *layers.NormalizationLayer     = layers.Normalization
	_ func(*layers.NormalizationLayer, tensor.Tensor) error = (*layers.NormalizationLayer).Adapt
	_ func(...float64) layers.Option                        = layers.Mean
	_ func(...float64) layers.Option                        = layers.Variance
	_ func(bool) layers.Option                              = layers.Invert
	_ func(float64, ...layers.Option) layers.Layer          = layers.Rescaling
	_ func(float64) layers.Option                           = layers.Offset
	_ func(...layers.Option) layers.Layer                   = layers.ReLU
	_ func(...layers.Option) layers.Layer                   = layers.LeakyReLU
	_ func(...layers.Option) layers.Layer                   = layers.ELU
	_ func(...layers.Option) layers.Layer                   = layers.PReLU
	_ func(...layers.Option) layers.Layer                   = layers.Softmax
	_ func(float64) layers.Option                           = layers.MaxValue
	_ func(float64) layers.Option                           = layers.NegativeSlope
	_ func(float64) layers.Option                           = layers.Threshold
	_ func(float64) layers.Option                           = layers.Alpha
	_ func(...int) layers.Layer                             = layers.Permute
	_ func(int) layers.Layer                                = layers.RepeatVector
	_ func(float64) layers.Layer                            = layers.GaussianNoise
	_ func(float64) layers.Layer                            = layers.SpatialDropout2D
	_ layers.Layer                                          = layers.Normalization()
)

// run builds l for the sample shape of x (batch first), gives its weights
// the values ws (in Weights order; nil: keep), calls it in a float64
// graph and returns the output values, the output shape and the context.
// fill, when not nil, fills the feeds before the run.
func nlRun(t *testing.T, l layers.Layer, x *tensor.Dense, training bool, ws [][]float64, fill func(fs []layers.Feed)) ([]float64, []int, *nlCtx) {
	t.Helper()
	if l.Name() == "" {
		l.SetName(layers.SnakeCase(l.ClassName()))
	}
	sample := []int(x.Shape()[1:])
	if _, err := layers.BuildLayer(l, sample); err != nil {
		t.Fatal(err)
	}
	nlSetWeights(t, l, ws)
	g := G.NewGraph()
	ctx := layers.NewContext(g, training, x.Shape()[0], tensor.Float64)
	xn := fdNode(g, "x", x)
	y, err := l.Call(ctx, xn)
	if err != nil {
		t.Fatal(err)
	}
	if fill != nil {
		fill(ctx.Feeds())
	}
	vals := nlEval(t, g)
	return slices.Clone(nlFloats(vals[y])), slices.Clone([]int(y.Shape())), &nlCtx{ctx, vals}
}

// nlCtx is a layer call's context with the values of its graph's nodes.
type nlCtx struct {
	*layers.Context
	vals map[*G.Node]*tensor.Dense
}

// value returns the float64 values of n.
func (c *nlCtx) value(n *G.Node) []float64 { return nlFloats(c.vals[n]) }

// nlFloats returns the values of a float64 tensor, a scalar one too.
func nlFloats(t *tensor.Dense) []float64 {
	if v, ok := t.Data().(float64); ok {
		return []float64{v}
	}
	return t.Data().([]float64)
}

// nlEval computes every node of g by calling each op's Do in topological
// order, as the keras package's executor does. Gorgonia's TapeMachine is
// not used: its backward pass writes into a reshaped view of its input
// (measured: x reshaped, squared and summed doubles x on every run),
// which corrupts inputs and weights between the runs of a finite
// difference.
func nlEval(t *testing.T, g *G.ExprGraph) map[*G.Node]*tensor.Dense {
	t.Helper()
	sorted, err := G.Sort(g)
	if err != nil {
		t.Fatal(err)
	}
	vals := map[*G.Node]G.Value{}
	out := map[*G.Node]*tensor.Dense{}
	for i := len(sorted) - 1; i >= 0; i-- {
		n := sorted[i]
		var args []G.Value
		for it := g.From(n.ID()); it.Next(); {
			args = append(args, vals[it.Node().(*G.Node)])
		}
		if len(args) == 0 {
			vals[n] = n.Value()
		} else if vals[n], err = n.Op().Do(args...); err != nil {
			t.Fatalf("%v: %v", n, err)
		}
		switch v := vals[n].(type) {
		case *tensor.Dense:
			out[n] = v
		case *G.F64:
			out[n] = tensor.New(tensor.WithShape(), tensor.WithBacking([]float64{float64(*v)}))
		}
	}
	return out
}

// nlFDCheck compares G.Grad of the scalar loss with central differences
// for every node in wrt (float64 nodes holding *tensor.Dense values),
// with fdCheck's step and tolerances, evaluating with nlEval.
func nlFDCheck(t *testing.T, g *G.ExprGraph, loss *G.Node, wrt []*G.Node) {
	t.Helper()
	grads, err := G.Grad(loss, wrt...)
	if err != nil {
		t.Fatalf("G.Grad: %v", err)
	}
	value := func() float64 {
		v := nlEval(t, g)[loss]
		if v == nil {
			t.Fatal("loss has no value")
		}
		return nlFloats(v)[0]
	}
	vals := nlEval(t, g)
	for i, n := range wrt {
		analytic := slices.Clone(nlFloats(vals[grads[i]]))
		data := n.Value().Data().([]float64)
		bad := 0
		for k, x := range data {
			data[k] = x + fdStep
			fp := value()
			data[k] = x - fdStep
			fm := value()
			data[k] = x
			num := (fp - fm) / (2 * fdStep)
			a := analytic[k]
			if d := math.Abs(a - num); !(d <= fdAbsTol+fdRelTol*math.Max(math.Abs(a), math.Abs(num))) {
				if bad++; bad <= 5 {
					t.Errorf("%s[%d]: analytic %.12g, numeric %.12g", n.Name(), k, a, num)
				}
			}
		}
	}
}

// nlSetWeights gives l's weights float64 values: ws[i]; where ws is
// short or ws[i] is nil, a weight keeps the value it has (Adapt's) or
// gets its initializer's.
func nlSetWeights(t *testing.T, l layers.Layer, ws [][]float64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	for i, w := range l.Weights() {
		var v []float64
		if i < len(ws) && ws[i] != nil {
			v = slices.Clone(ws[i])
		} else if w.Value != nil {
			continue
		} else {
			v = w.Initializer.Initialize(rng, w.Shape)
		}
		if len(v) != max(nlNumel(w.Shape), 1) {
			t.Fatalf("weight %s: %d values for shape %v", w.Name, len(v), w.Shape)
		}
		w.Value = tensor.New(tensor.WithShape(w.Shape...), tensor.WithBacking(v))
	}
}

func nlNumel(s []int) int {
	n := 1
	for _, d := range s {
		n *= d
	}
	return n
}

func nlSeq(rng *rand.Rand, n int, lo, hi float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = lo + (hi-lo)*rng.Float64()
	}
	return v
}

func nlNear(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	bad := 0
	for i := range got {
		if d := math.Abs(got[i] - want[i]); !(d <= tol*math.Max(1, math.Abs(want[i]))) {
			if bad++; bad <= 5 {
				t.Errorf("%s[%d] = %.10g, want %.10g", what, i, got[i], want[i])
			}
		}
	}
}

// bnReference is Keras's batch normalization of x (flat, features
// along the last axis of size c): x*inv + (beta - mean*inv), inv =
// gamma/sqrt(var+eps), with mean and var given per feature.
func nlBatchNorm(x []float64, c int, mean, variance, gamma, beta []float64, eps float64) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		j := i % c
		inv := gamma[j] / math.Sqrt(variance[j]+eps)
		out[i] = v*inv + (beta[j] - mean[j]*inv)
	}
	return out
}

// batchMoments is the mean and biased variance per feature (last axis of
// size c) over every other axis.
func nlMoments(x []float64, c int) (mean, variance []float64) {
	mean, variance = make([]float64, c), make([]float64, c)
	n := float64(len(x) / c)
	for i, v := range x {
		mean[i%c] += v / n
	}
	for i, v := range x {
		d := v - mean[i%c]
		variance[i%c] += d * d / n
	}
	return mean, variance
}

func TestBatchNormalizationTraining(t *testing.T) {
	for _, shape := range [][]int{{6, 3}, {2, 3, 2, 4}, {1, 5, 5, 2}} {
		rng := rand.New(rand.NewPCG(3, uint64(len(shape))))
		c := shape[len(shape)-1]
		x := nlSeq(rng, nlNumel(shape), -3, 5)
		gamma, beta := nlSeq(rng, c, 0.5, 2), nlSeq(rng, c, -1, 1)
		mm, mv := nlSeq(rng, c, -1, 1), nlSeq(rng, c, 0.5, 2)
		l := layers.BatchNormalization()
		got, _, ctx := nlRun(t, l, tensorOf(x, shape...), true, [][]float64{gamma, beta, mm, mv}, nil)
		mean, variance := nlMoments(x, c)
		nlNear(t, "output", got, nlBatchNorm(x, c, mean, variance, gamma, beta, 1e-3), 1e-12)

		ups := ctx.Updates()
		if len(ups) != 2 || ups[0].Weight.Name != "moving_mean" || ups[1].Weight.Name != "moving_variance" {
			t.Fatalf("updates %v, want moving_mean and moving_variance", ups)
		}
		wantMean, wantVar := make([]float64, c), make([]float64, c)
		for j := range c {
			wantMean[j] = mm[j]*0.99 + mean[j]*(1-0.99)
			wantVar[j] = mv[j]*0.99 + variance[j]*(1-0.99)
		}
		nlNear(t, "new moving_mean", ctx.value(ups[0].Value), wantMean, 1e-12)
		nlNear(t, "new moving_variance", ctx.value(ups[1].Value), wantVar, 1e-12)
	}
}

func TestBatchNormalizationInferenceAndFrozen(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 5))
	shape := []int{4, 2, 3}
	x := nlSeq(rng, nlNumel(shape), -2, 2)
	gamma, beta, mm, mv := nlSeq(rng, 3, 0.5, 2), nlSeq(rng, 3, -1, 1), nlSeq(rng, 3, -1, 1), nlSeq(rng, 3, 0.5, 2)
	want := nlBatchNorm(x, 3, mm, mv, gamma, beta, 0.01)

	got, _, ctx := nlRun(t, layers.BatchNormalization(layers.Epsilon(0.01)), tensorOf(x, shape...), false, [][]float64{gamma, beta, mm, mv}, nil)
	nlNear(t, "inference", got, want, 1e-12)
	if n := len(ctx.Updates()); n != 0 {
		t.Errorf("inference graph has %d updates", n)
	}

	// Keras 3: a frozen BatchNormalization runs in inference mode, even in
	// a training graph, and updates nothing.
	frozen := layers.BatchNormalization(layers.Epsilon(0.01))
	frozen.SetTrainable(false)
	got, _, ctx = nlRun(t, frozen, tensorOf(x, shape...), true, [][]float64{gamma, beta, mm, mv}, nil)
	nlNear(t, "frozen", got, want, 1e-12)
	if n := len(ctx.Updates()); n != 0 {
		t.Errorf("frozen layer's training graph has %d updates", n)
	}
}

func TestBatchNormalizationOptions(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 7))
	x := nlSeq(rng, 5*3*4, -2, 2)
	// Axis 1 of samples (3, 4): features along the first sample axis.
	l := layers.BatchNormalization(layers.Axis(1), layers.Center(false), layers.Momentum(0.5))
	gamma, mm, mv := nlSeq(rng, 3, 0.5, 2), nlSeq(rng, 3, -1, 1), nlSeq(rng, 3, 0.5, 2)
	got, _, ctx := nlRun(t, l, tensorOf(x, 5, 3, 4), true, [][]float64{gamma, mm, mv}, nil)
	if ws := l.Weights(); len(ws) != 3 || ws[0].Name != "gamma" || ws[1].Name != "moving_mean" {
		t.Fatalf("weights %v, want gamma, moving_mean, moving_variance", ws)
	}
	// Transpose to features last for the reference.
	xt := make([]float64, len(x))
	for b := range 5 {
		for f := range 3 {
			for s := range 4 {
				xt[(b*4+s)*3+f] = x[(b*3+f)*4+s]
			}
		}
	}
	mean, variance := nlMoments(xt, 3)
	ref := nlBatchNorm(xt, 3, mean, variance, gamma, make([]float64, 3), 1e-3)
	want := make([]float64, len(x))
	for b := range 5 {
		for f := range 3 {
			for s := range 4 {
				want[(b*3+f)*4+s] = ref[(b*4+s)*3+f]
			}
		}
	}
	nlNear(t, "axis 1", got, want, 1e-12)
	wantMean := make([]float64, 3)
	for j := range 3 {
		wantMean[j] = mm[j]*0.5 + mean[j]*0.5
	}
	nlNear(t, "moving_mean, momentum 0.5", ctx.value(ctx.Updates()[0].Value), wantMean, 1e-12)

	if ws := layers.BatchNormalization(layers.Scale(false), layers.Center(false)); true {
		if _, err := ws.Build([]int{4}); err != nil {
			t.Fatal(err)
		}
		if n := len(ws.Weights()); n != 2 {
			t.Errorf("without scale and center: %d weights, want 2 moving statistics", n)
		}
		for _, w := range ws.Weights() {
			if !w.NonTrainable {
				t.Errorf("%s is trainable", w.Name)
			}
		}
	}
}

func TestLayerNormalization(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	// Per sample over the last axis.
	x := nlSeq(rng, 4*2*5, -3, 3)
	gamma, beta := nlSeq(rng, 5, 0.5, 2), nlSeq(rng, 5, -1, 1)
	got, _, _ := nlRun(t, layers.LayerNormalization(), tensorOf(x, 4, 2, 5), true, [][]float64{gamma, beta}, nil)
	want := make([]float64, len(x))
	for r := 0; r < len(x); r += 5 {
		m, v := 0.0, 0.0
		for _, a := range x[r : r+5] {
			m += a / 5
		}
		for _, a := range x[r : r+5] {
			v += (a - m) * (a - m) / 5
		}
		for j := range 5 {
			want[r+j] = (x[r+j]-m)/math.Sqrt(v+1e-3)*gamma[j] + beta[j]
		}
	}
	nlNear(t, "last axis", got, want, 1e-12)

	// Over the two sample axes of (3, 2), with epsilon 0.1.
	x = nlSeq(rng, 2*3*2, -3, 3)
	gamma, beta = nlSeq(rng, 6, 0.5, 2), nlSeq(rng, 6, -1, 1)
	l := layers.LayerNormalization(layers.Axes(1, 2), layers.Epsilon(0.1))
	got, _, _ = nlRun(t, l, tensorOf(x, 2, 3, 2), false, [][]float64{gamma, beta}, nil)
	if s := l.Weights()[0].Shape; !slices.Equal(s, []int{3, 2}) {
		t.Errorf("gamma shape %v, want (3, 2)", s)
	}
	want = make([]float64, len(x))
	for b := range 2 {
		row := x[b*6 : b*6+6]
		m, v := 0.0, 0.0
		for _, a := range row {
			m += a / 6
		}
		for _, a := range row {
			v += (a - m) * (a - m) / 6
		}
		for j := range 6 {
			want[b*6+j] = (row[j]-m)/math.Sqrt(v+0.1)*gamma[j] + beta[j]
		}
	}
	nlNear(t, "axes 1, 2", got, want, 1e-12)

	// Over axis 1 of (3, 2): each column of a sample.
	x = nlSeq(rng, 2*3*2, -3, 3)
	gamma, beta = nlSeq(rng, 3, 0.5, 2), nlSeq(rng, 3, -1, 1)
	got, _, _ = nlRun(t, layers.LayerNormalization(layers.Axis(1)), tensorOf(x, 2, 3, 2), false, [][]float64{gamma, beta}, nil)
	want = make([]float64, len(x))
	for b := range 2 {
		for col := range 2 {
			m, v := 0.0, 0.0
			for r := range 3 {
				m += x[b*6+r*2+col] / 3
			}
			for r := range 3 {
				d := x[b*6+r*2+col] - m
				v += d * d / 3
			}
			for r := range 3 {
				want[b*6+r*2+col] = (x[b*6+r*2+col]-m)/math.Sqrt(v+1e-3)*gamma[r] + beta[r]
			}
		}
	}
	nlNear(t, "axis 1", got, want, 1e-12)
}

func TestNormalizationAdapt(t *testing.T) {
	// Keras's docstring: adapt on [[0,7,4],[2,9,6],[0,7,4],[2,9,6]], then
	// [[0,7,4]] gives [-1,-1,-1]; with invert=True, [[1,2,3]] gives
	// [2,10,8].
	data := tensorOf([]float64{0, 7, 4, 2, 9, 6, 0, 7, 4, 2, 9, 6}, 4, 3)
	l := layers.Normalization()
	if err := l.Adapt(data); err != nil {
		t.Fatal(err)
	}
	got, _, _ := nlRun(t, l, tensorOf([]float64{0, 7, 4}, 1, 3), false, nil, nil)
	nlNear(t, "keras docstring", got, []float64{-1, -1, -1}, 1e-12)
	inv := layers.Normalization(layers.Invert(true))
	if err := inv.Adapt(data); err != nil {
		t.Fatal(err)
	}
	got, _, _ = nlRun(t, inv, tensorOf([]float64{1, 2, 3}, 1, 3), false, nil, nil)
	nlNear(t, "keras docstring, invert", got, []float64{2, 10, 8}, 1e-12)

	// Random data: weights mean and variance (population), and the output
	// (x - mean)/max(sqrt(var), 1e-7).
	rng := rand.New(rand.NewPCG(10, 11))
	x := nlSeq(rng, 50*4, -10, 30)
	l = layers.Normalization()
	if err := l.Adapt(tensorOf(x, 50, 4)); err != nil {
		t.Fatal(err)
	}
	ws := l.Weights()
	if len(ws) != 2 || ws[0].Name != "mean" || ws[1].Name != "variance" {
		t.Fatalf("weights %v, want mean, variance", ws)
	}
	for _, w := range ws {
		if !w.NonTrainable {
			t.Errorf("%s is trainable", w.Name)
		}
	}
	if !slices.Equal(ws[0].Shape, []int{4}) || !slices.Equal(ws[1].Shape, []int{4}) {
		t.Errorf("shapes %v %v, want (4,)", ws[0].Shape, ws[1].Shape)
	}
	mean, variance := nlMoments(x, 4)
	if ws[0].Value.Dtype() != tensor.Float32 {
		t.Errorf("adapted mean has dtype %v, want float32 (the model's default)", ws[0].Value.Dtype())
	}
	for j := range 4 {
		gm := float64(ws[0].Value.Data().([]float32)[j])
		gv := float64(ws[1].Value.Data().([]float32)[j])
		if math.Abs(gm-mean[j]) > 1e-5*math.Abs(mean[j])+1e-6 || math.Abs(gv-variance[j]) > 1e-5*variance[j] {
			t.Errorf("feature %d: mean %v variance %v, want %v %v", j, gm, gv, mean[j], variance[j])
		}
	}
	in := nlSeq(rng, 3*4, -10, 30)
	got, _, _ = nlRun(t, l, tensorOf(in, 3, 4), false, nil, nil)
	want := make([]float64, len(in))
	for i, v := range in {
		// The layer holds float32 statistics, as Keras's.
		m := float64(float32(mean[i%4]))
		s := math.Max(math.Sqrt(float64(float32(variance[i%4]))), 1e-7)
		want[i] = (v - m) / s
	}
	nlNear(t, "adapted", got, want, 1e-12)

	// A constant feature: variance 0, divided by Keras's epsilon 1e-7.
	c := layers.Normalization()
	if err := c.Adapt(tensorOf([]float64{1, 5, 2, 5, 3, 5}, 3, 2)); err != nil {
		t.Fatal(err)
	}
	got, _, _ = nlRun(t, c, tensorOf([]float64{2, 5.5}, 1, 2), false, nil, nil)
	nlNear(t, "zero variance", got, []float64{0, 0.5 / 1e-7}, 1e-6)
}

func TestNormalizationAxesAndImages(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 13))
	// Images (2, 2, 3): one mean per channel over samples, rows, columns.
	x := nlSeq(rng, 5*2*2*3, 0, 255)
	l := layers.Normalization()
	if err := l.Adapt(tensorOf(x, 5, 2, 2, 3)); err != nil {
		t.Fatal(err)
	}
	mean, variance := nlMoments(x, 3)
	got, _, _ := nlRun(t, l, tensorOf(x[:12], 1, 2, 2, 3), false, nil, nil)
	want := make([]float64, 12)
	for i := range want {
		want[i] = (x[i] - float64(float32(mean[i%3]))) / math.Sqrt(float64(float32(variance[i%3])))
	}
	nlNear(t, "per channel", got, want, 1e-9)

	// Axes(): Keras's axis=None, one mean and variance for everything.
	all := layers.Normalization(layers.Axes())
	if err := all.Adapt(tensorOf(x, 5, 12)); err != nil {
		t.Fatal(err)
	}
	if s := all.Weights()[0].Shape; !slices.Equal(s, []int{1}) {
		t.Errorf("axis None: mean shape %v, want (1,)", s)
	}
	m, v := nlMoments(x, 1)
	got, _, _ = nlRun(t, all, tensorOf(x[:12], 1, 12), false, nil, nil)
	for i := range want {
		want[i] = (x[i] - float64(float32(m[0]))) / math.Sqrt(float64(float32(v[0])))
	}
	nlNear(t, "axis None", got, want, 1e-9)

	// Axis 1 of (3, 2) samples: one mean per row index.
	y := nlSeq(rng, 4*3*2, -5, 5)
	rows := layers.Normalization(layers.Axis(1))
	if err := rows.Adapt(tensorOf(y, 4, 3, 2)); err != nil {
		t.Fatal(err)
	}
	rm := make([]float64, 3)
	rv := make([]float64, 3)
	for i, a := range y {
		rm[(i/2)%3] += a / 8
	}
	for i, a := range y {
		d := a - rm[(i/2)%3]
		rv[(i/2)%3] += d * d / 8
	}
	got, _, _ = nlRun(t, rows, tensorOf(y[:6], 1, 3, 2), false, nil, nil)
	for i := range 6 {
		want[i] = (y[i] - float64(float32(rm[i/2]))) / math.Sqrt(float64(float32(rv[i/2])))
	}
	nlNear(t, "axis 1", got, want[:6], 1e-9)
}

func TestNormalizationGiven(t *testing.T) {
	// Keras's docstring: mean=3, variance=2 on [[1],[2],[3]] gives
	// [-1.4142135, -0.70710677, 0].
	l := layers.Normalization(layers.Mean(3), layers.Variance(2))
	got, _, _ := nlRun(t, l, tensorOf([]float64{1, 2, 3}, 3, 1), false, nil, nil)
	nlNear(t, "keras docstring", got, []float64{-1.4142135, -0.70710677, 0}, 1e-7)
	if n := len(l.Weights()); n != 0 {
		t.Errorf("a layer given mean and variance has %d weights, want 0", n)
	}
	// Per feature, and inverted.
	l = layers.Normalization(layers.Mean(1, 2, 3), layers.Variance(4, 9, 16), layers.Invert(true))
	got, _, _ = nlRun(t, l, tensorOf([]float64{1, 1, 1, -1, 0, 2}, 2, 3), false, nil, nil)
	nlNear(t, "invert", got, []float64{3, 5, 7, -1, 2, 11}, 1e-12)
	if err := l.Adapt(tensorOf([]float64{1, 2, 3}, 1, 3)); err == nil {
		t.Error("Adapt on a layer given Mean and Variance: no error")
	}
	// A mean per feature that does not fit the input.
	bad := layers.Normalization(layers.Mean(1, 2), layers.Variance(1, 1))
	if _, err := layers.BuildLayer(bad, []int{3}); err == nil || !strings.Contains(err.Error(), "normalization") {
		t.Errorf("2 means for 3 features: error %v", err)
	}
}

func TestNormalizationErrors(t *testing.T) {
	l := layers.Normalization(layers.Name("norm"))
	cases := []struct {
		name string
		x    tensor.Tensor
		want string
	}{
		{"empty", tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(0, 3)), "empty"},
		{"nan", tensorOf([]float64{1, math.NaN(), 3, 4}, 2, 2), "NaN"},
		{"inf", tensorOf([]float64{1, math.Inf(1), 3, 4}, 2, 2), "Inf"},
		{"rank 1", tensorOf([]float64{1, 2, 3}, 3), "shape"},
	}
	for _, c := range cases {
		err := l.Adapt(c.x)
		if err == nil || !strings.Contains(err.Error(), "norm") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one naming the layer and %q", c.name, err, c.want)
		}
	}
	if l.Adapted() {
		t.Error("failed Adapts left the layer adapted")
	}
	// Used before Adapt: an error from Call naming the layer.
	if _, err := layers.BuildLayer(l, []int{3}); err != nil {
		t.Fatal(err)
	}
	nlSetWeights(t, l, nil)
	g := G.NewGraph()
	ctx := layers.NewContext(g, false, 2, tensor.Float64)
	_, err := l.Call(ctx, fdNode(g, "x", tensorOf(make([]float64, 6), 2, 3)))
	if !errors.Is(err, layers.ErrNotAdapted) || !strings.Contains(err.Error(), "norm") {
		t.Errorf("call before Adapt: error %v", err)
	}
	// Adapt on data of another feature count than the layer was built for.
	if err := l.Adapt(tensorOf([]float64{1, 2, 3, 4}, 2, 2)); err == nil || !strings.Contains(err.Error(), "norm") {
		t.Errorf("adapt with 2 features on a layer built for 3: error %v", err)
	}
	if err := l.Adapt(tensorOf([]float64{1, 2, 3, 4, 5, 6}, 2, 3)); err != nil {
		t.Fatal(err)
	}
	// The adapted values went into the tensors the model drew.
	if got := l.Weights()[0].Value.Data().([]float64); !slices.Equal(got, []float64{2.5, 3.5, 4.5}) {
		t.Errorf("mean after Adapt %v, want [2.5 3.5 4.5]", got)
	}
	// Adapted for 3 features, then built for 2.
	m := layers.Normalization()
	if err := m.Adapt(tensorOf([]float64{1, 2, 3, 4, 5, 6}, 2, 3)); err != nil {
		t.Fatal(err)
	}
	if _, err := layers.BuildLayer(m, []int{2}); err == nil || !strings.Contains(err.Error(), "normalization") {
		t.Errorf("adapted on 3 features, built for 2: error %v", err)
	}
	// Integer data adapts too.
	ints := layers.Normalization()
	if err := ints.Adapt(tensor.New(tensor.WithShape(2, 1), tensor.WithBacking([]int{1, 3}))); err != nil {
		t.Fatal(err)
	}
	if got := ints.Weights()[0].Value.Data().([]float32)[0]; got != 2 {
		t.Errorf("mean of ints [1 3] = %v, want 2", got)
	}
}

func TestActivationLayers(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 15))
	x := nlSeq(rng, 4*6, -8, 8)
	x = append(x, 0, 0.5, 6, -0.5, 2, -2, 7, 1) // edges: 0, the threshold, the cap
	shape := []int{4, 8}
	relu := func(slope, threshold float64, maxValue *float64) func(float64) float64 {
		return func(v float64) float64 {
			// Keras's ReLU, as its docstring states it.
			switch {
			case maxValue != nil && v >= *maxValue:
				return *maxValue
			case v > threshold:
				return v
			default:
				return slope * (v - threshold)
			}
		}
	}
	six, two := 6.0, 2.0
	cases := []struct {
		name string
		l    layers.Layer
		f    func(float64) float64
	}{
		{"relu", layers.ReLU(), relu(0, 0, nil)},
		{"relu_max6", layers.ReLU(layers.MaxValue(6)), relu(0, 0, &six)},
		{"relu_slope", layers.ReLU(layers.NegativeSlope(0.1)), relu(0.1, 0, nil)},
		{"relu_threshold", layers.ReLU(layers.Threshold(0.5)), relu(0, 0.5, nil)},
		{"relu_all", layers.ReLU(layers.MaxValue(2), layers.NegativeSlope(0.2), layers.Threshold(0.5)), relu(0.2, 0.5, &two)},
		{"leaky_relu", layers.LeakyReLU(), func(v float64) float64 { return math.Max(v, 0.3*v) }},
		{"leaky_relu_0.01", layers.LeakyReLU(layers.NegativeSlope(0.01)), func(v float64) float64 { return math.Max(v, 0.01*v) }},
		{"elu", layers.ELU(), func(v float64) float64 {
			if v >= 0 {
				return v
			}
			return math.Expm1(v)
		}},
		{"elu_0.5", layers.ELU(layers.Alpha(0.5)), func(v float64) float64 {
			if v >= 0 {
				return v
			}
			return 0.5 * math.Expm1(v)
		}},
		{"rescaling", layers.Rescaling(1.0 / 255), func(v float64) float64 { return v * (1.0 / 255) }},
		{"rescaling_offset", layers.Rescaling(1.0/127.5, layers.Offset(-1)), func(v float64) float64 { return v*(1.0/127.5) - 1 }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, s, _ := nlRun(t, c.l, tensorOf(x, shape...), true, nil, nil)
			if !slices.Equal(s, shape) {
				t.Errorf("shape %v, want %v", s, shape)
			}
			want := make([]float64, len(x))
			for i, v := range x {
				want[i] = c.f(v)
			}
			nlNear(t, c.name, got, want, 1e-14)
		})
	}
	// ELU does not overflow into NaN for large inputs.
	got, _, _ := nlRun(t, layers.ELU(), tensorOf([]float64{800, -800}, 1, 2), false, nil, nil)
	nlNear(t, "elu at ±800", got, []float64{800, -1}, 0)
}

func TestPReLU(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 17))
	x := nlSeq(rng, 3*2*2*3, -4, 4)
	prelu := func(v, a float64) float64 { return math.Max(v, 0) - a*math.Max(-v, 0) }
	// One slope per value of a sample.
	alpha := nlSeq(rng, 12, -0.5, 1)
	l := layers.PReLU()
	got, _, _ := nlRun(t, l, tensorOf(x, 3, 2, 2, 3), true, [][]float64{alpha}, nil)
	if s := l.Weights()[0].Shape; !slices.Equal(s, []int{2, 2, 3}) {
		t.Errorf("alpha shape %v, want (2, 2, 3)", s)
	}
	want := make([]float64, len(x))
	for i, v := range x {
		want[i] = prelu(v, alpha[i%12])
	}
	nlNear(t, "per value", got, want, 1e-14)
	// Shared over rows and columns: one slope per channel.
	alpha = nlSeq(rng, 3, -0.5, 1)
	l = layers.PReLU(layers.SharedAxes(1, 2))
	got, _, _ = nlRun(t, l, tensorOf(x, 3, 2, 2, 3), true, [][]float64{alpha}, nil)
	if s := l.Weights()[0].Shape; !slices.Equal(s, []int{1, 1, 3}) {
		t.Errorf("shared alpha shape %v, want (1, 1, 3)", s)
	}
	for i, v := range x {
		want[i] = prelu(v, alpha[i%3])
	}
	nlNear(t, "shared", got, want, 1e-14)
	// Keras's default: alpha starts at zero, so PReLU starts as ReLU.
	z := layers.PReLU()
	if _, err := z.Build([]int{4}); err != nil {
		t.Fatal(err)
	}
	if v := z.Weights()[0].Initializer.Initialize(rng, []int{4}); !slices.Equal(v, []float64{0, 0, 0, 0}) {
		t.Errorf("alpha starts at %v, want zeros", v)
	}
}

func TestSoftmaxPermuteRepeat(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 19))
	x := nlSeq(rng, 2*3*4, -3, 3)
	x[0] = 900 // a large first logit: Gorgonia's own SoftMax fails here
	softmax := func(v []float64) []float64 {
		m := slices.Max(v)
		out := make([]float64, len(v))
		s := 0.0
		for i, a := range v {
			out[i] = math.Exp(a - m)
			s += out[i]
		}
		for i := range out {
			out[i] /= s
		}
		return out
	}
	got, _, _ := nlRun(t, layers.Softmax(), tensorOf(x, 2, 3, 4), false, nil, nil)
	var want []float64
	for r := 0; r < len(x); r += 4 {
		want = append(want, softmax(x[r:r+4])...)
	}
	nlNear(t, "softmax last axis", got, want, 1e-14)
	got, _, _ = nlRun(t, layers.Softmax(layers.Axis(1)), tensorOf(x, 2, 3, 4), false, nil, nil)
	want = make([]float64, len(x))
	for b := range 2 {
		for col := range 4 {
			v := []float64{x[b*12+col], x[b*12+4+col], x[b*12+8+col]}
			s := softmax(v)
			for r := range 3 {
				want[b*12+r*4+col] = s[r]
			}
		}
	}
	nlNear(t, "softmax axis 1", got, want, 1e-14)

	// Permute(3, 1, 2) of (2, 3, 4) samples: out[i][j][k] = in[j][k][i].
	y := nlSeq(rng, 2*2*3*4, -1, 1)
	got, s, _ := nlRun(t, layers.Permute(3, 1, 2), tensorOf(y, 2, 2, 3, 4), false, nil, nil)
	if !slices.Equal(s, []int{2, 4, 2, 3}) {
		t.Fatalf("permuted shape %v, want (2, 4, 2, 3)", s)
	}
	want = make([]float64, len(y))
	for b := range 2 {
		for i := range 4 {
			for j := range 2 {
				for k := range 3 {
					want[b*24+(i*2+j)*3+k] = y[b*24+(j*3+k)*4+i]
				}
			}
		}
	}
	nlNear(t, "permute", got, want, 0)

	// RepeatVector(3) of (2,) samples.
	got, s, _ = nlRun(t, layers.RepeatVector(3), tensorOf([]float64{1, 2, 3, 4}, 2, 2), false, nil, nil)
	if !slices.Equal(s, []int{2, 3, 2}) {
		t.Fatalf("repeated shape %v, want (2, 3, 2)", s)
	}
	nlNear(t, "repeat", got, []float64{1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4}, 0)
}

func TestNoiseLayers(t *testing.T) {
	rng := rand.New(rand.NewPCG(20, 21))
	x := nlSeq(rng, 4*3*3*5, -1, 1)
	shape := []int{4, 3, 3, 5}
	for _, l := range []layers.Layer{layers.GaussianNoise(0.5), layers.SpatialDropout2D(0.4)} {
		got, _, ctx := nlRun(t, l, tensorOf(x, shape...), false, nil, nil)
		nlNear(t, l.ClassName()+" inference", got, x, 0)
		if len(ctx.Feeds()) != 0 {
			t.Errorf("%s: inference graph asks for feeds", l.ClassName())
		}
	}

	// GaussianNoise: x + a feed drawn from N(0, 0.5²).
	var noise []float64
	got, _, _ := nlRun(t, layers.GaussianNoise(0.5), tensorOf(x, shape...), true, nil, func(fs []layers.Feed) {
		if len(fs) != 1 {
			t.Fatalf("%d feeds, want 1", len(fs))
		}
		fs[0].Fill(rand.New(rand.NewPCG(1, 1)), fs[0].Value)
		noise = slices.Clone(fs[0].Value.Data().([]float64))
	})
	want := make([]float64, len(x))
	var sum, sq float64
	for i := range x {
		want[i] = x[i] + noise[i]
		sum += noise[i]
		sq += noise[i] * noise[i]
	}
	nlNear(t, "gaussian noise", got, want, 0)
	n := float64(len(noise))
	if m, sd := sum/n, math.Sqrt(sq/n-(sum/n)*(sum/n)); math.Abs(m) > 0.15 || math.Abs(sd-0.5) > 0.1 {
		t.Errorf("noise mean %v stddev %v, want about 0 and 0.5", m, sd)
	}

	// SpatialDropout2D: a (batch, 1, 1, channels) mask of 0 and 1/(1-rate).
	var mask []float64
	got, _, _ = nlRun(t, layers.SpatialDropout2D(0.4), tensorOf(x, shape...), true, nil, func(fs []layers.Feed) {
		if len(fs) != 1 || !slices.Equal([]int(fs[0].Value.Shape()), []int{4, 1, 1, 5}) {
			t.Fatalf("feeds %v, want one mask of shape (4, 1, 1, 5)", fs)
		}
		fs[0].Fill(rand.New(rand.NewPCG(2, 2)), fs[0].Value)
		mask = slices.Clone(fs[0].Value.Data().([]float64))
	})
	zeros := 0
	for _, m := range mask {
		switch m {
		case 0:
			zeros++
		case 1 / (1 - 0.4):
		default:
			t.Fatalf("mask value %v, want 0 or %v", m, 1/(1-0.4))
		}
	}
	if zeros == 0 || zeros == len(mask) {
		t.Errorf("mask %v: want some channels dropped and some kept", mask)
	}
	for i, v := range x {
		b, c := i/45, i%5
		want[i] = v * mask[b*5+c]
	}
	nlNear(t, "spatial dropout", got, want, 0)
}

// TestNormLayerGradients checks every weight's and the input's gradient
// against central differences.
func TestNormLayerGradients(t *testing.T) {
	const batch = 4
	cases := []struct {
		name     string
		layer    func() layers.Layer
		sample   []int
		training bool
		away     []float64 // kinks to keep inputs away from
	}{
		{"batch_norm_train", func() layers.Layer { return layers.BatchNormalization() }, []int{3}, true, nil},
		{"batch_norm_train_images", func() layers.Layer { return layers.BatchNormalization() }, []int{2, 2, 3}, true, nil},
		{"batch_norm_train_axis1", func() layers.Layer { return layers.BatchNormalization(layers.Axis(1)) }, []int{3, 2}, true, nil},
		{"batch_norm_inference", func() layers.Layer { return layers.BatchNormalization() }, []int{2, 3}, false, nil},
		{"batch_norm_regularized", func() layers.Layer {
			return layers.BatchNormalization(layers.GammaRegularizer(layers.L2(0.1)), layers.BetaRegularizer(layers.L1(0.1)))
		}, []int{3}, true, []float64{0}},
		{"layer_norm", func() layers.Layer { return layers.LayerNormalization() }, []int{2, 4}, true, nil},
		{"layer_norm_axes", func() layers.Layer { return layers.LayerNormalization(layers.Axes(1, 2)) }, []int{2, 3}, true, nil},
		{"layer_norm_axis1", func() layers.Layer { return layers.LayerNormalization(layers.Axis(1)) }, []int{3, 2}, true, nil},
		{"normalization", func() layers.Layer { return layers.Normalization(layers.Mean(1, -2, 0.5), layers.Variance(2, 0.5, 3)) }, []int{3}, true, nil},
		{"normalization_invert", func() layers.Layer {
			return layers.Normalization(layers.Mean(1, -2, 0.5), layers.Variance(2, 0.5, 3), layers.Invert(true))
		}, []int{2, 3}, true, nil},
		{"rescaling", func() layers.Layer { return layers.Rescaling(0.5, layers.Offset(1)) }, []int{5}, true, nil},
		{"relu", func() layers.Layer { return layers.ReLU() }, []int{5}, true, []float64{0}},
		{"relu_all", func() layers.Layer {
			return layers.ReLU(layers.MaxValue(1.5), layers.NegativeSlope(0.2), layers.Threshold(0.5))
		}, []int{6}, true, []float64{0.5, 1.5}},
		{"relu_slope", func() layers.Layer { return layers.ReLU(layers.NegativeSlope(0.1)) }, []int{6}, true, []float64{0}},
		{"leaky_relu", func() layers.Layer { return layers.LeakyReLU() }, []int{6}, true, []float64{0}},
		{"elu", func() layers.Layer { return layers.ELU(layers.Alpha(0.7)) }, []int{6}, true, []float64{0}},
		{"prelu", func() layers.Layer { return layers.PReLU() }, []int{2, 3}, true, []float64{0}},
		{"prelu_shared", func() layers.Layer { return layers.PReLU(layers.SharedAxes(1)) }, []int{2, 3}, true, []float64{0}},
		{"softmax", func() layers.Layer { return layers.Softmax() }, []int{4}, true, nil},
		{"softmax_axis1", func() layers.Layer { return layers.Softmax(layers.Axis(1)) }, []int{3, 2}, true, nil},
		{"permute", func() layers.Layer { return layers.Permute(2, 1) }, []int{2, 3}, true, nil},
		{"repeat_vector", func() layers.Layer { return layers.RepeatVector(3) }, []int{4}, true, nil},
		{"gaussian_noise", func() layers.Layer { return layers.GaussianNoise(0.3) }, []int{5}, true, nil},
		{"spatial_dropout2d", func() layers.Layer { return layers.SpatialDropout2D(0.5) }, []int{2, 2, 3}, true, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(22, 23))
			l := tc.layer()
			l.SetName(tc.name)
			if _, err := layers.BuildLayer(l, tc.sample); err != nil {
				t.Fatal(err)
			}
			var ws [][]float64
			for _, w := range l.Weights() {
				lo, hi := -1.0, 1.0
				if w.Name == "moving_variance" || w.Name == "gamma" {
					lo, hi = 0.5, 2
				}
				ws = append(ws, nlSeq(rng, max(nlNumel(w.Shape), 1), lo, hi))
			}
			nlSetWeights(t, l, ws)
			g := G.NewGraph()
			ctx := layers.NewContext(g, tc.training, batch, tensor.Float64)
			xt := fdTensor(rng, -2, 2, append([]int{batch}, tc.sample...)...)
			for i, v := range xt.Data().([]float64) {
				for _, k := range tc.away {
					if math.Abs(v-k) < 0.05 {
						xt.Data().([]float64)[i] = k + math.Copysign(0.05, v-k) + (v - k)
					}
				}
			}
			x := fdNode(g, "x", xt)
			y, err := l.Call(ctx, x)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range ctx.Feeds() {
				f.Fill(rand.New(rand.NewPCG(3, 4)), f.Value)
			}
			loss, err := fdWeightedSum(g, rng, y)
			if err != nil {
				t.Fatal(err)
			}
			extra, err := ctx.Losses()
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(tc.name, "regularized") && len(extra) != 2 {
				t.Fatalf("%d regularization terms, want 2", len(extra))
			}
			for _, e := range extra {
				if loss, err = G.Add(loss, e); err != nil {
					t.Fatal(err)
				}
			}
			// Every weight that the output depends on: the moving statistics
			// only feed the updates in a training graph.
			wrt := []*G.Node{x}
			used, nodes := ctx.Params()
			for i, w := range used {
				if tc.training && strings.HasPrefix(w.Name, "moving_") {
					continue
				}
				wrt = append(wrt, nodes[i])
			}
			if want := len(l.Weights()); tc.name == "batch_norm_inference" && len(wrt) != want+1 {
				t.Fatalf("checking %d nodes, want the input and %d weights", len(wrt), want)
			}
			nlFDCheck(t, g, loss, wrt)
		})
	}
}

// roundTrip passes l's config through JSON and FromConfig and returns
// the rebuilt layer.
func nlRoundTrip(t *testing.T, l layers.Layer) layers.Layer {
	t.Helper()
	b, err := json.Marshal(l.Config())
	if err != nil {
		t.Fatal(err)
	}
	var cfg map[string]any
	if err := json.Unmarshal(b, &cfg); err != nil {
		t.Fatal(err)
	}
	r, err := layers.FromConfig(l.ClassName(), cfg)
	if err != nil {
		t.Fatalf("FromConfig(%s, %s): %v", l.ClassName(), b, err)
	}
	return r
}

func TestNormLayerConfigs(t *testing.T) {
	ls := []layers.Layer{
		layers.BatchNormalization(layers.Name("bn"), layers.Momentum(0.9), layers.Epsilon(1e-5), layers.Center(false),
			layers.GammaInitializer(layers.RandomNormal(1, 0.1)), layers.GammaRegularizer(layers.L2(0.01)), layers.Axis(1)),
		layers.BatchNormalization(),
		layers.LayerNormalization(layers.Epsilon(1e-6), layers.Scale(false)),
		layers.LayerNormalization(layers.Axes(-2, -1)),
		layers.Normalization(),
		layers.Normalization(layers.Axes()),
		layers.Normalization(layers.Mean(1, 2), layers.Variance(3, 4), layers.Invert(true), layers.Axis(2)),
		layers.Normalization(layers.Mean(1), layers.Variance(3)),
		layers.Rescaling(1.0/255, layers.Offset(0.5)),
		layers.ReLU(),
		layers.ReLU(layers.MaxValue(6), layers.NegativeSlope(0.1), layers.Threshold(0.2)),
		layers.LeakyReLU(),
		layers.LeakyReLU(layers.NegativeSlope(0.05)),
		layers.ELU(layers.Alpha(0.4)),
		layers.PReLU(layers.SharedAxes(1, 2), layers.AlphaInitializer(layers.Constant(0.25)), layers.AlphaRegularizer("l2")),
		layers.Softmax(layers.Axis(1)),
		layers.Permute(2, 3, 1),
		layers.RepeatVector(7),
		layers.GaussianNoise(0.2),
		layers.SpatialDropout2D(0.3),
	}
	for _, l := range ls {
		t.Run(l.ClassName(), func(t *testing.T) {
			r := nlRoundTrip(t, l)
			// Initializers and regularizers given by name come back in
			// their {"class_name", "config"} form, as Dense's do; every
			// other key comes back as it was, and a second trip changes
			// nothing.
			a, b := l.Config(), r.Config()
			for k, v := range a {
				if strings.HasSuffix(k, "_initializer") || strings.HasSuffix(k, "_regularizer") {
					if _, isName := v.(string); isName {
						continue
					}
				}
				if nlJSON(t, v) != nlJSON(t, b[k]) {
					t.Errorf("%s: %s, came back %s", k, nlJSON(t, v), nlJSON(t, b[k]))
				}
			}
			if len(a) != len(b) {
				t.Errorf("config keys %d, came back %d", len(a), len(b))
			}
			if again := nlRoundTrip(t, r).Config(); !reflect.DeepEqual(nlJSON(t, again), nlJSON(t, b)) {
				t.Errorf("second round trip changed the config:\n%s\n%s", nlJSON(t, b), nlJSON(t, again))
			}
			if r.ClassName() != l.ClassName() {
				t.Errorf("class %s, want %s", r.ClassName(), l.ClassName())
			}
		})
	}
	// Keras 3's own config forms.
	keras := []struct {
		class string
		cfg   string
	}{
		{"BatchNormalization", `{"name":"batch_normalization","trainable":true,"dtype":"float32","axis":-1,"momentum":0.99,"epsilon":0.001,"center":true,"scale":true,"beta_initializer":{"module":"keras.initializers","class_name":"Zeros","config":{},"registered_name":null},"gamma_initializer":{"module":"keras.initializers","class_name":"Ones","config":{},"registered_name":null},"moving_mean_initializer":{"module":"keras.initializers","class_name":"Zeros","config":{},"registered_name":null},"moving_variance_initializer":{"module":"keras.initializers","class_name":"Ones","config":{},"registered_name":null},"beta_regularizer":null,"gamma_regularizer":null,"beta_constraint":null,"gamma_constraint":null,"synchronized":false}`},
		{"LayerNormalization", `{"name":"ln","axis":[1],"epsilon":0.001,"center":true,"scale":true,"rms_scaling":false}`},
		{"Normalization", `{"name":"normalization","trainable":true,"dtype":"float32","axis":[-1],"invert":false,"mean":null,"variance":null}`},
		{"Normalization", `{"name":"n2","axis":null,"mean":3.0,"variance":2.0}`},
		{"Rescaling", `{"name":"rescaling","scale":0.00392156862745098,"offset":0.0}`},
		{"ReLU", `{"name":"re_lu","max_value":null,"negative_slope":0.0,"threshold":0.0}`},
		{"LeakyReLU", `{"name":"leaky_re_lu","negative_slope":0.3}`},
		{"LeakyReLU", `{"name":"leaky_re_lu_1","alpha":0.2}`},
		{"ELU", `{"name":"elu"}`},
		{"PReLU", `{"name":"p_re_lu","alpha_initializer":{"module":"keras.initializers","class_name":"Zeros","config":{}},"alpha_regularizer":null,"alpha_constraint":null,"shared_axes":null}`},
		{"Softmax", `{"name":"softmax","axis":-1}`},
		{"Permute", `{"name":"permute","dims":[2,1]}`},
		{"RepeatVector", `{"name":"repeat_vector","n":3}`},
		{"GaussianNoise", `{"name":"gaussian_noise","stddev":0.1,"seed":null}`},
		{"SpatialDropout2D", `{"name":"spatial_dropout2d","rate":0.2,"seed":null,"data_format":"channels_last"}`},
	}
	for _, k := range keras {
		var cfg map[string]any
		if err := json.Unmarshal([]byte(k.cfg), &cfg); err != nil {
			t.Fatal(err)
		}
		if _, err := layers.FromConfig(k.class, cfg); err != nil {
			t.Errorf("%s %s: %v", k.class, k.cfg, err)
		}
	}
}

func nlJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestNormLayerConfigErrors(t *testing.T) {
	bad := []struct {
		class string
		cfg   string
	}{
		{"BatchNormalization", `{"axis":0}`},
		{"BatchNormalization", `{"momentum":1.5}`},
		{"BatchNormalization", `{"epsilon":-1}`},
		{"BatchNormalization", `{"center":"yes"}`},
		{"BatchNormalization", `{"renorm":true}`},
		{"BatchNormalization", `{"gamma_initializer":"no_such"}`},
		{"LayerNormalization", `{"axis":[]}`},
		{"LayerNormalization", `{"epsilon":"small"}`},
		{"Normalization", `{"mean":[1,2]}`},
		{"Normalization", `{"mean":[1,2],"variance":[1]}`},
		{"Normalization", `{"mean":[1],"variance":[-1]}`},
		{"Normalization", `{"axis":[0]}`},
		{"Rescaling", `{}`},
		{"Rescaling", `{"scale":[1,2,3]}`},
		{"ReLU", `{"max_value":-1}`},
		{"ReLU", `{"negative_slope":-0.1}`},
		{"ReLU", `{"threshold":-2}`},
		{"LeakyReLU", `{"negative_slope":-1}`},
		{"ELU", `{"alpha":"x"}`},
		{"PReLU", `{"shared_axes":[0]}`},
		{"Softmax", `{"axis":0}`},
		{"Softmax", `{"axis":[1,2]}`},
		{"Permute", `{"dims":[1,3]}`},
		{"Permute", `{}`},
		{"RepeatVector", `{"n":0}`},
		{"RepeatVector", `{"n":2.5}`},
		{"GaussianNoise", `{"stddev":-0.1}`},
		{"GaussianNoise", `{}`},
		{"SpatialDropout2D", `{"rate":1}`},
		{"SpatialDropout2D", `{"rate":0.5,"data_format":"channels_first"}`},
	}
	for _, b := range bad {
		var cfg map[string]any
		if err := json.Unmarshal([]byte(b.cfg), &cfg); err != nil {
			t.Fatal(err)
		}
		if l, err := layers.FromConfig(b.class, cfg); err == nil {
			t.Errorf("%s %s: no error, got %v", b.class, b.cfg, l.Config())
		}
	}
}

func TestNormLayerPanics(t *testing.T) {
	cases := map[string]func(){
		"bn axis 0":         func() { layers.BatchNormalization(layers.Axis(0)) },
		"bn momentum":       func() { layers.BatchNormalization(layers.Momentum(-0.1)) },
		"ln epsilon":        func() { layers.LayerNormalization(layers.Epsilon(-1)) },
		"norm mean only":    func() { layers.Normalization(layers.Mean(1)) },
		"norm lengths":      func() { layers.Normalization(layers.Mean(1, 2), layers.Variance(1)) },
		"norm negative var": func() { layers.Normalization(layers.Mean(1), layers.Variance(-1)) },
		"rescaling nan":     func() { layers.Rescaling(math.NaN()) },
		"relu max":          func() { layers.ReLU(layers.MaxValue(-1)) },
		"leaky slope":       func() { layers.LeakyReLU(layers.NegativeSlope(-0.3)) },
		"prelu axis":        func() { layers.PReLU(layers.SharedAxes(0)) },
		"softmax axis 0":    func() { layers.Softmax(layers.Axis(0)) },
		"permute":           func() { layers.Permute(1, 1) },
		"permute none":      func() { layers.Permute() },
		"repeat":            func() { layers.RepeatVector(0) },
		"noise":             func() { layers.GaussianNoise(-1) },
		"spatial dropout":   func() { layers.SpatialDropout2D(1) },
	}
	for name, f := range cases {
		if r := panicOf(f); r == nil {
			t.Errorf("%s: no panic", name)
		} else if !strings.Contains(fmt.Sprint(r), "layers.") {
			t.Errorf("%s: panic %v does not name the constructor", name, r)
		}
	}
}

func TestNormLayerShapeErrors(t *testing.T) {
	cases := []struct {
		l    layers.Layer
		in   []int
		want string
	}{
		{layers.SpatialDropout2D(0.5), []int{784}, "sd: expected input of rank 3 (height, width, channels), got (784,)"},
		{layers.RepeatVector(2), []int{3, 4}, "sd: expected input of rank 1 (features,), got (3, 4)"},
		{layers.Permute(2, 1), []int{3}, "sd: dims [2 1] need an input of rank 2, got (3,)"},
		{layers.BatchNormalization(layers.Axis(3)), []int{4}, "sd: axis 3 is out of range for input of shape (4,)"},
		{layers.LayerNormalization(layers.Axis(-3)), []int{4, 2}, "sd: axis -3 is out of range"},
		{layers.Softmax(layers.Axis(2)), []int{4}, "sd: axis 2 is out of range"},
		{layers.PReLU(layers.SharedAxes(2)), []int{4}, "sd: shared axis 2 is out of range"},
		{layers.Normalization(layers.Axis(2)), []int{4}, "sd: axis 2 is out of range"},
	}
	for _, c := range cases {
		c.l.SetName("sd")
		_, err := layers.BuildLayer(c.l, c.in)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s on %v: error %v, want %q", c.l.ClassName(), c.in, err, c.want)
		}
	}
}

// TestBatchNormalizationMask checks Keras's masked moments: with a
// (batch, steps) mask, the batch statistics count only the steps that
// are kept, over their number plus Keras's epsilon 1e-7.
func TestBatchNormalizationMask(t *testing.T) {
	rng := rand.New(rand.NewPCG(40, 41))
	const b, s, c = 2, 3, 2
	x := nlSeq(rng, b*s*c, -2, 2)
	mask := []float64{1, 1, 0, 1, 0, 0}
	l := layers.BatchNormalization(layers.Name("bn"))
	if _, err := layers.BuildLayer(l, []int{s, c}); err != nil {
		t.Fatal(err)
	}
	gamma, beta, mm, mv := nlSeq(rng, c, 0.5, 2), nlSeq(rng, c, -1, 1), nlSeq(rng, c, -1, 1), nlSeq(rng, c, 0.5, 2)
	nlSetWeights(t, l, [][]float64{gamma, beta, mm, mv})
	g := G.NewGraph()
	ctx := layers.NewContext(g, true, b, tensor.Float64)
	ctx.BeginCall(l, fdNode(g, "mask", tensorOf(mask, b, s)))
	y, err := l.Call(ctx, fdNode(g, "x", tensorOf(x, b, s, c)))
	if err != nil {
		t.Fatal(err)
	}
	if ctx.OutputMask() == nil {
		t.Error("BatchNormalization dropped the mask")
	}
	vals := nlEval(t, g)
	mean, variance := make([]float64, c), make([]float64, c)
	kept := 0.0
	for _, m := range mask {
		kept += m
	}
	for i, v := range x {
		mean[i%c] += mask[i/c] * v / (kept + 1e-7)
	}
	for i, v := range x {
		d := mask[i/c] * (v - mean[i%c])
		variance[i%c] += d * d / (kept + 1e-7)
	}
	nlNear(t, "masked", nlFloats(vals[y]), nlBatchNorm(x, c, mean, variance, gamma, beta, 1e-3), 1e-12)
	want := make([]float64, c)
	for j := range c {
		want[j] = mm[j]*0.99 + mean[j]*0.01
	}
	nlNear(t, "masked moving_mean", nlFloats(vals[ctx.Updates()[0].Value]), want, 1e-12)
}
