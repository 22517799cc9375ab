package layers

import (
	"fmt"
	"slices"

	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/graphx"
)

// PermuteLayer reorders the axes of each sample, as Keras's Permute.
type PermuteLayer struct {
	Base
	dims []int
}

// Permute returns Keras's Permute layer. dims are 1-based sample axes,
// as in Keras: Permute(2, 1) turns samples of shape (steps, features)
// into (features, steps). Permute panics when dims is not a permutation
// of 1..len(dims): a literal mistake.
func Permute(dims ...int) Layer { return PermuteWith(dims) }

// PermuteWith is Permute with options (Name, InputShape).
func PermuteWith(dims []int, opts ...Option) Layer {
	if err := checkPermutation(dims); err != nil {
		panic("layers.Permute: " + err.Error())
	}
	return &PermuteLayer{Base: newBase(newConfig(opts)), dims: slices.Clone(dims)}
}

func checkPermutation(dims []int) error {
	s := slices.Sorted(slices.Values(dims))
	if len(s) == 0 {
		return fmt.Errorf("dims must list the sample axes 1..n, got none")
	}
	for i, d := range s {
		if d != i+1 {
			return fmt.Errorf("dims must be a permutation of 1..%d, got %v", len(dims), dims)
		}
	}
	return nil
}

func permuteFromConfig(cfg map[string]any) (Layer, error) {
	opts, err := commonOptions(cfg)
	if err != nil {
		return nil, err
	}
	dims, ok, err := cfgInts(cfg, "dims")
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("Permute config needs dims")
	}
	if err := checkPermutation(dims); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return PermuteWith(dims, opts...), nil
}

// ClassName returns "Permute".
func (l *PermuteLayer) ClassName() string { return "Permute" }

// Build checks the rank and returns the permuted shape.
func (l *PermuteLayer) Build(in []int) ([]int, error) {
	if len(in) != len(l.dims) {
		return nil, fmt.Errorf("%s: dims %v need an input of rank %d, got %s", LayerName(l), l.dims, len(l.dims), ShapeString(in))
	}
	out := make([]int, len(in))
	for i, d := range l.dims {
		out[i] = in[d-1]
	}
	return out, nil
}

// Call transposes x, keeping the batch axis first.
func (l *PermuteLayer) Call(_ *Context, x *G.Node) (*G.Node, error) {
	e := graphx.New(x.Dtype())
	return callResult(l, e, e.Transpose(x, append([]int{0}, l.dims...)...))
}

// Config returns Keras's Permute config.
func (l *PermuteLayer) Config() map[string]any {
	m := l.baseConfig()
	m["dims"] = intsToAny(l.dims)
	return m
}
