package nn

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

// The references below are the textbook definitions written as plain
// float64 loops over (n, y, x, c), independent of im2col and of the BLAS.

func at4(s []int, n, y, x, c int) int { return ((n*s[1]+y)*s[2]+x)*s[3] + c }

// refConv is a direct convolution: out[n,oy,ox,f] = Σ x[n, oy·sh-pt+ky·dh,
// ox·sw-pl+kx·dw, c]·k[ky,kx,c,f], cells outside the input being 0.
func refConv(x []float64, xs []int, k []float64, ks []int, w Window) ([]float64, []int) {
	w = w.norm()
	oh := (xs[1]+w.PadTop+w.PadBottom-(w.KH-1)*w.DilH-1)/w.StrideH + 1
	ow := (xs[2]+w.PadLeft+w.PadRight-(w.KW-1)*w.DilW-1)/w.StrideW + 1
	os := []int{xs[0], oh, ow, ks[3]}
	out := make([]float64, os[0]*oh*ow*ks[3])
	for n := 0; n < xs[0]; n++ {
		for oy := 0; oy < oh; oy++ {
			for ox := 0; ox < ow; ox++ {
				for f := 0; f < ks[3]; f++ {
					var sum float64
					for ky := 0; ky < w.KH; ky++ {
						for kx := 0; kx < w.KW; kx++ {
							iy := oy*w.StrideH - w.PadTop + ky*w.DilH
							ix := ox*w.StrideW - w.PadLeft + kx*w.DilW
							if iy < 0 || iy >= xs[1] || ix < 0 || ix >= xs[2] {
								continue
							}
							for c := 0; c < xs[3]; c++ {
								sum += x[at4(xs, n, iy, ix, c)] * k[at4(ks, ky, kx, c, f)]
							}
						}
					}
					out[at4(os, n, oy, ox, f)] = sum
				}
			}
		}
	}
	return out, os
}

// refPool is max or average pooling over the real cells of each window.
func refPool(x []float64, xs []int, w Window, isMax bool) ([]float64, []int) {
	w = w.norm()
	oh := (xs[1]+w.PadTop+w.PadBottom-w.KH)/w.StrideH + 1
	ow := (xs[2]+w.PadLeft+w.PadRight-w.KW)/w.StrideW + 1
	os := []int{xs[0], oh, ow, xs[3]}
	out := make([]float64, xs[0]*oh*ow*xs[3])
	for n := 0; n < xs[0]; n++ {
		for oy := 0; oy < oh; oy++ {
			for ox := 0; ox < ow; ox++ {
				for c := 0; c < xs[3]; c++ {
					best, sum, cnt := math.Inf(-1), 0.0, 0
					for ky := 0; ky < w.KH; ky++ {
						for kx := 0; kx < w.KW; kx++ {
							iy, ix := oy*w.StrideH-w.PadTop+ky, ox*w.StrideW-w.PadLeft+kx
							if iy < 0 || iy >= xs[1] || ix < 0 || ix >= xs[2] {
								continue
							}
							v := x[at4(xs, n, iy, ix, c)]
							best = math.Max(best, v)
							sum += v
							cnt++
						}
					}
					if isMax {
						out[at4(os, n, oy, ox, c)] = best
					} else {
						out[at4(os, n, oy, ox, c)] = sum / float64(cnt)
					}
				}
			}
		}
	}
	return out, os
}

func randSlice(r *rand.Rand, n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		s[i] = r.Float64()*2 - 1
	}
	return s
}

// distinct returns n values spaced 0.01 apart in random order, so that
// finite differences never cross a tie of max pooling.
func distinct(r *rand.Rand, n int) []float64 {
	s := make([]float64, n)
	for i, p := range r.Perm(n) {
		s[i] = float64(p)*0.01 - float64(n)*0.005
	}
	return s
}

func prod(s []int) int {
	p := 1
	for _, v := range s {
		p *= v
	}
	return p
}

func newDense(dt tensor.Dtype, shape []int, v []float64) *tensor.Dense {
	if dt == tensor.Float32 {
		f := make([]float32, len(v))
		for i, e := range v {
			f[i] = float32(e)
		}
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(f))
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(append([]float64(nil), v...)))
}

