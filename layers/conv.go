package layers

import (
	"fmt"
	"slices"

	"github.com/gokeras/keras/activations"
	"github.com/gokeras/keras/internal/nn"
	G "gorgonia.org/gorgonia"
)

// ConvLayer is a 1-D or 2-D convolution over channels_last input:
// activation(conv(x, kernel) + bias). Conv1D and Conv2D return it.
type ConvLayer struct {
	Base
	class      string
	rank       int // spatial axes: 1 or 2
	filters    int
	kernelSize []int
	strides    []int
	dilation   []int
	padding    string
	activation string
	useBias    bool
	kernelInit any
	biasInit   any
	kernelReg  any
	biasReg    any

	act          activations.ActivationFunc
	kernel, bias *Weight
	win          nn.Window
	in, out      []int
}

func newConv(class string, rank, filters, kernelSize int, opts []Option) *ConvLayer {
	if filters <= 0 {
		panic(fmt.Sprintf("layers.%s: filters must be positive, got %d", class, filters))
	}
	c := newConfig(opts)
	ks := c.conv.kernelSize
	if ks == nil {
		ks = []int{kernelSize}
	}
	padding := c.conv.padding
	if padding == "" {
		padding = "valid"
	}
	return &ConvLayer{
		Base: newBase(c), class: class, rank: rank, filters: filters,
		kernelSize: perAxis(class, "kernel size", ks, rank, kernelSize),
		strides:    perAxis(class, "strides", c.conv.strides, rank, 1),
		dilation:   perAxis(class, "dilation rate", c.conv.dilation, rank, 1),
		padding:    padding, activation: c.activation, useBias: c.useBias,
		kernelInit: c.kernelInit, biasInit: c.biasInit, kernelReg: c.kernelReg, biasReg: c.biasReg,
	}
}

// ClassName returns "Conv1D" or "Conv2D".
func (l *ConvLayer) ClassName() string { return l.class }

// Filters returns the number of filters (output channels).
func (l *ConvLayer) Filters() int { return l.filters }

// KernelSize returns the kernel size per spatial axis.
func (l *ConvLayer) KernelSize() []int { return slices.Clone(l.kernelSize) }

