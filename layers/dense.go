package layers

import (
	"fmt"
	"slices"

	"github.com/gokeras/keras/activations"
	"github.com/gokeras/keras/internal/fused"

	G "gorgonia.org/gorgonia"
	"gorgonia.org/tensor"
)

// DenseLayer is a densely connected layer: activation(x·kernel + bias).
type DenseLayer struct {
	Base
	units      int
	activation string
	useBias    bool
	kernelInit any
	biasInit   any
	kernelReg  any
	biasReg    any

	act          activations.ActivationFunc
	kernel, bias *Weight
}

// Dense returns a densely connected layer with the given number of units,
// as keras.layers.Dense. Options: InputShape, Activation (default linear),
// UseBias (default true), KernelInitializer (default "glorot_uniform"),
// BiasInitializer (default "zeros"), KernelRegularizer, BiasRegularizer,
// Name. Dense panics if units is not positive: that is a literal mistake
// in the program.
func Dense(units int, opts ...Option) Layer {
	if units <= 0 {
		panic(fmt.Sprintf("layers.Dense: units must be positive, got %d", units))
	}
	c := newConfig(opts)
	return &DenseLayer{
		Base: newBase(c), units: units, activation: c.activation, useBias: c.useBias,
		kernelInit: c.kernelInit, biasInit: c.biasInit, kernelReg: c.kernelReg, biasReg: c.biasReg,
	}
}

// ClassName returns "Dense".
func (d *DenseLayer) ClassName() string { return "Dense" }

// Units returns the number of units.
func (d *DenseLayer) Units() int { return d.units }

// Build creates the kernel (features, units) and bias (units,) for inputs
// whose last axis holds the features. As in Keras 3, Dense applies to the
// last axis of inputs of higher rank: (steps, features) -> (steps, units).
func (d *DenseLayer) Build(in []int) ([]int, error) {
	if len(in) == 0 {
		return nil, fmt.Errorf("%s: expected an input with a features axis, got a scalar per sample", LayerName(d))
	}
	act, err := activations.GetActivation(d.activation)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", d.name, err)
	}
	d.act = act
	if d.kernel, err = newWeight(d.name, "kernel", []int{in[len(in)-1], d.units}, d.kernelInit, d.kernelReg); err != nil {
		return nil, err
	}
	d.kernel.Regularizer = withFusedPenalty(d.kernel.Regularizer)
	d.bias = nil
	if d.useBias {
		if d.bias, err = newWeight(d.name, "bias", []int{d.units}, d.biasInit, d.biasReg); err != nil {
			return nil, err
		}
		d.bias.Regularizer = withFusedPenalty(d.bias.Regularizer)
	}
	return append(slices.Clone(in[:len(in)-1]), d.units), nil
}

// fusedPenalty is a built-in L1, L2 or L1L2 regularizer whose penalty
// is one op of internal/fused (the sums and the gradient one pass each)
// in place of a graph of primitives: the same numbers to float32
// rounding. Name and Config are the regularizer's own.
type fusedPenalty struct {
	l1l2
}

// Penalty builds l1·Σ|w| + l2·Σw² as one op.
func (r fusedPenalty) Penalty(w *G.Node) (*G.Node, error) {
	if dt := w.Dtype(); dt != tensor.Float32 && dt != tensor.Float64 {
		return nil, fmt.Errorf("%s penalty needs a float32 or float64 weight, got %v", r.name, dt)
	}
	return fused.Penalty(w, r.l1, r.l2)
}

// withFusedPenalty returns r as a fusedPenalty when it is a built-in
// L1, L2 or L1L2, else r itself.
func withFusedPenalty(r Regularizer) Regularizer {
	if x, ok := r.(l1l2); ok {
		return fusedPenalty{x}
	}
	return r
}

// newWeight resolves a weight's initializer and regularizer.
func newWeight(layer, name string, shape []int, init, reg any) (*Weight, error) {
	i, err := GetInitializer(init)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", layer, name, err)
	}
	r, err := GetRegularizer(reg)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", layer, name, err)
	}
	return &Weight{Name: name, Shape: shape, Initializer: i, Regularizer: r}, nil
}

// Weights returns the kernel and, with a bias, the bias.
func (d *DenseLayer) Weights() []*Weight {
	if d.kernel == nil {
		return nil
	}
	if d.bias == nil {
		return []*Weight{d.kernel}
	}
	return []*Weight{d.kernel, d.bias}
}

// PassesMask returns true: Dense keeps its input's mask, as Keras.
func (d *DenseLayer) PassesMask() bool { return true }

// Call computes activation(x·kernel + bias), over the last axis. The
// product, the bias and a linear, relu or tanh activation are one op of
// internal/fused (its gradients: a column sum for the bias, no Repeat);
// softmax and sigmoid are fused ops of their own on those logits, so
// that a cross-entropy loss on them can take its gradient straight to
// the logits (losses.ComputeFused); any other activation is applied to
// the logits as before.
func (d *DenseLayer) Call(ctx *Context, x *G.Node) (*G.Node, error) {
	shape := x.Shape().Clone()
	if len(shape) > 2 {
		// (batch, ..., features) as rows of features, and back after.
		rows := 1
		for _, n := range shape[:len(shape)-1] {
			rows *= n
		}
		var err error
		if x, err = G.Reshape(x, []int{rows, shape[len(shape)-1]}); err != nil {
			return nil, fmt.Errorf("%s: %w", d.name, err)
		}
	}
	if x.Dims() != 2 {
		return nil, fmt.Errorf("%s: expected an input of shape (batch, features), got %v", d.name, shape)
	}
	act := d.activation
	if act == "" {
		act = "linear"
	}
	inner := "linear"
	if fused.CanDense(act) {
		inner = act
	}
	var b *G.Node
	if d.bias != nil {
		b = ctx.Param(d.name, d.bias)
	}
	y, err := fused.Dense(x, ctx.Param(d.name, d.kernel), b, inner)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", d.name, err)
	}
	if len(shape) > 2 {
		out := append(slices.Clone([]int(shape[:len(shape)-1])), d.units)
		if y, err = G.Reshape(y, out); err != nil {
			return nil, fmt.Errorf("%s: %w", d.name, err)
		}
	}
	switch {
	case inner == act:
	case act == "softmax":
		y, err = fused.Softmax(y)
	case act == "sigmoid":
		y, err = fused.Sigmoid(y)
	default:
		y, err = d.act(y)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", d.name, d.activation, err)
	}
	return y, nil
}

// Config returns Keras's Dense config.
func (d *DenseLayer) Config() map[string]any {
	m := d.baseConfig()
	m["units"] = d.units
	m["activation"] = d.activation
	m["use_bias"] = d.useBias
	m["kernel_initializer"] = describe(d.kernelInit)
	m["bias_initializer"] = describe(d.biasInit)
	m["kernel_regularizer"] = describe(d.kernelReg)
	m["bias_regularizer"] = describe(d.biasReg)
	return m
}

// describe gives the Keras-style config of an initializer or regularizer
// given by name or value.
func describe(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		return x
	case Initializer:
		return map[string]any{"class_name": x.Name(), "config": x.Config()}
	case Regularizer:
		return map[string]any{"class_name": x.Name(), "config": x.Config()}
	default:
		return fmt.Sprint(x)
	}
}
