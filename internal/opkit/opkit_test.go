package opkit

import (
	"hash"
	"hash/fnv"
	"math"
	"strings"
	"testing"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// naiveGemm is the definition of c = op(a)·op(b) + beta·c, in float64.
func naiveGemm(transA, transB bool, m, n, k int, a []float64, lda int, b []float64, ldb int, beta float64, c []float64, ldc int) {
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			var s float64
			for l := 0; l < k; l++ {
				ai, bi := i*lda+l, l*ldb+j
				if transA {
					ai = l*lda + i
				}
				if transB {
					bi = j*ldb + l
				}
				av, bv := a[ai], b[bi]
				s += av * bv
			}
			if beta == 0 {
				c[i*ldc+j] = s
			} else {
				c[i*ldc+j] = s + beta*c[i*ldc+j]
			}
		}
	}
}

func seq(n int, scale float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = scale * float64((i*7)%11-5)
	}
	return v
}

func TestGemm(t *testing.T) {
	tests := []struct {
		name           string
		transA, transB bool
		m, n, k, ldc   int
		beta           float64
	}{
		{"plain", false, false, 3, 4, 5, 4, 0},
		{"transA", true, false, 3, 4, 5, 4, 0},
		{"transB", false, true, 3, 4, 5, 4, 0},
		{"both, beta 1", true, true, 2, 3, 4, 3, 1},
		{"beta 0.5, wide c", false, false, 2, 3, 4, 5, 0.5},
		{"k 0, beta 0", false, false, 2, 3, 0, 3, 0},
		{"k 0, beta 1", false, false, 2, 3, 0, 3, 1},
		{"k 0, beta 2, wide c", false, false, 2, 3, 0, 5, 2},
		{"m 0", false, false, 0, 3, 2, 3, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lda, ldb := tc.k, tc.n
			if tc.transA {
				lda = tc.m
			}
			if tc.transB {
				ldb = tc.k
			}
			a, b := seq(tc.m*tc.k, 0.5), seq(tc.k*tc.n, 0.25)
			c0 := seq(max(tc.m*tc.ldc, 1), 1)
			if tc.k == 0 && tc.beta == 0 {
				c0[0] = math.NaN() // beta 0 sets c, NaN included
			}
			want := append([]float64(nil), c0...)
			naiveGemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, a, lda, b, ldb, tc.beta, want, tc.ldc)

			got := append([]float64(nil), c0...)
			Gemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, a, lda, b, ldb, tc.beta, got, tc.ldc)
			for i := range want {
				if got[i] != want[i] && !(math.IsNaN(got[i]) && math.IsNaN(want[i])) {
					t.Fatalf("float64: c[%d] = %v, want %v", i, got[i], want[i])
				}
			}

			a32, b32, c32 := to32(a), to32(b), to32(c0)
			Gemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, a32, lda, b32, ldb, float32(tc.beta), c32, tc.ldc)
			for i := range want {
				if d := math.Abs(float64(c32[i]) - want[i]); d > 1e-5 {
					t.Fatalf("float32: c[%d] = %v, want %v", i, c32[i], want[i])
				}
			}
		})
	}
}

func to32(v []float64) []float32 {
	f := make([]float32, len(v))
	for i, e := range v {
		f[i] = float32(e)
	}
	return f
}

type testOp string

func (o testOp) String() string        { return string(o) }
func (o testOp) WriteHash(h hash.Hash) { WriteName(h, o) }

func TestHashcode(t *testing.T) {
	h := fnv.New32a()
	h.Write([]byte("Op{k=3}"))
	if got, want := Hashcode(testOp("Op{k=3}")), h.Sum32(); got != want {
		t.Errorf("Hashcode = %d, want %d (FNV-1a of the name)", got, want)
	}
	if Hashcode(testOp("a")) == Hashcode(testOp("b")) {
		t.Error("two names hash alike")
	}
}

