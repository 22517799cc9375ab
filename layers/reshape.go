package layers

import (
	"fmt"
	"slices"

	G "gorgonia.org/gorgonia"
)

// ReshapeLayer gives each sample a new shape with the same number of
// values.
type ReshapeLayer struct {
	Base
	target []int
	out    []int
}

// Reshape returns Keras's Reshape layer with the target shape of one
// sample (without the batch dimension); one dimension may be -1 and is
// then inferred, as keras.layers.Reshape(target_shape).
func Reshape(dims ...int) Layer { return ReshapeWith(dims) }

// ReshapeWith is Reshape with options (InputShape, Name).
func ReshapeWith(dims []int, opts ...Option) Layer {
	return &ReshapeLayer{Base: newBase(newConfig(opts)), target: slices.Clone(dims)}
}

// ClassName returns "Reshape".
func (r *ReshapeLayer) ClassName() string { return "Reshape" }

// Build resolves a -1 dimension and checks that the sizes agree.
func (r *ReshapeLayer) Build(in []int) ([]int, error) {
	out := slices.Clone(r.target)
	known, unknown := 1, -1
	for i, d := range out {
		switch {
		case d == -1 && unknown < 0:
			unknown = i
		case d <= 0:
			return nil, fmt.Errorf("%s: invalid target shape %v", r.name, r.target)
		default:
			known *= d
		}
	}
	n := numel(in)
	if unknown >= 0 {
		if n%known != 0 {
			return nil, fmt.Errorf("%s: cannot reshape input of shape %v (%d values) to %v", r.name, in, n, r.target)
		}
		out[unknown] = n / known
	} else if known != n {
		return nil, fmt.Errorf("%s: cannot reshape input of shape %v (%d values) to %v (%d values)", r.name, in, n, r.target, known)
	}
	r.out = out
	return slices.Clone(out), nil
}

// Call reshapes x to (batch, target...).
func (r *ReshapeLayer) Call(ctx *Context, x *G.Node) (*G.Node, error) {
	return G.Reshape(x, append([]int{ctx.Batch}, r.out...))
}

// Config returns Keras's Reshape config.
func (r *ReshapeLayer) Config() map[string]any {
	m := r.baseConfig()
	m["target_shape"] = intsToAny(r.target)
	return m
}
