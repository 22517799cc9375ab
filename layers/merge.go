package layers

import (
	"fmt"
	"slices"

	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/graphx"
)

// MergeLayer combines several tensors of one shape element by element,
// as Keras's Add, Subtract, Multiply, Average, Maximum and Minimum.
type MergeLayer struct {
	Base
	class string
}

// Add returns Keras's Add layer: the element-wise sum of its inputs,
// which must have the same shape.
func Add() Layer { return &MergeLayer{class: "Add"} }

// Subtract returns Keras's Subtract layer: its first input minus its
// second (exactly two inputs of one shape).
func Subtract() Layer { return &MergeLayer{class: "Subtract"} }

// Multiply returns Keras's Multiply layer: the element-wise product.
func Multiply() Layer { return &MergeLayer{class: "Multiply"} }

// Average returns Keras's Average layer: the element-wise mean.
func Average() Layer { return &MergeLayer{class: "Average"} }

// Maximum returns Keras's Maximum layer: the element-wise maximum.
func Maximum() Layer { return &MergeLayer{class: "Maximum"} }

// Minimum returns Keras's Minimum layer: the element-wise minimum.
func Minimum() Layer { return &MergeLayer{class: "Minimum"} }

func mergeFromConfig(class string) func(cfg map[string]any) (Layer, error) {
	return func(cfg map[string]any) (Layer, error) {
		opts, err := commonOptions(cfg)
		if err != nil {
			return nil, err
		}
		return &MergeLayer{Base: newBase(newConfig(opts)), class: class}, nil
	}
}

// ClassName returns the Keras class name ("Add", "Maximum", ...).
func (l *MergeLayer) ClassName() string { return l.class }

// Build refuses a single input: a merge layer takes a list.
func (l *MergeLayer) Build(in []int) ([]int, error) { return l.BuildMulti([][]int{in}) }

// BuildMulti checks that the inputs share one shape, which is the
// output's.
func (l *MergeLayer) BuildMulti(in [][]int) ([]int, error) {
	switch {
	case l.class == "Subtract" && len(in) != 2:
		return nil, fmt.Errorf("%s: Subtract takes exactly 2 inputs, got %d", LayerName(l), len(in))
	case len(in) < 2:
		return nil, fmt.Errorf("%s: a %s layer merges a list of at least 2 inputs, got %d", LayerName(l), l.class, len(in))
	}
	for i, s := range in[1:] {
		if !slices.Equal(s, in[0]) {
			return nil, fmt.Errorf("%s: inputs must have the same shape, got %s (input 0) and %s (input %d)", LayerName(l), ShapeString(in[0]), ShapeString(s), i+1)
		}
	}
	return slices.Clone(in[0]), nil
}

// Call refuses a single input.
func (l *MergeLayer) Call(ctx *Context, x *G.Node) (*G.Node, error) {
	return l.CallMulti(ctx, []*G.Node{x})
}

// CallMulti combines xs element by element.
func (l *MergeLayer) CallMulti(_ *Context, xs []*G.Node) (*G.Node, error) {
	if len(xs) < 2 {
		return nil, fmt.Errorf("%s: a %s layer merges at least 2 inputs, got %d", LayerName(l), l.class, len(xs))
	}
	e := graphx.New(xs[0].Dtype())
	y := xs[0]
	for _, x := range xs[1:] {
		switch l.class {
		case "Add", "Average":
			y = e.Add(y, x)
		case "Subtract":
			y = e.Sub(y, x)
		case "Multiply":
			y = e.Mul(y, x)
		case "Maximum":
			y = e.Maximum(y, x)
		case "Minimum":
			y = e.Minimum(y, x)
		}
	}
	if l.class == "Average" {
		y = e.Mul(y, e.Scalar(1/float64(len(xs))))
	}
	return callResult(l, e, y)
}

// Config returns the layer's Keras config.
func (l *MergeLayer) Config() map[string]any { return l.baseConfig() }

// ConcatenateLayer joins its inputs along an axis, as Keras's
// Concatenate.
type ConcatenateLayer struct {
	Base
	axis int
}

