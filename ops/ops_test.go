package ops_test

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"

	"github.com/gokeras/keras/internal/gradcheck"
	"github.com/gokeras/keras/ops"
)

type input struct {
	shape []int
	v     []float64
}

func dense(dt tensor.Dtype, in input) *tensor.Dense {
	if dt == tensor.Float32 {
		d := make([]float32, len(in.v))
		for i, x := range in.v {
			d[i] = float32(x)
		}
		return tensor.New(tensor.WithShape(in.shape...), tensor.WithBacking(d))
	}
	return tensor.New(tensor.WithShape(in.shape...), tensor.WithBacking(append([]float64(nil), in.v...)))
}

func floats(d any) []float64 {
	switch v := d.(type) {
	case float64:
		return []float64{v}
	case float32:
		return []float64{float64(v)}
	case []float64:
		return append([]float64(nil), v...)
	case []float32:
		out := make([]float64, len(v))
		for i, x := range v {
			out[i] = float64(x)
		}
		return out
	}
	return nil
}

// run builds f on nodes holding ins (dtype dt), runs the graph and
// returns the output's shape and values.
func run(t *testing.T, dt tensor.Dtype, f func([]*G.Node) (*G.Node, error), ins ...input) (tensor.Shape, []float64) {
	t.Helper()
	g := G.NewGraph()
	nodes := make([]*G.Node, len(ins))
	for i, in := range ins {
		nodes[i] = G.NewTensor(g, dt, len(in.shape), G.WithShape(in.shape...), G.WithName(string(rune('a'+i))), G.WithValue(dense(dt, in)))
	}
	out, err := f(nodes)
	if err != nil {
		t.Fatal(err)
	}
	if out.Dtype() != dt {
		t.Fatalf("output dtype %v, want %v", out.Dtype(), dt)
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	return out.Shape(), floats(out.Value().Data())
}

var (
	m23  = input{[]int{2, 3}, []float64{1, -2, 3, 0.5, 4, -1}}
	p23  = input{[]int{2, 3}, []float64{0.5, 2, 1.5, 3, 0.25, 1}}
	row3 = input{[]int{3}, []float64{10, 20, 30}}
	col2 = input{[]int{2, 1}, []float64{-1, 2}}
	t234 = input{[]int{2, 3, 4}, seq(24)}
)

func seq(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = float64(i) - 7
	}
	return v
}

// elementwise applies f to every element of in.
func elementwise(in input, f func(float64) float64) []float64 {
	out := make([]float64, len(in.v))
	for i, x := range in.v {
		out[i] = f(x)
	}
	return out
}

// at2 is element (i, j) of a (r, c) row-major array.
func at2(v []float64, c, i, j int) float64 { return v[i*c+j] }

