package optimizers

import (
	"fmt"
	"math"
	"testing"

	"gorgonia.org/tensor"
)

// This file holds the test harness shared by the optimizers' tests: an
// independent, straightforward float64 re-implementation of Keras 3's
// optimizer step (clip, weight decay, rule; keras/src/optimizers/
// base_optimizer.py and each optimizer's update_step, as documented in
// REFERENCE.md and the Keras docstrings), and a runner that checks an
// Optimizer against it step by step.

// refRule is one optimizer's update rule in float64, with its own state.
type refRule interface {
	// update updates parameter i at 1-based step t.
	update(i, t int, lr float64, w, g []float64)
}

// refStepper is implemented by rules with per-step state (Nadam).
type refStepper interface{ begin(t int) }

// refOpt is the reference optimizer: Keras's apply with clipping and
// weight decay around a refRule.
type refOpt struct {
	lr                                float64
	sched                             func(step int) float64
	wd, clipNorm, clipValue, globClip float64 // 0: off
	rule                              refRule
	t                                 int
}

func (r *refOpt) step(ws, gs [][]float64) {
	lr := r.lr
	if r.sched != nil {
		lr = r.sched(r.t)
	}
	r.t++
	// Clipping, on copies (keras base_optimizer._clip_gradients).
	cg := make([][]float64, len(gs))
	var total float64
	for i, g := range gs {
		cg[i] = append([]float64(nil), g...)
		for _, x := range g {
			total += x * x
		}
	}
	for _, g := range cg {
		switch {
		case r.clipNorm > 0:
			var s float64
			for _, x := range g {
				s += x * x
			}
			n := math.Sqrt(s)
			for j := range g {
				g[j] = g[j] * r.clipNorm / math.Max(n, r.clipNorm)
			}
		case r.globClip > 0:
			n := math.Sqrt(total)
			for j := range g {
				g[j] *= r.globClip * math.Min(1/n, 1/r.globClip)
			}
		case r.clipValue > 0:
			for j := range g {
				g[j] = math.Max(-r.clipValue, math.Min(r.clipValue, g[j]))
			}
		}
	}
	// Weight decay before the update (keras _apply_weight_decay).
	if r.wd > 0 {
		for _, w := range ws {
			for j := range w {
				w[j] -= w[j] * r.wd * lr
			}
		}
	}
	if s, ok := r.rule.(refStepper); ok {
		s.begin(r.t)
	}
	for i := range ws {
		r.rule.update(i, r.t, lr, ws[i], cg[i])
	}
}

// trajCase is one optimizer configuration checked against its reference.
type trajCase struct {
	name string
	opt  func() Optimizer
	ref  func() *refOpt
}

// newDense makes a tensor of dtype dt holding vals.
func newDense(dt tensor.Dtype, shape []int, vals []float64) *tensor.Dense {
	if dt == tensor.Float32 {
		v := make([]float32, len(vals))
		for i, x := range vals {
			v[i] = float32(x)
		}
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(v))
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float64(nil), vals...)))
}

// values returns t's data as float64.
func values(t *tensor.Dense) []float64 {
	switch d := t.Data().(type) {
	case []float32:
		out := make([]float64, len(d))
		for i, x := range d {
			out[i] = float64(x)
		}
		return out
	case []float64:
		return append([]float64(nil), d...)
	}
	panic(fmt.Sprintf("values: dtype %v", t.Dtype()))
}

// testShapes are the parameter shapes of the trajectory tests.
var testShapes = [][]int{{2, 3}, {4}}

func initialParams(i, n int) []float64 {
	w := make([]float64, n)
	for j := range w {
		w[j] = 0.5 + 0.1*float64(j) - 0.3*float64(i)
		if j%2 == 1 {
			w[j] = -w[j]
		}
	}
	return w
}

// testGrad is the gradient of parameter i at step t: a fixed function of
// the indices, rounded to float32 so that float32 and float64 runs and
// the reference all see the same numbers. It changes sign and size from
// step to step and includes larger values so that clipping acts.
func testGrad(i, t, n int) []float64 {
	g := make([]float64, n)
	for j := range g {
		g[j] = float64(float32(1.5 * math.Sin(0.9*float64(j)+1.7*float64(t)+0.3*float64(i)) * (1 + float64(j%3))))
	}
	return g
}

