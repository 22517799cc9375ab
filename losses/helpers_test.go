package losses

import (
	"math"
	"testing"

	"github.com/gokeras/keras/internal/gradcheck"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// dense makes a tensor of dtype dt from float64 values.
func dense(dt tensor.Dtype, shape []int, v []float64) *tensor.Dense {
	if dt == tensor.Float32 {
		d := make([]float32, len(v))
		for i, x := range v {
			d[i] = float32(x)
		}
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(d))
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float64(nil), v...)))
}

// evalLoss builds l on inputs of dtype dt holding yTrue and yPred, runs
// the graph once with a tape machine and returns the loss and the
// gradient d loss / d y_pred, both as float64.
func evalLoss(t *testing.T, l Loss, dt tensor.Dtype, shape []int, yTrue, yPred []float64) (float64, []float64) {
	t.Helper()
	g := G.NewGraph()
	yt := G.NewTensor(g, dt, len(shape), G.WithShape(shape...), G.WithName("y_true"), G.WithValue(dense(dt, shape, yTrue)))
	yp := G.NewTensor(g, dt, len(shape), G.WithShape(shape...), G.WithName("y_pred"), G.WithValue(dense(dt, shape, yPred)))
	cost, err := l.Compute(yt, yp)
	if err != nil {
		t.Fatalf("%s: Compute: %v", l.Name(), err)
	}
	if !cost.IsScalar() {
		t.Fatalf("%s: cost has shape %v, want a scalar", l.Name(), cost.Shape())
	}
	if cost.Dtype() != dt {
		t.Fatalf("%s: cost has dtype %v, want %v", l.Name(), cost.Dtype(), dt)
	}
	grads, err := G.Grad(cost, yp)
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

func toFloat64(t *testing.T, d any) float64 {
	t.Helper()
	switch v := d.(type) {
	case float32:
		return float64(v)
	case float64:
		return v
	case []float32:
		if len(v) == 1 {
			return float64(v[0])
		}
	case []float64:
		if len(v) == 1 {
			return v[0]
		}
	}
	t.Fatalf("not a scalar: %v", d)
	return 0
}

func toFloats64(t *testing.T, d any) []float64 {
	t.Helper()
	switch v := d.(type) {
	case []float32:
		out := make([]float64, len(v))
		for i, x := range v {
			out[i] = float64(x)
		}
		return out
	case []float64:
		return append([]float64(nil), v...)
	}
	t.Fatalf("not a slice: %T", d)
	return nil
}

// approx reports whether got is within rel (relative) or abs of want.
func approx(got, want, rel, abs float64) bool {
	return math.Abs(got-want) <= abs+rel*math.Abs(want)
}

// checkGrad compares d loss / d y_pred from G.Grad with central
// differences, in float64.
func checkGrad(t *testing.T, l Loss, shape []int, yTrue, yPred []float64, cfg gradcheck.Config) {
	t.Helper()
	cfg.WRT = []int{1}
	res, err := gradcheck.Check(func(in []*G.Node) (*G.Node, error) {
		return l.Compute(in[0], in[1])
	}, []*tensor.Dense{dense(tensor.Float64, shape, yTrue), dense(tensor.Float64, shape, yPred)}, cfg)
	if err != nil {
		t.Fatalf("%s: %v", l.Name(), err)
	}
	if err := res.Err(); err != nil {
		t.Errorf("%s: %v", l.Name(), err)
	}
}

// rowsOf splits flat values into rows of the last dimension.
func rowsOf(shape []int, v []float64) [][]float64 {
	c := shape[len(shape)-1]
	var out [][]float64
	for i := 0; i < len(v); i += c {
		out = append(out, v[i:i+c])
	}
	return out
}

// batchMean applies a per-sample loss (a function of one row of targets
// and predictions) to every row and averages: Keras's
// sum_over_batch_size.
func batchMean(shape []int, yTrue, yPred []float64, f func(t, p []float64) float64) float64 {
	ts, ps := rowsOf(shape, yTrue), rowsOf(shape, yPred)
	var s float64
	for i := range ts {
		s += f(ts[i], ps[i])
	}
	return s / float64(len(ts))
}

// lossCase is one value check: the loss of a batch, in float64 and in
// float32.
type lossCase struct {
	name         string
	loss         Loss
	shape        []int
	yTrue, yPred []float64
	want         float64 // expected loss
	rel          float64 // relative tolerance; 0 means 1e-9 (float64) and 1e-6 (float32)
	want32       *float64
	source       string // where want comes from
}

func (c lossCase) run(t *testing.T) {
	t.Helper()
	for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
		got, grad := evalLoss(t, c.loss, dt, c.shape, c.yTrue, c.yPred)
		want, rel := c.want, c.rel
		if rel == 0 {
			rel = 1e-9
		}
		if dt == tensor.Float32 {
			rel = math.Max(rel, 1e-6)
			if c.want32 != nil {
				want = *c.want32
			}
		}
		if !approx(got, want, rel, 1e-6) {
			t.Errorf("%s %v: loss = %.9g, want %.9g (rel %g; source: %s)", c.name, dt, got, want, rel, c.source)
		}
		for i, g := range grad {
			if math.IsNaN(g) || math.IsInf(g, 0) {
				t.Errorf("%s %v: gradient[%d] = %v", c.name, dt, i, g)
			}
		}
	}
}

func runLossCases(t *testing.T, cases []lossCase) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.run(t) })
	}
}

// gradCase is one finite-difference check of d loss / d y_pred.
type gradCase struct {
	name         string
	loss         Loss
	shape        []int
	yTrue, yPred []float64
	cfg          gradcheck.Config
}

func runGradCases(t *testing.T, cases []gradCase) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkGrad(t, c.loss, c.shape, c.yTrue, c.yPred, c.cfg) })
	}
}

func f64(x float64) *float64 { return &x }

// Shared reference batches.
var (
	// Keras losses_test.py, MeanSquaredErrorTest.test_unweighted and the
	// same y_true/y_pred in the MAE, MAPE and LogCosh tests.
	kerasRegTrue = []float64{1, 9, 2, -5, -2, 6}
	kerasRegPred = []float64{4, 8, 12, 8, 1, 3}
	// Keras losses.py docstrings of binary_crossentropy and huber, and
	// losses_test.py HingeTest.
	kerasBinTrue = []float64{0, 1, 0, 0}
	kerasBinPred = []float64{0.6, 0.4, 0.4, 0.6}
)

// twoNodes returns float32 y_true and y_pred nodes of shape (2, 3) in a
// fresh graph, for tests of Compute's errors.
func twoNodes(t *testing.T) (*G.Node, *G.Node) {
	t.Helper()
	g := G.NewGraph()
	return G.NewMatrix(g, tensor.Float32, G.WithShape(2, 3), G.WithName("y_true")),
		G.NewMatrix(g, tensor.Float32, G.WithShape(2, 3), G.WithName("y_pred"))
}

var dtypes = []tensor.Dtype{tensor.Float64, tensor.Float32}