func TestValues(t *testing.T) {
	one := func(f func(*G.Node) (*G.Node, error)) func([]*G.Node) (*G.Node, error) {
		return func(n []*G.Node) (*G.Node, error) { return f(n[0]) }
	}
	sigmoid := func(x float64) float64 {
		if x > 0 {
			return 1 / (1 + math.Exp(-x))
		}
		return math.Exp(x) / (1 + math.Exp(x))
	}
	cases := []struct {
		name      string
		f         func([]*G.Node) (*G.Node, error)
		ins       []input
		wantShape []int
		want      []float64
	}{
		{"add", func(n []*G.Node) (*G.Node, error) { return ops.Add(n[0], n[1]) }, []input{m23, p23}, []int{2, 3},
			[]float64{1.5, 0, 4.5, 3.5, 4.25, 0}},
		{"add_row_broadcast", func(n []*G.Node) (*G.Node, error) { return ops.Add(n[0], n[1]) }, []input{m23, row3}, []int{2, 3},
			[]float64{11, 18, 33, 10.5, 24, 29}},
		{"add_col_broadcast", func(n []*G.Node) (*G.Node, error) { return ops.Add(n[1], n[0]) }, []input{m23, col2}, []int{2, 3},
			[]float64{0, -3, 2, 2.5, 6, 1}},
		{"add_number", func(n []*G.Node) (*G.Node, error) { return ops.Add(2, n[0]) }, []input{m23}, []int{2, 3},
			elementwise(m23, func(x float64) float64 { return 2 + x })},
		{"subtract_number_first", func(n []*G.Node) (*G.Node, error) { return ops.Subtract(1.0, n[0]) }, []input{m23}, []int{2, 3},
			elementwise(m23, func(x float64) float64 { return 1 - x })},
		{"subtract_number_second", func(n []*G.Node) (*G.Node, error) { return ops.Subtract(n[0], float32(1)) }, []input{m23}, []int{2, 3},
			elementwise(m23, func(x float64) float64 { return x - 1 })},
		{"multiply_broadcast", func(n []*G.Node) (*G.Node, error) { return ops.Multiply(n[0], n[1]) }, []input{m23, row3}, []int{2, 3},
			[]float64{10, -40, 90, 5, 80, -30}},
		{"divide_number_by_node", func(n []*G.Node) (*G.Node, error) { return ops.Divide(1.0, n[0]) }, []input{p23}, []int{2, 3},
			elementwise(p23, func(x float64) float64 { return 1 / x })},
		{"divide_node_by_number", func(n []*G.Node) (*G.Node, error) { return ops.Divide(n[0], 4) }, []input{p23}, []int{2, 3},
			elementwise(p23, func(x float64) float64 { return x / 4 })},
		{"divide_nodes", func(n []*G.Node) (*G.Node, error) { return ops.Divide(n[0], n[1]) }, []input{m23, p23}, []int{2, 3},
			[]float64{2, -1, 2, 1.0 / 6, 16, -1}},
		{"maximum_number", func(n []*G.Node) (*G.Node, error) { return ops.Maximum(n[0], 0.75) }, []input{m23}, []int{2, 3},
			elementwise(m23, func(x float64) float64 { return math.Max(x, 0.75) })},
		{"minimum_nodes", func(n []*G.Node) (*G.Node, error) { return ops.Minimum(n[0], n[1]) }, []input{m23, p23}, []int{2, 3},
			[]float64{0.5, -2, 1.5, 0.5, 0.25, -1}},
		{"minimum_broadcast", func(n []*G.Node) (*G.Node, error) { return ops.Minimum(n[0], n[1]) }, []input{m23, col2}, []int{2, 3},
			[]float64{-1, -2, -1, 0.5, 2, -1}},
		{"where", func(n []*G.Node) (*G.Node, error) { return ops.Where(n[0], n[1], -5) }, []input{m23, p23}, []int{2, 3},
			[]float64{0.5, -5, 1.5, 3, 0.25, -5}},
		{"negative", one(ops.Negative), []input{m23}, []int{2, 3}, elementwise(m23, func(x float64) float64 { return -x })},
		{"abs", one(ops.Abs), []input{m23}, []int{2, 3}, elementwise(m23, math.Abs)},
		{"square", one(ops.Square), []input{m23}, []int{2, 3}, elementwise(m23, func(x float64) float64 { return x * x })},
		{"sqrt", one(ops.Sqrt), []input{p23}, []int{2, 3}, elementwise(p23, math.Sqrt)},
		{"power", func(n []*G.Node) (*G.Node, error) { return ops.Power(n[0], 1.5) }, []input{p23}, []int{2, 3},
			elementwise(p23, func(x float64) float64 { return math.Pow(x, 1.5) })},
		{"exp", one(ops.Exp), []input{m23}, []int{2, 3}, elementwise(m23, math.Exp)},
		{"log", one(ops.Log), []input{p23}, []int{2, 3}, elementwise(p23, math.Log)},
		{"log1p", one(ops.Log1p), []input{p23}, []int{2, 3}, elementwise(p23, math.Log1p)},
		{"clip", func(n []*G.Node) (*G.Node, error) { return ops.Clip(n[0], -1.5, 2) }, []input{m23}, []int{2, 3},
			[]float64{1, -1.5, 2, 0.5, 2, -1}},
		{"relu", one(ops.Relu), []input{m23}, []int{2, 3}, elementwise(m23, func(x float64) float64 { return math.Max(x, 0) })},
		{"tanh", one(ops.Tanh), []input{m23}, []int{2, 3}, elementwise(m23, math.Tanh)},
		{"sigmoid", one(ops.Sigmoid), []input{m23}, []int{2, 3}, elementwise(m23, sigmoid)},
		{"softplus", one(ops.Softplus), []input{m23}, []int{2, 3}, elementwise(m23, func(x float64) float64 { return math.Log1p(math.Exp(x)) })},
		{"softmax", one(ops.Softmax), []input{m23}, []int{2, 3}, softmaxRows(m23.v, 3, false)},
		{"log_softmax", one(ops.LogSoftmax), []input{m23}, []int{2, 3}, softmaxRows(m23.v, 3, true)},
		{"sum_all", func(n []*G.Node) (*G.Node, error) { return ops.Sum(n[0]) }, []input{m23}, []int{}, []float64{5.5}},
		{"sum_last", func(n []*G.Node) (*G.Node, error) { return ops.Sum(n[0], ops.Axis(-1)) }, []input{m23}, []int{2}, []float64{2, 3.5}},
		{"sum_first_keepdims", func(n []*G.Node) (*G.Node, error) { return ops.Sum(n[0], ops.Axis(0), ops.KeepDims(true)) }, []input{m23}, []int{1, 3},
			[]float64{1.5, 2, 2}},
		{"mean_all", func(n []*G.Node) (*G.Node, error) { return ops.Mean(n[0]) }, []input{m23}, []int{}, []float64{5.5 / 6}},
		{"mean_last_keepdims", func(n []*G.Node) (*G.Node, error) { return ops.Mean(n[0], ops.Axis(-1), ops.KeepDims(true)) }, []input{m23}, []int{2, 1},
			[]float64{2.0 / 3, 3.5 / 3}},
		{"mean_axes_0_2", func(n []*G.Node) (*G.Node, error) { return ops.Mean(n[0], ops.Axis(0, -1)) }, []input{t234}, []int{3},
			meanAxes02(t234.v)},
		{"max_last", func(n []*G.Node) (*G.Node, error) { return ops.Max(n[0], ops.Axis(1)) }, []input{m23}, []int{2}, []float64{3, 4}},
		{"max_all", func(n []*G.Node) (*G.Node, error) { return ops.Max(n[0]) }, []input{m23}, []int{}, []float64{4}},
		{"matmul", func(n []*G.Node) (*G.Node, error) { return ops.Matmul(n[0], n[1]) }, []input{m23, {[]int{3, 2}, []float64{1, 2, 3, 4, 5, 6}}}, []int{2, 2},
			matmul(m23.v, []float64{1, 2, 3, 4, 5, 6}, 2, 3, 2)},
		{"matmul_vector", func(n []*G.Node) (*G.Node, error) { return ops.Matmul(n[0], n[1]) }, []input{m23, row3}, []int{2},
			matmul(m23.v, row3.v, 2, 3, 1)},
		{"reshape_infer", func(n []*G.Node) (*G.Node, error) { return ops.Reshape(n[0], -1, 4) }, []input{t234}, []int{6, 4}, t234.v},
		{"reshape_infer_middle", func(n []*G.Node) (*G.Node, error) { return ops.Reshape(n[0], 3, -1) }, []input{m23}, []int{3, 2}, m23.v},
		{"transpose", func(n []*G.Node) (*G.Node, error) { return ops.Transpose(n[0]) }, []input{m23}, []int{3, 2},
			[]float64{1, 0.5, -2, 4, 3, -1}},
		{"transpose_perm", func(n []*G.Node) (*G.Node, error) { return ops.Transpose(n[0], 1, 0, 2) }, []input{t234}, []int{3, 2, 4},
			transpose102(t234.v)},
		{"concatenate_0", func(n []*G.Node) (*G.Node, error) { return ops.Concatenate(n, 0) }, []input{m23, p23}, []int{4, 3},
			append(append([]float64(nil), m23.v...), p23.v...)},
		{"concatenate_last", func(n []*G.Node) (*G.Node, error) { return ops.Concatenate(n, -1) }, []input{m23, col2}, []int{2, 4},
			[]float64{1, -2, 3, -1, 0.5, 4, -1, 2}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, dt := range []tensor.Dtype{tensor.Float64, tensor.Float32} {
				shape, got := run(t, dt, c.f, c.ins...)
				if !slices.Equal(shape, tensor.Shape(c.wantShape)) && !(len(c.wantShape) == 0 && shape.IsScalar()) {
					t.Fatalf("%v: shape %v, want %v", dt, shape, c.wantShape)
				}
				rel := 1e-12
				if dt == tensor.Float32 {
					rel = 1e-6
				}
				if len(got) != len(c.want) {
					t.Fatalf("%v: %d values, want %d", dt, len(got), len(c.want))
				}
				for i := range got {
					if math.Abs(got[i]-c.want[i]) > rel*math.Max(1, math.Abs(c.want[i])) {
						t.Errorf("%v [%d] = %.9g, want %.9g", dt, i, got[i], c.want[i])
					}
				}
			}
		})
	}
}