func TestCounted(t *testing.T) {
	for n, want := range map[int]string{0: "0 inputs", 1: "1 input", 3: "3 inputs"} {
		if got := Counted(n, "input"); got != want {
			t.Errorf("Counted(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestFloatDense(t *testing.T) {
	f32 := tensor.New(tensor.WithShape(2), tensor.WithBacking([]float32{1, 2}))
	ints := tensor.New(tensor.WithShape(2), tensor.WithBacking([]int{1, 2}))
	tests := []struct {
		name string
		v    G.Value
		err  string
	}{
		{"float32", f32, ""},
		{"scalar", G.NewF32(1), "x: expected a dense tensor, got *gorgonia.F32"},
		{"int", ints, "x: expected float32 or float64, got int"},
	}
	for _, tc := range tests {
		d, err := FloatDense(tc.v, "x")
		switch {
		case tc.err == "" && (err != nil || d != tc.v):
			t.Errorf("%s: got %v, %v; want the tensor itself", tc.name, d, err)
		case tc.err != "" && (err == nil || err.Error() != tc.err):
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.err)
		}
	}
}

func TestContiguous(t *testing.T) {
	m := tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float64{1, 2, 3, 4, 5, 6}))
	if d, err := Contiguous(m, "m"); err != nil || d != m {
		t.Fatalf("a contiguous tensor: got %v, %v; want itself", d, err)
	}
	v, err := m.Slice(nil, tensor.S(1, 3))
	if err != nil {
		t.Fatal(err)
	}
	d, err := Contiguous(v.(*tensor.Dense), "m")
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{2, 3, 5, 6}
	got := d.Float64s()
	if len(got) != len(want) {
		t.Fatalf("materialized %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("materialized %v, want %v", got, want)
		}
	}
}

func TestInputs(t *testing.T) {
	a := tensor.New(tensor.WithShape(2), tensor.WithBacking([]float32{1, 2}))
	b := tensor.New(tensor.WithShape(2), tensor.WithBacking([]float64{1, 2}))
	op := testOp("Op")
	if _, err := Inputs(op, []G.Value{a}, FloatDense, "x", "y"); err == nil || err.Error() != "Op: expected 2 inputs, got 1" {
		t.Errorf("count: %v", err)
	}
	if _, err := Inputs(op, []G.Value{a, a}, FloatDense, "x"); err == nil || err.Error() != "Op: expected 1 input, got 2" {
		t.Errorf("count: %v", err)
	}
	if _, err := Inputs(op, []G.Value{a, b}, FloatDense, "x", "y"); err == nil || err.Error() != "Op: dtypes differ: float32 and float64" {
		t.Errorf("dtype: %v", err)
	}
	if _, err := Inputs(op, []G.Value{a, G.NewF32(1)}, FloatDense, "x", "y"); err == nil || !strings.HasPrefix(err.Error(), "y: ") {
		t.Errorf("read error does not name y: %v", err)
	}
	ds, err := Inputs(op, []G.Value{a, a}, FloatDense, "x", "y")
	if err != nil || ds[0] != a || ds[1] != a || ds[2] != nil {
		t.Errorf("got %v, %v", ds, err)
	}
}

func TestOutput(t *testing.T) {
	p := tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(2, 3))
	if Output(p, tensor.Float32, 2, 3) != p {
		t.Error("a fitting prealloc is not reused")
	}
	for _, tc := range []struct {
		name  string
		pre   G.Value
		dt    tensor.Dtype
		shape []int
	}{
		{"nil", nil, tensor.Float32, []int{2, 3}},
		{"other shape", p, tensor.Float32, []int{3, 2}},
		{"other dtype", p, tensor.Float64, []int{2, 3}},
		{"scalar", G.NewF32(0), tensor.Float32, []int{2, 3}},
	} {
		o := Output(tc.pre, tc.dt, tc.shape...)
		if o == tc.pre || o.Dtype() != tc.dt || !o.Shape().Eq(tensor.Shape(tc.shape)) {
			t.Errorf("%s: got %v %v", tc.name, o.Dtype(), o.Shape())
		}
	}
	v, err := tensor.New(tensor.Of(tensor.Float32), tensor.WithShape(4, 3)).Slice(tensor.S(0, 2))
	if err != nil {
		t.Fatal(err)
	}
	if Output(v, tensor.Float32, 2, 3) == v {
		t.Error("a view is reused")
	}
}

func TestInputShape(t *testing.T) {
	op := testOp("Op")
	in := []G.DimSizer{tensor.Shape{2, 3}, tensor.Shape{4}}
	s, err := InputShape(op, in, 2, 1)
	if err != nil || !s.Eq(tensor.Shape{4}) {
		t.Fatalf("got %v, %v", s, err)
	}
	s[0] = 9
	if in[1].(tensor.Shape)[0] != 4 {
		t.Error("the shape is not a copy")
	}
	if _, err := InputShape(op, in, 1, 0); err == nil || err.Error() != "Op: expected 1 shape, got 2" {
		t.Errorf("count: %v", err)
	}
	if _, err := InputShape(op, []G.DimSizer{nil}, 1, 0); err == nil || err.Error() != "Op: expected a shape, got <nil>" {
		t.Errorf("not a shape: %v", err)
	}
}