// runTrajectory applies steps steps with opt and with ref to the same
// parameters and gradients, and checks the parameters after each step
// to 1e-5 (relative to max(1, |want|)).
func runTrajectory(t *testing.T, tc trajCase, dt tensor.Dtype, steps int) {
	t.Helper()
	opt, ref := tc.opt(), tc.ref()
	var params []*tensor.Dense
	var ws [][]float64
	for i, sh := range testShapes {
		n := sh[0]
		if len(sh) == 2 {
			n *= sh[1]
		}
		w := initialParams(i, n)
		params = append(params, newDense(dt, sh, w))
		ws = append(ws, values(newDense(dt, sh, w))) // rounded to dt like the param
	}
	for s := 0; s < steps; s++ {
		var grads []*tensor.Dense
		var gs [][]float64
		for i, sh := range testShapes {
			g := testGrad(i, s, len(ws[i]))
			grads = append(grads, newDense(dt, sh, g))
			gs = append(gs, g)
		}
		if err := opt.Apply(params, grads); err != nil {
			t.Fatalf("%s %v step %d: %v", tc.name, dt, s+1, err)
		}
		ref.step(ws, gs)
		for i, p := range params {
			assertClose(t, fmt.Sprintf("%s %v step %d param %d", tc.name, dt, s+1, i), values(p), ws[i], 1e-5)
		}
	}
	if got := opt.Iterations(); got != int64(steps) {
		t.Errorf("%s: Iterations() = %d, want %d", tc.name, got, steps)
	}
}

// runTrajectories runs every case for float32 and float64, one step and
// eight steps.
func runTrajectories(t *testing.T, cases []trajCase) {
	for _, tc := range cases {
		for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
			for _, steps := range []int{1, 8} {
				t.Run(fmt.Sprintf("%s/%v/%d", tc.name, dt, steps), func(t *testing.T) {
					runTrajectory(t, tc, dt, steps)
				})
			}
		}
	}
}

func assertClose(t *testing.T, what string, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %d values, want %d", what, len(got), len(want))
	}
	for j := range got {
		if d := math.Abs(got[j] - want[j]); !(d <= tol*math.Max(1, math.Abs(want[j]))) {
			t.Fatalf("%s: element %d = %.9g, want %.9g (diff %.3g)\ngot  %v\nwant %v", what, j, got[j], want[j], d, got, want)
		}
	}
}

// runGolden is Keras's test_correctness_with_golden: ten parameters of
// 1, a first gradient of 0.01 everywhere, then gradients 0.1, 0.2, ...,
// 1.0 at every step; golden[k] is the parameter after k+1 steps, checked
// to Keras's tolerance (rtol = atol = 5e-4), in float32 and float64.
func runGolden(t *testing.T, newOpt func() Optimizer, golden [][]float64) {
	t.Helper()
	ramp := make([]float64, 10)
	for i := range ramp {
		ramp[i] = 0.1 * float64(i+1)
	}
	for _, dt := range []tensor.Dtype{tensor.Float32, tensor.Float64} {
		opt := newOpt()
		x := newDense(dt, []int{10}, ones(10))
		first := newDense(dt, []int{10}, full(10, 0.01))
		grads := newDense(dt, []int{10}, ramp)
		if err := opt.Apply([]*tensor.Dense{x}, []*tensor.Dense{first}); err != nil {
			t.Fatal(err)
		}
		for k, want := range golden {
			got := values(x)
			for j := range want {
				if d := math.Abs(got[j] - want[j]); d > 5e-4+5e-4*math.Abs(want[j]) {
					t.Fatalf("%v golden step %d element %d: got %.5f, want %.4f", dt, k+1, j, got[j], want[j])
				}
			}
			if err := opt.Apply([]*tensor.Dense{x}, []*tensor.Dense{grads}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// tile repeats each value of col ten times, as Keras's np.tile(col, (1, 10)).
func tile(col ...float64) [][]float64 {
	out := make([][]float64, len(col))
	for i, v := range col {
		out[i] = full(10, v)
	}
	return out
}

func ones(n int) []float64 { return full(n, 1) }

func full(n int, v float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// runSingleStep is Keras's test_single_step: parameters [1, 2, 3, 4],
// gradients [1, 6, 7, 2], one step, checked to Keras's tolerance 1e-4.
func runSingleStep(t *testing.T, opt Optimizer, want []float64) {
	t.Helper()
	w := newDense(tensor.Float32, []int{4}, []float64{1, 2, 3, 4})
	g := newDense(tensor.Float32, []int{4}, []float64{1, 6, 7, 2})
	if err := opt.Apply([]*tensor.Dense{w}, []*tensor.Dense{g}); err != nil {
		t.Fatal(err)
	}
	got := values(w)
	for j := range want {
		if d := math.Abs(got[j] - want[j]); d > 1e-4+1e-4*math.Abs(want[j]) {
			t.Fatalf("single step: got %v, want %v", got, want)
		}
	}
}

// stepOnce applies one step to a single parameter of dtype dt and returns
// its new values.
func stepOnce(t *testing.T, opt Optimizer, dt tensor.Dtype, w, g []float64) []float64 {
	t.Helper()
	p := newDense(dt, []int{len(w)}, w)
	if err := opt.Apply([]*tensor.Dense{p}, []*tensor.Dense{newDense(dt, []int{len(g)}, g)}); err != nil {
		t.Fatal(err)
	}
	return values(p)
}