func softmaxRows(v []float64, c int, log bool) []float64 {
	out := make([]float64, len(v))
	for r := 0; r < len(v); r += c {
		m := math.Inf(-1)
		for _, x := range v[r : r+c] {
			m = math.Max(m, x)
		}
		var s float64
		for _, x := range v[r : r+c] {
			s += math.Exp(x - m)
		}
		for j, x := range v[r : r+c] {
			if log {
				out[r+j] = x - m - math.Log(s)
			} else {
				out[r+j] = math.Exp(x-m) / s
			}
		}
	}
	return out
}

func meanAxes02(v []float64) []float64 {
	out := make([]float64, 3)
	for i := range 2 {
		for j := range 3 {
			for k := range 4 {
				out[j] += v[i*12+j*4+k] / 8
			}
		}
	}
	return out
}

func matmul(a, b []float64, m, k, n int) []float64 {
	out := make([]float64, m*n)
	for i := range m {
		for j := range n {
			for l := range k {
				out[i*n+j] += at2(a, k, i, l) * at2(b, n, l, j)
			}
		}
	}
	return out
}

func transpose102(v []float64) []float64 {
	var out []float64
	for j := range 3 {
		for i := range 2 {
			out = append(out, v[i*12+j*4:i*12+j*4+4]...)
		}
	}
	return out
}

