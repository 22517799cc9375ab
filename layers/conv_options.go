package layers

import (
	"fmt"
	"slices"
)

// convOptions holds the options of the convolution and pooling layers.
// Nil slices and an empty padding mean "not given": each layer then uses
// its Keras default.
type convOptions struct {
	kernelSize []int  // KernelSizePerDim
	strides    []int  // Strides
	padding    string // Padding
	dilation   []int  // DilationRate
	poolSize   []int  // PoolSize
	size       []int  // Size
}

// defaults sets Keras's defaults: every field is "not given" and the
// layers fill in their own (strides 1, or the pool size for pooling;
// padding "valid"; dilation 1; pool size 2; up-sampling size 2).
func (o *convOptions) defaults() {}

// KernelSizePerDim sets a convolution's kernel size per spatial axis
// (height, width for Conv2D; one value for Conv1D), overriding the
// square kernelSize argument, as Keras's kernel_size=(3, 5).
func KernelSizePerDim(dims ...int) Option {
	dims = slices.Clone(dims)
	return optionFunc(func(c *config) { c.conv.kernelSize = dims })
}

// Strides sets how far the window moves: one value for every spatial
// axis, or one per axis. Keras default: 1 for convolutions, the pool
// size for pooling.
func Strides(s ...int) Option {
	s = slices.Clone(s)
	return optionFunc(func(c *config) { c.conv.strides = s })
}

// Padding sets the padding mode: "valid" (Keras default: no padding),
// "same" (the output has ceil(input/stride) cells; the odd padding cell
// goes at the bottom/right, as in Keras) or, for Conv1D, "causal" (zeros
// on the left only, so no output sees a later step). An unknown name is
// reported when the model is built.
func Padding(p string) Option { return optionFunc(func(c *config) { c.conv.padding = p }) }

// DilationRate sets a convolution's dilation: one value for every spatial
// axis or one per axis. Keras default: 1.
func DilationRate(d ...int) Option {
	d = slices.Clone(d)
	return optionFunc(func(c *config) { c.conv.dilation = d })
}

// PoolSize sets a pooling window: one value for every spatial axis or one
// per axis. Keras default: 2 (MaxPooling2D: (2, 2)).
func PoolSize(p ...int) Option {
	p = slices.Clone(p)
	return optionFunc(func(c *config) { c.conv.poolSize = p })
}

// Size sets UpSampling2D's factors for rows and columns: one value for
// both or two. Keras default: (2, 2).
func Size(s ...int) Option {
	s = slices.Clone(s)
	return optionFunc(func(c *config) { c.conv.size = s })
}

// perAxis expands an option given as one value or one per axis to rank
// values, using def when it was not given. A wrong count or a value below
// 1 is a literal mistake in the program: it panics with the
// constructor's name.
func perAxis(ctor, what string, v []int, rank, def int) []int {
	if v == nil {
		v = []int{def}
	}
	out, err := expand(what, v, rank)
	if err != nil {
		panic(fmt.Sprintf("layers.%s: %v", ctor, err))
	}
	return out
}

// expand turns one value or rank values into rank values, all of them
// positive.
func expand(what string, v []int, rank int) ([]int, error) {
	switch len(v) {
	case 1:
		v = slices.Repeat([]int{v[0]}, rank)
	case rank:
		v = slices.Clone(v)
	default:
		return nil, fmt.Errorf("%s must be 1 or %d values, got %v", what, rank, v)
	}
	for _, x := range v {
		if x < 1 {
			return nil, fmt.Errorf("%s must be positive, got %v", what, v)
		}
	}
	return v, nil
}

// convClasses maps the Keras class names of the convolution and pooling
// layers to the functions that rebuild them from their configs.
var convClasses = map[string]func(cfg map[string]any) (Layer, error){
	"Conv1D":                 convFromConfig(1),
	"Conv2D":                 convFromConfig(2),
	"MaxPooling1D":           poolingFromConfig(1, true),
	"MaxPooling2D":           poolingFromConfig(2, true),
	"AveragePooling1D":       poolingFromConfig(1, false),
	"AveragePooling2D":       poolingFromConfig(2, false),
	"GlobalMaxPooling1D":     globalPoolingFromConfig(1, true),
	"GlobalMaxPooling2D":     globalPoolingFromConfig(2, true),
	"GlobalAveragePooling1D": globalPoolingFromConfig(1, false),
	"GlobalAveragePooling2D": globalPoolingFromConfig(2, false),
	"ZeroPadding2D":          zeroPadding2DFromConfig,
	"UpSampling2D":           upSampling2DFromConfig,
}

// axesConfig reads a size per spatial axis from a config: a number (for
// every axis) or a list of rank numbers, each 1..maxDim; missing or null
// gives def on every axis.
func axesConfig(cfg map[string]any, key string, rank, def int) ([]int, error) {
	v, ok := cfg[key]
	if !ok || v == nil {
		return slices.Repeat([]int{def}, rank), nil
	}
	var list []any
	switch x := v.(type) {
	case []any:
		list = x
	case []int:
		list = intsToAny(x)
	default:
		list = []any{x}
	}
	out := make([]int, len(list))
	for i, e := range list {
		d, err := intValue(key, e)
		if err != nil {
			return nil, err
		}
		if d < 1 || d > maxDim {
			return nil, fmt.Errorf("config %s: must be in 1..%d, got %v", key, maxDim, v)
		}
		out[i] = d
	}
	out, err := expand("config "+key, out, rank)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// channelsLast checks that a config's data_format, if any, is
// "channels_last", the only layout built here.
func channelsLast(cfg map[string]any) error {
	f, err := stringValue(cfg, "data_format", "channels_last")
	if err != nil {
		return err
	}
	if f != "channels_last" {
		return fmt.Errorf("%w: data_format %q (only \"channels_last\" is supported)", ErrUnsupportedConfig, f)
	}
	return nil
}

// paddingConfig reads a padding mode and checks it against the allowed
// names.
func paddingConfig(cfg map[string]any, allowed ...string) (string, error) {
	p, err := stringValue(cfg, "padding", "valid")
	if err != nil {
		return "", err
	}
	if err := checkPadding(p, allowed); err != nil {
		return "", fmt.Errorf("config padding: %w", err)
	}
	return p, nil
}

func checkPadding(p string, allowed []string) error {
	if slices.Contains(allowed, p) {
		return nil
	}
	return fmt.Errorf("unknown padding %q (want %s)", p, quoteList(allowed))
}

func quoteList(s []string) string {
	out := ""
	for i, x := range s {
		switch {
		case i == 0:
		case i == len(s)-1:
			out += " or "
		default:
			out += ", "
		}
		out += fmt.Sprintf("%q", x)
	}
	return out
}

// spatialNames names the axes of a sample for error messages.
func spatialNames(rank int) string {
	if rank == 1 {
		return "(steps, channels)"
	}
	return "(height, width, channels)"
}
