package nn

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	"github.com/gokeras/keras/internal/opkit"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// MaxPool2D takes the maximum of every window of x, of shape (batch,
// height, width, channels), per channel. Padding cells never win (they
// count as -Inf, as in TensorFlow). The gradient goes to the first
// maximum of each window in row-major order.
func MaxPool2D(x *G.Node, w Window) (*G.Node, error) {
	return pool(x, w, true)
}

// AvgPool2D averages every window of x, of shape (batch, height, width,
// channels), per channel, over the window's real cells only: padding is
// not counted (Keras's "same" average pooling).
func AvgPool2D(x *G.Node, w Window) (*G.Node, error) {
	return pool(x, w, false)
}

// GlobalMaxPool2D returns the maximum over height and width of x, of
// shape (batch, height, width, channels), as (batch, channels).
func GlobalMaxPool2D(x *G.Node) (*G.Node, error) { return global(x, true) }

// GlobalAvgPool2D returns the mean over height and width of x, of shape
// (batch, height, width, channels), as (batch, channels).
func GlobalAvgPool2D(x *G.Node) (*G.Node, error) { return global(x, false) }

func global(x *G.Node, isMax bool) (*G.Node, error) {
	s := x.Shape()
	if s.Dims() != 4 {
		return nil, fmt.Errorf("global pooling: expected input of rank 4 (batch, height, width, channels), got %v", s)
	}
	p, err := pool(x, Window{KH: s[1], KW: s[2]}, isMax)
	if err != nil {
		return nil, err
	}
	return G.Reshape(p, tensor.Shape{s[0], s[3]})
}

func pool(x *G.Node, w Window, isMax bool) (*G.Node, error) {
	w = w.norm()
	name := "avg_pool2d"
	if isMax {
		name = "max_pool2d"
	}
	if _, _, err := poolShapes(x.Shape(), w); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return G.ApplyOp(poolOp{w: w, max: isMax}, x)
}

// poolShapes checks an input shape against a pooling window and returns
// the output height and width.
func poolShapes(xs tensor.Shape, w Window) (oh, ow int, err error) {
	if xs.Dims() != 4 {
		return 0, 0, fmt.Errorf("expected input of rank 4 (batch, height, width, channels), got %v", xs)
	}
	if w.DilH != 1 || w.DilW != 1 {
		return 0, 0, fmt.Errorf("pooling windows are not dilated, got dilation (%d, %d)", w.DilH, w.DilW)
	}
	if w.PadTop >= w.KH || w.PadBottom >= w.KH || w.PadLeft >= w.KW || w.PadRight >= w.KW {
		return 0, 0, fmt.Errorf("padding (%d, %d, %d, %d) leaves windows without a real cell for a %dx%d pool", w.PadTop, w.PadBottom, w.PadLeft, w.PadRight, w.KH, w.KW)
	}
	return w.outHW(xs[1], xs[2])
}

// poolOp is max or average pooling: x -> y.
type poolOp struct {
	opkit.Base
	w   Window
	max bool
}

// Arity is 1.
func (op poolOp) Arity() int { return 1 }

// Type is a → a over rank-4 tensors.
func (op poolOp) Type() hm.Type { return hm.NewFnType(t4(), t4()) }

// InferShape returns (batch, outHeight, outWidth, channels).
func (op poolOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	ss, err := shapes4(op, in, 1)
	if err != nil {
		return nil, err
	}
	xs := ss[0]
	oh, ow, err := poolShapes(xs, op.w)
	if err != nil {
		return nil, err
	}
	return tensor.Shape{xs[0], oh, ow, xs[3]}, nil
}