// Every differentiable function, through sum(c ⊙ f(x)) with fixed
// weights c, against central differences.
func TestGradients(t *testing.T) {
	c23 := input{[]int{2, 3}, []float64{0.3, -0.7, 0.9, 0.2, -0.4, 0.8}}
	// in[0] holds the weights, of the output's shape.
	weighted := func(f func(n []*G.Node) (*G.Node, error)) gradcheck.Func {
		return func(in []*G.Node) (*G.Node, error) {
			y, err := f(in[1:])
			if err != nil {
				return nil, err
			}
			p, err := ops.Multiply(in[0], y)
			if err != nil {
				return nil, err
			}
			return ops.Sum(p)
		}
	}
	one := func(f func(*G.Node) (*G.Node, error)) func([]*G.Node) (*G.Node, error) {
		return func(n []*G.Node) (*G.Node, error) { return f(n[0]) }
	}
	cases := []struct {
		name string
		f    func([]*G.Node) (*G.Node, error)
		ins  []input
	}{
		{"add_broadcast", func(n []*G.Node) (*G.Node, error) { return ops.Add(n[0], n[1]) }, []input{m23, row3}},
		{"subtract_col", func(n []*G.Node) (*G.Node, error) { return ops.Subtract(n[1], n[0]) }, []input{m23, col2}},
		{"multiply", func(n []*G.Node) (*G.Node, error) { return ops.Multiply(n[0], n[1]) }, []input{m23, p23}},
		{"divide", func(n []*G.Node) (*G.Node, error) { return ops.Divide(n[0], n[1]) }, []input{m23, p23}},
		{"divide_number_by_node", func(n []*G.Node) (*G.Node, error) { return ops.Divide(2, n[0]) }, []input{p23}},
		{"maximum", func(n []*G.Node) (*G.Node, error) { return ops.Maximum(n[0], n[1]) }, []input{m23, p23}},
		{"where", func(n []*G.Node) (*G.Node, error) { return ops.Where(n[0], n[1], n[2]) }, []input{m23, p23, c23}},
		{"square", one(ops.Square), []input{m23}},
		{"sqrt", one(ops.Sqrt), []input{p23}},
		{"power", func(n []*G.Node) (*G.Node, error) { return ops.Power(n[0], 2.5) }, []input{p23}},
		{"exp", one(ops.Exp), []input{m23}},
		{"log", one(ops.Log), []input{p23}},
		{"tanh", one(ops.Tanh), []input{m23}},
		{"sigmoid", one(ops.Sigmoid), []input{m23}},
		{"softplus", one(ops.Softplus), []input{m23}},
		{"softmax", one(ops.Softmax), []input{m23}},
		{"log_softmax", one(ops.LogSoftmax), []input{m23}},
		{"clip", func(n []*G.Node) (*G.Node, error) { return ops.Clip(n[0], -1.5, 2) }, []input{m23}},
		{"mean_keepdims", func(n []*G.Node) (*G.Node, error) {
			m, err := ops.Mean(n[0], ops.Axis(-1), ops.KeepDims(true))
			if err != nil {
				return nil, err
			}
			return ops.Multiply(n[0], m)
		}, []input{m23}},
		{"max_axis", func(n []*G.Node) (*G.Node, error) {
			m, err := ops.Max(n[0], ops.Axis(0), ops.KeepDims(true))
			if err != nil {
				return nil, err
			}
			return ops.Subtract(n[0], m)
		}, []input{m23}},
		{"matmul", func(n []*G.Node) (*G.Node, error) {
			tr, err := ops.Transpose(n[1])
			if err != nil {
				return nil, err
			}
			mm, err := ops.Matmul(n[0], tr)
			if err != nil {
				return nil, err
			}
			return ops.Reshape(mm, 1, -1)
		}, []input{{[]int{1, 3}, []float64{1, 2, -1}}, m23}},
		{"concatenate_reshape", func(n []*G.Node) (*G.Node, error) {
			c, err := ops.Concatenate(n, 0)
			if err != nil {
				return nil, err
			}
			return ops.Reshape(c, -1, 3)
		}, []input{m23, p23}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// Weights of the output's shape: build once to see it.
			shape, probe := run(t, tensor.Float64, c.f, c.ins...)
			w := input{append([]int{}, shape...), make([]float64, len(probe))}
			for i := range w.v {
				w.v[i] = 0.3 + 0.17*float64(i%5) - 0.1*float64(i%3)
			}
			ins := []*tensor.Dense{dense(tensor.Float64, w)}
			var wrt []int
			for i, in := range c.ins {
				ins = append(ins, dense(tensor.Float64, in))
				if i > 0 || c.name != "where" { // Where's condition has no gradient
					wrt = append(wrt, i+1)
				}
			}
			res, err := gradcheck.Check(weighted(c.f), ins, gradcheck.Config{WRT: wrt})
			if err != nil {
				t.Fatal(err)
			}
			if err := res.Err(); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	g := G.NewGraph()
	a := G.NewMatrix(g, tensor.Float32, G.WithShape(2, 3), G.WithName("a"))
	b := G.NewMatrix(g, tensor.Float32, G.WithShape(3, 2), G.WithName("b"))
	d := G.NewMatrix(g, tensor.Float64, G.WithShape(2, 3), G.WithName("d"))
	i := G.NewMatrix(g, tensor.Int, G.WithShape(2, 3), G.WithName("i"))
	cases := []struct {
		name string
		f    func() (*G.Node, error)
		want string
	}{
		{"no_node", func() (*G.Node, error) { return ops.Add(1, 2) }, "at least one"},
		{"bad_operand", func() (*G.Node, error) { return ops.Add(a, "x") }, "string"},
		{"nil", func() (*G.Node, error) { return ops.Exp(nil) }, "nil"},
		{"int_dtype", func() (*G.Node, error) { return ops.Exp(i) }, "float32 or float64"},
		{"dtypes_differ", func() (*G.Node, error) { return ops.Add(a, d) }, "dtypes"},
		{"no_broadcast", func() (*G.Node, error) { return ops.Add(a, b) }, "do not broadcast"},
		{"matmul_shapes", func() (*G.Node, error) { return ops.Matmul(a, a) }, "(2, 3) and (2, 3)"},
		{"reshape_two_infer", func() (*G.Node, error) { return ops.Reshape(a, -1, -1) }, "at most one -1"},
		{"reshape_size", func() (*G.Node, error) { return ops.Reshape(a, 4, -1) }, "not a multiple"},
		{"reshape_total", func() (*G.Node, error) { return ops.Reshape(a, 5) }, "elements"},
		{"transpose_perm", func() (*G.Node, error) { return ops.Transpose(a, 0, 0) }, "permutation"},
		{"axis_range", func() (*G.Node, error) { return ops.Sum(a, ops.Axis(2)) }, "out of range"},
		{"concat_shapes", func() (*G.Node, error) { return ops.Concatenate([]*G.Node{a, b}, 0) }, "tensor 1"},
		{"clip_bounds", func() (*G.Node, error) { return ops.Clip(a, 1, 0) }, "above"},
	}
	for _, c := range cases {
		_, err := c.f()
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "ops.") {
			t.Errorf("%s: error %v, want one starting ops. and mentioning %q", c.name, err, c.want)
		}
	}
	if _, err := ops.Add(1, 2); !errors.Is(err, ops.ErrOperand) {
		t.Errorf("Add(1, 2): %v does not wrap ErrOperand", err)
	}
}
