package nn

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	"github.com/gokeras/keras/internal/opkit"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Conv2D convolves x, of shape (batch, height, width, channels), with
// kernel, of Keras's shape (kh, kw, channels, filters), sliding as w says
// (w.KH and w.KW must match the kernel). The result has shape (batch,
// outHeight, outWidth, filters); no bias is added. It is differentiable
// with respect to both inputs.
func Conv2D(x, kernel *G.Node, w Window) (*G.Node, error) {
	w = w.norm()
	if _, _, err := convShapes(x.Shape(), kernel.Shape(), w); err != nil {
		return nil, fmt.Errorf("conv2d: %w", err)
	}
	return G.ApplyOp(convOp{w: w}, x, kernel)
}

// convShapes checks an input and a kernel shape against w and returns the
// output height and width.
func convShapes(xs, ks tensor.Shape, w Window) (oh, ow int, err error) {
	if xs.Dims() != 4 {
		return 0, 0, fmt.Errorf("expected input of rank 4 (batch, height, width, channels), got %v", xs)
	}
	if ks.Dims() != 4 {
		return 0, 0, fmt.Errorf("expected kernel of rank 4 (height, width, in channels, filters), got %v", ks)
	}
	if ks[0] != w.KH || ks[1] != w.KW {
		return 0, 0, fmt.Errorf("kernel of shape %v does not match the window %dx%d", ks, w.KH, w.KW)
	}
	if ks[2] != xs[3] {
		return 0, 0, fmt.Errorf("kernel of shape %v expects %d input channels, input %v has %d", ks, ks[2], xs, xs[3])
	}
	return w.outHW(xs[1], xs[2])
}

// pointwise reports whether the convolution is a plain matrix product
// (a 1x1 kernel, stride 1, no padding): then im2col is the identity.
func (w Window) pointwise() bool {
	return w.KH == 1 && w.KW == 1 && w.StrideH == 1 && w.StrideW == 1 &&
		w.PadTop == 0 && w.PadBottom == 0 && w.PadLeft == 0 && w.PadRight == 0
}

// convOp is the forward convolution: (x, kernel) -> y.
type convOp struct {
	opkit.Base
	w Window
}

// Arity is 2: the input and the kernel.
func (op convOp) Arity() int { return 2 }

// Type is a → a → a over rank-4 tensors.
func (op convOp) Type() hm.Type { return hm.NewFnType(t4(), t4(), t4()) }

// InferShape returns (batch, outHeight, outWidth, filters).
func (op convOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	ss, err := shapes4(op, in, 2)
	if err != nil {
		return nil, err
	}
	xs, ks := ss[0], ss[1]
	oh, ow, err := convShapes(xs, ks, op.w)
	if err != nil {
		return nil, err
	}
	return tensor.Shape{xs[0], oh, ow, ks[3]}, nil
}