// Concatenate returns Keras's Concatenate layer. Options: Axis (default
// -1, the last; the batch axis 0 cannot be joined).
func Concatenate(opts ...Option) Layer {
	c := newConfig(opts)
	axis := -1
	if c.axis != nil {
		axis = *c.axis
	}
	if axis == 0 {
		panic("layers.Concatenate: axis 0 is the batch axis")
	}
	return &ConcatenateLayer{Base: newBase(c), axis: axis}
}

func concatenateFromConfig(cfg map[string]any) (Layer, error) {
	opts, err := commonOptions(cfg)
	if err != nil {
		return nil, err
	}
	axis := -1
	if v, ok := cfg["axis"]; ok && v != nil {
		if axis, err = intValue("axis", v); err != nil {
			return nil, err
		}
	}
	if axis == 0 {
		return nil, fmt.Errorf("config axis: 0 is the batch axis")
	}
	return Concatenate(append(opts, Axis(axis))...), nil
}

// ClassName returns "Concatenate".
func (l *ConcatenateLayer) ClassName() string { return "Concatenate" }

// sampleAxis turns a Keras axis (batch is 0, negative from the end) into
// an axis of the sample shape of the given rank.
func sampleAxis(axis, rank int) (int, bool) {
	if axis < 0 {
		axis += rank + 1
	}
	return axis - 1, axis >= 1 && axis <= rank
}

// Build refuses a single input.
func (l *ConcatenateLayer) Build(in []int) ([]int, error) { return l.BuildMulti([][]int{in}) }

// BuildMulti checks that the inputs agree on every axis but the joined
// one, and returns the joined shape.
func (l *ConcatenateLayer) BuildMulti(in [][]int) ([]int, error) {
	if len(in) < 2 {
		return nil, fmt.Errorf("%s: Concatenate joins a list of at least 2 inputs, got %d", LayerName(l), len(in))
	}
	ax, ok := sampleAxis(l.axis, len(in[0]))
	if !ok {
		return nil, fmt.Errorf("%s: axis %d is out of range for inputs of shape %s", LayerName(l), l.axis, ShapeString(in[0]))
	}
	out := slices.Clone(in[0])
	for i, s := range in[1:] {
		if len(s) != len(in[0]) {
			return nil, fmt.Errorf("%s: inputs must have the same rank, got %s (input 0) and %s (input %d)", LayerName(l), ShapeString(in[0]), ShapeString(s), i+1)
		}
		for d := range s {
			if d != ax && s[d] != in[0][d] {
				return nil, fmt.Errorf("%s: inputs must match on every axis but the concatenation axis %d, got %s (input 0) and %s (input %d)", LayerName(l), l.axis, ShapeString(in[0]), ShapeString(s), i+1)
			}
		}
		out[ax] += s[ax]
	}
	return out, nil
}

// Call refuses a single input.
func (l *ConcatenateLayer) Call(ctx *Context, x *G.Node) (*G.Node, error) {
	return l.CallMulti(ctx, []*G.Node{x})
}

// CallMulti joins xs.
func (l *ConcatenateLayer) CallMulti(_ *Context, xs []*G.Node) (*G.Node, error) {
	ax, ok := sampleAxis(l.axis, xs[0].Dims()-1)
	if len(xs) < 2 || !ok {
		return nil, fmt.Errorf("%s: cannot join %d inputs of rank %d along axis %d", LayerName(l), len(xs), xs[0].Dims()-1, l.axis)
	}
	e := graphx.New(xs[0].Dtype())
	return callResult(l, e, e.Concat(ax+1, xs...))
}

// Config returns Keras's Concatenate config.
func (l *ConcatenateLayer) Config() map[string]any {
	m := l.baseConfig()
	m["axis"] = l.axis
	return m
}

// DotLayer is the dot product of two inputs along an axis, as Keras's
// Dot.
type DotLayer struct {
	Base
	axes      int
	normalize bool
}

// Dot returns Keras's Dot layer: for two inputs of shape (n,) the dot
// product along axes 1 (or -1), of shape (1,); for inputs of shape (a, b)
// and (c, d), the batched product over axes (2: b == d gives (a, c); 1:
// a == c gives (b, d)). Options: Normalize (default false: L2-normalise
// both along the axis first, giving the cosine similarity).
func Dot(axes int, opts ...Option) Layer {
	if axes == 0 {
		panic("layers.Dot: axes 0 is the batch axis")
	}
	c := newConfig(opts)
	return &DotLayer{Base: newBase(c), axes: axes, normalize: c.normalize}
}