// Do pools into a new tensor.
func (op poolOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// UsePreallocDo pools into prealloc when it fits.
func (op poolOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	ds, err := opkit.Inputs(op, in, dense, "pooling input")
	if err != nil {
		return nil, err
	}
	x := ds[0]
	xs := x.Shape()
	oh, ow, err := poolShapes(xs, op.w)
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	out := opkit.Output(prealloc, x.Dtype(), xs[0], oh, ow, xs[3])
	s := newConvSizes(xs, 0, oh, ow, op.w)
	switch {
	case op.max && x.Dtype() == tensor.Float32:
		maxPoolForward(s, x.Float32s(), out.Float32s())
	case op.max:
		maxPoolForward(s, x.Float64s(), out.Float64s())
	case x.Dtype() == tensor.Float32:
		avgPoolForward(s, x.Float32s(), out.Float32s())
	default:
		avgPoolForward(s, x.Float64s(), out.Float64s())
	}
	return out, nil
}

// DiffWRT: the input.
func (op poolOp) DiffWRT(int) []bool { return []bool{true} }

// SymDiff returns the gradient with respect to the input.
func (op poolOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if len(inputs) != 1 {
		return nil, fmt.Errorf("%v: expected 1 input, got %d", op, len(inputs))
	}
	x := inputs[0]
	var dx *G.Node
	var err error
	if op.max {
		dx, err = G.ApplyOp(maxPoolGradOp{w: op.w}, x, output, grad)
	} else {
		xs := x.Shape()
		dx, err = G.ApplyOp(avgPoolGradOp{w: op.w, h: xs[1], wd: xs[2]}, grad)
	}
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx}, nil
}

// WriteHash writes the op's name and parameters.
func (op poolOp) WriteHash(h hash.Hash) { opkit.WriteName(h, op) }

// Hashcode hashes the op's name and parameters.
func (op poolOp) Hashcode() uint32 { return opkit.Hashcode(op) }

// String names the op and its window.
func (op poolOp) String() string {
	if op.max {
		return "MaxPool2DNHWC{" + op.w.String() + "}"
	}
	return "AvgPool2DNHWC{" + op.w.String() + "}"
}

// maxPoolGradOp is max pooling's gradient: (x, y, dy) -> dx, y being the
// forward output. It finds where each window's maximum y came from again
// rather than keeping a mask from the forward pass, so the op holds no
// state.
type maxPoolGradOp struct {
	opkit.Base
	w Window
}

// Arity is 3: the pooled input, the output and the output's gradient.
func (op maxPoolGradOp) Arity() int { return 3 }

// Type is a → a → a → a over rank-4 tensors.
func (op maxPoolGradOp) Type() hm.Type { return hm.NewFnType(t4(), t4(), t4(), t4()) }

// InferShape returns the input's shape.
func (op maxPoolGradOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	if len(in) != 3 {
		return nil, fmt.Errorf("%v: expected 3 shapes, got %d", op, len(in))
	}
	xs, err := shape4(in[0], op.String())
	if err != nil {
		return nil, err
	}
	return xs.Clone(), nil
}

