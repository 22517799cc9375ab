package layers

import (
	"fmt"

	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/graphx"
)

// RepeatVectorLayer repeats each sample's vector n times, as Keras's
// RepeatVector.
type RepeatVectorLayer struct {
	Base
	n int
}

// RepeatVector returns Keras's RepeatVector layer: samples of shape
// (features,) become (n, features). RepeatVector panics if n is not
// positive: a literal mistake.
func RepeatVector(n int) Layer { return RepeatVectorWith(n) }

// RepeatVectorWith is RepeatVector with options (Name, InputShape).
func RepeatVectorWith(n int, opts ...Option) Layer {
	if n <= 0 {
		panic(fmt.Sprintf("layers.RepeatVector: n must be positive, got %d", n))
	}
	return &RepeatVectorLayer{Base: newBase(newConfig(opts)), n: n}
}

func repeatVectorFromConfig(cfg map[string]any) (Layer, error) {
	opts, err := commonOptions(cfg)
	if err != nil {
		return nil, err
	}
	v, ok := cfg["n"]
	if !ok {
		return nil, fmt.Errorf("RepeatVector config needs n")
	}
	n, err := intValue("n", v)
	if err != nil {
		return nil, err
	}
	if n <= 0 || n > maxDim {
		return nil, fmt.Errorf("config n: must be in 1..%d, got %d", maxDim, n)
	}
	return RepeatVectorWith(n, opts...), nil
}

// ClassName returns "RepeatVector".
func (l *RepeatVectorLayer) ClassName() string { return "RepeatVector" }

// Build checks for a flat input.
func (l *RepeatVectorLayer) Build(in []int) ([]int, error) {
	if len(in) != 1 {
		return nil, fmt.Errorf("%s: expected input of rank 1 (features,), got %s", LayerName(l), ShapeString(in))
	}
	if in[0]*l.n > maxDim {
		return nil, fmt.Errorf("%s: %d repeats of %d features exceed %d values", LayerName(l), l.n, in[0], maxDim)
	}
	return []int{l.n, in[0]}, nil
}

// Call stacks n copies of x along a new axis 1.
func (l *RepeatVectorLayer) Call(_ *Context, x *G.Node) (*G.Node, error) {
	e := graphx.New(x.Dtype())
	s := x.Shape()
	one := e.Reshape(x, s[0], 1, s[1])
	copies := make([]*G.Node, l.n)
	for i := range copies {
		copies[i] = one
	}
	return callResult(l, e, e.Concat(1, copies...))
}

// Config returns Keras's RepeatVector config.
func (l *RepeatVectorLayer) Config() map[string]any {
	m := l.baseConfig()
	m["n"] = l.n
	return m
}
