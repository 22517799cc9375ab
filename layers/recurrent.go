package layers

import (
	"errors"
	"fmt"
	"math/rand/v2"

	G "gorgonia.org/gorgonia"

	"github.com/gokeras/keras/internal/rnn"
)

// recurrent is what SimpleRNN, LSTM and GRU share: options, weights and
// the call of the fused recurrence (internal/rnn), whose equations and
// weight layouts are Keras 3's.
type recurrent struct {
	Base
	cell                            rnn.Cell
	units                           int
	activation, recurrentActivation string
	useBias                         bool
	kernelInit, recurrentInit       any
	biasInit                        any
	kernelReg, recurrentReg         any
	biasReg                         any
	unitForgetBias                  bool // LSTM
	resetAfter                      bool // GRU
	returnSequences, goBackwards    bool
	zeroOutputForMask               bool

	spec                    rnn.Spec
	steps, features         int
	kernel, recurrentKernel *Weight
	bias                    *Weight
}

// recurrentLayer is implemented by SimpleRNN, LSTM and GRU (what
// Bidirectional accepts).
type recurrentLayer interface {
	Layer
	rec() *recurrent
}

func (r *recurrent) rec() *recurrent { return r }

func newRecurrent(class string, cell rnn.Cell, units int, opts []Option) recurrent {
	if units <= 0 {
		panic(fmt.Sprintf("layers.%s: units must be positive, got %d", class, units))
	}
	c := newConfig(opts)
	act := "tanh"
	for _, o := range opts {
		// Activation is shared with Dense, whose default is linear; a
		// recurrent layer's is tanh unless Activation is given.
		if a, ok := o.(*ActivationLayer); ok {
			act = a.activation
		}
	}
	return recurrent{
		Base: newBase(c), cell: cell, units: units,
		activation: act, recurrentActivation: c.rnn.recurrentActivation,
		useBias: c.useBias, kernelInit: c.kernelInit, recurrentInit: c.rnn.recurrentInit, biasInit: c.biasInit,
		kernelReg: c.kernelReg, recurrentReg: c.rnn.recurrentReg, biasReg: c.biasReg,
		unitForgetBias: c.rnn.unitForgetBias, resetAfter: c.rnn.resetAfter,
		returnSequences: c.rnn.returnSequences, goBackwards: c.rnn.goBackwards,
		zeroOutputForMask: c.rnn.zeroOutputForMask,
	}
}

// Units returns the number of units.
func (r *recurrent) Units() int { return r.units }

// ReturnsSequences reports whether the layer outputs every step.
func (r *recurrent) ReturnsSequences() bool { return r.returnSequences }

// Build checks the input (steps, features) and creates the kernel,
// recurrent kernel and bias in Keras's shapes.
func (r *recurrent) Build(in []int) ([]int, error) {
	name := r.name
	if name == "" {
		name = SnakeCase(r.cell.String())
	}
	if len(in) != 2 {
		return nil, fmt.Errorf("%s: expected input of rank 3 (batch, steps, features), got sample shape %s", name, ShapeString(in))
	}
	act, err := rnn.ParseActivation(r.activation)
	if err != nil {
		return nil, fmt.Errorf("%s: activation: %w", name, err)
	}
	ract := rnn.Sigmoid
	if r.cell != rnn.SimpleRNN {
		if ract, err = rnn.ParseActivation(r.recurrentActivation); err != nil {
			return nil, fmt.Errorf("%s: recurrent_activation: %w", name, err)
		}
	}
	r.spec = rnn.Spec{Cell: r.cell, Units: r.units, Activation: act, RecurrentActivation: ract,
		ResetAfter: r.resetAfter, UseBias: r.useBias, GoBackwards: r.goBackwards,
		ReturnSequences: r.returnSequences, ZeroOutputForMask: r.zeroOutputForMask}
	r.steps, r.features = in[0], in[1]
	g := r.units
	switch r.cell {
	case rnn.LSTM:
		g *= 4
	case rnn.GRU:
		g *= 3
	}
	if r.kernel, err = newWeight(name, "kernel", []int{r.features, g}, r.kernelInit, r.kernelReg); err != nil {
		return nil, err
	}
	if r.recurrentKernel, err = newWeight(name, "recurrent_kernel", []int{r.units, g}, r.recurrentInit, r.recurrentReg); err != nil {
		return nil, err
	}
	r.bias = nil
	if r.useBias {
		if r.bias, err = newWeight(name, "bias", r.spec.BiasShape(), r.biasInit, r.biasReg); err != nil {
			return nil, err
		}
		if r.cell == rnn.LSTM && r.unitForgetBias {
			r.bias.Initializer = forgetBias{r.bias.Initializer, r.units}
		}
	}
	if r.returnSequences {
		return []int{r.steps, r.units}, nil
	}
	return []int{r.units}, nil
}