// Do computes dx into a new tensor.
func (op maxPoolGradOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// UsePreallocDo computes dx into prealloc when it fits.
func (op maxPoolGradOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	ds, err := opkit.Inputs(op, in, dense, "max pooling input", "max pooling output", "max pooling output gradient")
	if err != nil {
		return nil, err
	}
	x, y, g := ds[0], ds[1], ds[2]
	xs := x.Shape()
	oh, ow, err := poolShapes(xs, op.w)
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	want := tensor.Shape{xs[0], oh, ow, xs[3]}
	if !g.Shape().Eq(want) || !y.Shape().Eq(want) {
		return nil, fmt.Errorf("%v: output %v and its gradient %v, expected %v", op, y.Shape(), g.Shape(), want)
	}
	out := opkit.Output(prealloc, x.Dtype(), xs...)
	s := newConvSizes(xs, 0, oh, ow, op.w)
	switch x.Dtype() {
	case tensor.Float32:
		maxPoolGrad(s, x.Float32s(), y.Float32s(), g.Float32s(), out.Float32s())
	default:
		maxPoolGrad(s, x.Float64s(), y.Float64s(), g.Float64s(), out.Float64s())
	}
	return out, nil
}

// WriteHash writes the op's name and parameters.
func (op maxPoolGradOp) WriteHash(h hash.Hash) { opkit.WriteName(h, op) }

// Hashcode hashes the op's name and parameters.
func (op maxPoolGradOp) Hashcode() uint32 { return opkit.Hashcode(op) }

// String names the op and its window.
func (op maxPoolGradOp) String() string { return "MaxPool2DNHWCGrad{" + op.w.String() + "}" }

// avgPoolGradOp is average pooling's gradient: dy -> dx. The input's
// height and width cannot be told from dy, so the op holds them.
type avgPoolGradOp struct {
	opkit.Base
	w     Window
	h, wd int
}

// Arity is 1: the output's gradient.
func (op avgPoolGradOp) Arity() int { return 1 }

// Type is a → a over rank-4 tensors.
func (op avgPoolGradOp) Type() hm.Type { return hm.NewFnType(t4(), t4()) }

// InferShape returns the input's shape.
func (op avgPoolGradOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	ss, err := shapes4(op, in, 1)
	if err != nil {
		return nil, err
	}
	gs := ss[0]
	return tensor.Shape{gs[0], op.h, op.wd, gs[3]}, nil
}

// Do computes dx into a new tensor.
func (op avgPoolGradOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// UsePreallocDo computes dx into prealloc when it fits.
func (op avgPoolGradOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	ds, err := opkit.Inputs(op, in, dense, "average pooling output gradient")
	if err != nil {
		return nil, err
	}
	g := ds[0]
	gs := g.Shape()
	xs := tensor.Shape{gs[0], op.h, op.wd, gs[3]}
	oh, ow, err := poolShapes(xs, op.w)
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	if gs[1] != oh || gs[2] != ow {
		return nil, fmt.Errorf("%v: output gradient of shape %v, expected (%d, %d, %d, %d)", op, gs, gs[0], oh, ow, gs[3])
	}
	out := opkit.Output(prealloc, g.Dtype(), xs...)
	s := newConvSizes(xs, 0, oh, ow, op.w)
	switch g.Dtype() {
	case tensor.Float32:
		avgPoolGrad(s, g.Float32s(), out.Float32s())
	default:
		avgPoolGrad(s, g.Float64s(), out.Float64s())
	}
	return out, nil
}

// WriteHash writes the op's name and parameters.
func (op avgPoolGradOp) WriteHash(h hash.Hash) { opkit.WriteName(h, op) }

// Hashcode hashes the op's name and parameters.
func (op avgPoolGradOp) Hashcode() uint32 { return opkit.Hashcode(op) }

// String names the op and its parameters.
func (op avgPoolGradOp) String() string {
	return fmt.Sprintf("AvgPool2DNHWCGrad{%v in=%dx%d}", op.w, op.h, op.wd)
}

// span returns the rows [lo, hi) of the input that window position o
// covers along an axis of length n (start o·stride - pad, size k).
func span(o, stride, pad, k, n int) (lo, hi int) {
	start := o*stride - pad
	return max(start, 0), min(start+k, n)
}

func maxPoolForward[T float](s convSizes, x, out []T) {
	parallelFor(s.n, len(x), func(lo, hi int) { maxPoolForwardRange(s, x, out, lo, hi) })
}

func maxPoolForwardRange[T float](s convSizes, x, out []T, lo, hi int) {
	c := s.c
	for n := lo; n < hi; n++ {
		img := x[n*s.h*s.wd*c:]
		for oy := 0; oy < s.oh; oy++ {
			y0, y1 := span(oy, s.w.StrideH, s.w.PadTop, s.w.KH, s.h)
			for ox := 0; ox < s.ow; ox++ {
				x0, x1 := span(ox, s.w.StrideW, s.w.PadLeft, s.w.KW, s.wd)
				o := out[((n*s.oh+oy)*s.ow+ox)*c:][:c]
				copy(o, img[(y0*s.wd+x0)*c:][:c])
				for iy := y0; iy < y1; iy++ {
					for ix := x0; ix < x1; ix++ {
						v := img[(iy*s.wd+ix)*c:][:c]
						for i, e := range v {
							o[i] = max(o[i], e)
						}
					}
				}
			}
		}
	}
}

// maxPoolGrad sends each output cell's gradient to the first cell of its
// window, in row-major order, that holds the window's maximum y. Windows
// may overlap, so dx accumulates.
func maxPoolGrad[T float](s convSizes, x, y, g, dx []T) {
	parallelFor(s.n, len(x), func(lo, hi int) { maxPoolGradRange(s, x, y, g, dx, lo, hi) })
}

func maxPoolGradRange[T float](s convSizes, x, y, g, dx []T, lo, hi int) {
	per := s.h * s.wd * s.c
	clear(dx[lo*per : hi*per])
	c := s.c
	sp := getScratch[int](c)
	defer putScratch(sp)
	at := *sp
	for n := lo; n < hi; n++ {
		base := n * s.h * s.wd * c
		for oy := 0; oy < s.oh; oy++ {
			y0, y1 := span(oy, s.w.StrideH, s.w.PadTop, s.w.KH, s.h)
			for ox := 0; ox < s.ow; ox++ {
				x0, x1 := span(ox, s.w.StrideW, s.w.PadLeft, s.w.KW, s.wd)
				o := ((n*s.oh+oy)*s.ow + ox) * c
				best := y[o : o+c]
				// The first maximum in row-major order is the last one
				// met walking backwards. Only the integer index is
				// chosen in the branch, which the compiler turns into a
				// conditional move: random data would mispredict a jump
				// half the time. A window whose maximum is NaN sends its
				// gradient to its first cell.
				first := base + (y0*s.wd+x0)*c
				for i := range at {
					at[i] = first + i
				}
				for iy := y1 - 1; iy >= y0; iy-- {
					for ix := x1 - 1; ix >= x0; ix-- {
						off := base + (iy*s.wd+ix)*c
						for i, e := range x[off : off+c] {
							a := at[i]
							if e == best[i] {
								a = off + i
							}
							at[i] = a
						}
					}
				}
				for i, a := range at {
					dx[a] += g[o+i]
				}
			}
		}
	}
}

func avgPoolForward[T float](s convSizes, x, out []T) {
	parallelFor(s.n, len(x), func(lo, hi int) { avgPoolForwardRange(s, x, out, lo, hi) })
}

func avgPoolForwardRange[T float](s convSizes, x, out []T, lo, hi int) {
	c := s.c
	for n := lo; n < hi; n++ {
		img := x[n*s.h*s.wd*c:]
		for oy := 0; oy < s.oh; oy++ {
			y0, y1 := span(oy, s.w.StrideH, s.w.PadTop, s.w.KH, s.h)
			for ox := 0; ox < s.ow; ox++ {
				x0, x1 := span(ox, s.w.StrideW, s.w.PadLeft, s.w.KW, s.wd)
				o := out[((n*s.oh+oy)*s.ow+ox)*c:][:c]
				clear(o)
				for iy := y0; iy < y1; iy++ {
					for ix := x0; ix < x1; ix++ {
						add(o, img[(iy*s.wd+ix)*c:][:c])
					}
				}
				cnt := T((y1 - y0) * (x1 - x0))
				for i := range o {
					o[i] /= cnt
				}
			}
		}
	}
}

func avgPoolGrad[T float](s convSizes, g, dx []T) {
	parallelFor(s.n, len(dx), func(lo, hi int) { avgPoolGradRange(s, g, dx, lo, hi) })
}

func avgPoolGradRange[T float](s convSizes, g, dx []T, lo, hi int) {
	per := s.h * s.wd * s.c
	clear(dx[lo*per : hi*per])
	c := s.c
	for n := lo; n < hi; n++ {
		img := dx[n*s.h*s.wd*c:]
		for oy := 0; oy < s.oh; oy++ {
			y0, y1 := span(oy, s.w.StrideH, s.w.PadTop, s.w.KH, s.h)
			for ox := 0; ox < s.ow; ox++ {
				x0, x1 := span(ox, s.w.StrideW, s.w.PadLeft, s.w.KW, s.wd)
				gy := g[((n*s.oh+oy)*s.ow+ox)*c:][:c]
				inv := 1 / T((y1-y0)*(x1-x0))
				for iy := y0; iy < y1; iy++ {
					for ix := x0; ix < x1; ix++ {
						d := img[(iy*s.wd+ix)*c:][:c]
						for i, v := range gy {
							d[i] += v * inv
						}
					}
				}
			}
		}
	}
}