// Build creates the kernel, of Keras's shape (kernel..., in channels,
// filters), and the bias (filters,), and returns the output shape.
func (l *ConvLayer) Build(in []int) ([]int, error) {
	name := LayerName(l)
	if len(in) != l.rank+1 {
		return nil, fmt.Errorf("%s: expected input of rank %d %s, got %s", name, l.rank+1, spatialNames(l.rank), ShapeString(in))
	}
	allowed := []string{"valid", "same"}
	if l.rank == 1 {
		allowed = append(allowed, "causal")
	}
	if err := checkPadding(l.padding, allowed); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if slices.ContainsFunc(l.strides, func(s int) bool { return s > 1 }) && slices.ContainsFunc(l.dilation, func(d int) bool { return d > 1 }) {
		return nil, fmt.Errorf("%s: strides %v > 1 cannot be combined with dilation_rate %v > 1 (as in Keras)", name, l.strides, l.dilation)
	}
	act, err := activations.GetActivation(l.activation)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	win, h, w := l.window(in)
	oh, err := nn.OutSize(h, win.KH, win.StrideH, win.DilH, win.PadTop, win.PadBottom)
	if err == nil {
		var ow int
		if ow, err = nn.OutSize(w, win.KW, win.StrideW, win.DilW, win.PadLeft, win.PadRight); err == nil {
			l.out = []int{oh, ow, l.filters}
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %v for input %s", name, err, ShapeString(in))
	}
	if l.rank == 1 {
		l.out = l.out[1:]
	}
	cin := in[len(in)-1]
	kshape := append(slices.Clone(l.kernelSize), cin, l.filters)
	if l.kernel, err = newWeight(name, "kernel", kshape, l.kernelInit, l.kernelReg); err != nil {
		return nil, err
	}
	l.bias = nil
	if l.useBias {
		if l.bias, err = newWeight(name, "bias", []int{l.filters}, l.biasInit, l.biasReg); err != nil {
			return nil, err
		}
	}
	l.act, l.win, l.in = act, win, slices.Clone(in)
	return slices.Clone(l.out), nil
}

// window returns the 2-D window of the convolution and the input's
// height and width; a 1-D convolution is a 2-D one of height 1.
func (l *ConvLayer) window(in []int) (w nn.Window, h, wd int) {
	if l.rank == 1 {
		h, wd = 1, in[0]
		w = nn.Window{KH: 1, KW: l.kernelSize[0], StrideH: 1, StrideW: l.strides[0], DilH: 1, DilW: l.dilation[0]}
	} else {
		h, wd = in[0], in[1]
		w = nn.Window{KH: l.kernelSize[0], KW: l.kernelSize[1], StrideH: l.strides[0], StrideW: l.strides[1], DilH: l.dilation[0], DilW: l.dilation[1]}
	}
	switch l.padding {
	case "same":
		w = w.WithSamePadding(h, wd)
	case "causal":
		w.PadLeft = w.DilW * (w.KW - 1)
	}
	return w, h, wd
}

// Weights returns the kernel and, with a bias, the bias.
func (l *ConvLayer) Weights() []*Weight {
	if l.kernel == nil {
		return nil
	}
	if l.bias == nil {
		return []*Weight{l.kernel}
	}
	return []*Weight{l.kernel, l.bias}
}

// Call computes activation(conv(x, kernel) + bias).
func (l *ConvLayer) Call(ctx *Context, x *G.Node) (*G.Node, error) {
	name := LayerName(l)
	xs := x.Shape()
	if xs.Dims() != l.rank+2 || !slices.Equal(xs[1:], l.in) {
		return nil, fmt.Errorf("%s: expected input of shape %s, got %s", name, ShapeString(l.in), ShapeString(xs[1:]))
	}
	k := ctx.Param(name, l.kernel)
	n := xs[0]
	var err error
	if l.rank == 1 {
		if x, err = G.Reshape(x, []int{n, 1, xs[1], xs[2]}); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if k, err = G.Reshape(k, append([]int{1}, l.kernel.Shape...)); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	y, err := nn.Conv2D(x, k, l.win)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	act := l.act
	if l.bias != nil {
		add := nn.BiasAdd
		if l.activation == "relu" {
			// One pass over the output for bias and relu instead of two,
			// and one for their gradient instead of Gorgonia's relu
			// gradient (a comparison, then a product) plus a pass for
			// the bias.
			add, act = nn.BiasRelu, nil
		}
		if y, err = add(y, ctx.Param(name, l.bias)); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	if l.rank == 1 {
		if y, err = G.Reshape(y, append([]int{n}, l.out...)); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	if act != nil {
		if y, err = act(y); err != nil {
			return nil, fmt.Errorf("%s: %s: %w", name, l.activation, err)
		}
	}
	return y, nil
}

// Config returns Keras's Conv1D/Conv2D config.
func (l *ConvLayer) Config() map[string]any {
	m := l.baseConfig()
	m["filters"] = l.filters
	m["kernel_size"] = intsToAny(l.kernelSize)
	m["strides"] = intsToAny(l.strides)
	m["padding"] = l.padding
	m["data_format"] = "channels_last"
	m["dilation_rate"] = intsToAny(l.dilation)
	m["groups"] = 1
	m["activation"] = l.activation
	m["use_bias"] = l.useBias
	m["kernel_initializer"] = describe(l.kernelInit)
	m["bias_initializer"] = describe(l.biasInit)
	m["kernel_regularizer"] = describe(l.kernelReg)
	m["bias_regularizer"] = describe(l.biasReg)
	m["activity_regularizer"] = nil
	m["kernel_constraint"] = nil
	m["bias_constraint"] = nil
	return m
}

// convFromConfig rebuilds a Conv1D (rank 1) or Conv2D (rank 2).
func convFromConfig(rank int) func(cfg map[string]any) (Layer, error) {
	class := fmt.Sprintf("Conv%dD", rank)
	return func(cfg map[string]any) (Layer, error) {
		opts, err := commonOptions(cfg)
		if err != nil {
			return nil, err
		}
		if err := channelsLast(cfg); err != nil {
			return nil, err
		}
		v, ok := cfg["filters"]
		if !ok {
			return nil, fmt.Errorf("%s config needs filters", class)
		}
		filters, err := intValue("filters", v)
		if err != nil {
			return nil, err
		}
		if filters <= 0 || filters > maxDim {
			return nil, fmt.Errorf("config filters: must be in 1..%d, got %d", maxDim, filters)
		}
		if _, ok := cfg["kernel_size"]; !ok {
			return nil, fmt.Errorf("%s config needs kernel_size", class)
		}
		ks, err := axesConfig(cfg, "kernel_size", rank, 1)
		if err != nil {
			return nil, err
		}
		strides, err := axesConfig(cfg, "strides", rank, 1)
		if err != nil {
			return nil, err
		}
		dil, err := axesConfig(cfg, "dilation_rate", rank, 1)
		if err != nil {
			return nil, err
		}
		allowed := []string{"valid", "same"}
		if rank == 1 {
			allowed = append(allowed, "causal")
		}
		padding, err := paddingConfig(cfg, allowed...)
		if err != nil {
			return nil, err
		}
		if g, ok := cfg["groups"]; ok && g != nil {
			n, err := intValue("groups", g)
			if err != nil {
				return nil, err
			}
			if n != 1 {
				return nil, fmt.Errorf("%w: groups %d (only 1 is supported)", ErrUnsupportedConfig, n)
			}
		}
		act, err := activationName(cfg["activation"])
		if err != nil {
			return nil, err
		}
		opts = append(opts, Activation(act), KernelSizePerDim(ks...), Strides(strides...), DilationRate(dil...), Padding(padding))
		if v, ok := cfg["use_bias"]; ok && v != nil {
			b, ok := v.(bool)
			if !ok {
				return nil, fmt.Errorf("config use_bias: expected a bool, got %T", v)
			}
			opts = append(opts, UseBias(b))
		}
		kInit, kReg, err := weightOptions(cfg, "kernel_initializer", "kernel_regularizer", "glorot_uniform")
		if err != nil {
			return nil, err
		}
		bInit, bReg, err := weightOptions(cfg, "bias_initializer", "bias_regularizer", "zeros")
		if err != nil {
			return nil, err
		}
		opts = append(opts, KernelInitializer(kInit), BiasInitializer(bInit), KernelRegularizer(kReg), BiasRegularizer(bReg))
		if rank == 1 {
			return Conv1D(filters, ks[0], opts...), nil
		}
		return Conv2D(filters, ks[0], opts...), nil
	}
}