// Weights returns kernel, recurrent_kernel and (with a bias) bias, in
// Keras's order.
func (r *recurrent) Weights() []*Weight {
	if r.kernel == nil {
		return nil
	}
	if r.bias == nil {
		return []*Weight{r.kernel, r.recurrentKernel}
	}
	return []*Weight{r.kernel, r.recurrentKernel, r.bias}
}

// Call runs the recurrence over x (batch, steps, features). The input's
// mask, if any, skips steps as in Keras; with ReturnSequences the mask is
// passed on, otherwise dropped.
func (r *recurrent) Call(ctx *Context, x *G.Node) (*G.Node, error) {
	s := x.Shape()
	if s.Dims() != 3 || s[1] != r.steps || s[2] != r.features {
		return nil, fmt.Errorf("%s: expected input of shape (batch, %d, %d), got %v", r.name, r.steps, r.features, s)
	}
	spec := r.spec
	mask := ctx.Mask()
	if mask != nil {
		if ms := mask.Shape(); ms.Dims() != 2 || ms[0] != s[0] || ms[1] != s[1] {
			return nil, fmt.Errorf("%s: the input's mask has shape %v, want (%d, %d)", r.name, ms, s[0], s[1])
		}
		spec.Masked = true
	}
	var b *G.Node
	if r.bias != nil {
		b = ctx.Param(r.name, r.bias)
	}
	// A training graph is run by one goroutine: its op may keep the
	// gates for the backward pass. Inference ops keep nothing.
	y, err := rnn.Apply(spec, ctx.Training, x, ctx.Param(r.name, r.kernel), ctx.Param(r.name, r.recurrentKernel), b, mask)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", r.name, err)
	}
	if r.returnSequences {
		ctx.SetMask(mask)
	} else {
		ctx.SetMask(nil)
	}
	return y, nil
}

// config is the Keras config of the layer.
func (r *recurrent) config() map[string]any {
	m := r.baseConfig()
	m["units"] = r.units
	m["activation"] = r.activation
	if r.cell != rnn.SimpleRNN {
		m["recurrent_activation"] = r.recurrentActivation
	}
	m["use_bias"] = r.useBias
	m["kernel_initializer"] = describe(r.kernelInit)
	m["recurrent_initializer"] = describe(r.recurrentInit)
	m["bias_initializer"] = describe(r.biasInit)
	m["kernel_regularizer"] = describe(r.kernelReg)
	m["recurrent_regularizer"] = describe(r.recurrentReg)
	m["bias_regularizer"] = describe(r.biasReg)
	m["activity_regularizer"] = nil
	m["kernel_constraint"] = nil
	m["recurrent_constraint"] = nil
	m["bias_constraint"] = nil
	m["dropout"] = 0.0
	m["recurrent_dropout"] = 0.0
	m["seed"] = nil
	m["return_sequences"] = r.returnSequences
	m["return_state"] = false
	m["go_backwards"] = r.goBackwards
	m["stateful"] = false
	m["unroll"] = false
	m["zero_output_for_mask"] = r.zeroOutputForMask
	switch r.cell {
	case rnn.LSTM:
		m["unit_forget_bias"] = r.unitForgetBias
	case rnn.GRU:
		m["reset_after"] = r.resetAfter
	}
	return m
}

// forgetBias is Keras's LSTM bias initializer with unit_forget_bias:
// the inner initializer for the input gate, ones for the forget gate,
// the inner initializer for the cell and output gates (drawn in that
// order).
type forgetBias struct {
	inner Initializer
	units int
}

func (f forgetBias) Name() string           { return f.inner.Name() }
func (f forgetBias) Config() map[string]any { return f.inner.Config() }
func (f forgetBias) Initialize(rng *rand.Rand, shape []int) []float64 {
	out := f.inner.Initialize(rng, []int{f.units})
	for i := 0; i < f.units; i++ {
		out = append(out, 1)
	}
	return append(out, f.inner.Initialize(rng, []int{2 * f.units})...)
}

