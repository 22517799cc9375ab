package nn

import (
	"fmt"
	"hash"

	"github.com/chewxy/hm"
	"github.com/gokeras/keras/internal/opkit"
	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// Pad2D adds rows and columns of zeros around the height and width of x,
// of shape (batch, height, width, channels): top and bottom rows, left
// and right columns.
func Pad2D(x *G.Node, top, bottom, left, right int) (*G.Node, error) {
	if top < 0 || bottom < 0 || left < 0 || right < 0 {
		return nil, fmt.Errorf("zero_padding2d: padding must not be negative, got (%d, %d, %d, %d)", top, bottom, left, right)
	}
	if s := x.Shape(); s.Dims() != 4 {
		return nil, fmt.Errorf("zero_padding2d: expected input of rank 4 (batch, height, width, channels), got %v", s)
	}
	return G.ApplyOp(padOp{e: edges{top, bottom, left, right}}, x)
}

// Crop2D removes rows and columns from the height and width of x, of
// shape (batch, height, width, channels): Pad2D's adjoint.
func Crop2D(x *G.Node, top, bottom, left, right int) (*G.Node, error) {
	s := x.Shape()
	if s.Dims() != 4 {
		return nil, fmt.Errorf("cropping2d: expected input of rank 4 (batch, height, width, channels), got %v", s)
	}
	if top < 0 || bottom < 0 || left < 0 || right < 0 || top+bottom >= s[1] || left+right >= s[2] {
		return nil, fmt.Errorf("cropping2d: cannot crop (%d, %d, %d, %d) from input of shape %v", top, bottom, left, right, s)
	}
	return G.ApplyOp(padOp{e: edges{top, bottom, left, right}, crop: true}, x)
}

// resizer is an op of one rank-4 input whose output's shape follows
// from the input's: padding, cropping, up-sampling and its gradient.
type resizer interface {
	fmt.Stringer
	outShape(tensor.Shape) (tensor.Shape, error)
}

// resizedShape is a resizer's InferShape.
func resizedShape[O resizer](op O, in []G.DimSizer) (tensor.Shape, error) {
	ss, err := shapes4(op, in, 1)
	if err != nil {
		return nil, err
	}
	return op.outShape(ss[0])
}

// resize is a resizer's UsePreallocDo: it reads the input (what names
// it in errors) and runs the kernel of its dtype from the input's shape
// to the output's.
func resize[O resizer](op O, prealloc G.Value, in []G.Value, what string,
	k32 func(O, tensor.Shape, tensor.Shape, []float32, []float32),
	k64 func(O, tensor.Shape, tensor.Shape, []float64, []float64)) (G.Value, error) {
	ds, err := opkit.Inputs(op, in, dense, what)
	if err != nil {
		return nil, err
	}
	x := ds[0]
	xs := x.Shape()
	os, err := op.outShape(xs)
	if err != nil {
		return nil, err
	}
	out := opkit.Output(prealloc, x.Dtype(), os...)
	switch x.Dtype() {
	case tensor.Float32:
		k32(op, xs, os, x.Float32s(), out.Float32s())
	default:
		k64(op, xs, os, x.Float64s(), out.Float64s())
	}
	return out, nil
}

// edges are cell counts at the four sides of an image.
type edges struct{ top, bottom, left, right int }

// padOp pads with zeros, or crops when crop is set; each is the other's
// gradient.
type padOp struct {
	opkit.Base
	e    edges
	crop bool
}

// Arity is 1.
func (op padOp) Arity() int { return 1 }

// Type is a → a over rank-4 tensors.
func (op padOp) Type() hm.Type { return hm.NewFnType(t4(), t4()) }

func (op padOp) outShape(s tensor.Shape) (tensor.Shape, error) {
	dh, dw := op.e.top+op.e.bottom, op.e.left+op.e.right
	if op.crop {
		if dh >= s[1] || dw >= s[2] {
			return nil, fmt.Errorf("%v: cannot crop input of shape %v", op, s)
		}
		dh, dw = -dh, -dw
	}
	return tensor.Shape{s[0], s[1] + dh, s[2] + dw, s[3]}, nil
}

// InferShape returns the padded (or cropped) shape.
func (op padOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return resizedShape(op, in)
}

// Do pads (or crops) into a new tensor.
func (op padOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// UsePreallocDo pads (or crops) into prealloc when it fits.
func (op padOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	return resize(op, prealloc, in, "padding input", padCopy[float32], padCopy[float64])
}

// padCopy copies the image between the small shape and the big one.
func padCopy[T float](op padOp, xs, os tensor.Shape, x, out []T) {
	small, big := os, xs
	if !op.crop {
		small, big = xs, os
		clear(out)
	}
	n, h, w, c := small[0], small[1], small[2], small[3]
	bh, bw := big[1], big[2]
	for i := 0; i < n; i++ {
		for y := 0; y < h; y++ {
			s := ((i*h + y) * w) * c
			b := ((i*bh+y+op.e.top)*bw + op.e.left) * c
			if op.crop {
				copy(out[s:s+w*c], x[b:b+w*c])
			} else {
				copy(out[b:b+w*c], x[s:s+w*c])
			}
		}
	}
}

// DiffWRT: the input.
func (op padOp) DiffWRT(int) []bool { return []bool{true} }

// SymDiff crops the gradient of a padding, pads that of a cropping.
func (op padOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if len(inputs) != 1 {
		return nil, fmt.Errorf("%v: expected 1 input, got %d", op, len(inputs))
	}
	dx, err := G.ApplyOp(padOp{e: op.e, crop: !op.crop}, grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx}, nil
}

// WriteHash writes the op's name and parameters.
func (op padOp) WriteHash(h hash.Hash) { opkit.WriteName(h, op) }

// Hashcode hashes the op's name and parameters.
func (op padOp) Hashcode() uint32 { return opkit.Hashcode(op) }

// String names the op and its edges.
func (op padOp) String() string {
	name := "ZeroPad2DNHWC"
	if op.crop {
		name = "Crop2DNHWC"
	}
	return fmt.Sprintf("%s{%d,%d,%d,%d}", name, op.e.top, op.e.bottom, op.e.left, op.e.right)
}

// UpSample2D repeats every row of x, of shape (batch, height, width,
// channels), sh times and every column sw times (nearest neighbour).
func UpSample2D(x *G.Node, sh, sw int) (*G.Node, error) {
	if sh < 1 || sw < 1 {
		return nil, fmt.Errorf("up_sampling2d: size must be positive, got (%d, %d)", sh, sw)
	}
	if s := x.Shape(); s.Dims() != 4 {
		return nil, fmt.Errorf("up_sampling2d: expected input of rank 4 (batch, height, width, channels), got %v", s)
	}
	return G.ApplyOp(upOp{sh: sh, sw: sw}, x)
}

// upOp repeats rows and columns, or, when sum is set, adds up each
// sh×sw block: its gradient.
type upOp struct {
	opkit.Base
	sh, sw int
	sum    bool
}

// Arity is 1.
func (op upOp) Arity() int { return 1 }

// Type is a → a over rank-4 tensors.
func (op upOp) Type() hm.Type { return hm.NewFnType(t4(), t4()) }

func (op upOp) outShape(s tensor.Shape) (tensor.Shape, error) {
	if op.sum {
		if s[1]%op.sh != 0 || s[2]%op.sw != 0 {
			return nil, fmt.Errorf("%v: shape %v is not a whole number of blocks", op, s)
		}
		return tensor.Shape{s[0], s[1] / op.sh, s[2] / op.sw, s[3]}, nil
	}
	return tensor.Shape{s[0], s[1] * op.sh, s[2] * op.sw, s[3]}, nil
}

// InferShape returns the repeated (or summed) shape.
func (op upOp) InferShape(in ...G.DimSizer) (tensor.Shape, error) {
	return resizedShape(op, in)
}

// Do computes into a new tensor.
func (op upOp) Do(in ...G.Value) (G.Value, error) { return op.UsePreallocDo(nil, in...) }

// UsePreallocDo computes into prealloc when it fits.
func (op upOp) UsePreallocDo(prealloc G.Value, in ...G.Value) (G.Value, error) {
	return resize(op, prealloc, in, "up-sampling input", upCopy[float32], upCopy[float64])
}

// upCopy repeats the small image into the big one, or sums the big one's
// blocks into the small one.
func upCopy[T float](op upOp, xs, os tensor.Shape, x, out []T) {
	small, big := xs, os
	if op.sum {
		small, big = os, xs
		clear(out)
	}
	n, h, w, c := small[0], small[1], small[2], small[3]
	bw := big[2]
	for i := 0; i < n; i++ {
		for by := 0; by < big[1]; by++ {
			y := by / op.sh
			for bx := 0; bx < bw; bx++ {
				s := ((i*h+y)*w + bx/op.sw) * c
				b := ((i*big[1]+by)*bw + bx) * c
				if op.sum {
					add(out[s:s+c], x[b:b+c])
				} else {
					copy(out[b:b+c], x[s:s+c])
				}
			}
		}
	}
}

// DiffWRT: the input.
func (op upOp) DiffWRT(int) []bool { return []bool{true} }

// SymDiff sums the gradient over each block.
func (op upOp) SymDiff(inputs G.Nodes, output, grad *G.Node) (G.Nodes, error) {
	if len(inputs) != 1 {
		return nil, fmt.Errorf("%v: expected 1 input, got %d", op, len(inputs))
	}
	if op.sum {
		dx, err := G.ApplyOp(upOp{sh: op.sh, sw: op.sw}, grad)
		return G.Nodes{dx}, err
	}
	dx, err := G.ApplyOp(upOp{sh: op.sh, sw: op.sw, sum: true}, grad)
	if err != nil {
		return nil, err
	}
	return G.Nodes{dx}, nil
}

// WriteHash writes the op's name and parameters.
func (op upOp) WriteHash(h hash.Hash) { opkit.WriteName(h, op) }

// Hashcode hashes the op's name and parameters.
func (op upOp) Hashcode() uint32 { return opkit.Hashcode(op) }

// String names the op and its sizes.
func (op upOp) String() string {
	if op.sum {
		return fmt.Sprintf("BlockSum2DNHWC{%d,%d}", op.sh, op.sw)
	}
	return fmt.Sprintf("UpSample2DNHWC{%d,%d}", op.sh, op.sw)
}