// Do convolves into a new tensor.
func (op convOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// UsePreallocDo convolves into prealloc when it fits.
func (op convOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	ds, err := opkit.Inputs(op, in, dense, "conv2d input", "conv2d kernel")
	if err != nil {
		return nil, err
	}
	x, k := ds[0], ds[1]
	xs, ks := x.Shape(), k.Shape()
	oh, ow, err := convShapes(xs, ks, op.w)
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	out := opkit.Output(prealloc, x.Dtype(), xs[0], oh, ow, ks[3])
	s := newConvSizes(xs, ks[3], oh, ow, op.w)
	switch x.Dtype() {
	case tensor.Float32:
		convForward(s, x.Float32s(), k.Float32s(), out.Float32s())
	default:
		convForward(s, x.Float64s(), k.Float64s(), out.Float64s())
	}
	return out, nil
}

// DiffWRT: both the input and the kernel.
func (op convOp) DiffWRT(int) []bool { return []bool{true, true} }

// SymDiff returns the gradients with respect to the input and the kernel.
func (op convOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if len(inputs) != 2 {
		return nil, fmt.Errorf("%v: expected 2 inputs, got %d", op, len(inputs))
	}
	x, k := inputs[0], inputs[1]
	xs := x.Shape()
	dx, err := G.ApplyOp(convInputGradOp{w: op.w, h: xs[1], wd: xs[2]}, k, grad)
	if err != nil {
		return nil, err
	}
	dk, err := G.ApplyOp(convKernelGradOp{w: op.w}, x, grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx, dk}, nil
}

// WriteHash writes the op's name and parameters.
func (op convOp) WriteHash(h hash.Hash) { opkit.WriteName(h, op) }

// Hashcode hashes the op's name and parameters.
func (op convOp) Hashcode() uint32 { return opkit.Hashcode(op) }

// String names the op and its window.
func (op convOp) String() string { return "Conv2DNHWC{" + op.w.String() + "}" }

// convInputGradOp is the gradient of a convolution with respect to its
// input: (kernel, dy) -> dx. The input's height and width cannot be told
// from dy when the stride is above 1, so the op holds them.
type convInputGradOp struct {
	opkit.Base
	w     Window
	h, wd int
}

// Arity is 2: the kernel and the output's gradient.
func (op convInputGradOp) Arity() int { return 2 }

// Type is a → a → a over rank-4 tensors.
func (op convInputGradOp) Type() hm.Type { return hm.NewFnType(t4(), t4(), t4()) }

// InferShape returns the input's shape (batch, h, wd, channels).
func (op convInputGradOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	ss, err := shapes4(op, in, 2)
	if err != nil {
		return nil, err
	}
	ks, gs := ss[0], ss[1]
	return tensor.Shape{gs[0], op.h, op.wd, ks[2]}, nil
}

// Do computes dx into a new tensor.
func (op convInputGradOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// UsePreallocDo computes dx into prealloc when it fits.
func (op convInputGradOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	ds, err := opkit.Inputs(op, in, dense, "conv2d kernel", "conv2d output gradient")
	if err != nil {
		return nil, err
	}
	k, g := ds[0], ds[1]
	ks, gs := k.Shape(), g.Shape()
	xs := tensor.Shape{gs[0], op.h, op.wd, ks[2]}
	oh, ow, err := convShapes(xs, ks, op.w)
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	if gs[1] != oh || gs[2] != ow || gs[3] != ks[3] {
		return nil, fmt.Errorf("%v: output gradient of shape %v, expected (%d, %d, %d, %d)", op, gs, gs[0], oh, ow, ks[3])
	}
	out := opkit.Output(prealloc, k.Dtype(), xs...)
	s := newConvSizes(xs, ks[3], oh, ow, op.w)
	switch k.Dtype() {
	case tensor.Float32:
		convInputGrad(s, k.Float32s(), g.Float32s(), out.Float32s())
	default:
		convInputGrad(s, k.Float64s(), g.Float64s(), out.Float64s())
	}
	return out, nil
}

// WriteHash writes the op's name and parameters.
func (op convInputGradOp) WriteHash(h hash.Hash) { opkit.WriteName(h, op) }

// Hashcode hashes the op's name and parameters.
func (op convInputGradOp) Hashcode() uint32 { return opkit.Hashcode(op) }

// String names the op and its parameters.
func (op convInputGradOp) String() string {
	return fmt.Sprintf("Conv2DNHWCInputGrad{%v in=%dx%d}", op.w, op.h, op.wd)
}

// convKernelGradOp is the gradient of a convolution with respect to its
// kernel: (x, dy) -> dkernel.
type convKernelGradOp struct {
	opkit.Base
	w Window
}

// Arity is 2: the input and the output's gradient.
func (op convKernelGradOp) Arity() int { return 2 }

// Type is a → a → a over rank-4 tensors.
func (op convKernelGradOp) Type() hm.Type { return hm.NewFnType(t4(), t4(), t4()) }

// InferShape returns the kernel's shape (kh, kw, channels, filters).
func (op convKernelGradOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	ss, err := shapes4(op, in, 2)
	if err != nil {
		return nil, err
	}
	xs, gs := ss[0], ss[1]
	return tensor.Shape{op.w.KH, op.w.KW, xs[3], gs[3]}, nil
}

// Do computes dkernel into a new tensor.
func (op convKernelGradOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// UsePreallocDo computes dkernel into prealloc when it fits.
func (op convKernelGradOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	ds, err := opkit.Inputs(op, in, dense, "conv2d input", "conv2d output gradient")
	if err != nil {
		return nil, err
	}
	x, g := ds[0], ds[1]
	xs, gs := x.Shape(), g.Shape()
	ks := tensor.Shape{op.w.KH, op.w.KW, xs[3], gs[3]}
	oh, ow, err := convShapes(xs, ks, op.w)
	if err != nil {
		return nil, fmt.Errorf("%v: %w", op, err)
	}
	if gs[0] != xs[0] || gs[1] != oh || gs[2] != ow {
		return nil, fmt.Errorf("%v: output gradient of shape %v, expected (%d, %d, %d, %d)", op, gs, xs[0], oh, ow, gs[3])
	}
	out := opkit.Output(prealloc, x.Dtype(), ks...)
	s := newConvSizes(xs, ks[3], oh, ow, op.w)
	switch x.Dtype() {
	case tensor.Float32:
		convKernelGrad(s, x.Float32s(), g.Float32s(), out.Float32s())
	default:
		convKernelGrad(s, x.Float64s(), g.Float64s(), out.Float64s())
	}
	return out, nil
}

// WriteHash writes the op's name and parameters.
func (op convKernelGradOp) WriteHash(h hash.Hash) { opkit.WriteName(h, op) }

// Hashcode hashes the op's name and parameters.
func (op convKernelGradOp) Hashcode() uint32 { return opkit.Hashcode(op) }

// String names the op and its window.
func (op convKernelGradOp) String() string { return "Conv2DNHWCKernelGrad{" + op.w.String() + "}" }

// convSizes holds every size of one convolution.
type convSizes struct {
	n, h, wd, c, f, oh, ow int
	w                      Window
}

// newConvSizes is the sizes of a convolution (f filters; 0 for a
// pooling) or a pooling of an input of shape xs, (batch, height, width,
// channels), to oh×ow cells.
func newConvSizes(xs tensor.Shape, f, oh, ow int, w Window) convSizes {
	return convSizes{n: xs[0], h: xs[1], wd: xs[2], c: xs[3], f: f, oh: oh, ow: ow, w: w}
}

// chunks returns the width K = kh·kw·c of an im2col row, the rows per
// sample (oh·ow) and how many samples are lowered at a time.
func (s convSizes) chunks() (K, rps, nb int) {
	K = s.w.KH * s.w.KW * s.c
	rps = s.oh * s.ow
	return K, rps, min(samplesPerChunk(rps*K), s.n)
}

// convForward computes out (n·oh·ow × f) = im2col(x) (n·oh·ow × K) ·
// kernel (K × f), K = kh·kw·c, a few samples at a time.
func convForward[T float](s convSizes, x, k, out []T) {
	if s.w.pointwise() {
		opkit.Gemm(false, false, s.n*s.h*s.wd, s.f, s.c, x, s.c, k, s.f, 0, out, s.f)
		return
	}
	K, rps, nb := s.chunks()
	sp := getScratch[T](nb * rps * K)
	defer putScratch(sp)
	col := *sp
	for n0 := 0; n0 < s.n; n0 += nb {
		n1 := min(n0+nb, s.n)
		lower(s, x, n0, n1, col)
		opkit.Gemm(false, false, (n1-n0)*rps, s.f, K, col, K, k, s.f, 0, out[n0*rps*s.f:], s.f)
	}
}

// convKernelGrad computes dk (K × f) = im2col(x)ᵀ · dy.
func convKernelGrad[T float](s convSizes, x, g, dk []T) {
	if s.w.pointwise() {
		opkit.Gemm(true, false, s.c, s.f, s.n*s.h*s.wd, x, s.c, g, s.f, 0, dk, s.f)
		return
	}
	K, rps, nb := s.chunks()
	sp := getScratch[T](nb * rps * K)
	defer putScratch(sp)
	col := *sp
	var beta T
	for n0 := 0; n0 < s.n; n0 += nb {
		n1 := min(n0+nb, s.n)
		lower(s, x, n0, n1, col)
		opkit.Gemm(true, false, K, s.f, (n1-n0)*rps, col, K, g[n0*rps*s.f:], s.f, beta, dk, s.f)
		beta = 1
	}
}

// convInputGrad computes dx = col2im(dy · kernelᵀ).
func convInputGrad[T float](s convSizes, k, g, dx []T) {
	if s.w.pointwise() {
		opkit.Gemm(false, true, s.n*s.h*s.wd, s.c, s.f, g, s.f, k, s.f, 0, dx, s.c)
		return
	}
	clear(dx)
	K, rps, nb := s.chunks()
	sp := getScratch[T](nb * rps * K)
	defer putScratch(sp)
	col := *sp
	for n0 := 0; n0 < s.n; n0 += nb {
		n1 := min(n0+nb, s.n)
		opkit.Gemm(false, true, (n1-n0)*rps, K, s.f, g[n0*rps*s.f:], s.f, k, s.f, 0, col, K)
		raise(s, col, n0, n1, dx)
	}
}

// lower is im2col of samples [n0, n1), split between goroutines by
// sample: each writes its own rows of col.
func lower[T float](s convSizes, x []T, n0, n1 int, col []T) {
	rows := s.oh * s.ow * s.w.KH * s.w.KW * s.c
	parallelFor(n1-n0, (n1-n0)*rows, func(lo, hi int) {
		im2col(x, s.h, s.wd, s.c, s.w, s.oh, s.ow, n0+lo, n0+hi, col[lo*rows:])
	})
}

// raise is col2im of samples [n0, n1), split between goroutines by
// sample: each adds into its own samples of dx.
func raise[T float](s convSizes, col []T, n0, n1 int, dx []T) {
	rows := s.oh * s.ow * s.w.KH * s.w.KW * s.c
	parallelFor(n1-n0, (n1-n0)*rows, func(lo, hi int) {
		col2im(col[lo*rows:], s.h, s.wd, s.c, s.w, s.oh, s.ow, n0+lo, n0+hi, dx)
	})
}
