package layers

import (
	"fmt"
	"slices"

	G "gorgonia.org/gorgonia"
)

// TimeDistributedLayer applies one layer to every step of a sequence, as
// Keras's TimeDistributed.
type TimeDistributedLayer struct {
	Base
	layer Layer
	steps int
}

// TimeDistributed returns Keras's TimeDistributed wrapper: for input
// (steps, ...) per sample, l is applied to each step's (...) with the
// same weights, and the outputs are stacked: (steps, l's output). The
// input's mask is passed on. Weights: l's. A nil l is an error when the
// model is built.
func TimeDistributed(l Layer) Layer { return TimeDistributedWith(l) }

// TimeDistributedWith is TimeDistributed with options (Name, InputShape).
func TimeDistributedWith(l Layer, opts ...Option) Layer {
	return &TimeDistributedLayer{Base: newBase(newConfig(opts)), layer: l}
}

// ClassName returns "TimeDistributed".
func (t *TimeDistributedLayer) ClassName() string { return "TimeDistributed" }

// Layers returns the wrapped layer.
func (t *TimeDistributedLayer) Layers() []Layer {
	if t.layer == nil {
		return nil
	}
	return []Layer{t.layer}
}

// SetTrainable freezes or unfreezes the wrapped layer too.
func (t *TimeDistributedLayer) SetTrainable(b bool) {
	t.Base.SetTrainable(b)
	if t.layer != nil {
		t.layer.SetTrainable(b)
	}
}

// PassesMask is true: the input's mask is the output's.
func (t *TimeDistributedLayer) PassesMask() bool { return true }

// Build builds the wrapped layer for one step's shape.
func (t *TimeDistributedLayer) Build(in []int) ([]int, error) {
	if t.layer == nil {
		return nil, fmt.Errorf("%s: no layer to wrap", LayerName(t))
	}
	if len(in) < 2 {
		return nil, fmt.Errorf("%s: expected input of rank 3 or more (batch, steps, ...), got sample shape %s", LayerName(t), ShapeString(in))
	}
	if t.layer.Name() == "" {
		t.layer.SetName(SnakeCase(t.layer.ClassName()))
	}
	out, err := BuildLayer(t.layer, in[1:])
	if err != nil {
		return nil, fmt.Errorf("%s: %w", LayerName(t), err)
	}
	t.steps = in[0]
	return append([]int{in[0]}, out...), nil
}

// Weights returns the wrapped layer's weights.
func (t *TimeDistributedLayer) Weights() []*Weight {
	if t.layer == nil {
		return nil
	}
	return t.layer.Weights()
}

// Call folds the steps into the batch, calls the wrapped layer and
// unfolds its output.
func (t *TimeDistributedLayer) Call(ctx *Context, x *G.Node) (*G.Node, error) {
	s := x.Shape()
	if s.Dims() < 3 || s[1] != t.steps {
		return nil, fmt.Errorf("%s: expected input of shape (batch, %d, ...), got %v", t.name, t.steps, s)
	}
	n := s[0]
	flat, err := G.Reshape(x, append([]int{n * s[1]}, s[2:]...))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", t.name, err)
	}
	mask := ctx.Mask()
	// The wrapped layer sees single steps: no sequence mask.
	ctx.BeginCall(t.layer, nil)
	y, err := t.layer.Call(ctx, flat)
	ctx.BeginCall(t, mask)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", t.name, err)
	}
	ys := y.Shape()
	out, err := G.Reshape(y, append([]int{n, s[1]}, slices.Clone([]int(ys[1:]))...))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", t.name, err)
	}
	return out, nil
}

// Config returns Keras's TimeDistributed config: the wrapped layer's
// class and config under "layer".
func (t *TimeDistributedLayer) Config() map[string]any {
	m := t.baseConfig()
	if t.layer != nil {
		m["layer"] = map[string]any{"class_name": t.layer.ClassName(), "config": t.layer.Config()}
	}
	return m
}

func timeDistributedFromConfig(cfg map[string]any) (Layer, error) {
	opts, err := commonOptions(cfg)
	if err != nil {
		return nil, err
	}
	l, err := wrappedLayer(cfg)
	if err != nil {
		return nil, err
	}
	return TimeDistributedWith(l, opts...), nil
}
