package layers

import (
	"fmt"
	"github.com/gokeras/keras/activations"
	"slices"

	G "gorgonia.org/gorgonia"
)

// ActivationLayer applies an activation function. The same value is an
// Option, so layers.Activation("relu") works both as Dense's argument and
// as a layer of its own, as in Keras.
type ActivationLayer struct {
	Base
	activation string
	act        activations.ActivationFunc
}

// Activation names an activation by its Keras name: linear, relu, sigmoid,
// tanh, softmax, softplus, softsign, elu, selu, leaky_relu, gelu,
// swish/silu, exponential, hard_sigmoid. Given to Dense it sets Dense's
// activation; placed in a model it is Keras's Activation layer. An unknown
// name is reported when the model is built.
func Activation(name string) *ActivationLayer {
	return &ActivationLayer{activation: name}
}

func (a *ActivationLayer) apply(c *config) { c.activation = a.activation }

// ClassName returns "Activation".
func (a *ActivationLayer) ClassName() string { return "Activation" }

// Build checks the activation name; the output shape is the input shape.
func (a *ActivationLayer) Build(in []int) ([]int, error) {
	act, err := activations.GetActivation(a.activation)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", a.name, err)
	}
	a.act = act
	return slices.Clone(in), nil
}

// Call applies the activation.
func (a *ActivationLayer) Call(_ *Context, x *G.Node) (*G.Node, error) {
	y, err := a.act(x)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", a.name, err)
	}
	return y, nil
}

// Config returns Keras's Activation config.
func (a *ActivationLayer) Config() map[string]any {
	m := a.baseConfig()
	m["activation"] = a.activation
	return m
}

// PassesMask returns true: Activation keeps its input's mask, as Keras.
func (a *ActivationLayer) PassesMask() bool { return true }