func float64s(t *testing.T, v G.Value) []float64 {
	t.Helper()
	switch d := v.Data().(type) {
	case []float64:
		return d
	case []float32:
		out := make([]float64, len(d))
		for i, e := range d {
			out[i] = float64(e)
		}
		return out
	}
	t.Fatalf("unexpected data %T", v.Data())
	return nil
}

func compare(t *testing.T, got, want []float64, tol float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d values, want %d", len(got), len(want))
	}
	for i := range want {
		if d := math.Abs(got[i] - want[i]); !(d <= tol*(1+math.Abs(want[i]))) {
			t.Fatalf("element %d: got %.8g, want %.8g", i, got[i], want[i])
		}
	}
}

type convCase struct {
	name   string
	xs     []int // N, H, W, C
	kh, kw int
	f      int
	w      Window // strides, dilation, padding; KH/KW filled from kh, kw
	same   bool   // replace the padding with Keras's "same"
}

var convCases = []convCase{
	{name: "valid 3x3", xs: []int{2, 7, 6, 3}, kh: 3, kw: 3, f: 4},
	{name: "same 3x3 odd", xs: []int{2, 7, 5, 2}, kh: 3, kw: 3, f: 3, same: true},
	{name: "same stride 2 even input", xs: []int{1, 6, 8, 2}, kh: 3, kw: 3, f: 2, w: Window{StrideH: 2, StrideW: 2}, same: true},
	{name: "same stride 2 odd input", xs: []int{2, 7, 9, 1}, kh: 3, kw: 3, f: 2, w: Window{StrideH: 2, StrideW: 2}, same: true},
	{name: "same stride 2 kernel 2", xs: []int{1, 5, 5, 2}, kh: 2, kw: 2, f: 3, w: Window{StrideH: 2, StrideW: 2}, same: true},
	{name: "valid stride 2x3", xs: []int{2, 9, 10, 2}, kh: 3, kw: 2, f: 2, w: Window{StrideH: 2, StrideW: 3}},
	{name: "dilation 2", xs: []int{1, 9, 8, 2}, kh: 3, kw: 3, f: 2, w: Window{DilH: 2, DilW: 2}},
	{name: "dilation 2x1 same", xs: []int{2, 8, 7, 2}, kh: 3, kw: 2, f: 3, w: Window{DilH: 2, DilW: 1}, same: true},
	{name: "dilation 1x3 same", xs: []int{1, 5, 11, 2}, kh: 2, kw: 3, f: 2, w: Window{DilW: 3}, same: true},
	{name: "kernel 1x1", xs: []int{3, 4, 5, 3}, kh: 1, kw: 1, f: 4},
	{name: "kernel 1x1 stride 2", xs: []int{1, 5, 5, 3}, kh: 1, kw: 1, f: 2, w: Window{StrideH: 2, StrideW: 2}},
	{name: "non-square 2x4", xs: []int{2, 6, 9, 2}, kh: 2, kw: 4, f: 3},
	{name: "non-square 5x1 same", xs: []int{1, 6, 4, 3}, kh: 5, kw: 1, f: 2, same: true},
	{name: "batch 1 kernel = input", xs: []int{1, 4, 3, 2}, kh: 4, kw: 3, f: 5},
	{name: "causal 1-D", xs: []int{2, 1, 9, 3}, kh: 1, kw: 3, f: 2, w: Window{DilW: 2, PadLeft: 4}},
	{name: "explicit asymmetric padding", xs: []int{1, 5, 5, 2}, kh: 3, kw: 3, f: 2, w: Window{PadTop: 2, PadBottom: 0, PadLeft: 1, PadRight: 3}},
}

func (tc convCase) window() Window {
	w := tc.w
	w.KH, w.KW = tc.kh, tc.kw
	if tc.same {
		w = w.WithSamePadding(tc.xs[1], tc.xs[2])
	}
	return w
}