// recurrentFromConfig rebuilds SimpleRNN, LSTM or GRU from its Keras
// config. Features not built here (return_state, stateful, dropout
// inside the recurrence) are ErrUnsupportedConfig.
func recurrentFromConfig(cell rnn.Cell) func(cfg map[string]any) (Layer, error) {
	return func(cfg map[string]any) (Layer, error) {
		opts, err := commonOptions(cfg)
		if err != nil {
			return nil, err
		}
		units, err := intValue("units", cfg["units"])
		if err != nil {
			return nil, err
		}
		if units <= 0 || units > maxDim {
			return nil, fmt.Errorf("config units: must be in 1..%d, got %d", maxDim, units)
		}
		act, err := stringValue(cfg, "activation", "tanh")
		if err != nil {
			return nil, err
		}
		opts = append(opts, Activation(act))
		if cell != rnn.SimpleRNN {
			ract, err := stringValue(cfg, "recurrent_activation", "sigmoid")
			if err != nil {
				return nil, err
			}
			opts = append(opts, RecurrentActivation(ract))
		}
		for _, key := range []string{"return_state", "stateful"} {
			if b, err := boolValue(cfg, key, false); err != nil {
				return nil, err
			} else if b {
				return nil, fmt.Errorf("%w: %s true", ErrUnsupportedConfig, key)
			}
		}
		for _, key := range []string{"dropout", "recurrent_dropout"} {
			if v, ok := cfg[key]; ok && v != nil {
				f, err := floatValue(key, v)
				if err != nil {
					return nil, err
				}
				if f != 0 {
					return nil, fmt.Errorf("%w: %s %v (dropout inside the recurrence is not built)", ErrUnsupportedConfig, key, f)
				}
			}
		}
		bools := []struct {
			key string
			def bool
			opt func(bool) Option
		}{
			{"use_bias", true, UseBias}, {"return_sequences", false, ReturnSequences},
			{"go_backwards", false, GoBackwards}, {"zero_output_for_mask", false, ZeroOutputForMask},
		}
		if cell == rnn.LSTM {
			bools = append(bools, struct {
				key string
				def bool
				opt func(bool) Option
			}{"unit_forget_bias", true, UnitForgetBias})
		}
		if cell == rnn.GRU {
			bools = append(bools, struct {
				key string
				def bool
				opt func(bool) Option
			}{"reset_after", true, ResetAfter})
		}
		for _, b := range bools {
			v, err := boolValue(cfg, b.key, b.def)
			if err != nil {
				return nil, err
			}
			opts = append(opts, b.opt(v))
		}
		inits := []struct {
			key string
			def any
			opt func(any) Option
		}{
			{"kernel_initializer", "glorot_uniform", KernelInitializer},
			{"recurrent_initializer", "orthogonal", RecurrentInitializer},
			{"bias_initializer", "zeros", BiasInitializer},
		}
		for _, in := range inits {
			v := cfg[in.key]
			if v == nil {
				v = in.def
			}
			init, err := InitializerFromConfig(v)
			if err != nil {
				return nil, fmt.Errorf("config %s: %w", in.key, err)
			}
			if s, ok := v.(string); ok {
				opts = append(opts, in.opt(s))
			} else {
				opts = append(opts, in.opt(init))
			}
		}
		regs := []struct {
			key string
			opt func(any) Option
		}{{"kernel_regularizer", KernelRegularizer}, {"recurrent_regularizer", RecurrentRegularizer}, {"bias_regularizer", BiasRegularizer}}
		for _, rg := range regs {
			reg, err := RegularizerFromConfig(cfg[rg.key])
			if err != nil {
				return nil, fmt.Errorf("config %s: %w", rg.key, err)
			}
			if reg != nil {
				opts = append(opts, rg.opt(reg))
			}
		}
		if _, err := rnn.ParseActivation(act); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrUnsupportedConfig, err)
		}
		switch cell {
		case rnn.SimpleRNN:
			return SimpleRNN(units, opts...), nil
		case rnn.LSTM:
			return LSTM(units, opts...), nil
		}
		return GRU(units, opts...), nil
	}
}

// boolValue reads an optional boolean: nil and a missing key give def.
func boolValue(cfg map[string]any, key string, def bool) (bool, error) {
	v, ok := cfg[key]
	if !ok || v == nil {
		return def, nil
	}
	b, ok := v.(bool)
	if !ok {
		return false, fmt.Errorf("config %s: expected true or false, got %T", key, v)
	}
	return b, nil
}

var errNotRecurrent = errors.New("expected a recurrent layer (SimpleRNN, LSTM or GRU)")

// copyRecurrent returns a new, unbuilt layer of l's class with l's
// options, named name, processing the steps in the other direction when
// flip is set (Bidirectional's backward layer).
func copyRecurrent(l recurrentLayer, name string, flip bool) recurrentLayer {
	r := *l.rec()
	r.Base = Base{name: name}
	r.kernel, r.recurrentKernel, r.bias = nil, nil, nil
	if flip {
		r.goBackwards = !r.goBackwards
	}
	switch r.cell {
	case rnn.SimpleRNN:
		return &SimpleRNNLayer{r}
	case rnn.LSTM:
		return &LSTMLayer{r}
	}
	return &GRULayer{r}
}
