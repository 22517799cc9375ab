package layers

import (
	"fmt"
	"slices"
	"strings"

	G "gorgonia.org/gorgonia"
)

// ActivationFunc applies an activation element-wise (softmax: over the last
// axis) to a graph node.
type ActivationFunc func(x *G.Node) (*G.Node, error)

// activations maps Keras activation names to their graph functions. It is
// filled once, here, and never written afterwards.
var activations = map[string]ActivationFunc{
	"linear":  func(x *G.Node) (*G.Node, error) { return x, nil },
	"relu":    G.Rectify,
	"sigmoid": G.Sigmoid,
	"tanh":    G.Tanh,
	"softmax": func(x *G.Node) (*G.Node, error) { return G.SoftMax(x) },
}

// GetActivation returns the activation with the given Keras name. The
// empty name means "linear", as Keras's activation=None.
func GetActivation(name string) (ActivationFunc, error) {
	if name == "" {
		name = "linear"
	}
	f, ok := activations[name]
	if !ok {
		return nil, fmt.Errorf("unknown activation %q (known: %s)", name, strings.Join(ActivationNames(), ", "))
	}
	return f, nil
}

// ActivationNames lists the known activation names, sorted.
func ActivationNames() []string {
	names := make([]string, 0, len(activations))
	for n := range activations {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