// run builds y = build(inputs) in a fresh graph and returns y's value
// computed by the tape machine.
func run(t *testing.T, inputs []*tensor.Dense, build func([]*G.Node) (*G.Node, error)) G.Value {
	t.Helper()
	g := G.NewGraph()
	nodes := make([]*G.Node, len(inputs))
	for i, in := range inputs {
		nodes[i] = G.NewTensor(g, in.Dtype(), 4, G.WithShape(in.Shape()...), G.WithValue(in), G.WithName(fmt.Sprintf("in%d", i)))
	}
	y, err := build(nodes)
	if err != nil {
		t.Fatal(err)
	}
	vm := G.NewTapeMachine(g)
	defer vm.Close()
	if err := vm.RunAll(); err != nil {
		t.Fatal(err)
	}
	return y.Value()
}

var dtypes = []tensor.Dtype{tensor.Float64, tensor.Float32}

func tolOf(dt tensor.Dtype) float64 {
	if dt == tensor.Float32 {
		return 1e-5
	}
	return 1e-12
}

func TestConv2DForward(t *testing.T) {
	for i, tc := range convCases {
		for _, dt := range dtypes {
			t.Run(fmt.Sprintf("%s/%v", tc.name, dt), func(t *testing.T) {
				r := rand.New(rand.NewPCG(uint64(i), 1))
				ks := []int{tc.kh, tc.kw, tc.xs[3], tc.f}
				x, k := randSlice(r, prod(tc.xs)), randSlice(r, prod(ks))
				w := tc.window()
				want, ws := refConv(x, tc.xs, k, ks, w)
				got := run(t, []*tensor.Dense{newDense(dt, tc.xs, x), newDense(dt, ks, k)}, func(n []*G.Node) (*G.Node, error) {
					return Conv2D(n[0], n[1], w)
				})
				if !got.Shape().Eq(tensor.Shape(ws)) {
					t.Fatalf("shape %v, want %v", got.Shape(), ws)
				}
				compare(t, float64s(t, got), want, tolOf(dt))
			})
		}
	}
}

// weighted returns Σ y·r for a fixed random r, so that every element of
// y's gradient differs.
func weighted(y *G.Node, seed uint64) (*G.Node, error) {
	r := rand.New(rand.NewPCG(seed, 7))
	rv := tensor.New(tensor.WithShape(y.Shape()...), tensor.WithBacking(randSlice(r, y.Shape().TotalSize())))
	rn := G.NewTensor(y.Graph(), tensor.Float64, y.Shape().Dims(), G.WithShape(y.Shape()...), G.WithValue(rv), G.WithName(fmt.Sprintf("weights_%d", seed)))
	p, err := G.HadamardProd(y, rn)
	if err != nil {
		return nil, err
	}
	return G.Sum(p)
}