// Normalize says whether Dot L2-normalises its inputs along the axis
// first. Default: false.
func Normalize(b bool) Option { return optionFunc(func(c *config) { c.normalize = b }) }

func dotFromConfig(cfg map[string]any) (Layer, error) {
	opts, err := commonOptions(cfg)
	if err != nil {
		return nil, err
	}
	v := cfg["axes"]
	if list, ok := v.([]any); ok {
		if len(list) != 2 || list[0] != list[1] {
			return nil, fmt.Errorf("%w: Dot with different axes per input %v", ErrUnsupportedConfig, list)
		}
		v = list[0]
	}
	axes, err := intValue("axes", v)
	if err != nil {
		return nil, err
	}
	if axes == 0 {
		return nil, fmt.Errorf("config axes: 0 is the batch axis")
	}
	norm, _ := cfg["normalize"].(bool)
	return Dot(axes, append(opts, Normalize(norm))...), nil
}

// ClassName returns "Dot".
func (l *DotLayer) ClassName() string { return "Dot" }

// Build refuses a single input.
func (l *DotLayer) Build(in []int) ([]int, error) { return l.BuildMulti([][]int{in}) }

// BuildMulti checks the two inputs and returns the product's shape.
func (l *DotLayer) BuildMulti(in [][]int) ([]int, error) {
	if len(in) != 2 {
		return nil, fmt.Errorf("%s: Dot takes exactly 2 inputs, got %d", LayerName(l), len(in))
	}
	a, b := in[0], in[1]
	if len(a) != len(b) || len(a) < 1 || len(a) > 2 {
		return nil, fmt.Errorf("%s: Dot takes two inputs of shape (n,) or (a, b), got %s and %s", LayerName(l), ShapeString(a), ShapeString(b))
	}
	ax, ok := sampleAxis(l.axes, len(a))
	if !ok {
		return nil, fmt.Errorf("%s: axes %d is out of range for inputs of shape %s", LayerName(l), l.axes, ShapeString(a))
	}
	if a[ax] != b[ax] {
		return nil, fmt.Errorf("%s: the inputs must match along axes %d, got %s and %s", LayerName(l), l.axes, ShapeString(a), ShapeString(b))
	}
	if len(a) == 1 {
		return []int{1}, nil
	}
	return []int{a[1-ax], b[1-ax]}, nil
}

// Call refuses a single input.
func (l *DotLayer) Call(ctx *Context, x *G.Node) (*G.Node, error) {
	return l.CallMulti(ctx, []*G.Node{x})
}

// CallMulti computes the batched dot product.
func (l *DotLayer) CallMulti(_ *Context, xs []*G.Node) (*G.Node, error) {
	if len(xs) != 2 {
		return nil, fmt.Errorf("%s: Dot takes exactly 2 inputs, got %d", LayerName(l), len(xs))
	}
	rank := xs[0].Dims() - 1
	ax, _ := sampleAxis(l.axes, rank)
	e := graphx.New(xs[0].Dtype())
	a, b := xs[0], xs[1]
	if l.normalize {
		a, b = l2Normalize(e, a, ax+1), l2Normalize(e, b, ax+1)
	}
	var y *G.Node
	if rank == 1 {
		y = e.SumAxes(e.Mul(a, b), true, 1)
	} else {
		// (batch, a, b) by (batch, c, d): contract axis ax+1 of both.
		if ax == 0 {
			a = e.Transpose(a, 0, 2, 1)
		} else {
			b = e.Transpose(b, 0, 2, 1)
		}
		y = e.Matmul(a, b)
	}
	return callResult(l, e, y)
}

// l2Normalize divides x by its L2 norm along axis, as Keras's
// normalize (x / sqrt(max(sum(x²), 1e-12))).
func l2Normalize(e *graphx.Expr, x *G.Node, axis int) *G.Node {
	n := e.Sqrt(e.Maximum(e.SumAxes(e.Square(x), true, axis), e.Scalar(1e-12)))
	return e.Div(x, n)
}

// Config returns Keras's Dot config.
func (l *DotLayer) Config() map[string]any {
	m := l.baseConfig()
	m["axes"] = l.axes
	m["normalize"] = l.normalize
	return m
}