func TestConv2DGradient(t *testing.T) {
	for i, tc := range convCases {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(i), 2))
			ks := []int{tc.kh, tc.kw, tc.xs[3], tc.f}
			x := tensor.New(tensor.WithShape(tc.xs...), tensor.WithBacking(randSlice(r, prod(tc.xs))))
			k := tensor.New(tensor.WithShape(ks...), tensor.WithBacking(randSlice(r, prod(ks))))
			w := tc.window()
			res, err := gradcheck.Check(func(in []*G.Node) (*G.Node, error) {
				y, err := Conv2D(in[0], in[1], w)
				if err != nil {
					return nil, err
				}
				return weighted(y, uint64(i))
			}, []*tensor.Dense{x, k}, gradcheck.Config{})
			if err != nil {
				t.Fatal(err)
			}
			if err := res.Err(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

type poolCase struct {
	name   string
	xs     []int
	kh, kw int
	w      Window
	same   bool
}

var poolCases = []poolCase{
	{name: "2x2 valid", xs: []int{2, 6, 6, 3}, kh: 2, kw: 2, w: Window{StrideH: 2, StrideW: 2}},
	{name: "2x2 valid odd input", xs: []int{1, 7, 5, 2}, kh: 2, kw: 2, w: Window{StrideH: 2, StrideW: 2}},
	{name: "2x2 same odd input", xs: []int{2, 7, 5, 2}, kh: 2, kw: 2, w: Window{StrideH: 2, StrideW: 2}, same: true},
	{name: "3x3 stride 2 same", xs: []int{1, 8, 7, 2}, kh: 3, kw: 3, w: Window{StrideH: 2, StrideW: 2}, same: true},
	{name: "3x3 stride 1 same", xs: []int{2, 5, 6, 1}, kh: 3, kw: 3, same: true},
	{name: "3x2 stride 1x2 valid", xs: []int{1, 6, 7, 3}, kh: 3, kw: 2, w: Window{StrideH: 1, StrideW: 2}},
	{name: "overlapping 3x3 stride 2", xs: []int{1, 9, 9, 2}, kh: 3, kw: 3, w: Window{StrideH: 2, StrideW: 2}},
	{name: "1-D pool 3 stride 2 same", xs: []int{2, 1, 10, 3}, kh: 1, kw: 3, w: Window{StrideH: 1, StrideW: 2}, same: true},
	{name: "global", xs: []int{2, 5, 3, 4}, kh: 5, kw: 3},
}

func (tc poolCase) window() Window {
	w := tc.w
	w.KH, w.KW = tc.kh, tc.kw
	if w.StrideH == 0 && w.StrideW == 0 {
		w.StrideH, w.StrideW = tc.kh, tc.kw
		if tc.same {
			w.StrideH, w.StrideW = 1, 1
		}
	}
	if tc.same {
		w = w.WithSamePadding(tc.xs[1], tc.xs[2])
	}
	return w
}

func TestPoolForward(t *testing.T) {
	for i, tc := range poolCases {
		for _, isMax := range []bool{true, false} {
			for _, dt := range dtypes {
				t.Run(fmt.Sprintf("%s/max=%v/%v", tc.name, isMax, dt), func(t *testing.T) {
					r := rand.New(rand.NewPCG(uint64(i), 3))
					x := randSlice(r, prod(tc.xs))
					w := tc.window()
					want, ws := refPool(x, tc.xs, w, isMax)
					got := run(t, []*tensor.Dense{newDense(dt, tc.xs, x)}, func(n []*G.Node) (*G.Node, error) {
						if isMax {
							return MaxPool2D(n[0], w)
						}
						return AvgPool2D(n[0], w)
					})
					if !got.Shape().Eq(tensor.Shape(ws)) {
						t.Fatalf("shape %v, want %v", got.Shape(), ws)
					}
					compare(t, float64s(t, got), want, tolOf(dt))
				})
			}
		}
	}
}

func TestPoolGradient(t *testing.T) {
	for i, tc := range poolCases {
		for _, isMax := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/max=%v", tc.name, isMax), func(t *testing.T) {
				r := rand.New(rand.NewPCG(uint64(i), 4))
				x := tensor.New(tensor.WithShape(tc.xs...), tensor.WithBacking(distinct(r, prod(tc.xs))))
				w := tc.window()
				res, err := gradcheck.Check(func(in []*G.Node) (*G.Node, error) {
					var y *G.Node
					var err error
					if isMax {
						y, err = MaxPool2D(in[0], w)
					} else {
						y, err = AvgPool2D(in[0], w)
					}
					if err != nil {
						return nil, err
					}
					return weighted(y, uint64(i))
				}, []*tensor.Dense{x}, gradcheck.Config{})
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

// TestMaxPoolTies: the whole gradient of a window goes to its first
// maximum in row-major order, as TensorFlow's.
func TestMaxPoolTies(t *testing.T) {
	x := tensor.New(tensor.WithShape(1, 2, 2, 1), tensor.WithBacking([]float64{1, 3, 3, 3}))
	g := tensor.New(tensor.WithShape(1, 1, 1, 1), tensor.WithBacking([]float64{5}))
	w := Window{KH: 2, KW: 2, StrideH: 2, StrideW: 2, DilH: 1, DilW: 1}
	y := tensor.New(tensor.WithShape(1, 1, 1, 1), tensor.WithBacking([]float64{3}))
	dx, err := maxPoolGradOp{w: w}.Do(x, y, g)
	if err != nil {
		t.Fatal(err)
	}
	compare(t, float64s(t, dx), []float64{0, 5, 0, 0}, 0)
}

func TestGlobalPooling(t *testing.T) {
	xs := []int{2, 3, 4, 5}
	r := rand.New(rand.NewPCG(9, 9))
	x := randSlice(r, prod(xs))
	for _, isMax := range []bool{true, false} {
		want := make([]float64, xs[0]*xs[3])
		for n := 0; n < xs[0]; n++ {
			for c := 0; c < xs[3]; c++ {
				best, sum := math.Inf(-1), 0.0
				for y := 0; y < xs[1]; y++ {
					for xx := 0; xx < xs[2]; xx++ {
						v := x[at4(xs, n, y, xx, c)]
						best, sum = math.Max(best, v), sum+v
					}
				}
				if isMax {
					want[n*xs[3]+c] = best
				} else {
					want[n*xs[3]+c] = sum / float64(xs[1]*xs[2])
				}
			}
		}
		g := G.NewGraph()
		xn := G.NewTensor(g, tensor.Float64, 4, G.WithShape(xs...), G.WithValue(newDense(tensor.Float64, xs, x)), G.WithName("x"))
		var y *G.Node
		var err error
		if isMax {
			y, err = GlobalMaxPool2D(xn)
		} else {
			y, err = GlobalAvgPool2D(xn)
		}
		if err != nil {
			t.Fatal(err)
		}
		vm := G.NewTapeMachine(g)
		if err := vm.RunAll(); err != nil {
			t.Fatal(err)
		}
		if !y.Shape().Eq(tensor.Shape{2, 5}) {
			t.Fatalf("shape %v", y.Shape())
		}
		compare(t, float64s(t, y.Value()), want, 1e-12)
		vm.Close()
	}
}

func TestPadCropUpSample(t *testing.T) {
	xs := []int{2, 3, 2, 2}
	r := rand.New(rand.NewPCG(5, 5))
	x := randSlice(r, prod(xs))
	t.Run("pad", func(t *testing.T) {
		ps := []int{2, 3 + 1 + 2, 2 + 0 + 3, 2}
		want := make([]float64, prod(ps))
		for n := 0; n < 2; n++ {
			for y := 0; y < 3; y++ {
				for xx := 0; xx < 2; xx++ {
					for c := 0; c < 2; c++ {
						want[at4(ps, n, y+1, xx, c)] = x[at4(xs, n, y, xx, c)]
					}
				}
			}
		}
		for _, dt := range dtypes {
			got := run(t, []*tensor.Dense{newDense(dt, xs, x)}, func(n []*G.Node) (*G.Node, error) { return Pad2D(n[0], 1, 2, 0, 3) })
			compare(t, float64s(t, got), want, tolOf(dt))
		}
	})
	t.Run("crop", func(t *testing.T) {
		cs := []int{2, 1, 1, 2}
		want := make([]float64, prod(cs))
		for n := 0; n < 2; n++ {
			for c := 0; c < 2; c++ {
				want[at4(cs, n, 0, 0, c)] = x[at4(xs, n, 1, 1, c)]
			}
		}
		got := run(t, []*tensor.Dense{newDense(tensor.Float64, xs, x)}, func(n []*G.Node) (*G.Node, error) { return Crop2D(n[0], 1, 1, 1, 0) })
		compare(t, float64s(t, got), want, 0)
	})
	t.Run("upsample", func(t *testing.T) {
		us := []int{2, 6, 6, 2}
		want := make([]float64, prod(us))
		for n := 0; n < 2; n++ {
			for y := 0; y < 6; y++ {
				for xx := 0; xx < 6; xx++ {
					for c := 0; c < 2; c++ {
						want[at4(us, n, y, xx, c)] = x[at4(xs, n, y/2, xx/3, c)]
					}
				}
			}
		}
		for _, dt := range dtypes {
			got := run(t, []*tensor.Dense{newDense(dt, xs, x)}, func(n []*G.Node) (*G.Node, error) { return UpSample2D(n[0], 2, 3) })
			compare(t, float64s(t, got), want, tolOf(dt))
		}
	})
	grads := map[string]func(*G.Node) (*G.Node, error){
		"pad":      func(n *G.Node) (*G.Node, error) { return Pad2D(n, 1, 2, 0, 3) },
		"crop":     func(n *G.Node) (*G.Node, error) { return Crop2D(n, 1, 0, 0, 1) },
		"upsample": func(n *G.Node) (*G.Node, error) { return UpSample2D(n, 2, 3) },
	}
	for name, f := range grads {
		t.Run(name+" gradient", func(t *testing.T) {
			res, err := gradcheck.Check(func(in []*G.Node) (*G.Node, error) {
				y, err := f(in[0])
				if err != nil {
					return nil, err
				}
				return weighted(y, 11)
			}, []*tensor.Dense{newDense(tensor.Float64, xs, x)}, gradcheck.Config{})
			if err != nil {
				t.Fatal(err)
			}
			if err := res.Err(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestSamePadding(t *testing.T) {
	// Keras/TensorFlow: out = ceil(in/stride), the odd cell after.
	tests := []struct{ in, k, s, d, before, after int }{
		{5, 3, 1, 1, 1, 1},
		{5, 3, 2, 1, 1, 1},
		{6, 3, 2, 1, 0, 1},
		{4, 2, 2, 1, 0, 0},
		{5, 2, 2, 1, 0, 1},
		{7, 4, 1, 1, 1, 2},
		{8, 3, 1, 2, 2, 2},
		{3, 5, 3, 1, 1, 1},
		{28, 3, 2, 1, 0, 1},
	}
	for _, tc := range tests {
		b, a := SamePadding(tc.in, tc.k, tc.s, tc.d)
		if b != tc.before || a != tc.after {
			t.Errorf("SamePadding(%d, %d, %d, %d) = (%d, %d), want (%d, %d)", tc.in, tc.k, tc.s, tc.d, b, a, tc.before, tc.after)
		}
	}
}

func TestShapeErrors(t *testing.T) {
	g := G.NewGraph()
	x := G.NewTensor(g, tensor.Float32, 4, G.WithShape(1, 4, 4, 2), G.WithName("x"))
	k := G.NewTensor(g, tensor.Float32, 4, G.WithShape(5, 5, 2, 3), G.WithName("k"))
	kc := G.NewTensor(g, tensor.Float32, 4, G.WithShape(3, 3, 1, 3), G.WithName("kc"))
	flat := G.NewMatrix(g, tensor.Float32, G.WithShape(1, 784), G.WithName("flat"))
	tests := []struct {
		name string
		f    func() (*G.Node, error)
	}{
		{"kernel larger than input", func() (*G.Node, error) { return Conv2D(x, k, Window{KH: 5, KW: 5}) }},
		{"channels differ", func() (*G.Node, error) { return Conv2D(x, kc, Window{KH: 3, KW: 3}) }},
		{"window differs from kernel", func() (*G.Node, error) { return Conv2D(x, kc, Window{KH: 2, KW: 3}) }},
		{"rank 2 conv", func() (*G.Node, error) { return Conv2D(flat, k, Window{KH: 5, KW: 5}) }},
		{"rank 2 pool", func() (*G.Node, error) { return MaxPool2D(flat, Window{KH: 2, KW: 2}) }},
		{"pool larger than input", func() (*G.Node, error) { return AvgPool2D(x, Window{KH: 5, KW: 2}) }},
		{"pool dilated", func() (*G.Node, error) { return AvgPool2D(x, Window{KH: 2, KW: 2, DilH: 2}) }},
		{"negative stride", func() (*G.Node, error) { return MaxPool2D(x, Window{KH: 2, KW: 2, StrideH: -1}) }},
		{"crop everything", func() (*G.Node, error) { return Crop2D(x, 2, 2, 0, 0) }},
		{"upsample 0", func() (*G.Node, error) { return UpSample2D(x, 0, 2) }},
	}
	for _, tc := range tests {
		if _, err := tc.f(); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

// TestPreallocAndConcurrency runs every op's Do from several goroutines at
// once, each also writing into a buffer full of garbage, and checks every
// result against a single plain run.
func TestPreallocAndConcurrency(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	xs := []int{3, 9, 8, 4}
	x := newDense(tensor.Float32, xs, randSlice(r, prod(xs)))
	w := Window{KH: 3, KW: 3, StrideH: 2, StrideW: 2, DilH: 1, DilW: 1}.WithSamePadding(9, 8)
	k := newDense(tensor.Float32, []int{3, 3, 4, 5}, randSlice(r, 3*3*4*5))
	y, err := convOp{w: w}.Do(x, k)
	if err != nil {
		t.Fatal(err)
	}
	pw := Window{KH: 2, KW: 2, StrideH: 2, StrideW: 2, DilH: 1, DilW: 1}.WithSamePadding(9, 8)
	py, err := poolOp{w: pw, max: true}.Do(x)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		op G.Op
		in []G.Value
	}{
		{convOp{w: w}, []G.Value{x, k}},
		{convInputGradOp{w: w, h: 9, wd: 8}, []G.Value{k, y}},
		{convKernelGradOp{w: w}, []G.Value{x, y}},
		{poolOp{w: pw, max: true}, []G.Value{x}},
		{poolOp{w: pw}, []G.Value{x}},
		{maxPoolGradOp{w: pw}, []G.Value{x, py, py}},
		{avgPoolGradOp{w: pw, h: 9, wd: 8}, []G.Value{py}},
		{padOp{e: edges{1, 2, 3, 0}}, []G.Value{x}},
		{upOp{sh: 2, sw: 3}, []G.Value{x}},
		{upOp{sh: 3, sw: 2, sum: true}, []G.Value{x}},
		{padOp{e: edges{1, 2, 3, 0}, crop: true}, []G.Value{x}},
		{biasAddOp{rank: 4}, []G.Value{x, newDense(tensor.Float32, []int{4}, []float64{1, 2, 3, 4})}},
		{biasGradOp{rank: 4}, []G.Value{x}},
		{biasAddOp{rank: 4, relu: true}, []G.Value{x, newDense(tensor.Float32, []int{4}, []float64{1, -2, 3, -4})}},
		{reluGradOp{rank: 4}, []G.Value{x, x}},
	}
	for _, tc := range cases {
		want, err := tc.op.Do(tc.in...)
		if err != nil {
			t.Fatalf("%v: %v", tc.op, err)
		}
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for gi := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				buf := tensor.New(tensor.WithShape(want.Shape()...), tensor.WithBacking(make([]float32, want.Shape().TotalSize())))
				for j := range buf.Float32s() {
					buf.Float32s()[j] = float32(math.NaN())
				}
				for it := 0; it < 3; it++ {
					got, err := tc.op.(G.UsePreallocDoer).UsePreallocDo(buf, tc.in...)
					if err != nil {
						errs[gi] = err
						return
					}
					if got.(*tensor.Dense) != buf {
						errs[gi] = fmt.Errorf("did not write into the preallocated buffer")
						return
					}
					for j, v := range got.Data().([]float32) {
						if v != want.Data().([]float32)[j] {
							errs[gi] = fmt.Errorf("element %d: %v, want %v", j, v, want.Data().([]float32)[j])
							return
						}
					}
				}
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Errorf("%v: %v", tc.op, err)
			}
		}
	}
}

func TestBiasAdd(t *testing.T) {
	for _, xs := range [][]int{{2, 3, 4, 5}, {6, 3}, {4}} {
		r := rand.New(rand.NewPCG(uint64(len(xs)), 8))
		c := xs[len(xs)-1]
		x, b := randSlice(r, prod(xs)), randSlice(r, c)
		for i, v := range x {
			// keep x+b away from the relu's kink
			if s := v + b[i%c]; math.Abs(s) < 0.01 {
				x[i] += 0.05
			}
		}
		for _, relu := range []bool{false, true} {
			want := make([]float64, len(x))
			for i := range x {
				want[i] = x[i] + b[i%c]
				if relu {
					want[i] = math.Max(want[i], 0)
				}
			}
			f := BiasAdd
			if relu {
				f = BiasRelu
			}
			for _, dt := range dtypes {
				g := G.NewGraph()
				xn := G.NewTensor(g, dt, len(xs), G.WithShape(xs...), G.WithValue(newDense(dt, xs, x)), G.WithName("x"))
				bn := G.NewVector(g, dt, G.WithShape(c), G.WithValue(newDense(dt, []int{c}, b)), G.WithName("b"))
				y, err := f(xn, bn)
				if err != nil {
					t.Fatal(err)
				}
				vm := G.NewTapeMachine(g)
				if err := vm.RunAll(); err != nil {
					t.Fatal(err)
				}
				compare(t, float64s(t, y.Value()), want, tolOf(dt))
				vm.Close()
			}
			res, err := gradcheck.Check(func(in []*G.Node) (*G.Node, error) {
				y, err := f(in[0], in[1])
				if err != nil {
					return nil, err
				}
				return weighted(y, 13)
			}, []*tensor.Dense{newDense(tensor.Float64, xs, x), newDense(tensor.Float64, []int{c}, b)}, gradcheck.Config{})
			if err != nil {
				t.Fatal(err)
			}
			if err := res.Err(); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestParallelMatchesSerial runs every op on a batch large enough for its
// loops to be split between goroutines and checks the result against the
// same op run sample by sample (too small to be split).
func TestParallelMatchesSerial(t *testing.T) {
	const n = 8
	r := rand.New(rand.NewPCG(21, 22))
	xs := []int{n, 32, 32, 8}
	x := newDense(tensor.Float32, xs, randSlice(r, prod(xs)))
	k := newDense(tensor.Float32, []int{3, 3, 8, 4}, randSlice(r, 3*3*8*4))
	cw := Window{KH: 3, KW: 3, StrideH: 1, StrideW: 1, DilH: 1, DilW: 1}.WithSamePadding(32, 32)
	pw := Window{KH: 3, KW: 3, StrideH: 2, StrideW: 2, DilH: 1, DilW: 1}.WithSamePadding(32, 32)
	y, err := convOp{w: cw}.Do(x, k)
	if err != nil {
		t.Fatal(err)
	}
	py, err := poolOp{w: pw, max: true}.Do(x)
	if err != nil {
		t.Fatal(err)
	}
	b := newDense(tensor.Float32, []int{8}, randSlice(r, 8))
	sample := func(v G.Value, i int) G.Value {
		d := v.(*tensor.Dense)
		s := d.Shape().Clone()
		per := s.TotalSize() / s[0]
		s[0] = 1
		return tensor.New(tensor.WithShape(s...), tensor.WithBacking(d.Float32s()[i*per:(i+1)*per]))
	}
	cases := []struct {
		op      G.Op
		in      []G.Value
		batched []bool // which inputs are split by sample
		sum     bool   // the result is a sum over samples (a kernel or bias gradient)
	}{
		{convOp{w: cw}, []G.Value{x, k}, []bool{true, false}, false},
		{convInputGradOp{w: cw, h: 32, wd: 32}, []G.Value{k, y}, []bool{false, true}, false},
		{convKernelGradOp{w: cw}, []G.Value{x, y}, []bool{true, true}, true},
		{poolOp{w: pw, max: true}, []G.Value{x}, []bool{true}, false},
		{poolOp{w: pw}, []G.Value{x}, []bool{true}, false},
		{maxPoolGradOp{w: pw}, []G.Value{x, py, py}, []bool{true, true, true}, false},
		{avgPoolGradOp{w: pw, h: 32, wd: 32}, []G.Value{py}, []bool{true}, false},
		{biasAddOp{rank: 4, relu: true}, []G.Value{x, b}, []bool{true, false}, false},
		{reluGradOp{rank: 4}, []G.Value{x, x}, []bool{true, true}, false},
	}
	for _, tc := range cases {
		whole, err := tc.op.Do(tc.in...)
		if err != nil {
			t.Fatalf("%v: %v", tc.op, err)
		}
		var want []float64
		for i := 0; i < n; i++ {
			in := make([]G.Value, len(tc.in))
			for j, v := range tc.in {
				in[j] = v
				if tc.batched[j] {
					in[j] = sample(v, i)
				}
			}
			part, err := tc.op.Do(in...)
			if err != nil {
				t.Fatalf("%v sample %d: %v", tc.op, i, err)
			}
			p := float64s(t, part)
			if !tc.sum {
				want = append(want, p...)
				continue
			}
			if want == nil {
				want = make([]float64, len(p))
			}
			for j, v := range p {
				want[j] += v
			}
		}
		compare(t, float64s(t, whole), want, 1e-4)
	}
}
